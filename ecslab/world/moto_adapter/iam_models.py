"""moto's IAM (``moto.iam``): roles, policies, and its policy evaluation."""

from __future__ import annotations

import json
from typing import Any

from moto.iam.access_control import IAMPolicy, PermissionResult
from moto.iam.aws_managed_policies import aws_managed_policies_data
from moto.iam.models import AWSManagedPolicy, IAMBackend, iam_backends

__all__ = [
    "AWSManagedPolicy",
    "IAMPolicy",
    "PermissionResult",
    "add_managed_policy",
    "aws_managed_policies_data",
    "backend",
    "has_managed_policy",
    "managed_policy_document",
    "role_allows",
]


def backend(account: str) -> IAMBackend:
    """The account's IAM (a global service: one per account)."""
    return iam_backends[account]["global"]


def role_allows(account: str, role_arn: str, action: str, resource: str) -> bool:
    """Whether the role's inline and attached policies allow ``action`` on ``resource`` (one
    allows it, none denies it), by moto's own policy evaluation."""
    role = next((r for r in backend(account).roles.values() if r.arn == role_arn), None)
    if role is None:
        return False
    documents: list[Any] = list(role.policies.values()) + list(role.managed_policies.values())
    verdicts = [
        IAMPolicy(d if not isinstance(d, dict) else json.dumps(d)).is_action_permitted(
            action, resource
        )
        for d in documents
    ]
    return PermissionResult.PERMITTED in verdicts and PermissionResult.DENIED not in verdicts


def managed_policy_document(name: str) -> dict[str, object] | None:
    """One AWS managed policy's entry from moto's data, decoded without decoding the other
    1,500."""
    data = aws_managed_policies_data
    start = data.find(f'"{name}":')
    if start < 0:
        return None
    value, _ = json.JSONDecoder().raw_decode(data, data.index("{", start))
    return value  # type: ignore[no-any-return]


def has_managed_policy(account: str, arn: str) -> bool:
    return arn in backend(account).managed_policies


def add_managed_policy(account: str, name: str, data: dict[str, object]) -> None:
    """Make the AWS managed policy ``name`` (its entry from moto's data) exist in ``account``."""
    policy = AWSManagedPolicy.from_data(name, account, "us-east-1", data)
    backend(account).managed_policies[policy.arn] = policy
