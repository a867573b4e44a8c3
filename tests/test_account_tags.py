"""The lab's tags reach every create call the course makes, in each service's own tag shape."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import botocore.session
import pytest
from account_capstone import build_capstone

from ecslab.account.tagged_resources import KINDS, inventory
from ecslab.account.tags import (
    CREATOR_TAG,
    LAB_TAG,
    TAGGED_CALLS,
    add_tags,
    as_dict,
    default_session,
    lab_name,
    prefixed,
)
from ecslab.errors import ConfigurationError
from ecslab.lab import Lab


@pytest.fixture
def named_lab() -> Iterator[Lab]:
    with Lab(name="tagtest") as opened:
        yield opened


def test_the_lab_tags_carry_its_name_and_creator(named_lab: Lab) -> None:
    """lab.tags names the lab and the identity that created the resources."""
    assert named_lab.tags == {
        LAB_TAG: "tagtest",
        CREATOR_TAG: "arn:aws:sts::123456789012:user/moto",
    }


def test_every_kind_the_capstone_creates_is_tagged(named_lab: Lab) -> None:
    """After the capstone, the inventory finds every kind it creates (no lone tasks, no policy,
    no NAT gateway or Elastic IP: the capstone's tasks use public IPs)."""
    build_capstone(named_lab.client, prefix="tagtest")
    kinds = {resource.kind for resource in inventory(named_lab.client, "tagtest")}
    unused = {"ecs-task", "iam-policy", "nat-gateway", "elastic-ip"}
    assert kinds == {kind for kind, _ in KINDS} - unused


def test_each_service_keeps_the_tags_in_its_own_shape(named_lab: Lab) -> None:
    """ECS key/value, ECR/IAM Key/Value, Logs map and EC2 TagSpecifications all arrive."""
    ids = build_capstone(named_lab.client, prefix="tagtest")
    ecs = named_lab.client("ecs")
    cluster = ecs.describe_clusters(clusters=[ids["cluster"]], include=["TAGS"])["clusters"][0]
    assert as_dict(cluster["tags"])[LAB_TAG] == "tagtest"
    logs = named_lab.client("logs").list_tags_log_group(logGroupName="/ecs/tagtest-api")
    assert logs["tags"][LAB_TAG] == "tagtest"
    role = named_lab.client("iam").list_role_tags(RoleName="tagtest-execution")["Tags"]
    assert as_dict(role)[LAB_TAG] == "tagtest"
    group = named_lab.client("ec2").describe_security_groups(GroupIds=[ids["security_group"]])
    assert as_dict(group["SecurityGroups"][0]["Tags"])[LAB_TAG] == "tagtest"


def test_a_plain_boto3_client_in_a_cell_tags_too(named_lab: Lab) -> None:
    """boto3.client(...) on the default session gets the handler while the lab is open."""
    boto3.client("ecr").create_repository(repositoryName="typed-in-a-cell")
    assert [r.name for r in inventory(named_lab.client, "tagtest")] == ["typed-in-a-cell"]


def test_the_learners_own_tags_are_kept_beside_the_labs(named_lab: Lab) -> None:
    """A create call with tags of its own keeps them and gains the lab's."""
    ecs = named_lab.client("ecs")
    arn = ecs.create_cluster(clusterName="mine", tags=[{"key": "team", "value": "blue"}])[
        "cluster"
    ]["clusterArn"]
    tags = as_dict(ecs.describe_clusters(clusters=[arn], include=["TAGS"])["clusters"][0]["tags"])
    assert tags["team"] == "blue"
    assert tags[LAB_TAG] == "tagtest"


def test_an_ssm_overwrite_is_sent_without_tags(named_lab: Lab) -> None:
    """SSM refuses Tags with Overwrite=True, so the overwrite goes untagged and succeeds."""
    ssm = named_lab.client("ssm")
    ssm.put_parameter(Name="/tagtest/colour", Value="blue", Type="String")
    ssm.put_parameter(Name="/tagtest/colour", Value="green", Type="String", Overwrite=True)
    tags = ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId="/tagtest/colour")
    assert as_dict(tags["TagList"])[LAB_TAG] == "tagtest"


def test_closing_the_lab_removes_the_handler_from_the_default_session() -> None:
    """After close, create calls on boto3's default session are no longer touched."""
    model = botocore.session.get_session().get_service_model("ecs")
    operation = model.operation_model("CreateCluster")
    with Lab(name="tagtest"):
        params: dict = {"clusterName": "c"}
        default_session().events.emit(
            "before-parameter-build.ecs.CreateCluster", params=params, model=operation
        )
        assert as_dict(params["tags"])[LAB_TAG] == "tagtest"
    params = {"clusterName": "c"}
    default_session().events.emit(
        "before-parameter-build.ecs.CreateCluster", params=params, model=operation
    )
    assert "tags" not in params


@pytest.mark.parametrize(
    ("service", "operation", "expected"),
    [
        ("ecs", "CreateService", {"tags": [{"key": LAB_TAG, "value": "x"}]}),
        ("ecr", "CreateRepository", {"tags": [{"Key": LAB_TAG, "Value": "x"}]}),
        ("elbv2", "CreateRule", {"Tags": [{"Key": LAB_TAG, "Value": "x"}]}),
        ("logs", "CreateLogGroup", {"tags": {LAB_TAG: "x"}}),
        (
            "ec2",
            "CreateSecurityGroup",
            {"TagSpecifications": [{"ResourceType": "security-group", "Tags": [
                {"Key": LAB_TAG, "Value": "x"}
            ]}]},
        ),
    ],
)
def test_tags_take_the_shape_of_the_botocore_model(
    service: str, operation: str, expected: dict
) -> None:
    """Each call's tag parameter matches its member in botocore's service model."""
    params: dict = {}
    add_tags(params, {LAB_TAG: "x"}, TAGGED_CALLS[(service, operation)])
    assert params == expected
    shape = botocore.session.get_session().get_service_model(service).operation_model(operation)
    assert next(iter(expected)) in shape.input_shape.members


def test_a_lab_name_that_cannot_prefix_names_is_refused() -> None:
    """Names become prefixes of ALB names (32 characters), so they are short and plain."""
    with pytest.raises(ConfigurationError, match="lowercase letters"):
        lab_name("My Lab!")
    assert lab_name("ecslab-ana") == "ecslab-ana"


@pytest.mark.parametrize("reserved", ["aws-lab", "ssmtest"])
def test_a_lab_name_ssm_reserves_is_refused(reserved: str) -> None:
    """SSM parameter names may not begin with "aws" or "ssm" (PutParameter's Name)."""
    with pytest.raises(ConfigurationError, match="SSM reserves"):
        lab_name(reserved)


def test_prefixed_adds_the_lab_name_once() -> None:
    """A name gets the lab's prefix unless it has it already."""
    assert prefixed("web", "ecslab") == "ecslab-web"
    assert prefixed("ecslab-web", "ecslab") == "ecslab-web"


def test_a_new_lab_takes_over_plain_boto3_from_one_left_open() -> None:
    """A re-run first cell: plain boto3 tags with the newer lab's name, not the old one's."""
    first = Lab(name="first")
    second = Lab(name="second")  # replaces the in-process backend; `first` was never closed
    try:
        boto3.client("logs").create_log_group(logGroupName="/made/after")
        tags = second.client("logs").list_tags_log_group(logGroupName="/made/after")["tags"]
        assert tags[LAB_TAG] == "second"
    finally:
        second.close()
        first.close()
