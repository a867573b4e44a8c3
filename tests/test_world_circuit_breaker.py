"""The deployment circuit breaker's two stages, each at desired counts 1, 4, 10 and 500.

deployment-circuit-breaker.html: stage 1 counts tasks that never reach RUNNING; stage 2, once a
task of the deployment is RUNNING, counts tasks stopped by failed health checks; the threshold is
min(200, max(3, ceil(0.5 x desiredCount))). Through boto3 at 1, 4 and 10 (one new task at a time,
by maximumPercent, so the count grows one by one); at 500 on the world's own records (500 tasks
through moto would take minutes), with the same counting and planning code.
"""

from __future__ import annotations

import pytest
from world_scenarios import apps_of, register, web_stack

from ecslab.lab import Lab
from ecslab.world import circuit_breaker
from ecslab.world.apps import GenericWebServer
from ecslab.world.deployments import Deployment, ServiceRecord, failure_threshold
from ecslab.world.scheduler import plan

THRESHOLDS = {1: 3, 4: 3, 10: 5, 500: 200}


def breaker_service(desired: int) -> ServiceRecord:
    service = ServiceRecord("1", "r", "c", "web", "arn", desired, circuit_breaker=True)
    service.deployments = [Deployment("ecs-svc/1", "web:2", 0.0)]
    return service


@pytest.mark.parametrize("desired", sorted(THRESHOLDS))
def test_stage_one_counts_tasks_that_never_run_up_to_the_threshold(desired: int) -> None:
    """Stage 1: each TaskFailedToStart adds one; FAILED exactly at the threshold."""
    service = breaker_service(desired)
    threshold = THRESHOLDS[desired]
    assert failure_threshold(desired) == threshold
    for _ in range(threshold - 1):
        circuit_breaker.count(service.primary, circuit_breaker.FAILED_TO_START, 1.0)
    assert not plan(service, [], lambda t: False).fail
    circuit_breaker.count(service.primary, circuit_breaker.FAILED_TO_START, 2.0)
    assert plan(service, [], lambda t: False).fail
    assert service.primary.failed_tasks == threshold


@pytest.mark.parametrize("desired", sorted(THRESHOLDS))
def test_stage_two_counts_health_check_failures_of_running_tasks(desired: int) -> None:
    """Stage 2 (a task reached RUNNING): start failures no longer count, health-check failures
    do, even after a healthy task (which reset the count to 0)."""
    service = breaker_service(desired)
    threshold = THRESHOLDS[desired]
    deployment = service.primary
    circuit_breaker.count(deployment, circuit_breaker.FAILED_TO_START, 1.0)
    deployment.reached_running = True
    circuit_breaker.task_healthy(deployment, reset_on_healthy_task=True)
    assert deployment.failed_tasks == 0
    circuit_breaker.count(deployment, circuit_breaker.FAILED_TO_START, 2.0)
    assert deployment.failed_tasks == 0
    for _ in range(threshold - 1):
        circuit_breaker.count(deployment, circuit_breaker.FAILED_HEALTH_CHECK, 3.0)
    assert not circuit_breaker.tripped(service)
    circuit_breaker.count(deployment, circuit_breaker.FAILED_HEALTH_CHECK, 4.0)
    assert circuit_breaker.tripped(service)


def test_without_reset_on_healthy_task_a_healthy_task_keeps_the_count() -> None:
    """resetOnHealthyTask false (botocore 1.44's DeploymentCircuitBreaker): no reset."""
    deployment = breaker_service(4).primary
    circuit_breaker.count(deployment, circuit_breaker.FAILED_TO_START, 1.0)
    circuit_breaker.task_healthy(deployment, reset_on_healthy_task=False)
    assert deployment.failed_tasks == 1


def _one_at_a_time(desired: int) -> dict[str, object]:
    """A deployment configuration that starts one new task at a time (maximumPercent)."""
    maximum = 100 + max(1, 100 // desired) if desired > 1 else 200
    return {
        "minimumHealthyPercent": 100,
        "maximumPercent": maximum,
        "deploymentCircuitBreaker": {"enable": True, "rollback": True},
    }


def _rolled_back(stack: object) -> bool:
    return any("rolling back to deployment" in m for m in stack.messages())  # type: ignore[attr-defined]


@pytest.mark.parametrize("desired", [1, 4, 10])
def test_stage_one_through_boto3(lab: Lab, desired: int) -> None:
    """A tag nobody pushed: FAILED after exactly the threshold of failed starts, rolled back."""
    uri = lab.client("ecr").create_repository(repositoryName="web")["repository"]["repositoryUri"]
    options = {"deploymentConfiguration": _one_at_a_time(desired)}
    stack = web_stack(lab, desired=desired, deregistration_delay=0, service_options=options)
    lab.wait_stable("demo", "web")
    ecs = lab.client("ecs")
    ecs.update_service(
        cluster="demo", service="web", taskDefinition=register(lab, image=f"{uri}:missing")
    )
    failed = None
    for _ in range(200):
        lab.advance(5)
        failed = next(
            d
            for d in stack.describe()["deployments"]
            if d["taskDefinition"] != stack.task_definition
        )
        if failed["rolloutState"] == "FAILED":
            break
    assert failed is not None and failed["rolloutState"] == "FAILED"
    assert failed["failedTasks"] == THRESHOLDS[desired]
    assert failed["rolloutStateReason"] == "ECS deployment circuit breaker: tasks failed to start."
    assert _rolled_back(stack)
    lab.wait_stable("demo", "web")


@pytest.mark.parametrize("desired", [1, 4, 10])
def test_stage_two_through_boto3(lab: Lab, desired: int) -> None:
    """An image whose app binds another port: its tasks reach RUNNING, fail their ELB health
    checks and are stopped; FAILED after exactly the threshold of them, rolled back, with the
    same rolloutStateReason as stage 1 (as users report it)."""
    apps_of(lab).register("example/8080:1", GenericWebServer(listen_port=8080))
    options = {"deploymentConfiguration": _one_at_a_time(desired)}
    stack = web_stack(lab, desired=desired, deregistration_delay=0, service_options=options)
    lab.wait_stable("demo", "web")
    ecs = lab.client("ecs")
    ecs.update_service(
        cluster="demo", service="web", taskDefinition=register(lab, image="example/8080:1")
    )
    failed = None
    for _ in range(400):
        lab.advance(10)
        failed = next(
            d
            for d in stack.describe()["deployments"]
            if d["taskDefinition"] != stack.task_definition
        )
        if failed["rolloutState"] == "FAILED":
            break
    assert failed is not None and failed["rolloutState"] == "FAILED"
    assert failed["failedTasks"] == THRESHOLDS[desired]
    assert failed["rolloutStateReason"] == "ECS deployment circuit breaker: tasks failed to start."
    reasons = {t["stoppedReason"].split(" (")[0] for t in stack.tasks("STOPPED")}
    assert "Task failed ELB health checks in" in reasons
    assert _rolled_back(stack)
