"""The limits botocore's models state and botocore leaves to AWS: maximum lengths, patterns, enums.

What AWS does: botocore checks a call's required members, types and minimums before sending it;
the maximum lengths and values, regular-expression patterns and enums of the service model are
checked by AWS, which answers "1 validation error detected: Value 'a b' at 'roleName' failed to
satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+" (IAM's form,
as users quote it; CloudWatch Logs answers the same words with its InvalidParameterException).

Source: the service models (botocore iam/2010-05-08 ``roleNameType``, logs/2014-03-28
``LogGroupName``, secretsmanager/2017-10-17 ``NameType``, ssm/2014-11-06 ``PSParameterName``),
https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html.

Differs from AWS: only the top-level members of the calls below are checked, for IAM, CloudWatch
Logs, Secrets Manager and SSM (ECS, ELBv2 and ECR limits have rules of their own); the patterns
are read as Python's ``re`` reads them, ASCII only. [UNVERIFIED] the Secrets Manager and SSM
codes (ValidationException, those services' code for a request that breaks the model).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from ecslab.semantics import service_models
from ecslab.world.moto_hooks import ApiCall, AwsError
from ecslab.world.validation.rules import rule

#: Each service's code for a request that breaks its model.
CODES = {
    "iam": "ValidationError",
    "logs": "InvalidParameterException",
    "secretsmanager": "ValidationException",
    "ssm": "ValidationException",
}
IAM_CALLS = (
    "AttachRolePolicy",
    "CreatePolicy",
    "CreateRole",
    "DeleteRole",
    "DeleteRolePolicy",
    "DetachRolePolicy",
    "GetRole",
    "GetRolePolicy",
    "PutRolePolicy",
    "UpdateAssumeRolePolicy",
)
LOGS_CALLS = (
    "CreateLogGroup",
    "CreateLogStream",
    "DeleteLogGroup",
    "DescribeLogStreams",
    "FilterLogEvents",
    "GetLogEvents",
    "PutRetentionPolicy",
)
SECRETS_CALLS = (
    "CreateSecret",
    "DeleteSecret",
    "DescribeSecret",
    "GetSecretValue",
    "PutSecretValue",
    "UpdateSecret",
)
SSM_CALLS = ("DeleteParameter", "GetParameter", "PutParameter")


@functools.cache
def _members(service: str, action: str) -> dict[str, Any]:
    """The input members of ``action`` in botocore's model of ``service`` (loaded once)."""
    return dict(_model(service).operation_model(action).input_shape.members)


def _model(service: str) -> Any:
    return service_models.service_model(service)


@functools.cache
def _pattern(text: str) -> re.Pattern[str] | None:
    try:
        return re.compile(text, re.ASCII)
    except re.error:  # a construct of the model's regex dialect that Python lacks: unchecked
        return None


def _broken(shape: Any, value: Any) -> str | None:
    """The constraint of ``shape`` that ``value`` breaks, in AWS's words, or None."""
    limits = shape.metadata
    if isinstance(value, str | list) and "max" in limits and len(value) > limits["max"]:
        return f"Member must have length less than or equal to {limits['max']}"
    number = isinstance(value, int) and not isinstance(value, bool)
    if number and "max" in limits and value > limits["max"]:
        return f"Member must have value less than or equal to {limits['max']}"
    if isinstance(value, str) and getattr(shape, "enum", None) and value not in shape.enum:
        return f"Member must satisfy enum value set: [{', '.join(shape.enum)}]"
    pattern = _pattern(limits["pattern"]) if "pattern" in limits else None
    if isinstance(value, str) and pattern is not None and not pattern.fullmatch(value):
        return f"Member must satisfy regular expression pattern: {limits['pattern']}"
    return None


def _check(call: ApiCall) -> None:
    members = _members(call.service, call.action)
    for name, value in call.params.items():
        shape = members.get(name)
        broken = _broken(shape, value) if shape is not None else None
        if broken is not None:
            member = name[:1].lower() + name[1:]
            raise AwsError(
                CODES[call.service],
                f"1 validation error detected: Value '{value}' at '{member}' failed to satisfy "
                f"constraint: {broken}",
            )


@rule("iam", *IAM_CALLS, source="botocore iam/2010-05-08 roleNameType (max 64, [\\w+=,.@-]+)")
def iam_within_the_model_limits(call: ApiCall) -> None:
    """IAM names and documents within the model's limits (a role name: 64 of \\w+=,.@-)."""
    _check(call)


@rule("logs", *LOGS_CALLS, source="botocore logs/2014-03-28 LogGroupName (max 512, pattern)")
def logs_within_the_model_limits(call: ApiCall) -> None:
    """Log group and stream names within the model's lengths and patterns (no spaces in a group)."""
    _check(call)


@rule("secretsmanager", *SECRETS_CALLS, source="botocore secretsmanager/2017-10-17 NameType")
def secrets_within_the_model_limits(call: ApiCall) -> None:
    """Secret names within the model's 512 characters, values within its limits."""
    _check(call)


@rule("ssm", *SSM_CALLS, source="botocore ssm/2014-11-06 PSParameterName (max 2048)")
def ssm_within_the_model_limits(call: ApiCall) -> None:
    """Parameter names within the model's 2,048 characters, values within its limits."""
    _check(call)
