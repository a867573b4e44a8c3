"""moto's CloudWatch Logs (``moto.logs.models``): log groups and streams."""

from __future__ import annotations

from moto.logs.models import LogsBackend, logs_backends

from ecslab.world.moto_adapter.core import backend_of

__all__ = ["backend"]


def backend(account: str, region: str) -> LogsBackend:
    return backend_of(logs_backends, account, region)
