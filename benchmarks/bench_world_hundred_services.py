"""100 services x 10 tasks advanced one virtual hour, now and at an earlier commit (goal <= 1.2x).

Measured twice: services without a load balancer, and each behind its own target group of one
internet-facing ALB (so every task is health-checked every 30 s until it is healthy, and each
check first asks whether the ALB's nodes may reach the task). The second half builds what the
world requires of a service with a load balancer, as AWS does: an ALB security group admitting
port 80 from anywhere, a task group admitting port 80 only from the ALB's group, tasks in the
default VPC's public subnets with ``assignPublicIp`` ENABLED, and each target group attached to
the ALB (the listener's default action forwards to the first, a path rule to each other one).

The same plain-boto3 scenario runs with this tree's code and with a git worktree of an earlier
commit, alternating, in one run; the figures are CPU seconds (``time.process_time``, so the
other processes on a busy machine do not count) and the ratios are of the best of each.
Set-up (the boto3 calls that create it all, which also launch the tasks) is timed apart from
the hour, which takes the tasks to RUNNING and through their health checks.
Run: .venv/bin/python benchmarks/bench_world_hundred_services.py [COMMIT]   (default: 6793235,
the start of the round that made the world enforce the network)
"""

from __future__ import annotations

from pathlib import Path

from earlier_tree import ROOT, earlier_commit, earlier_tree, last_line

BEFORE = "6793235"
ROUNDS = 3

SCENARIO = r"""
import gc, sys, time
sys.path.insert(0, sys.argv[1])
import ecslab
assert ecslab.__file__.startswith(sys.argv[1]), ecslab.__file__
from ecslab.lab import Lab

SERVICES, TASKS = 100, 10
WITH_TARGETS = sys.argv[2] == "targets"


def network(ec2, vpc):
    alb = ec2.create_security_group(GroupName="alb", Description="alb", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=alb, IpPermissions=[{"IpProtocol": "tcp",
        "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    tasks = ec2.create_security_group(GroupName="tasks", Description="tasks", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=tasks, IpPermissions=[{"IpProtocol": "tcp",
        "FromPort": 80, "ToPort": 80, "UserIdGroupPairs": [{"GroupId": alb}]}])
    return alb, tasks


with Lab() as lab:
    ec2, ecs, elbv2 = lab.client("ec2"), lab.client("ecs"), lab.client("elbv2")
    started = time.process_time()
    subnets = sorted(ec2.describe_subnets()["Subnets"], key=lambda s: s["AvailabilityZone"])[:2]
    ids, vpc = [s["SubnetId"] for s in subnets], subnets[0]["VpcId"]
    awsvpc = {"subnets": ids, "assignPublicIp": "ENABLED"}
    if WITH_TARGETS:
        alb_group, task_group = network(ec2, vpc)
        awsvpc["securityGroups"] = [task_group]
        balancer = elbv2.create_load_balancer(Name="big", Subnets=ids,
            SecurityGroups=[alb_group])["LoadBalancers"][0]["LoadBalancerArn"]
    ecs.create_cluster(clusterName="big")
    definition = ecs.register_task_definition(family="web", requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc", cpu="256", memory="512",
        containerDefinitions=[{"name": "web", "image": "nginx:1.27",
            "portMappings": [{"containerPort": 80}]}],
    )["taskDefinition"]["taskDefinitionArn"]
    listener = None
    for index in range(SERVICES):
        options = {}
        if WITH_TARGETS:
            group = elbv2.create_target_group(Name=f"tg-{index}", Protocol="HTTP", Port=80,
                VpcId=vpc, TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
            forward = [{"Type": "forward", "TargetGroupArn": group}]
            if listener is None:
                listener = elbv2.create_listener(LoadBalancerArn=balancer, Protocol="HTTP",
                    Port=80, DefaultActions=forward)["Listeners"][0]["ListenerArn"]
            else:
                elbv2.create_rule(ListenerArn=listener, Priority=index, Actions=forward,
                    Conditions=[{"Field": "path-pattern", "Values": [f"/svc-{index}/*"]}])
            options["loadBalancers"] = [
                {"targetGroupArn": group, "containerName": "web", "containerPort": 80}]
        ecs.create_service(cluster="big", serviceName=f"svc-{index}", taskDefinition=definition,
            desiredCount=TASKS, launchType="FARGATE",
            networkConfiguration={"awsvpcConfiguration": awsvpc}, **options)
        lab.advance(0.3)  # services created apart, so their health checks do not align
    built = time.process_time() - started
    gc.collect()  # a full collection due from the set-up would otherwise land in the hour
    started = time.process_time()
    lab.advance(3600)
    hour = time.process_time() - started
    running = healthy = 0
    for i in range(0, SERVICES, 10):
        names = [f"svc-{j}" for j in range(i, i + 10)]
        for service in ecs.describe_services(cluster="big", services=names)["services"]:
            running += service["runningCount"]
            for each in service.get("loadBalancers", []):
                targets = elbv2.describe_target_health(TargetGroupArn=each["targetGroupArn"])
                healthy += sum(t["TargetHealth"]["State"] == "healthy"
                    for t in targets["TargetHealthDescriptions"])
    assert running == SERVICES * TASKS, running
    assert healthy == (SERVICES * TASKS if WITH_TARGETS else 0), healthy
    print(built, hour)
"""


def once(tree: Path, half: str) -> tuple[float, float]:
    """CPU seconds of (set-up, the hour) with the code of ``tree``."""
    built, hour = last_line(SCENARIO, tree, half).split()
    return float(built), float(hour)


def main() -> None:
    commit = earlier_commit(__doc__ or "", BEFORE)
    halves = {"plain": "without load balancer", "targets": "behind target groups of an ALB"}
    with earlier_tree(commit) as before:
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for _ in range(ROUNDS):
            for half in halves:
                for label, tree in (("before", before), ("now", ROOT)):
                    times.setdefault((half, label), []).append(once(tree, half))
    for half, words in halves.items():
        old, new = times[(half, "before")], times[(half, "now")]
        old_built, new_built = min(b for b, _ in old), min(b for b, _ in new)
        old_hour, new_hour = min(h for _, h in old), min(h for _, h in new)
        print(
            f"100 services x 10 tasks {words} (best of {ROUNDS}, CPU s): one virtual hour "
            f"{old_hour:.3f} s at {commit}, {new_hour:.3f} s now: {new_hour / old_hour:.2f}x "
            f"(goal <= 1.2x); set-up {old_built:.2f} s, {new_built:.2f} s now: "
            f"{new_built / old_built:.2f}x"
        )


if __name__ == "__main__":
    main()
