"""What happens inside a task as it starts: images, secrets, log streams, then the app itself.

What AWS does: before a task's containers start (PENDING), Fargate pulls the images, fetches the
secrets with the execution role and prepares the awslogs stream; any failure stops the task with
stopCode ``TaskFailedToStart``. Then the containers run; an essential container that exits stops
the task ("Essential container in task exited", stopCode ``EssentialContainerExited``).
Sources: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-lifecycle-explanation.html,
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-error-codes.html

Differs from AWS: only the container that serves traffic (the first essential container with a
port mapping) runs an app behaviour; the others are assumed to start and keep running.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ecslab.world import logs, moto_state
from ecslab.world.apps import AppBehaviour
from ecslab.world.deployments import NO_HEALTH_CHECK_WAIT
from ecslab.world.lifecycle import RUNNING, TaskRecord
from ecslab.world.secrets_injection import StartFailure, check_image, image_digest, resolve


def _definition(record: TaskRecord) -> Any:
    return moto_state.ecs(record.account, record.region).describe_task_definition(
        record.task_definition_arn
    )


def _serving_container(definition: Any) -> dict[str, Any]:
    containers = list(definition.container_definitions or [])
    essential = [c for c in containers if c.get("essential", True)] or containers
    with_ports = [c for c in essential if c.get("portMappings")]
    return (with_ports or essential or [{}])[0]


def describe_container(record: TaskRecord) -> None:
    """Note which container serves traffic: its name, image and port."""
    container = _serving_container(_definition(record))
    record.container_name = str(container.get("name", ""))
    record.image = str(container.get("image", ""))
    mappings = container.get("portMappings") or []
    record.container_port = int(mappings[0]["containerPort"]) if mappings else None


def app_of(runtime: Any, record: TaskRecord) -> AppBehaviour:
    """The app behaviour of the task's serving container (by digest, then image reference)."""
    return runtime.world.apps.lookup(record.image, record.image_digest)


@dataclass
class Start:
    """What the start steps of one task share: the task, its definition, what they resolve."""

    runtime: Any
    record: TaskRecord
    definition: Any
    #: The container that serves traffic (see :func:`describe_container`).
    container: dict[str, Any]
    #: The serving container's environment, filled in by the secrets step.
    environment: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StartStep:
    """One thing Fargate does in PENDING; ``run`` raises :class:`StartFailure` when it fails."""

    name: str
    run: Callable[[Start], None]


def _fetch_secrets(start: Start) -> None:
    record = start.record
    start.environment = resolve(
        record.account,
        record.region,
        start.container,
        getattr(start.definition, "execution_role_arn", None),
        record.id,
    )


def _open_log_stream(start: Start) -> None:
    record = start.record
    options = logs.options(start.container)
    if options is not None:
        stream = logs.stream_name(options, record.container_name, record.id)
        logs.prepare(record.account, record.region, options, stream)
        record.log = {"options": options, "stream": stream}


def _pull_images(start: Start) -> None:
    forced = start.runtime.faults.take_image_failure(start.record)
    if forced is not None:
        raise StartFailure(forced)
    for each in start.definition.container_definitions or []:
        check_image(str(each.get("image", "")))


#: What a task does in PENDING, in the order Fargate does it (as users meeting one failure
#: after another have reported: secrets, registry auth, the log driver, then the image itself;
#: no AWS page states the order). The first step that fails stops the task with its message.
#: Add a step by inserting it where Fargate would meet it.
START_STEPS: tuple[StartStep, ...] = (
    StartStep("secrets", _fetch_secrets),
    StartStep("logger", _open_log_stream),
    StartStep("image", _pull_images),
)


def prepare(runtime: Any, record: TaskRecord) -> StartFailure | None:
    """Run :data:`START_STEPS` in order; the first failure, or ``None`` when the task may start.

    The failure's message is the task's ``stoppedReason``; its ``pending_seconds`` (when set)
    is how long the task stays PENDING before ECS stops it (network time-outs take minutes).
    """
    definition = _definition(record)
    start = Start(runtime, record, definition, _serving_container(definition))
    try:
        for step in START_STEPS:
            step.run(start)
    except StartFailure as failure:
        return failure
    record.environment = start.environment
    record.image_digest = image_digest(record.image)
    return None


def write_log(runtime: Any, record: TaskRecord, lines: list[str]) -> None:
    """Append the container's output to its awslogs stream, if it has one."""
    if record.log is None:
        return
    at_ms = int(runtime.world.clock.datetime().timestamp() * 1000)
    logs.write(
        record.account, record.region, record.log["options"], record.log["stream"], at_ms, lines
    )


def start_app(runtime: Any, record: TaskRecord) -> None:
    """The containers run: the app starts answering after its start-up time, or exits."""
    app = app_of(runtime, record)
    record.started_at = runtime.now
    record.ready_at = runtime.now + float(app.startup_seconds)
    write_log(runtime, record, logs.startup_lines(app, record.environment, record.container_port))
    code = app.exit_code(record.environment)
    if code is not None:
        runtime._schedule(record.ready_at, lambda: _exit(runtime, record.arn, code))
    if record.service and not record.targets:  # counted healthy after 40 s RUNNING
        runtime._schedule(runtime.now + NO_HEALTH_CHECK_WAIT, lambda: runtime._mark_task(record))


def _exit(runtime: Any, arn: str, code: int) -> None:
    record = runtime.tasks.get(arn)
    if record is not None and record.live and record.state == RUNNING:
        write_log(runtime, record, [f"exited with code {code}"])
        runtime.exited(record, code)
