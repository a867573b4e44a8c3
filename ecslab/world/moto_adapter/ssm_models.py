"""moto's Systems Manager (``moto.ssm.models``): Parameter Store."""

from __future__ import annotations

from ecslab.semantics.service_models import shared_by_new_sessions

with shared_by_new_sessions():  # it imports moto's EC2, which makes botocore sessions
    from moto.ssm.models import SimpleSystemManagerBackend, ssm_backends

from ecslab.world.moto_adapter.core import backend_of

__all__ = ["backend"]


def backend(account: str, region: str) -> SimpleSystemManagerBackend:
    return backend_of(ssm_backends, account, region)
