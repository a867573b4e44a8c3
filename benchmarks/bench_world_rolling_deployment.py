"""A 10-task rolling deployment behind an ALB, run to completion: wall time (goal < 0.3 s).

Run: .venv/bin/python benchmarks/bench_world_rolling_deployment.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from world_scenarios import register, web_stack

from ecslab.lab import Lab


def main() -> None:
    with Lab() as lab:
        stack = web_stack(lab, desired=10, deregistration_delay=30)
        lab.wait_stable("demo", "web")
        second = register(lab, image="nginx:1.28")
        started = time.perf_counter()
        lab.client("ecs").update_service(cluster="demo", service="web", taskDefinition=second)
        virtual = lab.wait_stable("demo", "web", timeout=3600)
        wall = time.perf_counter() - started
        deployment = stack.describe()["deployments"][0]
        assert deployment["taskDefinition"] == second
        assert deployment["rolloutState"] == "COMPLETED"
        print(
            f"10-task rolling deployment behind an ALB: {virtual:.0f} virtual s "
            f"in {wall:.3f} s wall"
        )


if __name__ == "__main__":
    main()
