"""Target-group health checks: interval, path and matcher (validation.target_groups).

Sources: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html,
https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Matcher.html,
botocore elbv2/2015-12-01 ``HealthCheckIntervalSeconds`` (5-300).
"""

from __future__ import annotations

from typing import Any

import pytest

from ecslab.lab import Lab
from tests.validation_calls import aws_error, default_subnets


@pytest.fixture
def elbv2(lab: Lab) -> Any:
    return lab.client("elbv2")


def group(lab: Lab, **settings: Any) -> dict[str, Any]:
    """CreateTargetGroup parameters for an HTTP ip group in the default VPC."""
    vpc = default_subnets(lab)[0]["VpcId"]
    return {"Name": "api", "Protocol": "HTTP", "Port": 8000, "VpcId": vpc, "TargetType": "ip"} | (
        settings
    )


@pytest.mark.parametrize(
    ("setting", "value", "bound"),
    [
        ("HealthCheckIntervalSeconds", 301, "less than or equal to 300"),
        ("HealthCheckTimeoutSeconds", 121, "less than or equal to 120"),
        ("HealthyThresholdCount", 11, "less than or equal to 10"),
        ("UnhealthyThresholdCount", 11, "less than or equal to 10"),
    ],
)
def test_health_check_settings_within_their_ranges_rejects_above_the_model_maximum(
    lab: Lab, elbv2: Any, setting: str, value: int, bound: str
) -> None:
    """botocore checks only the minimum before sending; AWS refuses above the maximum."""
    # [UNVERIFIED] the wording (AWS's generic constraint form): the code, and the bound named.
    code, message = aws_error(lambda: elbv2.create_target_group(**group(lab, **{setting: value})))
    assert code == "ValidationError"
    assert bound in message


def test_health_check_settings_within_their_ranges_rejects_a_modified_interval(
    lab: Lab, elbv2: Any
) -> None:
    """ModifyTargetGroup is held to the same range."""
    arn = elbv2.create_target_group(**group(lab))["TargetGroups"][0]["TargetGroupArn"]
    code, _ = aws_error(
        lambda: elbv2.modify_target_group(TargetGroupArn=arn, HealthCheckIntervalSeconds=301)
    )
    assert code == "ValidationError"


def test_health_check_settings_within_their_ranges_accepts_the_bounds(lab: Lab, elbv2: Any) -> None:
    """300 s, 120 s and 10 are the model's maxima, and allowed."""
    settings = {"HealthCheckIntervalSeconds": 300, "HealthCheckTimeoutSeconds": 120}
    settings |= {"HealthyThresholdCount": 10, "UnhealthyThresholdCount": 10}
    created = elbv2.create_target_group(**group(lab, **settings))["TargetGroups"][0]
    assert created["HealthCheckIntervalSeconds"] == 300


@pytest.mark.parametrize("path", ["health", "api/health", " /health"])
def test_health_check_path_starts_with_a_slash_rejects(lab: Lab, elbv2: Any, path: str) -> None:
    """An HTTP health check path without its leading '/' is refused."""
    # [UNVERIFIED] AWS's wording: the code only.
    code, _ = aws_error(lambda: elbv2.create_target_group(**group(lab, HealthCheckPath=path)))
    assert code == "ValidationError"


def test_health_check_path_starts_with_a_slash_rejects_a_modified_path(
    lab: Lab, elbv2: Any
) -> None:
    """ModifyTargetGroup of an HTTP group is held to the same rule."""
    arn = elbv2.create_target_group(**group(lab))["TargetGroups"][0]["TargetGroupArn"]
    code, _ = aws_error(lambda: elbv2.modify_target_group(TargetGroupArn=arn, HealthCheckPath="x"))
    assert code == "ValidationError"


def test_health_check_path_starts_with_a_slash_accepts(lab: Lab, elbv2: Any) -> None:
    """/api/health is a ping path."""
    created = elbv2.create_target_group(**group(lab, HealthCheckPath="/api/health"))
    assert created["TargetGroups"][0]["HealthCheckPath"] == "/api/health"


@pytest.mark.parametrize("codes", ["999", "199", "200-500", "ok", "200,600", ""])
def test_matcher_http_codes_between_200_and_499_rejects(lab: Lab, elbv2: Any, codes: str) -> None:
    """An ALB's matcher names HTTP codes 200-499, singly, as a list or as a range."""
    # [UNVERIFIED] AWS's wording: the code only.
    matcher = {"HttpCode": codes}
    code, _ = aws_error(lambda: elbv2.create_target_group(**group(lab, Matcher=matcher)))
    assert code == "ValidationError"


@pytest.mark.parametrize("codes", ["200", "200,202", "200-299", "200-399,404"])
def test_matcher_http_codes_between_200_and_499_accepts(lab: Lab, elbv2: Any, codes: str) -> None:
    """The model's forms: one code, a list, a range."""
    created = elbv2.create_target_group(**group(lab, Matcher={"HttpCode": codes}))
    assert created["TargetGroups"][0]["Matcher"]["HttpCode"] == codes


def test_health_check_settings_within_their_ranges_rejects_a_port_above_65535(
    lab: Lab, elbv2: Any
) -> None:
    """The group's port is a port number (the model's 1-65535), where moto stored 70000."""
    code, message = aws_error(lambda: elbv2.create_target_group(**group(lab, Port=70000)))
    assert code == "ValidationError"
    assert "less than or equal to 65535" in message


@pytest.mark.parametrize("value", ["abc", "-1", "3601", "1.5"])
def test_deregistration_delay_is_whole_seconds_rejects(lab: Lab, elbv2: Any, value: str) -> None:
    """A deregistration delay that is not 0-3600 whole seconds: ValidationError, no int() crash."""
    # [UNVERIFIED] AWS's wording for a value that is not a number: the code only.
    arn = elbv2.create_target_group(**group(lab))["TargetGroups"][0]["TargetGroupArn"]
    attributes = [{"Key": "deregistration_delay.timeout_seconds", "Value": value}]
    code, message = aws_error(
        lambda: elbv2.modify_target_group_attributes(TargetGroupArn=arn, Attributes=attributes)
    )
    assert code == "ValidationError"
    assert "int()" not in message


def test_deregistration_delay_is_whole_seconds_accepts(lab: Lab, elbv2: Any) -> None:
    """30 seconds, as the course sets it, is stored."""
    arn = elbv2.create_target_group(**group(lab))["TargetGroups"][0]["TargetGroupArn"]
    attributes = [{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}]
    elbv2.modify_target_group_attributes(TargetGroupArn=arn, Attributes=attributes)
    stored = elbv2.describe_target_group_attributes(TargetGroupArn=arn)["Attributes"]
    assert {"Key": "deregistration_delay.timeout_seconds", "Value": "30"} in stored


@pytest.mark.parametrize("name", ["t" * 33, "a b", "-api"])
def test_target_group_name_of_32_alphanumerics_or_hyphens_is_refused_otherwise(
    lab: Lab, elbv2: Any, name: str
) -> None:
    """Longer than 32 characters, a space, a leading hyphen: ValidationError (moto's own check,
    as the model's TargetGroupName allows: 32 alphanumerics or hyphens, no hyphen at an end)."""
    code, _ = aws_error(lambda: elbv2.create_target_group(**group(lab, Name=name)))
    assert code == "ValidationError"
    assert elbv2.create_target_group(**group(lab, Name="t" * 32))["TargetGroups"]
