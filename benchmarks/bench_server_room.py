"""A room on one ``ecslab server``: N learners build the capstone at once while one more
learner only describes; how long it takes, how describes fare meanwhile, what it costs.

Each learner opens ``Lab(backend="server")``, runs ``catch_up(lab, "09_capstone")`` (the
course's world up to the capstone), a rolling deployment of ``api`` (a new task definition
revision) and ``lab.wait_stable``. A prober asks ``describe_services`` every 50 ms during the
load. Goals (issue: the workshop server): 30 learners under 10 s on 2 cores, describe p95 under
0.3 s, no errors, memory per idle learner bounded (reported by ``/_ecslab/status``).

The learners are driven two ways (``--drive``, both by default):

* ``processes``: each learner a Python process of its own, as a laptop would be. On one
  machine their start (Python, boto3: about 0.7 s of CPU each) shares the 2 cores with the
  server, so the wall time says as much about the learners as about the server;
* ``threads``: the server alone. One process drives every learner from a thread of its own,
  each with its own lab (one boto3 session) and clients made before the clock starts, so the
  time measured is the requests'; the prober stays in this process, apart from them.

The server's and the learners' CPU seconds are printed too: on 2 cores the wall time cannot
fall below their sum over two (threads share one interpreter, so the driver uses one core).

With ``--heavy``, one more learner makes heavy requests meanwhile: a service of 1,000 tasks,
redeployed three times, an ``advance(600)`` after each (each request takes the server seconds);
``--heavy 0`` is that learner and the prober alone. Goal: the other learners' describes are not
held up by it.

Run: .venv/bin/python benchmarks/bench_server_room.py [--before TREE|COMMIT] [--heavy]
[--drive processes|threads|both] [N ...] (default: 5 10 20 30). With ``--before``, each room is
run twice in turn, first on a server started from the source tree TREE (a checkout of an
earlier commit; a commit is checked out in a worktree for the run), then on this one, and the
ratio is printed. The learners' side is this tree's code either way.
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
from room_learner import roll_api
with Lab(backend="server", endpoint_url=sys.argv[1], learner=sys.argv[2]) as lab:
    opened = time.perf_counter()
    catch_up(lab, "09_capstone")
    roll_api(lab)
print(f"{time.perf_counter() - opened:.3f} {opened - started:.3f}")
"""


#: The threads mode: every learner of the room in this one process (argv: URL, names...).
#: It prints "ready" once every lab and client is made, starts on a line from stdin, and
#: prints one JSON line: each learner's seconds, the errors, its own CPU seconds meanwhile
#: and in all (its labs and clients, made before the clock, are not the room's time).
DRIVER = """
import json, sys, threading, time
from ecslab.lab import Lab
from ecslab.course.catch_up import LESSONS, catch_up
from ecslab.progress_room import sender
from room_learner import roll_api

SERVICES = ("ec2", "ecr", "ecs", "elbv2", "iam", "logs")

class Learner:
    # A lab whose clients were made beforehand (lab.client makes a new one each call).
    def __init__(self, lab):
        self.lab, self.clients = lab, {name: lab.client(name) for name in SERVICES}
    def client(self, service):
        return self.clients[service]
    def __getattr__(self, name):
        return getattr(self.lab, name)

def run(learner, name, times, errors):
    try:
        started = time.perf_counter()
        catch_up(learner, "09_capstone")
        for lesson in LESSONS[: LESSONS.index("09_capstone")]:
            # what a learner's progress file sends the room for a catch-up
            send({"learner": name, "account": learner.account_id, "lesson": lesson,
                  "kind": "caught up", "item": "09_capstone"})
        roll_api(learner)
        times.append(time.perf_counter() - started)
    except Exception as error:
        errors.append(f"{name}: {error!r}")

url, names = sys.argv[1], sys.argv[2:]
send = sender(url)
labs = [Lab(backend="server", endpoint_url=url, learner=name) for name in names]
learners = [Learner(lab) for lab in labs]
times, errors = [], []
threads = [threading.Thread(target=run, args=(learner, name, times, errors))
           for learner, name in zip(learners, names)]
print("ready", flush=True)
sys.stdin.readline()
cpu = time.process_time()
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
cpu = time.process_time() - cpu
for lab in reversed(labs):
    lab.close()
answer = {"times": times, "errors": errors, "cpu": cpu, "total_cpu": time.process_time()}
print(json.dumps(answer), flush=True)
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


def _finding_room_learner() -> dict[str, str]:
    """This environment, with ``benchmarks/`` on the path so a learner imports room_learner."""
    path = os.pathsep.join(filter(None, (str(ROOT / "benchmarks"), os.environ.get("PYTHONPATH"))))
    return {**os.environ, "PYTHONPATH": path}


def _learner(script: str, url: str, name: str, data: str) -> subprocess.Popen:
    """A learner's process (its progress file in the room's scratch directory)."""
    progress = f"{data}/{name}-progress.json"
    environment = {**_finding_room_learner(), "ECSLAB_PROGRESS_FILE": progress}
    return subprocess.Popen(
        [sys.executable, "-c", script, url, name],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )


def _driver(url: str, n: int) -> subprocess.Popen:
    """The threads mode's one process, its labs and clients made: it starts on a line."""
    driver = subprocess.Popen(
        [sys.executable, "-c", DRIVER, url, *(f"learner{i}" for i in range(n))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**_finding_room_learner(), "ECSLAB_PROGRESS_FILE": "off"},
    )
    line = driver.stdout.readline()
    if line.strip() != "ready":
        driver.kill()
        raise RuntimeError(f"the learners' driver did not start: {driver.stderr.read()[-2000:]}")
    return driver


def room(n: int, tree: str | None = None, heavy: bool = False, drive: str = "processes") -> dict:
    with tempfile.TemporaryDirectory() as data, _server(data, tree) as url:
        idle = _status(url)["memory"]["rss_mib"]
        stop, latencies, errors = threading.Event(), [], []
        prober = threading.Thread(target=_probe, args=(url, stop, latencies, errors))
        prober.start()
        driver = _driver(url, n) if drive == "threads" else None
        time.sleep(2)
        latencies.clear()
        server_cpu, learners_cpu = _server_cpu(), _children_cpu()
        started = time.perf_counter()
        if driver is not None:
            driver.stdin.write("go\n")
            driver.stdin.flush()
            learners = []
        else:
            learners = [_learner(LEARNER, url, f"learner{i}", data) for i in range(n)]
        if heavy:
            learners.append(_learner(HEAVY, url, "heavy", data))
        times, failed, set_up_cpu = [], 0, 0.0
        if driver is not None:
            out, err = driver.communicate(timeout=900)
            if driver.returncode:
                failed += n
                errors.append(err.strip().splitlines()[-1] if err.strip() else "exit")
            else:
                answer = json.loads(out.strip().splitlines()[-1])
                times, set_up_cpu = answer["times"], answer["total_cpu"] - answer["cpu"]
                failed += len(answer["errors"])
                errors.extend(answer["errors"])
        for index, process in enumerate(learners):
            out, err = process.communicate(timeout=900)
            if process.returncode:
                failed += 1
                errors.append(err.strip().splitlines()[-1] if err.strip() else "exit")
            elif index < n:
                times.append(float(out.split()[0]))
        wall = time.perf_counter() - started
        server_cpu = _server_cpu() - server_cpu
        learners_cpu = _children_cpu() - learners_cpu - set_up_cpu
        stop.set()
        prober.join()
        status = _status(url)
    quantiles = [0.0] * 19
    if len(latencies) > 1:
        quantiles = statistics.quantiles(latencies, n=20, method="inclusive")
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
        "drive": drive,
        "learners_cpu": learners_cpu,
    }


def _row(label: str, r: dict) -> str:
    return (
        f"{label:<7}{r['drive']:<10}{r['n']:>8}  {r['wall']:6.1f}  {r['per_learner']:13.2f}  "
        f"{r['p50'] * 1000:6.0f}/{r['p95'] * 1000:<5.0f}/{r['max'] * 1000:<6.0f}  "
        f"{r['errors']:>6}  "
        f"{r['server_cpu']:10.1f}  {r['learners_cpu']:12.1f}  "
        f"{r['rss']:10.0f}  {r['per_learner_mib']:15.1f}"
        + (f"   first error: {r['first_error'][:120]}" if r["first_error"] else "")
    )


def _options(args: list[str]) -> tuple[str | None, bool, list[str], list[int]]:
    before, heavy, drives, sizes = None, False, ["threads", "processes"], []
    while args:
        word, args = args[0], args[1:]
        if word == "--before":
            before, args = args[0], args[1:]
        elif word == "--heavy":
            heavy = True
        elif word == "--drive":
            drives = ["threads", "processes"] if args[0] == "both" else [args[0]]
            args = args[1:]
        else:
            sizes.append(int(word))
    assert all(d in ("threads", "processes") for d in drives), drives
    return before, heavy, drives, sizes or [5, 10, 20, 30]


@contextlib.contextmanager
def _tree(before: str | None) -> Iterator[str | None]:
    """The earlier tree: a directory as given, or a worktree of a commit for the run."""
    if before is None or Path(before).is_dir():
        yield None if before is None else str(Path(before).resolve())
        return
    from earlier_tree import earlier_tree

    with earlier_tree(before) as tree:
        yield str(tree)


def main() -> None:
    before, heavy, drives, sizes = _options(sys.argv[1:])
    print(
        "server drive      learners  wall s  per-learner s  describe p50/p95/max ms  errors  "
        "server CPU s  learners CPU s  server MiB  MiB per learner"
        + ("  (and one heavy learner)" if heavy else "")
    )
    with _tree(before) as tree:
        for n in sizes:
            for drive in drives:
                if tree is None:
                    print(_row("", room(n, heavy=heavy, drive=drive)), flush=True)
                    continue
                old = room(n, tree, heavy, drive)
                print(_row("before", old), flush=True)
                new = room(n, heavy=heavy, drive=drive)
                print(_row("after", new), flush=True)
                print(
                    f"ratio  {drive:<10}{n:>8}  wall {new['wall'] / old['wall']:.2f}  "
                    f"p50 {new['p50'] / old['p50']:.2f}  p95 {new['p95'] / old['p95']:.2f}  "
                    f"max {new['max'] / old['max']:.2f}  "
                    f"server CPU {new['server_cpu'] / old['server_cpu']:.2f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
