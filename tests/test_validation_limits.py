"""Names, counts and quotas AWS bounds (ecslab.world.validation.limits), with AWS's error code.

Sources: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html,
https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html,
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html.
"""

from __future__ import annotations

from typing import Any

import pytest
from test_validation_services import fargate_service, target_group
from validation_calls import aws_error, fargate_task, web_container

from ecslab.lab import Lab


@pytest.fixture
def ecs(lab: Lab) -> Any:
    client = lab.client("ecs")
    client.create_cluster(clusterName="shop")
    client.register_task_definition(**fargate_task())
    return client


@pytest.mark.parametrize("name", ["Sand box!", "a" * 256, "", "tab\there"])
def test_cluster_name_letters_numbers_underscores_hyphens_rejects(ecs: Any, name: str) -> None:
    code, message = aws_error(lambda: ecs.create_cluster(clusterName=name))
    assert code == "InvalidParameterException"
    assert (
        "up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens" in message
    )


def test_cluster_name_letters_numbers_underscores_hyphens_accepts(ecs: Any) -> None:
    name = "Sand_box-" + "a" * 246
    assert ecs.create_cluster(clusterName=name)["cluster"]["clusterName"] == name


@pytest.mark.parametrize("count", [0, 11, -1])
def test_run_task_count_one_to_ten_rejects(lab: Lab, ecs: Any, count: int) -> None:
    params = fargate_service(lab)
    call = {k: params[k] for k in ("cluster", "taskDefinition", "launchType")}
    code, message = aws_error(
        lambda: ecs.run_task(
            **call, count=count, networkConfiguration=params["networkConfiguration"]
        )
    )
    assert (code, message) == (
        "InvalidParameterException",
        "count must be between 1 and 10: you can specify up to 10 tasks for each call.",
    )


def test_run_task_count_one_to_ten_accepts(lab: Lab, ecs: Any) -> None:
    params = fargate_service(lab)
    call = {k: params[k] for k in ("cluster", "taskDefinition", "launchType")}
    tasks = ecs.run_task(**call, count=10, networkConfiguration=params["networkConfiguration"])
    assert len(tasks["tasks"]) == 10


@pytest.mark.parametrize(
    ("count", "message"),
    [
        (-1, "desiredCount must be zero or more."),
        (20000, "desiredCount 20000 exceeds the limit of 5000 tasks per service."),
    ],
)
def test_desired_count_within_the_tasks_per_service_quota_rejects(
    lab: Lab, ecs: Any, count: int, message: str
) -> None:
    code, said = aws_error(lambda: ecs.create_service(**fargate_service(lab, desiredCount=count)))
    assert (code, said) == ("InvalidParameterException", message)
    ecs.create_service(**fargate_service(lab))
    code, said = aws_error(
        lambda: ecs.update_service(cluster="shop", service="web", desiredCount=count)
    )
    assert (code, said) == ("InvalidParameterException", message)


def test_desired_count_within_the_tasks_per_service_quota_accepts(lab: Lab, ecs: Any) -> None:
    assert (
        ecs.create_service(**fargate_service(lab, desiredCount=0))["service"]["desiredCount"] == 0
    )


def test_target_group_belongs_to_a_load_balancer_rejects(lab: Lab, ecs: Any) -> None:
    subnets = lab.client("ec2").describe_subnets()["Subnets"]
    arn = lab.client("elbv2").create_target_group(
        Name="alone", Protocol="HTTP", Port=80, VpcId=subnets[0]["VpcId"], TargetType="ip"
    )["TargetGroups"][0]["TargetGroupArn"]
    balancers = [{"targetGroupArn": arn, "containerName": "web", "containerPort": 80}]
    assert aws_error(
        lambda: ecs.create_service(**fargate_service(lab, loadBalancers=balancers))
    ) == (
        "InvalidParameterException",
        f"The target group with targetGroupArn {arn} does not have an associated load balancer.",
    )


def test_target_group_belongs_to_a_load_balancer_accepts(lab: Lab, ecs: Any) -> None:
    arn = target_group(lab, "ip")  # forwarded to by an ALB's listener
    balancers = [{"targetGroupArn": arn, "containerName": "web", "containerPort": 80}]
    created = ecs.create_service(**fargate_service(lab, loadBalancers=balancers))["service"]
    assert created["loadBalancers"] == balancers


@pytest.mark.parametrize("name", ["web api", "s" * 256, "s" * 1000, "web.api"])
def test_service_name_letters_numbers_underscores_hyphens_rejects(
    lab: Lab, ecs: Any, name: str
) -> None:
    """A service name with spaces or of 1,000 characters is refused, where moto stored it."""
    code, message = aws_error(lambda: ecs.create_service(**fargate_service(lab, serviceName=name)))
    assert code == "InvalidParameterException"
    assert "up to 255 letters" in message


def test_service_name_letters_numbers_underscores_hyphens_accepts(lab: Lab, ecs: Any) -> None:
    name = "Web_api-" + "s" * 247
    created = ecs.create_service(**fargate_service(lab, serviceName=name))["service"]
    assert created["serviceName"] == name


@pytest.mark.parametrize("name", ["web api", "f" * 256, "web:1"])
def test_family_letters_numbers_underscores_hyphens_rejects(ecs: Any, name: str) -> None:
    """A family is named like a cluster; RegisterTaskDefinition answers with ClientException."""
    code, message = aws_error(lambda: ecs.register_task_definition(**fargate_task(name)))
    assert code == "ClientException"
    assert "up to 255 letters" in message


def test_family_letters_numbers_underscores_hyphens_accepts(ecs: Any) -> None:
    name = "Web_api-" + "f" * 247
    stored = ecs.register_task_definition(**fargate_task(name))["taskDefinition"]
    assert stored["family"] == name


@pytest.mark.parametrize("name", ["web server", "c" * 256])
def test_container_name_letters_numbers_underscores_hyphens_rejects(ecs: Any, name: str) -> None:
    """A container name with a space or of 256 characters: ClientException, where moto stored it."""
    containers = [web_container(name=name)]
    code, message = aws_error(
        lambda: ecs.register_task_definition(
            **fargate_task("named", containerDefinitions=containers)
        )
    )
    assert code == "ClientException"
    assert "up to 255 letters" in message


def test_container_name_letters_numbers_underscores_hyphens_accepts(ecs: Any) -> None:
    containers = [web_container(name="Web_server-" + "c" * 244)]
    stored = ecs.register_task_definition(**fargate_task("named", containerDefinitions=containers))
    assert len(stored["taskDefinition"]["containerDefinitions"][0]["name"]) == 255
