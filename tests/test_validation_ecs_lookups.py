"""ECS calls naming a task, a task definition revision or a task status (validation.ecs_lookups).

Sources: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StopTask.html,
https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTaskDefinition.html,
https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListTasks.html.
"""

from __future__ import annotations

from typing import Any

import pytest

from ecslab.lab import Lab
from tests.validation_calls import aws_error, awsvpc_network, fargate_task


@pytest.fixture
def ecs(lab: Lab) -> Any:
    """A cluster "shop" with the Fargate task definition "api" (revision 1)."""
    client = lab.client("ecs")
    client.create_cluster(clusterName="shop")
    client.register_task_definition(**fargate_task("api"))
    return client


def run_one(lab: Lab, ecs: Any) -> str:
    tasks = ecs.run_task(
        cluster="shop",
        taskDefinition="api",
        launchType="FARGATE",
        networkConfiguration=awsvpc_network(lab),
    )["tasks"]
    return tasks[0]["taskArn"]


@pytest.mark.parametrize("task", ["nope", "0123456789abcdef0123456789abcdef"])
def test_stopped_task_exists_in_the_cluster_rejects_an_unknown_task(ecs: Any, task: str) -> None:
    """StopTask of a task the cluster never ran: AWS's InvalidParameterException, no crash."""
    assert aws_error(lambda: ecs.stop_task(cluster="shop", task=task)) == (
        "InvalidParameterException",
        "The referenced task was not found",
    )


def test_stopped_task_exists_in_the_cluster_rejects_a_task_of_another_cluster(
    lab: Lab, ecs: Any
) -> None:
    """A task is found only in its own cluster."""
    arn = run_one(lab, ecs)
    ecs.create_cluster(clusterName="other")
    code, _ = aws_error(lambda: ecs.stop_task(cluster="other", task=arn.split("/")[-1]))
    assert code == "InvalidParameterException"


def test_stopped_task_exists_in_the_cluster_accepts_its_id_and_arn(lab: Lab, ecs: Any) -> None:
    """A running task stops, named by its ID or by its ARN."""
    first, second = run_one(lab, ecs), run_one(lab, ecs)
    stopped = ecs.stop_task(cluster="shop", task=first.split("/")[-1])["task"]
    assert (stopped["taskArn"], stopped["desiredStatus"]) == (first, "STOPPED")
    assert ecs.stop_task(cluster="shop", task=second)["task"]["taskArn"] == second


def test_stopped_task_exists_in_the_cluster_leaves_a_missing_cluster_to_aws_answer(
    ecs: Any,
) -> None:
    """A cluster that does not exist gets AWS's ClusterNotFoundException, as before."""
    code, _ = aws_error(lambda: ecs.stop_task(cluster="nowhere", task="nope"))
    assert code == "ClusterNotFoundException"


@pytest.mark.parametrize("reference", ["api:abc", "api:0", "api:-1", "api:"])
def test_task_definition_revision_is_a_number_rejects_describe(ecs: Any, reference: str) -> None:
    """A revision that is not a whole number: ClientException, not a Python int() error."""
    # [UNVERIFIED] AWS's wording for a revision that is not a number: the code only.
    code, message = aws_error(lambda: ecs.describe_task_definition(taskDefinition=reference))
    assert code == "ClientException"
    assert "int()" not in message


def test_task_definition_revision_is_a_number_rejects_an_arn(ecs: Any) -> None:
    """The revision of a task definition ARN is read the same way."""
    arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/api:abc"
    code, _ = aws_error(lambda: ecs.describe_task_definition(taskDefinition=arn))
    assert code == "ClientException"


def test_task_definition_revision_is_a_number_rejects_run_and_create(lab: Lab, ecs: Any) -> None:
    """RunTask and CreateService name a revision the same way, and are refused the same way."""
    network = awsvpc_network(lab)
    run = {"cluster": "shop", "launchType": "FARGATE", "networkConfiguration": network}
    code, _ = aws_error(lambda: ecs.run_task(**run, taskDefinition="api:abc"))
    assert code == "ClientException"
    code, _ = aws_error(
        lambda: ecs.create_service(**run, serviceName="api", taskDefinition="api:x", desiredCount=1)
    )
    assert code == "ClientException"


def test_task_definition_revision_is_a_number_accepts_family_revision_and_arn(ecs: Any) -> None:
    """family, family:1 and the ARN all name the registered revision."""
    arn = ecs.describe_task_definition(taskDefinition="api")["taskDefinition"]["taskDefinitionArn"]
    for reference in ("api:1", arn):
        described = ecs.describe_task_definition(taskDefinition=reference)["taskDefinition"]
        assert described["taskDefinitionArn"] == arn


@pytest.mark.parametrize("status", ["BOGUS", "running", ""])
def test_list_tasks_desired_status_is_running_pending_or_stopped_rejects(
    ecs: Any, status: str
) -> None:
    """botocore sends an unknown status (it checks no enums), and AWS refuses it.

    Where AWS used to answer with an empty list here, it says which statuses it takes."""
    # [UNVERIFIED] the wording: the code only.
    code, message = aws_error(lambda: ecs.list_tasks(cluster="shop", desiredStatus=status))
    assert code == "InvalidParameterException"
    assert "RUNNING" in message


@pytest.mark.parametrize("status", ["RUNNING", "PENDING", "STOPPED"])
def test_list_tasks_desired_status_is_running_pending_or_stopped_accepts(
    lab: Lab, ecs: Any, status: str
) -> None:
    """The model's three DesiredStatus values filter as before."""
    arn = run_one(lab, ecs)
    listed = ecs.list_tasks(cluster="shop", desiredStatus=status)["taskArns"]
    assert listed == ([arn] if status == "RUNNING" else [])
