"""A room on one ``ecslab server``: N learners build the capstone at once while one more
learner only describes; how long it takes, how describes fare meanwhile, what it costs.

Each learner is a process of its own (as a laptop would be): ``Lab(backend="server")``,
``catch_up(lab, "09_capstone")`` (the course's world up to the capstone), a rolling deployment
of ``api`` (a new task definition revision) and ``lab.wait_stable``. A prober asks
``describe_services`` every 50 ms during the load. Goals (issue: the workshop server): 30
learners under 10 s on 2 cores, describe p95 under 0.3 s, no errors, memory per idle learner
bounded (reported by ``/_ecslab/status``).

Run: .venv/bin/python benchmarks/bench_server_room.py [N ...]   (default: 5 10 20 30)
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

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


def room(n: int) -> dict:
    with tempfile.TemporaryDirectory() as data, running_server(data) as url:
        idle = _status(url)["memory"]["rss_mib"]
        stop, latencies, errors = threading.Event(), [], []
        prober = threading.Thread(target=_probe, args=(url, stop, latencies, errors))
        prober.start()
        time.sleep(2)
        latencies.clear()
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
        times, failed = [], 0
        for process in learners:
            out, err = process.communicate(timeout=900)
            if process.returncode:
                failed += 1
                errors.append(err.strip().splitlines()[-1] if err.strip() else "exit")
            else:
                times.append(float(out.split()[0]))
        wall = time.perf_counter() - started
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
        "probes": len(latencies),
        "errors": failed + len(errors),
        "first_error": errors[0] if errors else "",
        "rss": status["memory"]["rss_mib"],
        "per_learner_mib": (status["memory"]["rss_mib"] - idle) / max(n, 1),
    }


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [5, 10, 20, 30]
    print(
        "learners  wall s  per-learner s (in its lab)  describe p50/p95 ms  errors  "
        "server MiB  MiB per learner"
    )
    for n in sizes:
        r = room(n)
        print(
            f"{r['n']:>8}  {r['wall']:6.1f}  {r['per_learner']:26.2f}  "
            f"{r['p50'] * 1000:8.0f}/{r['p95'] * 1000:<8.0f}  {r['errors']:>6}  "
            f"{r['rss']:10.0f}  {r['per_learner_mib']:15.1f}"
            + (f"   first error: {r['first_error'][:120]}" if r["first_error"] else "")
        )


if __name__ == "__main__":
    main()
