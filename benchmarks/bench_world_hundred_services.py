"""100 services x 10 tasks advanced one virtual hour: wall time (goal < 5 s).

Measured twice: services without a load balancer, and each behind its own target group (so
every task is health-checked every 30 s). Set-up time (the boto3 calls that create it all,
which also launch the tasks) is printed separately; the hour then takes them to RUNNING.
Run: .venv/bin/python benchmarks/bench_world_hundred_services.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from world_scenarios import register

from ecslab.lab import Lab

SERVICES, TASKS = 100, 10


def build(lab: Lab, with_targets: bool) -> None:
    ec2, ecs, elbv2 = lab.client("ec2"), lab.client("ecs"), lab.client("elbv2")
    subnets = sorted(ec2.describe_subnets()["Subnets"], key=lambda s: s["AvailabilityZone"])
    subnet_ids = [s["SubnetId"] for s in subnets[:2]]
    ecs.create_cluster(clusterName="big")
    definition = register(lab)
    for index in range(SERVICES):
        options = {}
        if with_targets:
            group = elbv2.create_target_group(
                Name=f"tg-{index}",
                Protocol="HTTP",
                Port=80,
                VpcId=subnets[0]["VpcId"],
                TargetType="ip",
            )["TargetGroups"][0]["TargetGroupArn"]
            options["loadBalancers"] = [
                {"targetGroupArn": group, "containerName": "web", "containerPort": 80}
            ]
        ecs.create_service(
            cluster="big",
            serviceName=f"svc-{index}",
            taskDefinition=definition,
            desiredCount=TASKS,
            launchType="FARGATE",
            networkConfiguration={
                "awsvpcConfiguration": {"subnets": subnet_ids, "assignPublicIp": "ENABLED"}
            },
            **options,
        )
        lab.advance(0.3)  # services created apart, so their health checks do not align


def measure(with_targets: bool) -> None:
    with Lab() as lab:
        started = time.perf_counter()
        build(lab, with_targets)
        built = time.perf_counter() - started
        started = time.perf_counter()
        lab.advance(3600)
        wall = time.perf_counter() - started
        running = sum(
            s["runningCount"]
            for i in range(0, SERVICES, 10)
            for s in lab.client("ecs").describe_services(
                cluster="big", services=[f"svc-{j}" for j in range(i, i + 10)]
            )["services"]
        )
        label = "behind target groups" if with_targets else "without load balancer"
        print(
            f"{SERVICES} services x {TASKS} tasks {label}: one virtual hour in {wall:.2f} s wall "
            f"(set-up {built:.1f} s, {running} tasks running)"
        )


if __name__ == "__main__":
    measure(with_targets=False)
    measure(with_targets=True)
