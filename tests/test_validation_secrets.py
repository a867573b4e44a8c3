"""Secrets in task definitions: valueFrom is an ARN or an SSM parameter name."""

from __future__ import annotations

from typing import Any

import pytest

from ecslab.lab import Lab
from tests.validation_calls import aws_error, fargate_task, web_container

SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"


def with_secret(value_from: str) -> dict[str, Any]:
    container = web_container(secrets=[{"name": "DB_PASSWORD", "valueFrom": value_from}])
    return fargate_task(containerDefinitions=[container])


@pytest.mark.parametrize(
    "value_from",
    [
        SECRET_ARN,
        f"{SECRET_ARN}:password::",  # a JSON key of the secret, default version
        "arn:aws:ssm:us-east-1:123456789012:parameter/prod/db/password",
        "/prod/db/password",  # an SSM parameter in the task's Region, by name
        "db_password",
    ],
)
def test_secret_value_from_is_an_arn_or_parameter_name_accepts(lab: Lab, value_from: str) -> None:
    """ARNs of both services, JSON-key suffixes on an ARN, and parameter names register."""
    stored = lab.client("ecs").register_task_definition(**with_secret(value_from))
    secrets = stored["taskDefinition"]["containerDefinitions"][0]["secrets"]
    assert secrets == [{"name": "DB_PASSWORD", "valueFrom": value_from}]


@pytest.mark.parametrize("value_from", ["db-AbCdEf:password::", "my secret", ""])
def test_secret_value_from_is_an_arn_or_parameter_name_rejects(lab: Lab, value_from: str) -> None:
    """A JSON-key suffix on a bare name is read as an SSM name, which cannot hold colons."""
    ecs = lab.client("ecs")
    code, message = aws_error(lambda: ecs.register_task_definition(**with_secret(value_from)))
    assert (code, message) == (
        "ClientException",
        "The Systems Manager parameter name specified for secret DB_PASSWORD is invalid.",
    )
