"""What a task start costs in the simulated world, now and at an earlier commit (goal: <= 1.2x).

Each task start runs the world's start steps (secrets, the log driver and its permissions, the
image and its platform) and then the app's consequences (memory, port, health checks). This
times the same plain-boto3 scenario (a service behind an ALB, awslogs with an execution role,
scaled from 0 to 100 tasks and on to 200) with this tree's code and with a git worktree of an
earlier commit, alternating, in one run, and prints the ratio of the best times.

The times are CPU seconds (``time.process_time``: on a busy machine the other processes' turns
do not count), and a full garbage collection runs just before the timed part. Without it, one
full collection (some 0.15 s: it walks the ~300,000 objects that importing boto3, botocore and
moto leaves) falls inside the timed part or outside it depending on how many objects each
tree's imports and set-up made, which swings the figure by ~0.7 ms per task either way.

Run: .venv/bin/python benchmarks/bench_world_task_start.py [COMMIT]   (default: 6793235, the
start of the round that made the world enforce the network; a0fb62e is main just before the
world judged a task by its own configuration, d233f83 the round before)
"""

from __future__ import annotations

from pathlib import Path

from earlier_tree import ROOT, earlier_commit, earlier_tree, last_line

BEFORE = "6793235"
ROUNDS = 5

SCENARIO = r"""
import gc, json, sys, time
sys.path.insert(0, sys.argv[1])
import ecslab
assert ecslab.__file__.startswith(sys.argv[1]), ecslab.__file__
from ecslab.lab import Lab

TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
         "Principal": {"Service": "ecs-tasks.amazonaws.com"}}]}
POLICY = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
with Lab() as lab:
    ec2, elbv2, ecs = lab.client("ec2"), lab.client("elbv2"), lab.client("ecs")
    iam, logs = lab.client("iam"), lab.client("logs")
    subnets = sorted(ec2.describe_subnets()["Subnets"], key=lambda s: s["AvailabilityZone"])[:2]
    ids = [s["SubnetId"] for s in subnets]
    balancer = elbv2.create_load_balancer(Name="web", Subnets=ids)["LoadBalancers"][0]
    group = elbv2.create_target_group(Name="web", Protocol="HTTP", Port=80,
        VpcId=subnets[0]["VpcId"], TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
    elbv2.create_listener(LoadBalancerArn=balancer["LoadBalancerArn"], Protocol="HTTP", Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": group}])
    role = iam.create_role(RoleName="x", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
    iam.attach_role_policy(RoleName="x", PolicyArn=POLICY)
    logs.create_log_group(logGroupName="/ecs/web")
    ecs.create_cluster(clusterName="demo")
    definition = ecs.register_task_definition(family="web", requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc", cpu="256", memory="512", executionRoleArn=role,
        containerDefinitions=[{"name": "web", "image": "nginx:1.27",
            "portMappings": [{"containerPort": 80}],
            "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/web",
                "awslogs-region": "us-east-1", "awslogs-stream-prefix": "ecs"}}}],
    )["taskDefinition"]["taskDefinitionArn"]
    gc.collect()
    started = time.process_time()
    ecs.create_service(cluster="demo", serviceName="web", taskDefinition=definition,
        desiredCount=100, launchType="FARGATE",
        networkConfiguration={"awsvpcConfiguration": {"subnets": ids,
            "assignPublicIp": "ENABLED"}},
        loadBalancers=[{"targetGroupArn": group, "containerName": "web", "containerPort": 80}])
    lab.wait_stable("demo", "web", timeout=3600)
    ecs.update_service(cluster="demo", service="web", desiredCount=200)
    lab.wait_stable("demo", "web", timeout=3600)
    elapsed = time.process_time() - started
    (service,) = ecs.describe_services(cluster="demo", services=["web"])["services"]
    assert service["runningCount"] == 200
    print(elapsed / 200)
"""


def per_task(tree: Path) -> float:
    """Seconds per task start with the code of ``tree`` (its ``ecslab`` imported first)."""
    return float(last_line(SCENARIO, tree))


def main() -> None:
    commit = earlier_commit(__doc__ or "", BEFORE)
    with earlier_tree(commit) as before:
        times: dict[str, list[float]] = {"before": [], "now": []}
        for _ in range(ROUNDS):
            times["before"].append(per_task(before))
            times["now"].append(per_task(ROOT))
    old, new = min(times["before"]), min(times["now"])
    print(
        f"per task start (best of {ROUNDS}, 200 tasks, CPU time): {old * 1000:.2f} ms at {commit}, "
        f"{new * 1000:.2f} ms now: {new / old:.2f}x (goal <= 1.2x)"
    )


if __name__ == "__main__":
    main()
