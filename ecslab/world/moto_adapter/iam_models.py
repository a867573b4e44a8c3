"""moto's IAM (``moto.iam``): roles, policies, and its policy evaluation."""

from __future__ import annotations

from moto.iam.access_control import IAMPolicy, PermissionResult
from moto.iam.aws_managed_policies import aws_managed_policies_data
from moto.iam.models import AWSManagedPolicy, IAMBackend, iam_backends

__all__ = [
    "AWSManagedPolicy",
    "IAMPolicy",
    "PermissionResult",
    "aws_managed_policies_data",
    "backend",
]


def backend(account: str) -> IAMBackend:
    """The account's IAM (a global service: one per account)."""
    return iam_backends[account]["global"]
