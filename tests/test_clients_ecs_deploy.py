"""fabfuel's ecs-deploy, unmodified, gives its verdicts on ``ecslab server`` as on AWS.

``ecs deploy`` registers a new task definition revision, updates the service and polls every
second: it succeeds once the service runs only the new revision, and fails with "Deployment
Failed! ..." (the deployment's ``rolloutStateReason``) when the circuit breaker fails it, or
earlier when a service event says "unable".
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from client_support import Course, python_client, serving_course

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def course() -> Iterator[Course]:
    """One sped-up server for this module, the course's world on it."""
    with serving_course() as served:
        yield served


@pytest.fixture(scope="module")
def ecs_deploy() -> str:
    return str(python_client("ecs", "fabfuel's ecs-deploy (ecs-deploy from PyPI)"))


def test_a_good_deploy_succeeds(course: Course, ecs_deploy: str) -> None:
    done = course.run(
        "ecs-deploy", ecs_deploy, "deploy", "course", "web", "--timeout", "180", "--no-deregister"
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "Deployment successful" in done.stdout
    described = course.lab.client("ecs").describe_services(cluster="course", services=["web"])
    (deployment,) = described["services"][0]["deployments"]
    assert deployment["taskDefinition"].endswith(":2")
    assert deployment["rolloutState"] == "COMPLETED"


def test_the_circuit_breaker_without_rollback_is_its_verdict(
    course: Course, ecs_deploy: str
) -> None:
    ecs = course.lab.client("ecs")
    ecs.create_service(
        cluster="course",
        serviceName="breaker",
        taskDefinition="web",
        desiredCount=1,
        launchType="FARGATE",
        networkConfiguration=course.built.network(),
        deploymentConfiguration={"deploymentCircuitBreaker": {"enable": True, "rollback": False}},
    )
    course.lab.wait_stable("course", "breaker")
    done = course.run(
        "ecs-deploy",
        ecs_deploy,
        "deploy",
        "course",
        "breaker",
        "--tag",
        "no-such-tag",
        "--timeout",
        "180",
        "--no-deregister",
        "--ignore-warnings",
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output[-2000:]
    assert "Deployment Failed! ECS deployment circuit breaker: tasks failed to start." in output
    assert "unable to place a task. Reason: CannotPullContainerError" in output
    assert "unable to stop or start tasks" not in output  # no min/max deadlock is reported
