"""moto's Systems Manager (``moto.ssm.models``): Parameter Store."""

from __future__ import annotations

from ecslab.semantics.service_models import shared_by_new_sessions

with shared_by_new_sessions():  # it imports moto's EC2, which makes botocore sessions
    from moto.ssm.models import SimpleSystemManagerBackend, ssm_backends

from ecslab.world.moto_adapter.core import backend_of

__all__ = ["backend", "parameter_value"]


def backend(account: str, region: str) -> SimpleSystemManagerBackend:
    return backend_of(ssm_backends, account, region)


def parameter_value(account: str, region: str, name: str) -> str | None:
    """The parameter's value, a SecureString decrypted (as ECS asks ``WithDecryption``), or
    ``None`` when there is no such parameter."""
    parameter = backend(account, region).get_parameter(name)
    if parameter is None:
        return None
    return str(parameter.decrypt(parameter.value))
