"""moto's CloudWatch Logs (``moto.logs.models``): log groups and streams."""

from __future__ import annotations

from moto.logs.models import LogsBackend, logs_backends

__all__ = ["backend"]


def backend(account: str, region: str) -> LogsBackend:
    return logs_backends[account][region]
