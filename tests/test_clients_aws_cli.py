"""The AWS CLI, unmodified, deploys on ``ecslab server`` as on AWS: its waiters return.

Each waiter is botocore's (``aws ecs wait``, ``aws elbv2 wait``) with its own delay between
polls (6 or 15 s of real time), against a server whose clock runs 20 times faster; each command
must succeed within ``COMMAND_TIMEOUT``.
"""

from __future__ import annotations

import json
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
def aws() -> str:
    return str(python_client("aws", "The AWS CLI (awscli from PyPI)"))


def _ok(done) -> str:
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _json(done) -> dict:
    return json.loads(_ok(done))


def test_a_rolling_deployment_waits_until_stable_in_service_and_deregistered(
    course: Course, aws: str
) -> None:
    group = course.built.target_groups["api"]
    old = _json(
        course.run("aws", aws, "elbv2", "describe-target-health", "--target-group-arn", group)
    )
    old_targets = [
        f"Id={d['Target']['Id']},Port={d['Target']['Port']}"
        for d in old["TargetHealthDescriptions"]
    ]
    assert len(old_targets) == 2
    _ok(
        course.run(
            "aws",
            aws,
            "ecs",
            "update-service",
            "--cluster",
            "course",
            "--service",
            "api",
            "--force-new-deployment",
        )
    )
    _ok(
        course.run(
            "aws", aws, "ecs", "wait", "services-stable", "--cluster", "course", "--services", "api"
        )
    )
    _ok(course.run("aws", aws, "elbv2", "wait", "target-in-service", "--target-group-arn", group))
    _ok(
        course.run(
            "aws",
            aws,
            "elbv2",
            "wait",
            "target-deregistered",
            "--target-group-arn",
            group,
            "--targets",
            *old_targets,
        )
    )
    now = _json(
        course.run(
            "aws",
            aws,
            "elbv2",
            "describe-target-health",
            "--target-group-arn",
            group,
            "--targets",
            *old_targets,
        )
    )
    assert {d["TargetHealth"]["State"] for d in now["TargetHealthDescriptions"]} == {"unused"}
    service = _json(
        course.run(
            "aws", aws, "ecs", "describe-services", "--cluster", "course", "--services", "api"
        )
    )
    (deployment,) = service["services"][0]["deployments"]
    assert deployment["rolloutState"] == "COMPLETED"


def test_a_task_runs_and_stops_while_the_cli_waits(course: Course, aws: str) -> None:
    network = json.dumps(course.built.network())
    run = _json(
        course.run(
            "aws",
            aws,
            "ecs",
            "run-task",
            "--cluster",
            "course",
            "--task-definition",
            "web",
            "--launch-type",
            "FARGATE",
            "--network-configuration",
            network,
        )
    )
    (task,) = run["tasks"]
    arn = task["taskArn"]
    assert task["lastStatus"] == "PROVISIONING"
    _ok(
        course.run(
            "aws", aws, "ecs", "wait", "tasks-running", "--cluster", "course", "--tasks", arn
        )
    )
    _ok(course.run("aws", aws, "ecs", "stop-task", "--cluster", "course", "--task", arn))
    _ok(
        course.run(
            "aws", aws, "ecs", "wait", "tasks-stopped", "--cluster", "course", "--tasks", arn
        )
    )
    described = _json(
        course.run("aws", aws, "ecs", "describe-tasks", "--cluster", "course", "--tasks", arn)
    )
    assert described["tasks"][0]["stopCode"] == "UserInitiated"


def test_a_new_load_balancer_becomes_available(course: Course, aws: str) -> None:
    created = _json(
        course.run(
            "aws",
            aws,
            "elbv2",
            "create-load-balancer",
            "--name",
            "cli-alb",
            "--subnets",
            *course.built.subnets[:2],
            "--security-groups",
            course.built.alb_security_group,
        )
    )
    (balancer,) = created["LoadBalancers"]
    assert balancer["State"]["Code"] == "provisioning"
    _ok(
        course.run(
            "aws",
            aws,
            "elbv2",
            "wait",
            "load-balancer-available",
            "--load-balancer-arns",
            balancer["LoadBalancerArn"],
        )
    )
    found = _json(course.run("aws", aws, "elbv2", "describe-load-balancers", "--names", "cli-alb"))
    assert found["LoadBalancers"][0]["State"]["Code"] == "active"


def test_a_deleted_service_drains_then_turns_inactive(course: Course, aws: str) -> None:
    """The course's web service, behind the ALB: its tasks drain their targets (the group's
    300 s deregistration delay) before they stop, and the service is DRAINING meanwhile."""
    deleted = _json(
        course.run(
            "aws", aws, "ecs", "delete-service", "--cluster", "course", "--service", "web",
            "--force",
        )
    )  # fmt: skip
    assert deleted["service"]["status"] == "DRAINING"
    now = _json(
        course.run(
            "aws", aws, "ecs", "describe-services", "--cluster", "course", "--services", "web"
        )
    )
    assert now["services"][0]["status"] == "DRAINING"
    _ok(
        course.run(
            "aws", aws, "ecs", "wait", "services-inactive", "--cluster", "course", "--services",
            "web",
        )
    )  # fmt: skip
    listed = _json(course.run("aws", aws, "ecs", "list-services", "--cluster", "course"))
    assert not any(arn.endswith("/web") for arn in listed["serviceArns"])
    tasks = _json(
        course.run(
            "aws", aws, "ecs", "list-tasks", "--cluster", "course", "--service-name", "web",
            "--desired-status", "STOPPED",
        )
    )  # fmt: skip
    described = _json(
        course.run(
            "aws", aws, "ecs", "describe-tasks", "--cluster", "course", "--tasks",
            *tasks["taskArns"],
        )
    )  # fmt: skip
    assert {t["lastStatus"] for t in described["tasks"]} <= {
        "STOPPING",
        "DEPROVISIONING",
        "STOPPED",
    }
