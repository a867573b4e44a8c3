"""How much time validation adds to one boto3 call (goal: under 1 ms).

Run: ``python benchmarks/bench_validation.py``. Two measures, in one run:

* **end to end**: the same boto3 call against the in-process lab, with and without the
  Validation behaviour in the world (interleaved rounds, the best of each, and their ratio);
  on a busy machine the difference is within the noise of a ~2 ms call;
* **the rules alone**: ``Validation.before_call`` on the call as moto parsed it, per action.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from typing import Any

from ecslab.lab import Lab
from ecslab.world.moto_hooks import ApiCall
from ecslab.world.validation import Validation

ROUNDS = 12
CALLS_PER_ROUND = 60


def fargate_task(family: str) -> dict[str, Any]:
    return {
        "family": family,
        "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc",
        "cpu": "1 vCPU",
        "memory": "2GB",
        "containerDefinitions": [
            {"name": "web", "image": "nginx", "portMappings": [{"containerPort": 80}],
             "secrets": [{"name": "DB", "valueFrom": "/prod/db/password"}]}
        ],
    }


def per_call_ms(call: Callable[[], Any], count: int) -> float:
    start = time.perf_counter()
    for _ in range(count):
        call()
    return (time.perf_counter() - start) / count * 1000


def end_to_end(lab: Lab) -> tuple[float, float]:
    """Best ms per RegisterTaskDefinition over the rounds, with and without validation."""
    world = lab._backend.world  # type: ignore[attr-defined]
    validation = next(b for b in world.behaviours if isinstance(b, Validation))
    others = [b for b in world.behaviours if b is not validation]
    ecs = lab.client("ecs")

    def register() -> Any:
        return ecs.register_task_definition(**fargate_task("bench"))

    register()  # warm up botocore's and moto's caches
    timings: dict[bool, list[float]] = {True: [], False: []}
    for round_number in range(ROUNDS):
        # Alternate which goes first, so that drift in the machine's load hits both alike.
        for validated in (True, False) if round_number % 2 else (False, True):
            world.behaviours[:] = [validation, *others] if validated else others
            timings[validated].append(per_call_ms(register, CALLS_PER_ROUND))
    world.behaviours[:] = [validation, *others]
    # The fastest round is the one least disturbed by other work on the machine.
    return min(timings[True]), min(timings[False])


def rules_alone(lab: Lab) -> dict[str, float]:
    """Microseconds per before_call for a typical call of each validated service."""
    world = lab._backend.world  # type: ignore[attr-defined]
    validation = Validation()
    ecs, ec2 = lab.client("ecs"), lab.client("ec2")
    ecs.create_cluster(clusterName="shop")
    ecs.register_task_definition(**fargate_task("web"))
    subnets = [s["SubnetId"] for s in ec2.describe_subnets()["Subnets"][:2]]
    calls = {
        "ecs RegisterTaskDefinition": ApiCall("ecs", "RegisterTaskDefinition", lab.account_id,
                                              lab.region, fargate_task("web")),
        "ecs CreateService": ApiCall("ecs", "CreateService", lab.account_id, lab.region, {
            "cluster": "shop", "serviceName": "web", "taskDefinition": "web",
            "launchType": "FARGATE",
            "networkConfiguration": {"awsvpcConfiguration": {"subnets": subnets}}}),
        "elbv2 CreateLoadBalancer": ApiCall("elbv2", "CreateLoadBalancer", lab.account_id,
                                            lab.region, {"Name": "shop", "Subnets": subnets}),
        "ecr PutImage": ApiCall("ecr", "PutImage", lab.account_id, lab.region,
                                {"repositoryName": "none", "imageTag": "v1"}),
        "ecs DescribeServices (no rules)": ApiCall("ecs", "DescribeServices", lab.account_id,
                                                   lab.region, {"cluster": "shop"}),
    }
    timings = {}
    for label, call in calls.items():
        fresh = [copy.deepcopy(call) for _ in range(2000)]
        start = time.perf_counter()
        for each in fresh:
            validation.check(world, each)
        timings[label] = (time.perf_counter() - start) / len(fresh) * 1e6
    return timings


def main() -> None:
    with Lab() as lab:
        with_rules, without_rules = end_to_end(lab)
        print("RegisterTaskDefinition through boto3, in-process lab "
              f"(best of {ROUNDS} rounds of {CALLS_PER_ROUND} calls):")
        print(f"  with validation:    {with_rules:7.3f} ms per call")
        print(f"  without validation: {without_rules:7.3f} ms per call")
        print(f"  added:              {with_rules - without_rules:7.3f} ms per call "
              f"(ratio {with_rules / without_rules:.3f})")
        print("Validation.before_call alone:")
        for label, microseconds in rules_alone(lab).items():
            print(f"  {label:34s} {microseconds:8.1f} µs per call")


if __name__ == "__main__":
    main()
