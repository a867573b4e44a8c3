"""The awslogs log driver: what a container prints lands in CloudWatch Logs.

What AWS does: a container whose ``logConfiguration`` uses the ``awslogs`` driver sends its
output to the log group ``awslogs-group`` in ``awslogs-region``, one stream per container named
``<awslogs-stream-prefix>/<container-name>/<task-id>``; with ``awslogs-create-group`` set to
``"true"`` the group is created when missing, otherwise the task fails to start. Fargate
creates the stream (and the group) with the task's *execution role*: without
``logs:CreateLogStream`` (or, to create the group, ``logs:CreateLogGroup``, which AWS's managed
``AmazonECSTaskExecutionRolePolicy`` lacks) the task fails to start. Every such failure is a
``ResourceInitializationError: failed to validate logger args: ...`` with stopCode
``TaskFailedToStart``.
Sources: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html,
botocore's ECS model (``LogConfiguration.options``: ``awslogs-create-group`` "Your IAM policy must
include the logs:CreateLogGroup permission"), and the messages as users report them from Fargate.

Differs from AWS: the permissions are checked only for a task definition with an execution role
(AWS refuses awslogs on Fargate without one); which check comes first when several fail (stream
permission, then the group, then the group permission) is inferred from the messages, not
documented. The lines are what the app behaviour says it prints (its optional
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


_PREFIX = "ResourceInitializationError: failed to validate logger args: create stream has been "
_PREFIX += "retried 1 times: "


def _denied(account: str, role: str, task_id: str, action: str, resource: str) -> StartFailure:
    from ecslab.world.moto_adapter import core
    from ecslab.world.secrets_injection import denied_message as denied

    what = "log group" if action == "logs:CreateLogGroup" else "log stream"
    return StartFailure(
        f"{_PREFIX}failed to create Cloudwatch {what}: "
        f"{denied(account, role, task_id, action, resource)} status code: 400, "
        f"request id: {core.draw_uuid()} : exit status 1"
    )


def prepare(
    account: str,
    region: str,
    opts: Mapping[str, str],
    stream: str,
    execution_role: str | None = None,
    task_id: str = "",
) -> None:
    """Create the task's log stream (and the group when allowed) before the container starts,
    as the execution role (when the task definition has one)."""
    from ecslab.world.moto_adapter import logs_models
    from ecslab.world.secrets_injection import allowed

    group_region = opts.get("awslogs-region") or region
    group = opts.get("awslogs-group", "")
    group_arn = f"arn:aws:logs:{group_region}:{account}:log-group:{group}:log-stream:"
    if execution_role and not allowed(
        account, execution_role, "logs:CreateLogStream", group_arn + stream
    ):
        raise _denied(account, execution_role, task_id, "logs:CreateLogStream", group_arn + stream)
    if not logs_models.group_exists(account, group_region, group):
        if opts.get("awslogs-create-group") != "true":
            raise StartFailure(
                f"{_PREFIX}failed to create Cloudwatch log stream: "
                "ResourceNotFoundException: The specified log group does not exist. "
                ": exit status 1"
            )
        if execution_role and not allowed(
            account, execution_role, "logs:CreateLogGroup", group_arn
        ):
            raise _denied(account, execution_role, task_id, "logs:CreateLogGroup", group_arn)
        logs_models.create_group(account, group_region, group)
    if not logs_models.stream_exists(account, group_region, group, stream):
        logs_models.create_stream(account, group_region, group, stream)


def write(
    account: str, region: str, opts: Mapping[str, str], stream: str, at_ms: int, lines: list[str]
) -> None:
    """Append ``lines`` to the stream at the virtual instant ``at_ms`` (milliseconds)."""
    if not lines:
        return
    from ecslab.world.moto_adapter import logs_models

    group_region = opts.get("awslogs-region") or region
    group = opts.get("awslogs-group", "")
    if not logs_models.stream_exists(account, group_region, group, stream):
        return
    events: list[dict[str, object]] = [{"timestamp": at_ms, "message": line} for line in lines]
    logs_models.put_events(account, group_region, group, stream, events)


def startup_lines(app: Any, environment: Mapping[str, str], port: int | None) -> list[str]:
    """What the app prints when it starts (never its environment: secrets stay secret)."""
    say = getattr(app, "log_lines", None)
    if callable(say):
        return [str(line) for line in say(environment)]
    return [f"listening on port {port}"] if port else ["started"]
