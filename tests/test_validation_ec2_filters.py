"""EC2 Describe calls filter by AWS's documented names (validation.ec2_filters).

Source: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSubnets.html and the
``Filters`` documentation of each call in botocore's EC2 model.
"""

from __future__ import annotations

from typing import Any

import pytest

from ecslab.lab import Lab
from ecslab.world.validation.ec2_filters import DESCRIBE_CALLS, documented_filters
from tests.validation_calls import aws_error


@pytest.fixture
def ec2(lab: Lab) -> Any:
    return lab.client("ec2")


@pytest.mark.parametrize(
    ("describe", "name"),
    [
        ("describe_subnets", "default-for-zone"),
        ("describe_subnets", "bogus-filter"),
        ("describe_security_groups", "ip-permission.nope"),
        ("describe_vpcs", "is_default"),
    ],
)
def test_filter_names_are_the_documented_ones_rejects(ec2: Any, describe: str, name: str) -> None:
    """An unknown filter name: AWS's answer, where moto said it "has not been implemented"."""
    filters = [{"Name": name, "Values": ["x"]}]
    assert aws_error(lambda: getattr(ec2, describe)(Filters=filters)) == (
        "InvalidParameterValue",
        f"The filter '{name}' is invalid",
    )


def test_filter_names_are_the_documented_ones_accepts(ec2: Any) -> None:
    """Documented names, tag:<key> and isDefault filter as before."""
    default = [{"Name": "default-for-az", "Values": ["true"]}]
    assert len(ec2.describe_subnets(Filters=default)["Subnets"]) >= 2
    tagged = [{"Name": "tag:ecslab:lab", "Values": ["none"]}]
    assert ec2.describe_subnets(Filters=tagged)["Subnets"] == []
    for name in ("is-default", "isDefault"):
        vpcs = ec2.describe_vpcs(Filters=[{"Name": name, "Values": ["true"]}])["Vpcs"]
        assert [v["IsDefault"] for v in vpcs] == [True]


@pytest.mark.parametrize("action", DESCRIBE_CALLS)
def test_every_checked_call_has_documented_filter_names(action: str) -> None:
    """Each call's names were read from the model (a call with none would check nothing)."""
    names = documented_filters(action)
    assert len(names) >= 2
    assert all(" " not in n for n in names)
