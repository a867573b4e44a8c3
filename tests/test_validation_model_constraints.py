"""Model limits botocore leaves to AWS: lengths, patterns, enums (validation.model_constraints).

Sources: botocore's models (iam ``roleNameType``, logs ``LogGroupName``, secretsmanager
``NameType``, ssm ``PSParameterName``, ``ParameterType``) and
https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from ecslab.lab import Lab
from tests.validation_calls import aws_error

TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)
ROLE_PATTERN = r"[\w+=,.@-]+"


def test_iam_within_the_model_limits_rejects_a_role_name_with_a_space(lab: Lab) -> None:
    """A role name with a space: IAM's ValidationError naming the pattern, where moto made it."""
    iam = lab.client("iam")
    assert aws_error(
        lambda: iam.create_role(RoleName="api role", AssumeRolePolicyDocument=TRUST)
    ) == (
        "ValidationError",
        "1 validation error detected: Value 'api role' at 'roleName' failed to satisfy "
        f"constraint: Member must satisfy regular expression pattern: {ROLE_PATTERN}",
    )


def test_iam_within_the_model_limits_rejects_a_role_name_of_65_characters(lab: Lab) -> None:
    """64 characters at most."""
    iam = lab.client("iam")
    code, message = aws_error(
        lambda: iam.create_role(RoleName="r" * 65, AssumeRolePolicyDocument=TRUST)
    )
    assert code == "ValidationError"
    assert message.endswith("Member must have length less than or equal to 64")


def test_iam_within_the_model_limits_accepts_the_course_role(lab: Lab) -> None:
    """The course's execution role, its managed policy attached."""
    iam = lab.client("iam")
    iam.create_role(RoleName="api-execution", AssumeRolePolicyDocument=TRUST)
    arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
    iam.attach_role_policy(RoleName="api-execution", PolicyArn=arn)
    attached = iam.list_attached_role_policies(RoleName="api-execution")["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == [arn]


@pytest.mark.parametrize("name", ["ecs api", "/ecs/api!", "l" * 513])
def test_logs_within_the_model_limits_rejects(lab: Lab, name: str) -> None:
    """A log group name outside [.-_/#A-Za-z0-9] or longer than 512: InvalidParameterException."""
    code, message = aws_error(lambda: lab.client("logs").create_log_group(logGroupName=name))
    assert code == "InvalidParameterException"
    assert message.startswith(f"1 validation error detected: Value '{name}' at 'logGroupName'")


def test_logs_within_the_model_limits_accepts(lab: Lab) -> None:
    """The awslogs group and stream names a Fargate task uses."""
    logs = lab.client("logs")
    logs.create_log_group(logGroupName="/ecs/api")
    logs.create_log_stream(logGroupName="/ecs/api", logStreamName="ecs/api/0123456789abcdef")
    streams = logs.describe_log_streams(logGroupName="/ecs/api")["logStreams"]
    assert [s["logStreamName"] for s in streams] == ["ecs/api/0123456789abcdef"]


def test_secrets_within_the_model_limits_rejects_a_name_of_513_characters(lab: Lab) -> None:
    """[UNVERIFIED] the code (ValidationException); the limit is the model's 512."""
    secrets = lab.client("secretsmanager")
    code, _ = aws_error(lambda: secrets.create_secret(Name="s" * 513, SecretString="x"))
    assert code == "ValidationException"


def test_secrets_within_the_model_limits_accepts(lab: Lab) -> None:
    secrets = lab.client("secretsmanager")
    assert secrets.create_secret(Name="course/db-password", SecretString="x")["Name"] == (
        "course/db-password"
    )


@pytest.mark.parametrize(
    "params",
    [{"Name": "p" * 2049, "Type": "String"}, {"Name": "/course/url", "Type": "Bogus"}],
)
def test_ssm_within_the_model_limits_rejects(lab: Lab, params: dict[str, Any]) -> None:
    """A name over 2,048 characters, a Type outside the enum (botocore sends both)."""
    # [UNVERIFIED] the code (ValidationException): the code only.
    code, _ = aws_error(lambda: lab.client("ssm").put_parameter(Value="x", **params))
    assert code == "ValidationException"


def test_ssm_within_the_model_limits_accepts(lab: Lab) -> None:
    ssm = lab.client("ssm")
    ssm.put_parameter(Name="/course/url", Value="https://example.com", Type="String")
    assert ssm.get_parameter(Name="/course/url")["Parameter"]["Value"] == "https://example.com"
