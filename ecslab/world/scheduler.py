"""The ECS service scheduler's decisions, as a pure function of a service and its tasks.

What AWS does: the service scheduler keeps ``desiredCount`` tasks of the PRIMARY deployment
running; it starts tasks to replace those that stop, follows changes of ``desiredCount``, and
during a rolling deployment starts new tasks and stops old ones within the bounds of
``minimumHealthyPercent`` and ``maximumPercent``. When the service runs exactly its desired
tasks of one deployment, all healthy, the deployment is COMPLETED and the service "has reached a
steady state.". Sources: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_services.html,
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html and
https://docs.aws.amazon.com/AmazonECS/latest/bestpracticesguide/service-options.html
(the documented example: start new tasks up to the maximum, stop old ones down to the minimum).

Differs from AWS: AWS does not publish its exact batching; this planner starts as many new tasks
as ``maximumPercent`` allows and stops old tasks as soon as ``minimumHealthyPercent`` allows
(old tasks that are not healthy are stopped first, since they count for nothing). An old task
that stops during a rollout is not replaced with its own revision (AWS does so since 2025-11).

:func:`plan` reads records and returns a :class:`Plan`; :mod:`ecslab.world.runtime` applies it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ecslab.world.circuit_breaker import tripped
from ecslab.world.deployments import (
    FAILED,
    IN_PROGRESS,
    ServiceRecord,
    bounds,
)
from ecslab.world.lifecycle import STARTING_STATES, STOPPED, TaskRecord


@dataclass
class Plan:
    """What the scheduler decided for one service at one instant."""

    start: int = 0  # new tasks of the PRIMARY deployment
    stop: list[TaskRecord] = field(default_factory=list)
    complete: bool = False
    fail: bool = False
    rollback_to: str | None = None
    steady: bool = False
    stuck: bool = False

    @property
    def idle(self) -> bool:
        return not (self.start or self.stop or self.complete or self.fail)


def plan(
    service: ServiceRecord,
    tasks: Iterable[TaskRecord],
    is_healthy: Callable[[TaskRecord], bool],
) -> Plan:
    """Decide starts, stops and deployment changes for ``service`` (pure: no moto, no clock)."""
    result = Plan()
    tasks = list(tasks)
    live = [t for t in tasks if t.live]
    if service.deleted:
        result.stop = live
        return result
    primary = service.primary
    desired = service.desired_count

    if tripped(service):
        result.fail = True
        if service.rollback and (previous := service.last_completed()) is not None:
            result.rollback_to = previous.id
        return result

    mine = [t for t in live if t.deployment_id == primary.id]
    old = [t for t in live if t.deployment_id != primary.id]
    healthy = {t.arn for t in live if is_healthy(t)}
    minimum_healthy, maximum_total = bounds(
        desired, service.minimum_percent, service.maximum_percent
    )

    surplus = len(mine) - desired
    if surplus > 0:  # scale in: the least useful first (not healthy, then the newest)
        ranked = sorted(mine, key=lambda t: (t.arn in healthy, -t.created_at))
        result.stop.extend(ranked[:surplus])

    if primary.rollout_state != FAILED:
        need = desired - len(mine)
        room = maximum_total - len(live) if old else need
        result.start = max(0, min(need, room))

    if old:
        spare = len(healthy) - minimum_healthy
        for task in sorted(old, key=lambda t: (t.arn in healthy, t.created_at)):
            if task.arn not in healthy:
                result.stop.append(task)
            elif spare > 0:
                result.stop.append(task)
                spare -= 1
        # Stuck only when waiting cannot help: nothing to start or stop, and every live task is
        # already healthy (a task still starting, or awaiting its health checks, will move).
        # A FAILED deployment is not stuck: it stopped launching tasks on purpose
        # (DeploymentCircuitBreaker in the ECS API reference).
        waiting = any(t.state in STARTING_STATES or t.arn not in healthy for t in live)
        result.stuck = (
            not result.start and not result.stop and not waiting and primary.rollout_state != FAILED
        )

    # ACTIVE deployments "still have running tasks" until their stopped tasks are gone
    winding_down = any(not t.live and t.state != STOPPED for t in tasks)
    settled = (
        not old
        and not winding_down
        and len(mine) == desired
        and all(t.arn in healthy for t in mine)
        and not result.stop
    )
    result.complete = settled and primary.rollout_state == IN_PROGRESS
    result.steady = settled and primary.rollout_state != FAILED
    return result
