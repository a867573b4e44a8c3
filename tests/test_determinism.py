"""Same calls, same answers: two fresh labs give identical IDs, ARNs and timestamps."""

from __future__ import annotations

from typing import Any

from ecslab.lab import Lab


def _build_a_small_world(lab: Lab) -> dict[str, Any]:
    """Resources whose identifiers moto draws at random: ARNs, suffixes, deployment IDs."""
    ecs, sm, ec2 = lab.client("ecs"), lab.client("secretsmanager"), lab.client("ec2")
    ecs.create_cluster(clusterName="demo")
    task_definition = ecs.register_task_definition(
        family="api",
        containerDefinitions=[{"name": "api", "image": "nginx", "memory": 512}],
    )["taskDefinition"]
    lab.advance(42)
    service = ecs.create_service(
        cluster="demo", serviceName="api", taskDefinition="api", desiredCount=1
    )["service"]
    secret = sm.create_secret(Name="db-password", SecretString="not-shown")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]
    return {
        "task_definition": task_definition["taskDefinitionArn"],
        "service": service["serviceArn"],
        "deployments": [(d["id"], d["createdAt"]) for d in service["deployments"]],
        "created": service["deployments"][0]["createdAt"],
        "secret": secret["ARN"],
        "vpc": vpc["VpcId"],
    }


def test_two_fresh_labs_give_identical_ids_and_timestamps() -> None:
    with Lab() as first:
        one = _build_a_small_world(first)
    with Lab() as second:
        two = _build_a_small_world(second)
    assert one == two
    assert one["created"].isoformat() == "2026-01-05T09:00:42+00:00"


def test_another_seed_gives_other_ids() -> None:
    with Lab(seed=1) as first:
        one = _build_a_small_world(first)
    with Lab(seed=2) as second:
        two = _build_a_small_world(second)
    assert one["secret"] != two["secret"]
    assert one["vpc"] != two["vpc"]


def test_reset_repeats_the_same_ids(lab: Lab) -> None:
    one = _build_a_small_world(lab)
    lab.reset()
    assert _build_a_small_world(lab) == one


def test_reads_in_between_do_not_shift_the_ids() -> None:
    """Looking at the account (describes, lists) never changes the IDs of what is made next."""
    with Lab() as quiet:
        one = _build_a_small_world(quiet)
    with Lab() as curious:
        for _ in range(3):
            curious.client("ecs").list_clusters()
            curious.client("sts").get_caller_identity()
        two = _build_a_small_world(curious)
    assert one == two
