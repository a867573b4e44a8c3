"""Application Load Balancers: two Availability Zones, rule priorities, condition limits."""

from __future__ import annotations

from typing import Any

import pytest

from ecslab.lab import Lab
from tests.validation_calls import aws_error, default_subnets


def subnet_ids(lab: Lab, count: int) -> list[str]:
    return [s["SubnetId"] for s in default_subnets(lab)[:count]]


@pytest.fixture
def listener(lab: Lab) -> str:
    """An HTTP listener on an ALB in two zones, forwarding to an ip target group."""
    elbv2 = lab.client("elbv2")
    balancer = elbv2.create_load_balancer(Name="shop", Subnets=subnet_ids(lab, 2))
    group = elbv2.create_target_group(
        Name="web", Protocol="HTTP", Port=80, VpcId=default_subnets(lab)[0]["VpcId"],
        TargetType="ip",
    )["TargetGroups"][0]["TargetGroupArn"]
    return elbv2.create_listener(
        LoadBalancerArn=balancer["LoadBalancers"][0]["LoadBalancerArn"], Protocol="HTTP",
        Port=80, DefaultActions=forward(group),
    )["Listeners"][0]["ListenerArn"]


def forward(group: str) -> list[dict[str, Any]]:
    return [{"Type": "forward", "TargetGroupArn": group}]


def paths(*values: str) -> list[dict[str, Any]]:
    return [{"Field": "path-pattern", "PathPatternConfig": {"Values": list(values)}}]


def create_rule(lab: Lab, listener: str, priority: int, conditions: list[dict[str, Any]]) -> Any:
    elbv2 = lab.client("elbv2")
    group = elbv2.describe_target_groups()["TargetGroups"][0]["TargetGroupArn"]
    return elbv2.create_rule(
        ListenerArn=listener, Priority=priority, Conditions=conditions, Actions=forward(group)
    )


# -- Availability Zones ---------------------------------------------------------------------------


def test_application_load_balancer_spans_two_zones_rejects_one_subnet(lab: Lab) -> None:
    """An ALB in one Availability Zone is refused (moto created it)."""
    elbv2 = lab.client("elbv2")
    code, message = aws_error(
        lambda: elbv2.create_load_balancer(Name="shop", Subnets=subnet_ids(lab, 1))
    )
    assert (code, message) == (
        "ValidationError",
        "At least two subnets in two different Availability Zones must be specified",
    )


def test_application_load_balancer_spans_two_zones_accepts_two(lab: Lab) -> None:
    """Two subnets in two zones make an ALB."""
    created = lab.client("elbv2").create_load_balancer(
        Name="shop", SubnetMappings=[{"SubnetId": s} for s in subnet_ids(lab, 2)]
    )
    zones = [z["ZoneName"] for z in created["LoadBalancers"][0]["AvailabilityZones"]]
    assert sorted(zones) == ["us-east-1a", "us-east-1b"]


def test_application_load_balancer_spans_two_zones_ignores_network_load_balancers(
    lab: Lab,
) -> None:
    """A Network Load Balancer may live in one zone."""
    created = lab.client("elbv2").create_load_balancer(
        Name="tcp", Type="network", Subnets=subnet_ids(lab, 1)
    )
    assert created["LoadBalancers"][0]["Type"] == "network"


def test_one_subnet_per_zone_rejects_two_subnets_in_one_zone(lab: Lab) -> None:
    """Two subnets of the same zone cannot both carry the ALB."""
    ec2 = lab.client("ec2")
    first = default_subnets(lab)[0]
    second = ec2.create_subnet(
        VpcId=first["VpcId"], CidrBlock="172.31.200.0/24",
        AvailabilityZone=first["AvailabilityZone"],
    )["Subnet"]["SubnetId"]
    elbv2 = lab.client("elbv2")
    code, message = aws_error(
        lambda: elbv2.create_load_balancer(Name="shop", Subnets=[first["SubnetId"], second])
    )
    assert (code, message) == (
        "InvalidConfigurationRequest",
        "A load balancer cannot be attached to multiple subnets in the same Availability Zone",
    )


def test_one_subnet_per_zone_accepts_a_move_to_other_zones(lab: Lab) -> None:
    """SetSubnets to two other zones is allowed; to one zone it is not."""
    elbv2 = lab.client("elbv2")
    arn = elbv2.create_load_balancer(Name="shop", Subnets=subnet_ids(lab, 2))[
        "LoadBalancers"
    ][0]["LoadBalancerArn"]
    other = subnet_ids(lab, 4)[2:]
    zones = elbv2.set_subnets(LoadBalancerArn=arn, Subnets=other)["AvailabilityZones"]
    assert sorted(z["ZoneName"] for z in zones) == ["us-east-1c", "us-east-1d"]
    code, _ = aws_error(lambda: elbv2.set_subnets(LoadBalancerArn=arn, Subnets=other[:1]))
    assert code == "ValidationError"


# -- rule priorities -------------------------------------------------------------------------------


def test_rule_priority_in_range_rejects_50001(lab: Lab, listener: str) -> None:
    """Priorities stop at 50000 (botocore itself refuses those below 1)."""
    code, message = aws_error(lambda: create_rule(lab, listener, 50001, paths("/api/*")))
    assert code == "ValidationError"
    assert message.endswith("Member must have value less than or equal to 50000")


def test_rule_priority_in_range_accepts_50000(lab: Lab, listener: str) -> None:
    """50000 is the last priority."""
    created = create_rule(lab, listener, 50000, paths("/api/*"))
    assert created["Rules"][0]["Priority"] == "50000"


def test_rule_priority_unused_on_listener_rejects_a_second_priority_10(
    lab: Lab, listener: str
) -> None:
    """Two rules of one listener cannot share a priority."""
    create_rule(lab, listener, 10, paths("/api/*"))
    code, message = aws_error(lambda: create_rule(lab, listener, 10, paths("/admin/*")))
    assert (code, message) == ("PriorityInUse", "The specified priority is in use.")


def test_rule_priority_unused_on_listener_accepts_another_priority(lab: Lab, listener: str) -> None:
    """Priority 11 next to 10 is fine."""
    create_rule(lab, listener, 10, paths("/api/*"))
    assert create_rule(lab, listener, 11, paths("/admin/*"))["Rules"][0]["Priority"] == "11"


# -- conditions ------------------------------------------------------------------------------------


def test_at_most_five_condition_values_rejects_six(lab: Lab, listener: str) -> None:
    """Three paths and three hosts make six values: one too many."""
    hosts = [{"Field": "host-header", "HostHeaderConfig": {"Values": ["a.io", "b.io", "c.io"]}}]
    conditions = paths("/a", "/b", "/c") + hosts
    code, message = aws_error(lambda: create_rule(lab, listener, 5, conditions))
    assert (code, message) == ("ValidationError", "A rule can only have '5' condition values")


def test_at_most_five_condition_values_accepts_five(lab: Lab, listener: str) -> None:
    """Three paths and two hosts are five values."""
    hosts = [{"Field": "host-header", "HostHeaderConfig": {"Values": ["a.io", "b.io"]}}]
    created = create_rule(lab, listener, 5, paths("/a", "/b", "/c") + hosts)
    assert len(created["Rules"][0]["Conditions"]) == 2


def test_path_pattern_at_most_128_characters_rejects_129(lab: Lab, listener: str) -> None:
    """A path pattern of 129 characters is too long."""
    code, message = aws_error(lambda: create_rule(lab, listener, 7, paths("/" + "a" * 128)))
    assert (code, message) == (
        "ValidationError",
        "The 'path-pattern' value is too long; the limit is '128'",
    )


def test_path_pattern_at_most_128_characters_accepts_128(lab: Lab, listener: str) -> None:
    """Exactly 128 characters is allowed."""
    pattern = "/" + "a" * 127
    created = create_rule(lab, listener, 7, paths(pattern))
    assert created["Rules"][0]["Conditions"][0]["PathPatternConfig"]["Values"] == [pattern]


@pytest.mark.parametrize("name", ["a" * 33, "course alb", "-course", "course-", "internal-api"])
def test_load_balancer_name_of_32_alphanumerics_or_hyphens_rejects(lab: Lab, name: str) -> None:
    """Names the model forbids, where moto made the load balancer."""
    # [UNVERIFIED] AWS's wording: the code only.
    elbv2 = lab.client("elbv2")
    code, _ = aws_error(lambda: elbv2.create_load_balancer(Name=name, Subnets=subnet_ids(lab, 2)))
    assert code == "ValidationError"
    assert elbv2.describe_load_balancers()["LoadBalancers"] == []


@pytest.mark.parametrize("name", ["a" * 32, "course-alb", "A1"])
def test_load_balancer_name_of_32_alphanumerics_or_hyphens_accepts(lab: Lab, name: str) -> None:
    elbv2 = lab.client("elbv2")
    created = elbv2.create_load_balancer(Name=name, Subnets=subnet_ids(lab, 2))["LoadBalancers"]
    assert created[0]["LoadBalancerName"] == name
