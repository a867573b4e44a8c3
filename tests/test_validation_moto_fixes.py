"""Valid calls the pinned moto crashed on now succeed, as they do on AWS."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from ecslab.lab import Lab
from ecslab.world.validation import MOTO_FIXES
from tests.validation_calls import awsvpc_network, fargate_task


@pytest.fixture
def ecs(lab: Lab) -> Any:
    client = lab.client("ecs")
    client.create_cluster(clusterName="shop")
    client.register_task_definition(**fargate_task("web"))  # memory only at the task level
    return client


def vpc_without_dns_hostnames(lab: Lab) -> str:
    """A new VPC (DNS hostnames off, as for any VPC that is not the default) and a subnet."""
    ec2 = lab.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    assert not ec2.describe_vpc_attribute(VpcId=vpc, Attribute="enableDnsHostnames")[
        "EnableDnsHostnames"
    ]["Value"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.20.1.0/24", AvailabilityZone="us-east-1a")
    return subnet["Subnet"]["SubnetId"]


def test_fargate_memory_at_task_level_run_task_succeeds(lab: Lab, ecs: Any) -> None:
    """A Fargate task whose containers set no memory runs (moto raised a TypeError)."""
    network = awsvpc_network(lab)
    tasks = ecs.run_task(
        cluster="shop", taskDefinition="web", launchType="FARGATE", networkConfiguration=network
    )["tasks"]
    assert [t["taskDefinitionArn"].rsplit("/", 1)[1] for t in tasks] == ["web:1"]


def test_run_task_without_security_groups_succeeds(lab: Lab, ecs: Any) -> None:
    """RunTask without securityGroups uses the VPC's default group (moto raised a KeyError)."""
    tasks = ecs.run_task(
        cluster="shop", taskDefinition="web", launchType="FARGATE",
        networkConfiguration=awsvpc_network(lab),
    )["tasks"]
    assert tasks[0]["attachments"][0]["type"] == "ElasticNetworkInterface"


def test_create_service_without_security_groups_succeeds(lab: Lab, ecs: Any) -> None:
    """CreateService without securityGroups is created (moto raised a KeyError)."""
    service = ecs.create_service(
        cluster="shop", serviceName="web", taskDefinition="web", desiredCount=1,
        launchType="FARGATE", networkConfiguration=awsvpc_network(lab),
    )["service"]
    assert service["status"] == "ACTIVE"


def test_awsvpc_task_in_vpc_without_dns_hostnames_succeeds(lab: Lab, ecs: Any) -> None:
    """An awsvpc task runs in a VPC without DNS hostnames (moto raised an AttributeError)."""
    subnet = vpc_without_dns_hostnames(lab)
    tasks = ecs.run_task(
        cluster="shop", taskDefinition="web", launchType="FARGATE",
        networkConfiguration={
            "awsvpcConfiguration": {"subnets": [subnet], "assignPublicIp": "ENABLED"}
        },
    )["tasks"]
    details = {d["name"]: d["value"] for d in tasks[0]["attachments"][0]["details"]}
    address = details["privateIPv4Address"]
    assert details["privateDnsName"] == f"ip-{address.replace('.', '-')}.ec2.internal"


def test_fixes_act_only_while_a_world_is_hosted() -> None:
    """After the lab closes, moto's own methods answer again (nothing leaks into plain moto)."""
    from moto.ecs.models import EC2ContainerServiceBackend

    with Lab():
        pass
    requirements = EC2ContainerServiceBackend._calculate_task_resource_requirements

    no_memory = SimpleNamespace(container_definitions=[{"name": "web"}], memory="512")
    with pytest.raises(TypeError):
        requirements(no_memory)
    assert {fix.name for fix in MOTO_FIXES} == {
        "fargate_memory_at_task_level",
        "awsvpc_task_in_vpc_without_dns_hostnames",
        "repository_names_of_the_current_model",
        "capacity_providers_described_without_names",
    }
    backend = SimpleNamespace(capacity_providers={})
    with pytest.raises(TypeError):
        EC2ContainerServiceBackend.describe_capacity_providers(backend, None)


def test_repository_names_of_the_current_model_create_succeeds(lab: Lab) -> None:
    """Names the current ECR model allows are created (moto's older pattern refused them)."""
    ecr = lab.client("ecr")
    for name in ("web__api", "web--api", "team/web--api"):
        assert ecr.create_repository(repositoryName=name)["repository"]["repositoryName"] == name


def test_capacity_providers_described_without_names_succeeds(lab: Lab) -> None:
    """DescribeCapacityProviders with no arguments answers (moto crashed), FARGATE included."""
    ecs = lab.client("ecs")
    described = ecs.describe_capacity_providers()
    assert [(p["name"], p["status"]) for p in described["capacityProviders"]] == [
        ("FARGATE", "ACTIVE"),
        ("FARGATE_SPOT", "ACTIVE"),
    ]
    assert described["capacityProviders"][0]["capacityProviderArn"] == (
        "arn:aws:ecs:us-east-1:123456789012:capacity-provider/FARGATE"
    )


def test_capacity_providers_described_by_name_finds_fargate(lab: Lab) -> None:
    """Named, FARGATE is found and an unknown name is a MISSING failure."""
    described = lab.client("ecs").describe_capacity_providers(capacityProviders=["FARGATE", "x"])
    assert [p["name"] for p in described["capacityProviders"]] == ["FARGATE"]
    assert [f["reason"] for f in described["failures"]] == ["MISSING"]
