"""A task's start steps run in Fargate's order; the first that fails names the stop."""

from __future__ import annotations

from ecslab.lab import Lab
from ecslab.world import task_effects


def test_start_steps_run_in_fargates_order() -> None:
    """Secrets come before the log driver, which comes before the image pull."""
    names = [step.name for step in task_effects.START_STEPS]
    assert names.index("secrets") < names.index("logger") < names.index("image")


def test_a_missing_secret_is_reported_before_a_missing_image() -> None:
    """Both are wrong; the secrets step fails first, so its message is the stoppedReason."""
    with Lab() as lab:
        ecs = lab.client("ecs")
        subnet = lab.client("ec2").describe_subnets()["Subnets"][0]["SubnetId"]
        image = f"{lab.account_id}.dkr.ecr.{lab.region}.amazonaws.com/nothing:here"
        ecs.register_task_definition(
            family="both",
            requiresCompatibilities=["FARGATE"],
            networkMode="awsvpc",
            cpu="256",
            memory="512",
            containerDefinitions=[
                {
                    "name": "web",
                    "image": image,
                    "secrets": [{"name": "X", "valueFrom": "/missing/parameter"}],
                }
            ],
        )
        ecs.create_cluster(clusterName="demo")
        arn = ecs.run_task(
            cluster="demo",
            taskDefinition="both",
            launchType="FARGATE",
            networkConfiguration={
                "awsvpcConfiguration": {"subnets": [subnet], "assignPublicIp": "ENABLED"}
            },
        )["tasks"][0]["taskArn"]
        lab.advance(60)
        task = ecs.describe_tasks(cluster="demo", tasks=[arn])["tasks"][0]
    assert task["stopCode"] == "TaskFailedToStart"
    reason = "ResourceInitializationError: unable to pull secrets"
    assert task["stoppedReason"].startswith(reason)
