"""Validation through the server backend: the same answers over HTTP from `ecslab server`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from ecslab.lab import Lab
from tests.server_fixture import ecslab_server  # noqa: F401  (a pytest fixture)
from tests.validation_calls import aws_error, fargate_task, web_container

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


def _bad_inputs(lab: Lab) -> dict[str, tuple[Any, str]]:
    """Each bad input of the course and the code AWS answers it with."""
    ecs, ecr, ec2 = (lab.client(s) for s in ("ecs", "ecr", "ec2"))
    elbv2, iam = lab.client("elbv2"), lab.client("iam")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]
    group = {"Name": "bad", "Protocol": "HTTP", "Port": 80, "VpcId": vpc["VpcId"]}
    service = {"cluster": "bad", "serviceName": "bad", "taskDefinition": "sized", "desiredCount": 0}
    return {
        "stop_task": (
            lambda: ecs.stop_task(cluster="bad", task="nope"),
            "InvalidParameterException",
        ),
        "put_image": (
            lambda: ecr.put_image(repositoryName="missing", imageManifest="{}", imageTag="v1"),
            "RepositoryNotFoundException",
        ),
        "revision": (
            lambda: ecs.describe_task_definition(taskDefinition="api:abc"),
            "ClientException",
        ),
        "filter": (
            lambda: ec2.describe_subnets(Filters=[{"Name": "nope", "Values": ["x"]}]),
            "InvalidParameterValue",
        ),
        "maximum_percent": (
            lambda: ecs.create_service(
                **service,
                deploymentConfiguration={"maximumPercent": 50, "minimumHealthyPercent": 100},
            ),
            "InvalidParameterException",
        ),
        "grace_period": (
            lambda: ecs.create_service(**service, healthCheckGracePeriodSeconds=30),
            "InvalidParameterException",
        ),
        "no_containers": (
            lambda: ecs.register_task_definition(**fargate_task("empty", containerDefinitions=[])),
            "ClientException",
        ),
        "port": (
            lambda: ecs.register_task_definition(
                **fargate_task(
                    "port",
                    containerDefinitions=[web_container(portMappings=[{"containerPort": 70000}])],
                )
            ),
            "ClientException",
        ),
        "interval": (
            lambda: elbv2.create_target_group(**group, HealthCheckIntervalSeconds=301),
            "ValidationError",
        ),
        "path": (
            lambda: elbv2.create_target_group(**group, HealthCheckPath="h"),
            "ValidationError",
        ),
        "matcher": (
            lambda: elbv2.create_target_group(**group, Matcher={"HttpCode": "999"}),
            "ValidationError",
        ),
        "status": (
            lambda: ecs.list_tasks(cluster="bad", desiredStatus="BOGUS"),
            "InvalidParameterException",
        ),
        "trust_policy": (
            lambda: iam.create_role(RoleName="bad", AssumeRolePolicyDocument="not json"),
            "MalformedPolicyDocument",
        ),
        "service_name": (
            lambda: ecs.create_service(**service | {"serviceName": "s" * 256}),
            "InvalidParameterException",
        ),
        "family": (
            lambda: ecs.register_task_definition(**fargate_task("f" * 256)),
            "ClientException",
        ),
        "role_name": (
            lambda: iam.create_role(RoleName="a b", AssumeRolePolicyDocument="{}"),
            "ValidationError",
        ),
        "log_group_name": (
            lambda: lab.client("logs").create_log_group(logGroupName="a b"),
            "InvalidParameterException",
        ),
        "deregistration_delay": (
            lambda: elbv2.modify_target_group_attributes(
                TargetGroupArn=elbv2.create_target_group(**group | {"Name": "delay"})[
                    "TargetGroups"
                ][0]["TargetGroupArn"],
                Attributes=[{"Key": "deregistration_delay.timeout_seconds", "Value": "abc"}],
            ),
            "ValidationError",
        ),
        "target_group_name": (
            lambda: elbv2.create_target_group(**group | {"Name": "t" * 33}),
            "ValidationError",
        ),
    }


BAD_INPUTS = [
    "stop_task",
    "put_image",
    "revision",
    "filter",
    "maximum_percent",
    "grace_period",
    "no_containers",
    "port",
    "interval",
    "path",
    "matcher",
    "status",
    "trust_policy",
    "service_name",
    "family",
    "target_group_name",
    "role_name",
    "log_group_name",
    "deregistration_delay",
]


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_server_answers_each_bad_input_with_aws_error_in_a_400(
    lab_on_server: Lab, case: str
) -> None:
    """Over HTTP too, AWS's code in an HTTP 400: no traceback from inside moto, no 500."""
    lab_on_server.client("ecs").create_cluster(clusterName="bad")
    lab_on_server.client("ecs").register_task_definition(**fargate_task("sized"))
    call, code = _bad_inputs(lab_on_server)[case]
    with pytest.raises(ClientError) as caught:
        call()
    answer = caught.value.response
    assert (answer["Error"]["Code"], answer["ResponseMetadata"]["HTTPStatusCode"]) == (code, 400)


def test_server_describes_capacity_providers_without_arguments(lab_on_server: Lab) -> None:
    """DescribeCapacityProviders() answers with FARGATE and FARGATE_SPOT, as AWS does."""
    described = lab_on_server.client("ecs").describe_capacity_providers()["capacityProviders"]
    assert [p["name"] for p in described] == ["FARGATE", "FARGATE_SPOT"]
