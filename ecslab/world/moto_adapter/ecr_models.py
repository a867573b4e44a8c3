"""moto's ECR (``moto.ecr.models``): repositories and images."""

from __future__ import annotations

import moto.ecr.models as models
from moto.ecr.models import ECRBackend, ecr_backends

from ecslab.world.moto_adapter.core import backend_of

__all__ = ["ECRBackend", "backend", "models"]


def backend(account: str, region: str) -> ECRBackend:
    return backend_of(ecr_backends, account, region)
