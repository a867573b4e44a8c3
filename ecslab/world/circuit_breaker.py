"""The deployment circuit breaker's two stages: what counts as a failed task, and when it trips.

What AWS does: stage 1 watches the deployment's tasks until one is RUNNING; each task that fails
to reach RUNNING adds one to the failure count. Stage 2 starts once a task of the deployment is
RUNNING: each health-check failure of its tasks (Elastic Load Balancing, Cloud Map, container
health checks) that stops a task adds one. When the count reaches the threshold
(``min(200, max(3, ceil(0.5 * desiredCount)))`` by default, or as ``thresholdConfiguration``
says) the deployment is FAILED ("ECS deployment circuit breaker: tasks failed to start." for
both stages) and, with ``rollback``, the last COMPLETED deployment comes back. With
``resetOnHealthyTask`` (default true) a task that reaches a healthy state sets the count to 0.
Sources: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html
and botocore's ECS model (``DeploymentCircuitBreaker``, ``Deployment.failedTasks``,
``ServiceDeploymentCircuitBreaker.threshold``).

Differs from AWS: whether an essential container that exits after RUNNING (no health check
involved) counts is not documented; here it counts until a task of the deployment has been
healthy, as a task that never became healthy.
"""

from __future__ import annotations

from ecslab.world.deployments import IN_PROGRESS, Deployment, ServiceRecord

#: Why a task failed, as the breaker tells them apart.
FAILED_TO_START, FAILED_HEALTH_CHECK, EXITED = "start", "health", "exit"


def count(deployment: Deployment, why: str, now: float) -> None:
    """One task of ``deployment`` failed for reason ``why``; count it if its stage does."""
    counts = (
        (why == FAILED_TO_START and not deployment.reached_running)  # stage 1
        or why == FAILED_HEALTH_CHECK  # stage 2
        or (why == EXITED and not deployment.proven)  # undocumented: see the module docstring
    )
    if counts:
        deployment.failed_tasks += 1
        deployment.updated_at = now


def task_healthy(deployment: Deployment, reset_on_healthy_task: bool) -> None:
    """A task of ``deployment`` reached a healthy state."""
    deployment.proven = True
    if reset_on_healthy_task:
        deployment.failed_tasks = 0


def tripped(service: ServiceRecord) -> bool:
    """Whether the breaker fails the service's PRIMARY deployment now."""
    primary = service.primary
    return (
        service.circuit_breaker
        and primary.rollout_state == IN_PROGRESS
        and primary.failed_tasks >= service.failure_threshold()
    )
