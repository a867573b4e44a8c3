"""How long the pipeline rehearsal takes, in wall time, for a learner at a notebook.

Run: ``.venv/bin/python benchmarks/bench_pipeline.py [repeats]``. Prints the median of the
repeats for: building one image offline, one request answered by the backend's own code
(one ASGI call), the set-up of the stage with both services, and one deploy job (build, push,
register, update, wait for stability) for the backend.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

from ecslab.lab import Lab
from ecslab.pipeline import Source, build, prepare, run
from ecslab.pipeline.images import behaviour_for
from ecslab.pipeline.source import change_for


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main(repeats: int) -> None:
    source = Source.example()
    change = change_for(source, "1.1.0", break_health=False)
    backend = behaviour_for(build(source, "backend"))
    environment = {"SECRET_KEY": "benchmark"}
    backend.answer("GET", "/health", {}, environment)  # the first call imports the app
    figures: dict[str, list[float]] = {
        "build the backend image": [],
        "one request to the backend's code": [],
        "set-up: stage and both services stable": [],
        "one deploy job, waited to stability": [],
    }
    for _ in range(repeats):
        figures["build the backend image"].append(timed(lambda: build(change, "backend")))
        figures["one request to the backend's code"].append(
            timed(lambda: backend.answer("GET", "/api/hello", {}, environment))
        )
        with Lab() as lab:
            figures["set-up: stage and both services stable"].append(
                timed(lambda lab=lab: prepare(lab, source, out=None))
            )
            figures["one deploy job, waited to stability"].append(
                timed(lambda lab=lab: run(lab, change, services=["backend"], out=None))
            )
    for name, values in figures.items():
        print(f"{name:42s} {statistics.median(values) * 1000:9.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
