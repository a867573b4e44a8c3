"""Validation through the server backend: the same answers over HTTP from `ecslab server`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ecslab.lab import Lab
from tests.server_fixture import ecslab_server  # noqa: F401  (a pytest fixture)
from tests.validation_calls import aws_error, fargate_task

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def lab_on_server(ecslab_server: str) -> Iterator[Lab]:  # noqa: F811
    with Lab(backend="server", endpoint_url=ecslab_server, learner="validation") as opened:
        yield opened


def test_server_rejects_a_fargate_task_of_256_cpu_and_8192_memory(lab_on_server: Lab) -> None:
    """The server answers a bad Fargate size with AWS's code and message."""
    ecs = lab_on_server.client("ecs")
    params = fargate_task("sized", cpu="256", memory="8192")
    code, message = aws_error(lambda: ecs.register_task_definition(**params))
    assert (code, message) == (
        "ClientException",
        "No Fargate configuration exists for given values: 256 CPU, 8192 memory. "
        "See the Amazon ECS documentation for the valid values.",
    )


def test_server_accepts_and_normalises_a_valid_fargate_task(lab_on_server: Lab) -> None:
    """A valid Fargate task registers, with vCPU/GB forms and hostPort filled in as AWS does."""
    ecs = lab_on_server.client("ecs")
    stored = ecs.register_task_definition(**fargate_task("web", cpu="1 vCPU", memory="2GB"))
    definition = stored["taskDefinition"]
    assert (definition["cpu"], definition["memory"]) == ("1024", "2048")
    assert definition["containerDefinitions"][0]["portMappings"][0]["hostPort"] == 80


def test_server_rejects_an_alb_in_one_zone(lab_on_server: Lab) -> None:
    """ELBv2's query protocol carries the error as AWS's does."""
    ec2, elbv2 = lab_on_server.client("ec2"), lab_on_server.client("elbv2")
    subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    code, _ = aws_error(lambda: elbv2.create_load_balancer(Name="one", Subnets=[subnet]))
    assert code == "ValidationError"
