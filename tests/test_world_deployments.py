"""Rolling deployments within their bounds, and the circuit breaker rolling a bad image back."""

from __future__ import annotations

import math

import pytest
from world_scenarios import register, web_stack

from ecslab.lab import Lab
from ecslab.world.deployments import bounds, failure_threshold


@pytest.mark.parametrize(
    ("desired", "threshold"), [(1, 3), (4, 3), (7, 4), (25, 13), (400, 200), (800, 200)]
)
def test_the_circuit_breaker_threshold_is_half_the_desired_count_between_3_and_200(
    desired: int, threshold: int
) -> None:
    """deployment-circuit-breaker.html: min(200, max(3, ceil(0.5 * desiredCount)))."""
    assert failure_threshold(desired) == threshold


def test_bounds_round_the_minimum_up_and_the_maximum_down() -> None:
    """The ECS model: minimumHealthyPercent rounded up, maximumPercent rounded down."""
    assert bounds(3, 50, 125) == (2, 3)
    assert bounds(2, 75, 200) == (2, 4)


def _watch(lab: Lab, stack, seconds: float, step: float = 5.0) -> list[tuple[int, int, int]]:
    """(healthy old+new RUNNING, all live tasks, new RUNNING) every ``step`` seconds."""
    seen = []
    for _ in range(int(seconds / step)):
        lab.advance(step)
        service = stack.describe()
        live = sum(d["runningCount"] + d["pendingCount"] for d in service["deployments"])
        primary = service["deployments"][0]
        seen.append((service["runningCount"], live, primary["runningCount"]))
    return seen


@pytest.mark.parametrize(("minimum", "maximum"), [(100, 200), (50, 100), (50, 150)])
def test_a_rolling_deployment_stays_within_its_bounds_at_every_step(
    lab: Lab, minimum: int, maximum: int
) -> None:
    """Every 5 s of a 4-task rollout: RUNNING ≥ ceil(min) and RUNNING+PENDING ≤ floor(max)."""
    stack = web_stack(
        lab,
        desired=4,
        deregistration_delay=30,
        service_options={
            "deploymentConfiguration": {
                "minimumHealthyPercent": minimum,
                "maximumPercent": maximum,
            }
        },
    )
    lab.wait_stable("demo", "web")
    second = register(lab, image="nginx:1.28")
    lab.client("ecs").update_service(cluster="demo", service="web", taskDefinition=second)
    deployments = stack.describe()["deployments"]
    assert [d["status"] for d in deployments] == ["PRIMARY", "ACTIVE"]
    assert deployments[0]["rolloutState"] == "IN_PROGRESS"
    seen = _watch(lab, stack, 600)
    floor_running = math.ceil(4 * minimum / 100)
    ceiling_live = math.floor(4 * maximum / 100)
    assert all(live <= ceiling_live for _, live, _ in seen)
    # RUNNING tasks can be draining; healthy ones stay at or above the minimum
    assert all(running >= floor_running for running, _, _ in seen)
    final = stack.describe()
    assert [d["taskDefinition"] for d in final["deployments"]] == [second]
    assert final["deployments"][0]["rolloutState"] == "COMPLETED"
    assert {t["taskDefinitionArn"] for t in stack.tasks()} == {second}


def test_force_new_deployment_replaces_every_task_with_the_same_definition(lab: Lab) -> None:
    """forceNewDeployment makes a new PRIMARY; the old tasks are all replaced."""
    stack = web_stack(lab, desired=2, deregistration_delay=0)
    lab.wait_stable("demo", "web")
    before = {t["taskArn"] for t in stack.tasks()}
    first_id = stack.describe()["deployments"][0]["id"]
    answer = lab.client("ecs").update_service(
        cluster="demo", service="web", forceNewDeployment=True
    )["service"]
    deployments = stack.describe()["deployments"]
    assert [d["id"] for d in answer["deployments"]] == [d["id"] for d in deployments]
    assert deployments[1]["id"] == first_id and deployments[0]["id"] != first_id
    lab.wait_stable("demo", "web")
    assert not before & {t["taskArn"] for t in stack.tasks()}
    assert len(stack.tasks()) == 2


def test_a_new_network_configuration_starts_a_deployment_and_the_same_one_does_not(
    lab: Lab,
) -> None:
    """UpdateService: networkConfiguration "triggers a new service deployment" (botocore's ECS
    model, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html);
    the tasks then start with the new settings (here: no public IP)."""
    stack = web_stack(lab, desired=2, deregistration_delay=0)
    lab.wait_stable("demo", "web")
    ecs = lab.client("ecs")
    same = stack.describe()["networkConfiguration"]
    ecs.update_service(cluster="demo", service="web", networkConfiguration=same)
    assert len(stack.describe()["deployments"]) == 1
    private = {"awsvpcConfiguration": {**same["awsvpcConfiguration"], "assignPublicIp": "DISABLED"}}
    ecs.update_service(cluster="demo", service="web", networkConfiguration=private)
    deployments = stack.describe()["deployments"]
    assert [d["status"] for d in deployments] == ["PRIMARY", "ACTIVE"]
    lab.advance(300)  # the new tasks cannot pull nginx without a public IP
    assert any("was unable to place a task" in m for m in stack.messages())


def test_a_bad_image_rolls_back_through_the_circuit_breaker(lab: Lab) -> None:
    """An image tag missing from ECR fails 3 tasks; the deployment FAILS and rolls back."""
    ecr = lab.client("ecr")
    repository = ecr.create_repository(repositoryName="web")["repository"]["repositoryUri"]
    stack = web_stack(
        lab,
        desired=2,
        service_options={
            "deploymentConfiguration": {
                "deploymentCircuitBreaker": {"enable": True, "rollback": True}
            }
        },
    )
    lab.wait_stable("demo", "web")
    good = stack.describe()["deployments"][0]["id"]
    broken = register(lab, image=f"{repository}:missing")
    lab.client("ecs").update_service(cluster="demo", service="web", taskDefinition=broken)
    snapshots = []
    for _ in range(60):
        lab.advance(5)
        snapshots.append(stack.describe()["deployments"])
    with_failure = next(s for s in snapshots if any(d["rolloutState"] == "FAILED" for d in s))
    failed = next(d for d in with_failure if d["taskDefinition"] == broken)
    primary = with_failure[0]
    assert failed["status"] == "ACTIVE"
    assert failed["rolloutStateReason"] == "ECS deployment circuit breaker: tasks failed to start."
    assert failed["failedTasks"] >= 3
    assert primary["id"] == good
    messages = stack.messages()
    assert (
        f"(service web) (deployment {failed['id']}) deployment failed: tasks failed to start."
        in messages
    )
    assert f"(service web) rolling back to deployment {good}." in messages
    stopped = stack.tasks("STOPPED")
    assert stopped and {t["stopCode"] for t in stopped} == {"TaskFailedToStart"}
    assert stopped[0]["stoppedReason"] == (
        "CannotPullContainerError: pull image manifest has been retried 1 time(s): "
        f"failed to resolve ref {repository}:missing: {repository}:missing: not found"
    )
    lab.wait_stable("demo", "web")
    assert stack.describe()["runningCount"] == 2


def test_without_rollback_a_failed_deployment_launches_no_more_tasks(lab: Lab) -> None:
    """A FAILED deployment doesn't launch new tasks (ECS model, Deployment.rolloutState)."""
    ecr = lab.client("ecr")
    repository = ecr.create_repository(repositoryName="web")["repository"]["repositoryUri"]
    stack = web_stack(
        lab,
        desired=1,
        service_options={
            "deploymentConfiguration": {
                "deploymentCircuitBreaker": {"enable": True, "rollback": False}
            }
        },
    )
    lab.wait_stable("demo", "web")
    broken = register(lab, image=f"{repository}:missing")
    lab.client("ecs").update_service(cluster="demo", service="web", taskDefinition=broken)
    lab.advance(600)
    primary = stack.describe()["deployments"][0]
    assert (primary["taskDefinition"], primary["rolloutState"]) == (broken, "FAILED")
    assert primary["failedTasks"] == 3
    assert stack.describe()["runningCount"] == 1  # the old task keeps serving


def test_no_stuck_event_while_new_tasks_await_their_health_checks(lab) -> None:
    """AWS writes "unable to stop or start tasks" when the bounds leave no move at all
    (service-event-messages); a 100/200 rollout waiting on health checks is not stuck."""
    from ecslab.course.catch_up import catch_up

    catch_up(lab, "06_cicd")
    ecs = lab.client("ecs")
    ecs.update_service(cluster="course", service="api", forceNewDeployment=True)
    lab.wait_stable("course", "api")
    events = ecs.describe_services(cluster="course", services=["api"])["services"][0]["events"]
    assert not any("unable to stop or start tasks" in e["message"] for e in events)
    assert events[0]["message"] == "(service api) has reached a steady state."


def test_a_deployment_with_no_room_to_move_says_so(lab) -> None:
    """minimumHealthyPercent 100 with maximumPercent 100: no start and no stop is allowed, and
    the service says so in AWS's words (deployment-type-ecs.md, service-event-messages)."""
    from ecslab.course.catch_up import catch_up

    catch_up(lab, "06_cicd")
    ecs = lab.client("ecs")
    ecs.update_service(
        cluster="course",
        service="api",
        forceNewDeployment=True,
        deploymentConfiguration={"minimumHealthyPercent": 100, "maximumPercent": 100},
    )
    lab.advance(60)
    events = ecs.describe_services(cluster="course", services=["api"])["services"][0]["events"]
    assert events[0]["message"] == (
        "service (api) was unable to stop or start tasks during a deployment because of the "
        "service deployment configuration. Update the minimumHealthyPercent or maximumPercent "
        "value and try again."
    )
