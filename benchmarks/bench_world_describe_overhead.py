"""What the running world adds to a plain describe call (goal < 2 ms).

The same describe_services on a lab with a 10-task service, with the world's behaviours on and
with them removed. Run: .venv/bin/python benchmarks/bench_world_describe_overhead.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from world_scenarios import web_stack

from ecslab.lab import Lab

CALLS = 300


def per_call(lab: Lab) -> float:
    ecs = lab.client("ecs")
    ecs.describe_services(cluster="demo", services=["web"])
    started = time.perf_counter()
    for _ in range(CALLS):
        ecs.describe_services(cluster="demo", services=["web"])
    return (time.perf_counter() - started) / CALLS


def main() -> None:
    with Lab() as lab:
        web_stack(lab, desired=10)
        lab.wait_stable("demo", "web")
        world = lab._backend.world  # type: ignore[attr-defined]
        with_world = per_call(lab)
        behaviours, world.behaviours = world.behaviours, []
        without = per_call(lab)
        world.behaviours = behaviours
    print(
        f"describe_services: {with_world * 1000:.2f} ms with the world, "
        f"{without * 1000:.2f} ms without: the world adds {(with_world - without) * 1000:.2f} ms"
    )


if __name__ == "__main__":
    main()
