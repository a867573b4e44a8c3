"""What happens inside a task as it starts: images, secrets, log streams, then the app itself.

What AWS does: before a task's containers start (PENDING), Fargate pulls the images, fetches the
secrets with the execution role and prepares the awslogs stream; any failure stops the task with
stopCode ``TaskFailedToStart``. Then the containers run; an essential container that exits stops
the task ("Essential container in task exited", stopCode ``EssentialContainerExited``), with its
``exitCode`` and, when the kernel killed it for using more than its ``memory`` hard limit (or the
task's memory), the container ``reason`` "OutOfMemoryError: Container killed due to memory
usage" and exit code 137. A container's ``healthCheck`` runs as :mod:`ecslab.world.container_health`
says.
Sources: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-lifecycle-explanation.html,
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-error-codes.html,
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/out-of-memory.html and botocore's ECS
model (``ContainerDefinition.memory``: "If your container attempts to exceed the memory
specified here, the container is killed").

Differs from AWS: only the container that serves traffic (the first essential container with a
port mapping) runs an app behaviour; the others are assumed to start and keep running. An app
reaches its memory need when it is ready to answer, and is killed then (AWS kills it whenever
it crosses the limit); the case of the reason's "container" varies in what users report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ecslab.world import (
    apps,
    container_health,
    image_platform,
    logs,
    service_events,
)
from ecslab.world.apps import AppBehaviour
from ecslab.world.deployments import NO_HEALTH_CHECK_WAIT
from ecslab.world.lifecycle import (
    CONTAINER_HEALTH_REASON,
    OUT_OF_MEMORY_REASON,
    RUNNING,
    SERVICE_SCHEDULER_INITIATED,
    TaskRecord,
)
from ecslab.world.moto_adapter import ecs_models
from ecslab.world.moto_adapter.ecs_models import TaskDefinition
from ecslab.world.network import start_paths
from ecslab.world.secrets_injection import StartFailure, check_image, image_digest, resolve

if TYPE_CHECKING:
    from ecslab.world.runtime import Runtime


def _definition(record: TaskRecord) -> TaskDefinition:
    found = ecs_models.task_definition(record.account, record.region, record.task_definition_arn)
    if found is None:
        raise LookupError(f"no task definition {record.task_definition_arn}")
    return found


def _serving_container(definition: TaskDefinition) -> dict[str, Any]:
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


def app_of(runtime: Runtime, record: TaskRecord) -> AppBehaviour:
    """The app behaviour of the task's serving container (by digest, then image reference)."""
    return runtime.world.apps.lookup(record.image, record.image_digest)


@dataclass
class Start:
    """What the start steps of one task share: the task, its definition, what they resolve."""

    runtime: Runtime
    record: TaskRecord
    definition: TaskDefinition
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
        start.definition.execution_role_arn,
        record.id,
    )


def _open_log_stream(start: Start) -> None:
    record = start.record
    options = logs.options(start.container)
    if options is not None:
        stream = logs.stream_name(options, record.container_name, record.id)
        role = start.definition.execution_role_arn
        logs.prepare(record.account, record.region, options, stream, role, record.id)
        record.log = {"options": options, "stream": stream}


def _pull_images(start: Start) -> None:
    forced = start.runtime.faults.take_image_failure(start.record)
    if forced is not None:
        raise StartFailure(forced)
    for each in start.definition.container_definitions or []:
        check_image(str(each.get("image", "")))


def _pick_platform(start: Start) -> None:
    """The task's platform picks a manifest from each image index; a single-platform image of
    another platform pulls, and fails later, at exec (see :mod:`ecslab.world.image_platform`)."""
    record, world = start.record, start.runtime.world
    wanted = image_platform.task_platform(start.definition)
    for each in start.definition.container_definitions or []:
        found = image_platform.of_reference(world, str(each.get("image", "")))
        if found is None or wanted in found.platforms:
            continue
        if found.index:
            raise StartFailure(image_platform.pull_failure(wanted))
        if each.get("name") == record.container_name:
            record.wrong_platform = True


#: What a task does in PENDING, in the order Fargate does it (as users meeting one failure
#: after another have reported: secrets, registry auth, the log driver, then the image itself;
#: no AWS page states the order). The first step that fails stops the task with its message.
#: Add a step by inserting it where Fargate would meet it.
START_STEPS: tuple[StartStep, ...] = (
    StartStep("secrets reachable", start_paths.reach_secrets),
    StartStep("secrets", _fetch_secrets),
    StartStep("registry auth reachable", start_paths.reach_registry_auth),
    StartStep("logs reachable", start_paths.reach_logs),
    StartStep("logger", _open_log_stream),
    StartStep("registry reachable", start_paths.reach_registry),
    StartStep("image", _pull_images),
    StartStep("image platform", _pick_platform),
    StartStep("layers reachable", start_paths.reach_layers),
)


def prepare(runtime: Runtime, record: TaskRecord) -> StartFailure | None:
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


def write_log(runtime: Runtime, record: TaskRecord, lines: list[str]) -> None:
    """Append the container's output to its awslogs stream, if it has one."""
    if record.log is None:
        return
    at_ms = int(runtime.world.clock.datetime().timestamp() * 1000)
    logs.write(
        record.account, record.region, record.log["options"], record.log["stream"], at_ms, lines
    )


#: Seconds from start until a container of the wrong architecture exits (at once: its first
#: exec fails; a round second, so the task is seen RUNNING).
EXEC_FAILS_AFTER = 1.0


def memory_limit(definition: TaskDefinition, container: dict[str, Any]) -> int | None:
    """MiB the container may use: its ``memory`` hard limit, else the task's ``memory``."""
    for value in (container.get("memory"), definition.memory):
        if value not in (None, ""):
            return int(value)
    return None


def start_app(runtime: Runtime, record: TaskRecord) -> None:
    """The containers run: what the app declares meets what the task definition allows.

    Wrong architecture: exec fails at once (exit 1). More memory than the limit: killed once it
    has started (exit 137, ``OutOfMemoryError``). A crash on a bad setting: exits when it would
    be ready. Otherwise it answers after its start-up time, on the port it binds."""
    app = app_of(runtime, record)
    record.started_at = runtime.now
    if record.wrong_platform:
        record.ready_at = None
        write_log(runtime, record, [image_platform.exec_format_error(apps.entrypoint_of(app))])
        exits_at = runtime.now + EXEC_FAILS_AFTER
        code = image_platform.EXEC_FORMAT_EXIT_CODE
        runtime.schedule_at(exits_at, lambda: _exit(runtime, record.arn, code, quiet=True))
        return
    record.ready_at = runtime.now + float(app.startup_seconds)
    record.listen_port = apps.listens_on(app, record.container_port)
    write_log(runtime, record, logs.startup_lines(app, record.environment, record.listen_port))
    definition = _definition(record)
    container = _serving_container(definition)
    limit = memory_limit(definition, container)
    code = app.exit_code(record.environment)
    if limit is not None and apps.memory_need(app) > limit:
        runtime.schedule_at(record.ready_at, lambda: _out_of_memory(runtime, record.arn))
    elif code is not None:
        runtime.schedule_at(record.ready_at, lambda: _exit(runtime, record.arn, code))
    config = container_health.HealthCheckConfig.of(container)
    if config is not None:
        record.container_health = container_health.ContainerHealth(config, runtime.now)
        runtime.schedule_at(runtime.now + config.interval, lambda: _check(runtime, record.arn))
    _roll_up_health(record, definition)
    if record.service and not record.targets and config is None:  # healthy after 40 s RUNNING
        runtime.schedule_at(runtime.now + NO_HEALTH_CHECK_WAIT, lambda: runtime.mark_task(record))


def _exit(runtime: Runtime, arn: str, code: int, *, quiet: bool = False) -> None:
    record = runtime.tasks.get(arn)
    if record is not None and record.live and record.state == RUNNING:
        if not quiet:
            write_log(runtime, record, [f"exited with code {code}"])
        runtime.exited(record, code)


def _out_of_memory(runtime: Runtime, arn: str) -> None:
    """The kernel's OOM killer ends the container: SIGKILL, exit code 137."""
    record = runtime.tasks.get(arn)
    if record is not None and record.live and record.state == RUNNING:
        record.container_reason = OUT_OF_MEMORY_REASON
        runtime.exited(record, OUT_OF_MEMORY_EXIT_CODE)


#: 128 + SIGKILL (9): how a container killed by the kernel exits.
OUT_OF_MEMORY_EXIT_CODE = 137


def _roll_up_health(record: TaskRecord, definition: TaskDefinition) -> None:
    statuses = container_health.essential_statuses(
        definition, record.container_name, record.container_health
    )
    record.health_status = container_health.task_status(statuses)


def _check(runtime: Runtime, arn: str) -> None:
    """One run of the container's health-check command, then the next an interval later."""
    record = runtime.tasks.get(arn)
    health = record.container_health if record is not None else None
    if record is None or health is None or not record.live or record.state != RUNNING:
        return
    app = app_of(runtime, record)

    def answer(path: str) -> int | None:
        if runtime.now < (record.ready_at or 0):
            return None
        return app.answer("GET", path, {"user-agent": "curl"}, record.environment).status

    passed = container_health.passes(health.config.command, record.listen_port, answer)
    changed = health.record(passed, runtime.now)
    if changed is not None:
        _roll_up_health(record, _definition(record))
        runtime.mirror(record)
        runtime.mark_task(record)
    grace_over = runtime.now >= (record.started_at or 0) + _grace(runtime, record)
    if health.status == container_health.UNHEALTHY and record.service and grace_over:
        key = runtime.service_key_of(record)
        message = service_events.failed_container_health_checks(record.service, record.id)
        runtime.log(key, "container-health", message)
        runtime.stop(record, SERVICE_SCHEDULER_INITIATED, CONTAINER_HEALTH_REASON)
        return
    if health.status == container_health.HEALTHY and passed:
        return  # idle while healthy (see ecslab.world.container_health)
    runtime.schedule_at(runtime.now + health.config.interval, lambda: _check(runtime, arn))


def _grace(runtime: Runtime, record: TaskRecord) -> float:
    service = runtime.service_of(record)
    return service.grace_seconds if service is not None else 0.0
