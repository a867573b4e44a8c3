"""The life of one ECS task, as data: its states, how long it dwells in each, why it stopped.

What AWS does: a task moves PROVISIONING → PENDING → ACTIVATING → RUNNING → DEACTIVATING →
STOPPING → DEPROVISIONING → STOPPED. ``desiredStatus`` says where ECS wants it (RUNNING or
STOPPED); ``stopCode`` and ``stoppedReason`` say why it stopped.
Sources: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-lifecycle-explanation.html
and botocore's ECS model (``Task.desiredStatus``, ``TaskStopCode``).

:data:`LIFECYCLE` is the one table the simulation, the tests and a diagram legend all read.

Differs from AWS: the dwell times are plausible round numbers, not measurements (AWS publishes
none); a task that fails before RUNNING goes straight to STOPPING; DEACTIVATING lasts exactly as
long as its targets drain (the world has no connections to watch, so draining always takes the
target group's whole deregistration delay).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PROVISIONING = "PROVISIONING"
PENDING = "PENDING"
ACTIVATING = "ACTIVATING"
RUNNING = "RUNNING"
DEACTIVATING = "DEACTIVATING"
STOPPING = "STOPPING"
DEPROVISIONING = "DEPROVISIONING"
STOPPED = "STOPPED"


@dataclass(frozen=True)
class Phase:
    """One state of the lifecycle: how long a task stays there, and what happens meanwhile."""

    state: str
    #: Seconds spent here before moving on; ``None`` for RUNNING (until stopped) and STOPPED.
    seconds: float | None
    what: str


#: The task lifecycle, in order, with the world's dwell times (plausible, not measured).
LIFECYCLE: tuple[Phase, ...] = (
    Phase(PROVISIONING, 10.0, "the task's network interface is created in its subnet"),
    Phase(PENDING, 15.0, "images are pulled and secrets fetched"),
    Phase(ACTIVATING, 5.0, "containers start; targets are registered in target groups"),
    Phase(RUNNING, None, "the app runs"),
    Phase(DEACTIVATING, 0.0, "targets drain for the target group's deregistration delay"),
    Phase(STOPPING, 5.0, "containers get SIGTERM and exit"),
    Phase(DEPROVISIONING, 10.0, "the network interface is detached and deleted"),
    Phase(STOPPED, None, "the task has stopped"),
)

STATES: tuple[str, ...] = tuple(phase.state for phase in LIFECYCLE)
DWELL: dict[str, float | None] = {phase.state: phase.seconds for phase in LIFECYCLE}
#: States in which a task counts as pending for a service (``pendingCount``).
STARTING_STATES = frozenset({PROVISIONING, PENDING, ACTIVATING})

# stopCode values, from botocore's ECS model (``TaskStopCode``).
TASK_FAILED_TO_START = "TaskFailedToStart"
ESSENTIAL_CONTAINER_EXITED = "EssentialContainerExited"
USER_INITIATED = "UserInitiated"
SERVICE_SCHEDULER_INITIATED = "ServiceSchedulerInitiated"

ESSENTIAL_CONTAINER_EXITED_REASON = "Essential container in task exited"
#: ``stoppedReason`` of a service task stopped because its container health check failed.
CONTAINER_HEALTH_REASON = "Task failed container health checks"
#: The container ``reason`` of an out-of-memory kill (ECS troubleshooting guide,
#: out-of-memory.html: "Container killed due to memory usage"; users report both cases of "c").
OUT_OF_MEMORY_REASON = "OutOfMemoryError: Container killed due to memory usage"


def scaling_reason(deployment_id: str) -> str:
    """``stoppedReason`` of a task the scheduler stops during a deployment or a scale-in.

    Widely reported wording; no primary AWS page quotes it (plausible, unverified)."""
    return f"Scaling activity initiated by (deployment {deployment_id})"


def elb_health_reason(target_group_arn: str) -> str:
    """``stoppedReason`` of a task ECS stops because its target failed ELB health checks."""
    return f"Task failed ELB health checks in (target-group {target_group_arn})"


def next_state(state: str) -> str:
    """The state after ``state`` on the way down (a stop never goes back up)."""
    if state in STARTING_STATES:  # stopped before it ever ran: nothing to drain
        return STOPPING
    index = STATES.index(state)
    return STATES[min(index + 1, len(STATES) - 1)]


def upward_state(state: str) -> str:
    """The state after ``state`` while the task is still meant to run."""
    return STATES[STATES.index(state) + 1]


@dataclass
class TaskRecord:
    """The world's view of one task; moto's Task object mirrors it."""

    arn: str
    id: str
    account: str
    region: str
    cluster: str
    task_definition_arn: str
    created_at: float
    subnet: str = ""
    availability_zone: str = ""
    ip: str = ""
    #: The interface's security groups, and whether it has a public IP (assignPublicIp).
    security_groups: tuple[str, ...] = ()
    public_ip: bool = False
    service: str | None = None  # the service name, for service tasks
    deployment_id: str | None = None
    state: str = PROVISIONING
    entered_at: float = 0.0
    desired: str = RUNNING
    stop_code: str | None = None
    stopped_reason: str | None = None
    #: Decided when the task is launched: the error that stops it at the end of PENDING.
    start_failure: str | None = None
    started_at: float | None = None
    stopping_at: float | None = None
    stopped_at: float | None = None
    ready_at: float | None = None  # when the app starts answering
    exit_code: int | None = None
    #: The essential container's own ``reason`` (``OutOfMemoryError: ...``), when it has one.
    container_reason: str | None = None
    #: The image's platform is not the task's (a single-platform image: exec fails at start).
    wrong_platform: bool = False
    #: The port the app's process binds (see :func:`ecslab.world.apps.listens_on`).
    listen_port: int | None = None
    #: Counted once by the circuit breaker as a healthy task of its deployment.
    healthy_seen: bool = False
    #: Container health (``healthCheck``), when the serving container defines one.
    container_health: Any = field(default=None, repr=False)
    #: ``healthStatus`` of the task (its essential containers rolled up).
    health_status: str = "UNKNOWN"
    #: The essential container serving traffic: name, image, port, resolved environment.
    container_name: str = ""
    image: str = ""
    #: The digest the image reference resolved to when the task started (a later push to the
    #: same tag does not change a running task).
    image_digest: str | None = None
    container_port: int | None = None
    environment: dict[str, str] = field(default_factory=dict, repr=False)
    #: (target group ARN, port) pairs this task is registered in.
    targets: list[tuple[str, int]] = field(default_factory=list)
    drain_until: float | None = None
    log: dict[str, Any] | None = None  # awslogs options of the essential container
    timer: Any = field(default=None, repr=False, compare=False)

    @property
    def live(self) -> bool:
        """ECS still wants it to run."""
        return self.desired == RUNNING

    def dwell_ends(self) -> float | None:
        """When the current state is over, or ``None`` while it lasts until something happens."""
        if self.state == DEACTIVATING and self.drain_until is not None:
            return max(self.drain_until, self.entered_at)
        seconds = DWELL[self.state]
        if self.state == PENDING and self.start_failure is not None:
            return None  # retrying until its time-out, which stops it (runtime.fail_start)
        if self.state == RUNNING:
            return None
        return None if seconds is None else self.entered_at + seconds
