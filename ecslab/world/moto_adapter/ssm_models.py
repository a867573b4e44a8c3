"""moto's Systems Manager (``moto.ssm.models``): Parameter Store."""

from __future__ import annotations

from moto.ssm.models import SimpleSystemManagerBackend, ssm_backends

__all__ = ["backend"]


def backend(account: str, region: str) -> SimpleSystemManagerBackend:
    return ssm_backends[account][region]
