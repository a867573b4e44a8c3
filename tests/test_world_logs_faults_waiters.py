"""awslogs streams, lab.faults, and boto3 waiters that move the virtual clock."""

from __future__ import annotations

import time

import pytest
from world_scenarios import register, web_stack

from ecslab.errors import NoRunningTask, ServiceNotStable, UnknownFault
from ecslab.lab import Lab
from ecslab.semantics.fault_results import (
    HealthChecksFailing,
    HealthChecksHealed,
    ImageFailurePending,
    TaskKilled,
)

AWSLOGS = {
    "logDriver": "awslogs",
    "options": {
        "awslogs-group": "/ecs/web",
        "awslogs-region": "us-east-1",
        "awslogs-stream-prefix": "ecs",
    },
}


def test_app_lines_land_in_the_configured_group_and_stream(lab: Lab) -> None:
    """Stream <prefix>/<container>/<task-id>; start line and access lines, via plain boto3."""
    logs = lab.client("logs")
    logs.create_log_group(logGroupName="/ecs/web")
    stack = web_stack(lab, desired=1, task_definition=register(lab, logConfiguration=AWSLOGS))
    lab.wait_stable("demo", "web")
    lab.request("/hello")
    task_id = stack.tasks()[0]["taskArn"].split("/")[-1]
    events = logs.get_log_events(logGroupName="/ecs/web", logStreamName=f"ecs/web/{task_id}")
    assert [e["message"] for e in events["events"]] == [
        "listening on port 80",
        '"GET /hello HTTP/1.1" 200',
    ]


def test_a_missing_log_group_fails_the_task(lab: Lab) -> None:
    """Without the group (and without awslogs-create-group) the task cannot start."""
    stack = web_stack(lab, desired=1, task_definition=register(lab, logConfiguration=AWSLOGS))
    lab.advance(30)
    (task,) = stack.tasks("STOPPED")
    assert task["stopCode"] == "TaskFailedToStart"
    assert "The specified log group does not exist." in task["stoppedReason"]


def test_kill_task_makes_the_essential_container_exit_and_the_service_replaces_it(
    lab: Lab,
) -> None:
    """lab.faults.kill_task: exit code 137, EssentialContainerExited, then a replacement."""
    stack = web_stack(lab, desired=1, deregistration_delay=0)
    lab.wait_stable("demo", "web")
    victim = stack.tasks()[0]["taskArn"]
    assert lab.faults.kill_task(victim, "demo") == TaskKilled(task=victim, exit_code=137)
    lab.advance(30)
    (stopped,) = stack.tasks("STOPPED")
    assert (stopped["taskArn"], stopped["stopCode"]) == (victim, "EssentialContainerExited")
    assert stopped["stoppedReason"] == "Essential container in task exited"
    assert stopped["containers"][0]["exitCode"] == 137
    lab.wait_stable("demo", "web")
    assert len(stack.tasks()) == 1


def test_killing_a_task_that_is_not_running_is_one_sentence(lab: Lab) -> None:
    """kill_task of an unknown (or already stopped) task: NoRunningTask, nothing else changes."""
    with pytest.raises(NoRunningTask, match=r"^No running task 0123abcd in this account\.$"):
        lab.faults.kill_task("0123abcd", "demo")


def test_a_fault_no_lever_has_is_one_sentence(lab: Lab) -> None:
    """The backend's fault route with a made-up name (only a hand-made request can send one)."""
    with pytest.raises(UnknownFault, match=r"Unknown fault 'explode': lab\.faults offers"):
        lab._backend.fault("explode", {})


def test_fail_next_image_fails_one_start(lab: Lab) -> None:
    """lab.faults.fail_next_image: the next task cannot pull; the one after starts."""
    assert lab.faults.fail_next_image("web") == ImageFailurePending(pending=1)
    stack = web_stack(lab, desired=1)
    lab.advance(30)
    (failed,) = stack.tasks("STOPPED")
    assert failed["stoppedReason"].startswith("CannotPullContainerError: ")
    lab.wait_stable("demo", "web")


def test_heal_restores_health_checks(lab: Lab) -> None:
    """lab.faults.heal undoes fail_health_checks."""
    stack = web_stack(lab, desired=1, service_options={"healthCheckGracePeriodSeconds": 3600})
    lab.wait_stable("demo", "web")
    failing = lab.faults.fail_health_checks("web", "demo")
    assert failing == HealthChecksFailing(service="web", answer=500)
    lab.advance(60)
    assert stack.states() == ["unhealthy"]
    assert lab.faults.heal("web", "demo") == HealthChecksHealed(service="web")
    lab.advance(30 * 5)
    assert stack.states() == ["healthy"]


def test_the_services_stable_waiter_moves_the_clock_instead_of_sleeping(lab: Lab) -> None:
    """ecs.get_waiter("services_stable") returns at once in real time, later in virtual time."""
    web_stack(lab, desired=2)
    started = time.monotonic()
    lab.client("ecs").get_waiter("services_stable").wait(cluster="demo", services=["web"])
    assert time.monotonic() - started < 5
    assert lab.now >= 30


def test_tasks_running_and_tasks_stopped_waiters(lab: Lab) -> None:
    """tasks_running and tasks_stopped waiters, on a plain boto3 client too."""
    import boto3

    stack = web_stack(lab, desired=1)
    ecs = boto3.client("ecs")
    lab.advance(1)
    arn = stack.tasks()[0]["taskArn"]
    ecs.get_waiter("tasks_running").wait(cluster="demo", tasks=[arn])
    assert (
        lab.client("ecs").describe_tasks(cluster="demo", tasks=[arn])["tasks"][0]["lastStatus"]
        == "RUNNING"
    )
    ecs.stop_task(cluster="demo", task=arn)
    ecs.get_waiter("tasks_stopped").wait(cluster="demo", tasks=[arn])
    assert stack.tasks("STOPPED")[0]["lastStatus"] == "STOPPED"


def test_wait_stable_times_out_on_a_service_that_cannot_settle(lab: Lab) -> None:
    """A service whose tasks never start never reaches a steady state."""
    repository = lab.client("ecr").create_repository(repositoryName="web")["repository"]
    image = f"{repository['repositoryUri']}:missing"
    web_stack(lab, desired=1, task_definition=register(lab, image=image))
    with pytest.raises(ServiceNotStable, match="did not reach a steady state within 300 seconds"):
        lab.wait_stable("demo", "web", timeout=300)
    assert lab.now == pytest.approx(300, abs=1)


def test_closing_the_lab_gives_waiters_their_real_sleep_back() -> None:
    """Outside a simulated lab, botocore's waiters sleep in real time again."""
    import botocore.waiter

    with Lab():
        assert botocore.waiter.time is not time
    assert botocore.waiter.time is time


def test_waiters_sleep_for_real_again_whatever_order_labs_close_in() -> None:
    """Two stand-ins closed oldest first (as a dict of labs closes) leave nothing patched."""
    import botocore.waiter

    from ecslab.world import waiters

    first, second = waiters.install(lambda s: None), waiters.install(lambda s: None)
    first()
    assert botocore.waiter.time is not time
    second()
    assert botocore.waiter.time is time
