"""moto's CloudWatch Logs (``moto.logs.models``): log groups and streams.

The only module that knows moto's log records (a backend's ``groups``, a group's ``streams``).
"""

from __future__ import annotations

from moto.logs.models import LogsBackend, logs_backends

from ecslab.world.moto_adapter.core import backend_of

__all__ = [
    "backend",
    "create_group",
    "create_stream",
    "group_exists",
    "put_events",
    "stream_exists",
]


def backend(account: str, region: str) -> LogsBackend:
    return backend_of(logs_backends, account, region)


def group_exists(account: str, region: str, group: str) -> bool:
    return group in backend(account, region).groups


def stream_exists(account: str, region: str, group: str, stream: str) -> bool:
    """Whether the group exists and holds the stream."""
    found = backend(account, region).groups.get(group)
    return found is not None and stream in found.streams


def create_group(account: str, region: str, group: str) -> None:
    backend(account, region).create_log_group(group, {})


def create_stream(account: str, region: str, group: str, stream: str) -> None:
    backend(account, region).create_log_stream(group, stream)


def put_events(
    account: str, region: str, group: str, stream: str, events: list[dict[str, object]]
) -> None:
    """Append events (``timestamp`` in milliseconds, ``message``) to an existing stream."""
    backend(account, region).put_log_events(group, stream, events)
