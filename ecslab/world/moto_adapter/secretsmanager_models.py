"""moto's Secrets Manager (``moto.secretsmanager.models``): secrets and their values."""

from __future__ import annotations

import moto.secretsmanager.models as models
from moto.secretsmanager.models import SecretsManagerBackend, secretsmanager_backends

from ecslab.world.moto_adapter.core import backend_of

__all__ = ["backend", "models"]


def backend(account: str, region: str) -> SecretsManagerBackend:
    return backend_of(secretsmanager_backends, account, region)
