"""The awslogs log driver: what a container prints lands in CloudWatch Logs.

What AWS does: a container whose ``logConfiguration`` uses the ``awslogs`` driver sends its
output to the log group ``awslogs-group`` in ``awslogs-region``, one stream per container named
``<awslogs-stream-prefix>/<container-name>/<task-id>``; with ``awslogs-create-group`` set to
``"true"`` the group is created when missing, otherwise the task fails to start.
Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html

Differs from AWS: the lines are what the app behaviour says it prints (its optional
``log_lines(environment)``), or a single start line for an app that says nothing; each request
the simulated load balancer delivers adds one access line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ecslab.world.secrets_injection import StartFailure


def options(container: Mapping[str, Any]) -> dict[str, str] | None:
    """The awslogs options of a container definition, or ``None`` for another driver."""
    config = container.get("logConfiguration") or {}
    if config.get("logDriver") != "awslogs":
        return None
    return {str(k): str(v) for k, v in (config.get("options") or {}).items()}


def stream_name(opts: Mapping[str, str], container: str, task_id: str) -> str:
    prefix = opts.get("awslogs-stream-prefix")
    return f"{prefix}/{container}/{task_id}" if prefix else task_id


def prepare(account: str, region: str, opts: Mapping[str, str], stream: str) -> None:
    """Create the task's log stream (and the group when allowed) before the container starts."""
    from moto.logs.models import logs_backends

    backend = logs_backends[account][opts.get("awslogs-region") or region]
    group = opts.get("awslogs-group", "")
    if group not in backend.groups:
        if opts.get("awslogs-create-group") != "true":
            # Widely reported Fargate wording for a missing group (no AWS page quotes it).
            raise StartFailure(
                "ResourceInitializationError: failed to validate logger args: create stream "
                "has been retried 1 time(s): failed to create Cloudwatch log stream: "
                "ResourceNotFoundException: The specified log group does not exist. "
                ": exit status 1"
            )
        backend.create_log_group(group, {})
    if stream not in backend.groups[group].streams:
        backend.create_log_stream(group, stream)


def write(
    account: str, region: str, opts: Mapping[str, str], stream: str, at_ms: int, lines: list[str]
) -> None:
    """Append ``lines`` to the stream at the virtual instant ``at_ms`` (milliseconds)."""
    if not lines:
        return
    from moto.logs.models import logs_backends

    backend = logs_backends[account][opts.get("awslogs-region") or region]
    group = opts.get("awslogs-group", "")
    if group not in backend.groups or stream not in backend.groups[group].streams:
        return
    events = [{"timestamp": at_ms, "message": line} for line in lines]
    backend.put_log_events(group, stream, events)


def startup_lines(app: Any, environment: Mapping[str, str], port: int | None) -> list[str]:
    """What the app prints when it starts (never its environment: secrets stay secret)."""
    say = getattr(app, "log_lines", None)
    if callable(say):
        return [str(line) for line in say(environment)]
    return [f"listening on port {port}"] if port else ["started"]
