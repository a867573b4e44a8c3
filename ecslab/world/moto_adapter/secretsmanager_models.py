"""moto's Secrets Manager (``moto.secretsmanager.models``): secrets and their values."""

from __future__ import annotations

import moto.secretsmanager.models as models
from moto.secretsmanager.models import SecretsManagerBackend, secretsmanager_backends

from ecslab.world.moto_adapter.core import backend_of

__all__ = ["backend", "delete_secret_at_once", "models", "secret_string"]


def backend(account: str, region: str) -> SecretsManagerBackend:
    return backend_of(secretsmanager_backends, account, region)


def secret_string(account: str, region: str, secret_id: str) -> str | None:
    """The secret's current ``SecretString`` ("" when it has none), or ``None`` when Secrets
    Manager cannot find it."""
    try:
        found = backend(account, region).get_secret_value(secret_id, None, None)
    except Exception:  # moto's ResourceNotFoundException
        return None
    return str(found.get("SecretString") or "")


def delete_secret_at_once(account: str, region: str, secret_id: str) -> None:
    """Delete the secret with no recovery window (``ForceDeleteWithoutRecovery``)."""
    backend(account, region).delete_secret(secret_id, None, True)
