"""A room on one ``ecslab server``: N learners build the capstone at once while one more
learner only describes; how long it takes, how describes fare meanwhile, what it costs.

Each learner is a process of its own (as a laptop would be): ``Lab(backend="server")``,
``catch_up(lab, "09_capstone")`` (the course's world up to the capstone), a rolling deployment
of ``api`` (a new task definition revision) and ``lab.wait_stable``. A prober asks
``describe_services`` every 50 ms during the load. Goals (issue: the workshop server): 30
learners under 10 s on 2 cores, describe p95 under 0.3 s, no errors, memory per idle learner
bounded (reported by ``/_ecslab/status``).

The server's and the learners' CPU seconds are printed too: on 2 cores the wall time cannot
fall below their sum over two.

With ``--heavy``, one more learner makes heavy requests meanwhile: a service of 1,000 tasks,
redeployed three times, an ``advance(600)`` after each (each request takes the server seconds);
``--heavy 0`` is that learner and the prober alone. Goal: the other learners' describes are not
held up by it.

Run: .venv/bin/python benchmarks/bench_server_room.py [--before TREE] [--heavy] [N ...]
(default: 5 10 20 30). With ``--before``, each room is run twice in turn, first on a server
started from the source tree TREE (a checkout of an earlier commit), then on this one, and the
ratio is printed.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from server_fixture import running_server  # noqa: E402

LEARNER = """
import sys, time
started = time.perf_counter()
from ecslab.lab import Lab
from ecslab.course.catch_up import catch_up
with Lab(backend="server", endpoint_url=sys.argv[1], learner=sys.argv[2]) as lab:
    opened = time.perf_counter()
    catch_up(lab, "09_capstone")
    ecs = lab.client("ecs")
    family = ecs.describe_task_definition(taskDefinition="api")["taskDefinition"]
    keep = ("family", "containerDefinitions", "cpu", "memory", "networkMode",
            "requiresCompatibilities", "executionRoleArn", "taskRoleArn")
    revision = ecs.register_task_definition(**{k: family[k] for k in keep if k in family})
    arn = revision["taskDefinition"]["taskDefinitionArn"]
    ecs.update_service(cluster="course", service="api", taskDefinition=arn)
    lab.wait_stable("course", "api")
print(f"{time.perf_counter() - opened:.3f} {opened - started:.3f}")
"""


HEAVY = """
import sys
from ecslab.lab import Lab
from ecslab.course.catch_up import catch_up
with Lab(backend="server", endpoint_url=sys.argv[1], learner=sys.argv[2]) as lab:
    catch_up(lab, "09_capstone")
    ecs = lab.client("ecs")
    ecs.update_service(cluster="course", service="api", desiredCount=1000)
    for _ in range(3):
        ecs.update_service(cluster="course", service="api", forceNewDeployment=True)
        lab.advance(600)
print("0 0")
"""


def _status(url: str) -> dict:
    with urllib.request.urlopen(f"{url}/_ecslab/status", timeout=30) as answer:
        return json.loads(answer.read())


def _probe(url: str, stop: threading.Event, latencies: list[float], errors: list[str]) -> None:

    from ecslab.lab import Lab

    with Lab(backend="server", endpoint_url=url, learner="prober") as lab:
        ecs = lab.client("ecs")
        ecs.create_cluster(clusterName="probe")
        while not stop.is_set():
            started = time.perf_counter()
            try:
                ecs.describe_services(cluster="probe", services=["none"])
            except Exception as error:  # counted, not raised
                errors.append(repr(error))
            latencies.append(time.perf_counter() - started)
            stop.wait(0.05)


@contextlib.contextmanager
def _server(data: str, tree: str | None) -> Iterator[str]:
    """A server from this tree, or from ``tree`` (its working directory and ``PYTHONPATH``
    while it starts, so ``python -m ecslab.cli`` imports that tree's ``ecslab``)."""
    if tree is None:
        with running_server(data) as url:
            yield url
        return
    saved_directory, saved_path = os.getcwd(), os.environ.get("PYTHONPATH")
    server = running_server(data)
    os.chdir(tree)
    os.environ["PYTHONPATH"] = tree
    try:
        url = server.__enter__()
    finally:
        os.chdir(saved_directory)
        if saved_path is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved_path
    try:
        yield url
    finally:
        server.__exit__(None, None, None)


def _server_cpu() -> float:
    """CPU seconds of the ``ecslab server`` process this benchmark started."""
    for child in psutil.Process().children():
        if "server" in child.cmdline():
            times = child.cpu_times()
            return times.user + times.system
    return float("nan")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def room(n: int, tree: str | None = None, heavy: bool = False) -> dict:
    with tempfile.TemporaryDirectory() as data, _server(data, tree) as url:
        idle = _status(url)["memory"]["rss_mib"]
        stop, latencies, errors = threading.Event(), [], []
        prober = threading.Thread(target=_probe, args=(url, stop, latencies, errors))
        prober.start()
        time.sleep(2)
        latencies.clear()
        server_cpu, learners_cpu = _server_cpu(), _children_cpu()
        started = time.perf_counter()
        learners = [
            subprocess.Popen(
                [sys.executable, "-c", LEARNER, url, f"learner{i}"],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for i in range(n)
        ]
        if heavy:
            learners.append(
                subprocess.Popen(
                    [sys.executable, "-c", HEAVY, url, "heavy"],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
        times, failed = [], 0
        for index, process in enumerate(learners):
            out, err = process.communicate(timeout=900)
            if process.returncode:
                failed += 1
                errors.append(err.strip().splitlines()[-1] if err.strip() else "exit")
            elif index < n:
                times.append(float(out.split()[0]))
        wall = time.perf_counter() - started
        server_cpu, learners_cpu = _server_cpu() - server_cpu, _children_cpu() - learners_cpu
        stop.set()
        prober.join()
        status = _status(url)
    quantiles = statistics.quantiles(latencies, n=20) if len(latencies) > 1 else [0.0] * 19
    return {
        "n": n,
        "wall": wall,
        "per_learner": statistics.mean(times) if times else float("nan"),
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p95": quantiles[18],
        "max": max(latencies) if latencies else float("nan"),
        "probes": len(latencies),
        "errors": failed + len(errors),
        "first_error": errors[0] if errors else "",
        "rss": status["memory"]["rss_mib"],
        "per_learner_mib": (status["memory"]["rss_mib"] - idle) / max(n, 1),
        "server_cpu": server_cpu,
        "learners_cpu": learners_cpu,
    }


def _row(label: str, r: dict) -> str:
    return (
        f"{label:<7}{r['n']:>8}  {r['wall']:6.1f}  {r['per_learner']:13.2f}  "
        f"{r['p50'] * 1000:6.0f}/{r['p95'] * 1000:<5.0f}/{r['max'] * 1000:<6.0f}  "
        f"{r['errors']:>6}  "
        f"{r['server_cpu']:10.1f}  {r['learners_cpu']:12.1f}  "
        f"{r['rss']:10.0f}  {r['per_learner_mib']:15.1f}"
        + (f"   first error: {r['first_error'][:120]}" if r["first_error"] else "")
    )


def main() -> None:
    args = sys.argv[1:]
    before = None
    if args[:1] == ["--before"]:
        before, args = str(Path(args[1]).resolve()), args[2:]
    heavy = "--heavy" in args
    sizes = [int(a) for a in args if a != "--heavy"] or [5, 10, 20, 30]
    print(
        "server  learners  wall s  per-learner s  describe p50/p95/max ms  errors  "
        "server CPU s  learners CPU s  server MiB  MiB per learner"
        + ("  (and one heavy learner)" if heavy else "")
    )
    for n in sizes:
        if before is None:
            print(_row("", room(n, heavy=heavy)), flush=True)
            continue
        old = room(n, before, heavy)
        print(_row("before", old), flush=True)
        new = room(n, heavy=heavy)
        print(_row("after", new), flush=True)
        print(
            f"ratio   {n:>8}  wall {new['wall'] / old['wall']:.2f}  "
            f"p50 {new['p50'] / old['p50']:.2f}  p95 {new['p95'] / old['p95']:.2f}  "
            f"max {new['max'] / old['max']:.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
