"""The reachability check per health check: pure function, and through the world's cache.

Three figures: one ``reach`` call on a two-group default-VPC picture (ALB node → task on its
container port); reading the whole picture out of moto (what a change costs, once); and one
cached ``balancer_reaches`` (what each health check pays between changes).
Run: .venv/bin/python benchmarks/bench_world_network_reachability.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from world_scenarios import web_stack

from ecslab.lab import Lab
from ecslab.world.moto_adapter import ec2_models, elbv2_models
from ecslab.world.network import traffic
from ecslab.world.network.reachability import reach
from ecslab.world.runtime import runtime_of

ROUNDS = 20_000


def per_call(function: object, rounds: int = ROUNDS) -> float:
    started = time.perf_counter()
    for _ in range(rounds):
        function()  # type: ignore[operator]
    return (time.perf_counter() - started) / rounds * 1e6


def main() -> None:
    with Lab() as lab:
        web_stack(lab, desired=1)
        lab.wait_stable("demo", "web")
        world = lab._backend.world  # type: ignore[attr-defined]
        runtime = runtime_of(world)
        record = next(iter(runtime.tasks.values()))
        balancer = elbv2_models.balancers(lab.account_id, lab.region)[0]
        net = traffic.topology(world, lab.account_id, lab.region)
        node = traffic.balancer_nodes(net, balancer)[0]
        task = traffic.task_interface(net, record)
        assert task is not None and reach(net, node, task, 80)
        pure = per_call(lambda: reach(net, node, task, 80))
        read = per_call(lambda: ec2_models.read_topology(lab.account_id, lab.region), 500)
        cached = per_call(lambda: traffic.balancer_reaches(world, balancer, record, 80))
        print(f"reach(), ALB node -> task:80: {pure:.2f} µs per call")
        print(f"reading the network picture from moto (after a change): {read:.1f} µs")
        print(f"balancer_reaches() per health check, cached: {cached:.2f} µs per call")


if __name__ == "__main__":
    main()
