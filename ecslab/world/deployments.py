"""ECS services and their deployments: the records, the rolling bounds, the circuit breaker.

What AWS does: each ``update_service`` that changes the task definition (or asks for
``forceNewDeployment``) makes a new PRIMARY deployment; the previous one turns ACTIVE while its
tasks are replaced, then disappears (INACTIVE). ``rolloutState`` goes IN_PROGRESS → COMPLETED once
the service reaches a steady state. Replacement stays within ``minimumHealthyPercent`` of
``desiredCount`` (rounded up) healthy tasks and ``maximumPercent`` (rounded down) tasks RUNNING or
PENDING; defaults 100 and 200. The deployment circuit breaker fails a rollout after
``min(200, max(3, ceil(0.5 * desiredCount)))`` consecutive failed tasks (or as its
``thresholdConfiguration`` says: ``COUNT`` uses ``value`` itself, the percentage types multiply
it by ``desiredCount``) and, with ``rollback``, goes back to the last COMPLETED deployment. A
healthy task resets the count unless ``resetOnHealthyTask`` is false.
Sources: botocore's ECS model (``DeploymentConfiguration``, ``Deployment``,
``ServiceDeploymentCircuitBreaker.threshold``, ``DeploymentCircuitBreaker``,
``ThresholdConfiguration``),
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html and
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html

What counts as a failed task, stage by stage, is :mod:`ecslab.world.circuit_breaker`'s.

Differs from AWS: only the ECS (rolling) deployment controller is simulated.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

PRIMARY, ACTIVE = "PRIMARY", "ACTIVE"
IN_PROGRESS, COMPLETED, FAILED = "IN_PROGRESS", "COMPLETED", "FAILED"

#: Without a load balancer, a RUNNING task counts as healthy after this many seconds
#: (botocore's ECS model, ``DeploymentConfiguration.minimumHealthyPercent``).
NO_HEALTH_CHECK_WAIT = 40.0
#: "has reached a steady state." repeats about every six hours while nothing changes.
STEADY_STATE_REPEAT = 6 * 3600.0


def bounds(desired: int, minimum_percent: int, maximum_percent: int) -> tuple[int, int]:
    """(tasks that must stay healthy, tasks allowed RUNNING or PENDING) during a deployment."""
    return (
        math.ceil(desired * minimum_percent / 100),
        math.floor(desired * maximum_percent / 100),
    )


BOUNDED_PERCENT, UNBOUNDED_PERCENT, COUNT = "BOUNDED_PERCENT", "UNBOUNDED_PERCENT", "COUNT"


def failure_threshold(desired: int, kind: str = BOUNDED_PERCENT, value: int = 50) -> int:
    """The circuit breaker's threshold of failed tasks (deployment-circuit-breaker.html and
    botocore's ECS model, ``ThresholdConfiguration``: by default BOUNDED_PERCENT of 50).

    Differs from AWS: an UNBOUNDED_PERCENT threshold is at least 1 task (AWS does not say what a
    threshold that rounds to 0 does)."""
    if kind == COUNT:
        return value
    scaled = math.ceil(value / 100 * desired)
    if kind == UNBOUNDED_PERCENT:
        return max(1, scaled)
    return min(200, max(3, scaled))


@dataclass
class Deployment:
    """One deployment of a service (``describeServices``' ``deployments[]``)."""

    id: str
    task_definition: str
    created_at: float
    status: str = PRIMARY
    rollout_state: str = IN_PROGRESS
    rollout_state_reason: str = ""
    updated_at: float = 0.0
    failed_tasks: int = 0
    #: True once one of its tasks was healthy.
    proven: bool = False
    #: True once one of its tasks reached RUNNING: the circuit breaker's stage 2.
    reached_running: bool = False

    def __post_init__(self) -> None:
        self.updated_at = self.updated_at or self.created_at
        self.rollout_state_reason = (
            self.rollout_state_reason or f"ECS deployment {self.id} in progress."
        )


@dataclass
class ServiceRecord:
    """The world's view of one ECS service."""

    account: str
    region: str
    cluster: str
    name: str
    arn: str
    desired_count: int
    launch_type: str = "FARGATE"
    subnets: list[str] = field(default_factory=list)
    security_groups: list[str] = field(default_factory=list)
    assign_public_ip: str = "DISABLED"
    load_balancers: list[dict[str, Any]] = field(default_factory=list)
    minimum_percent: int = 100
    maximum_percent: int = 200
    circuit_breaker: bool = False
    rollback: bool = False
    threshold_type: str = BOUNDED_PERCENT
    threshold_value: int = 50
    reset_on_healthy_task: bool = True
    #: The breaker's optional members as the caller gave them: echoed, never invented.
    breaker_options: dict[str, Any] = field(default_factory=dict)
    grace_seconds: float = 0.0
    deployments: list[Deployment] = field(default_factory=list)
    #: True while the last announced state is the steady one.
    steady_since: float | None = None
    last_steady_event: float | None = None
    stuck_announced: bool = False
    next_az: int = 0
    #: Set by ``delete_service``: drain every task, then forget the service.
    deleted: bool = False
    #: Its service deployments, oldest first (:mod:`ecslab.world.service_deployments`).
    service_deployments: list[Any] = field(default_factory=list)

    @property
    def primary(self) -> Deployment:
        return self.deployments[0]

    def deployment(self, deployment_id: str | None) -> Deployment | None:
        return next((d for d in self.deployments if d.id == deployment_id), None)

    def failure_threshold(self) -> int:
        return failure_threshold(self.desired_count, self.threshold_type, self.threshold_value)

    def last_completed(self) -> Deployment | None:
        return next((d for d in self.deployments[1:] if d.rollout_state == COMPLETED), None)


def deployment_dicts(
    service: ServiceRecord, counts: dict[str, tuple[int, int]], when: Any
) -> list[dict[str, Any]]:
    """``deployments[]`` as moto serialises it; ``counts`` maps id → (running, pending)."""
    network = {
        "awsvpcConfiguration": {
            "subnets": service.subnets,
            "securityGroups": service.security_groups,
            "assignPublicIp": service.assign_public_ip,
        }
    }
    result = []
    for deployment in service.deployments:
        running, pending = counts.get(deployment.id, (0, 0))
        desired = service.desired_count if deployment.status == PRIMARY else 0
        result.append(
            {
                "id": deployment.id,
                "status": deployment.status,
                "taskDefinition": deployment.task_definition,
                "desiredCount": desired,
                "pendingCount": pending,
                "runningCount": running,
                "failedTasks": deployment.failed_tasks,
                "createdAt": when(deployment.created_at),
                "updatedAt": when(deployment.updated_at),
                "launchType": service.launch_type,
                "platformVersion": "1.4.0",
                "platformFamily": "Linux",
                "networkConfiguration": network if service.subnets else None,
                "rolloutState": deployment.rollout_state,
                "rolloutStateReason": deployment.rollout_state_reason,
            }
        )
    return result


@functools.lru_cache(maxsize=4096)
def as_datetime(start: datetime, seconds: float) -> datetime:
    """A virtual instant as moto stores it (naive UTC).

    Kept for the same instants (datetimes never change): mirroring a task onto moto's record
    turns the same few instants of it into datetimes at every step of its life."""
    return (start + timedelta(seconds=seconds)).replace(tzinfo=None)
