"""CreateLoadBalancer, CreateTargetGroup and CreateListener are idempotent (botocore's elbv2
model: "If you attempt to create multiple ... with the same settings, each call succeeds")."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from ecslab.course.catch_up import catch_up
from ecslab.lab import Lab


@pytest.fixture
def course(lab: Lab):
    return catch_up(lab, "00_big_picture")


def _balancer(lab: Lab, course, subnets: int = 2) -> dict:
    return lab.client("elbv2").create_load_balancer(
        Name="course-alb", Subnets=course.subnets[:subnets]
    )["LoadBalancers"][0]


def test_the_same_load_balancer_twice_is_one_load_balancer(lab: Lab, course) -> None:
    first, again = _balancer(lab, course), _balancer(lab, course)
    assert again["LoadBalancerArn"] == first["LoadBalancerArn"]
    assert len(lab.client("elbv2").describe_load_balancers()["LoadBalancers"]) == 1


def test_the_same_name_with_other_settings_is_refused(lab: Lab, course) -> None:
    _balancer(lab, course)
    with pytest.raises(ClientError) as refused:
        _balancer(lab, course, subnets=3)
    assert refused.value.response["Error"]["Code"] == "DuplicateLoadBalancerName"


def _group(lab: Lab, course, path: str = "/health") -> dict:
    return lab.client("elbv2").create_target_group(
        Name="api",
        Protocol="HTTP",
        Port=8000,
        VpcId=course.vpc,
        TargetType="ip",
        HealthCheckPath=path,
    )["TargetGroups"][0]


def test_the_same_target_group_twice_answers_with_the_first(lab: Lab, course) -> None:
    assert _group(lab, course)["TargetGroupArn"] == _group(lab, course)["TargetGroupArn"]
    with pytest.raises(ClientError, match="DuplicateTargetGroupName"):
        _group(lab, course, path="/other")


def test_the_same_listener_twice_answers_with_the_first(lab: Lab, course) -> None:
    elbv2 = lab.client("elbv2")
    balancer, group = _balancer(lab, course), _group(lab, course)
    other = elbv2.create_target_group(
        Name="web", Protocol="HTTP", Port=8501, VpcId=course.vpc, TargetType="ip"
    )["TargetGroups"][0]

    def listener(target_group: str) -> str:
        return elbv2.create_listener(
            LoadBalancerArn=balancer["LoadBalancerArn"],
            Protocol="HTTP",
            Port=80,
            DefaultActions=[{"Type": "forward", "TargetGroupArn": target_group}],
        )["Listeners"][0]["ListenerArn"]

    assert listener(group["TargetGroupArn"]) == listener(group["TargetGroupArn"])
    with pytest.raises(ClientError, match="DuplicateListener"):
        listener(other["TargetGroupArn"])
