"""Building blocks for the validation tests: valid calls to start from, and AWS's answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from ecslab.lab import Lab


def aws_error(call: Callable[[], Any]) -> tuple[str, str]:
    """Make ``call``, which must fail as AWS fails: its error code and message."""
    with pytest.raises(ClientError) as caught:
        call()
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


def web_container(**overrides: Any) -> dict[str, Any]:
    """A container with one port mapping and no memory of its own (valid on Fargate)."""
    container = {"name": "web", "image": "nginx:1.27", "portMappings": [{"containerPort": 80}]}
    return container | overrides


def fargate_task(family: str = "web", **overrides: Any) -> dict[str, Any]:
    """RegisterTaskDefinition parameters AWS accepts for a small Fargate task."""
    return {
        "family": family,
        "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc",
        "cpu": "256",
        "memory": "512",
        "containerDefinitions": [web_container()],
    } | overrides


def ec2_task(family: str = "classic", **overrides: Any) -> dict[str, Any]:
    """RegisterTaskDefinition parameters for a bridge-mode task on EC2 (no Fargate rules)."""
    container = web_container(memory=256, portMappings=[{"containerPort": 80, "hostPort": 0}])
    return {"family": family, "containerDefinitions": [container]} | overrides


def default_subnets(lab: Lab) -> list[dict[str, Any]]:
    """The default VPC's subnets, one per Availability Zone, sorted by zone."""
    subnets = lab.client("ec2").describe_subnets()["Subnets"]
    return sorted(subnets, key=lambda s: s["AvailabilityZone"])


def awsvpc_network(lab: Lab, **configuration: Any) -> dict[str, Any]:
    """A networkConfiguration in two default subnets (no security group: the VPC's default)."""
    subnets = [s["SubnetId"] for s in default_subnets(lab)[:2]]
    return {
        "awsvpcConfiguration": {"subnets": subnets, "assignPublicIp": "ENABLED"} | configuration
    }
