"""Target health from the target group's settings; ECS replacing tasks that fail ELB checks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from world_scenarios import apps_of, web_stack

from ecslab.lab import Lab
from ecslab.world.apps import HttpAnswer
from ecslab.world.health import CheckResult, HealthCheck, TargetHealth, matches


@dataclass
class NoHealthPage:
    """An app that answers 404 on /health and 200 elsewhere."""

    startup_seconds: float = 5.0

    def answer(
        self, method: str, path: str, headers: Mapping[str, str], environment: Mapping[str, str]
    ) -> HttpAnswer:
        return HttpAnswer(404 if path.startswith("/health") else 200, "hello")

    def exit_code(self, environment: Mapping[str, str]) -> int | None:
        return None


def test_matchers_accept_single_codes_lists_and_ranges() -> None:
    """ALB matchers: "200", "200,202", "200-299"."""
    assert matches("200", 200) and not matches("200", 204)
    assert matches("200,202", 202) and matches("200-299", 250) and not matches("200-299", 302)


def test_a_new_target_needs_one_pass_and_an_unhealthy_one_needs_the_threshold() -> None:
    """AWS: a new target must pass one check; a target coming back needs HealthyThresholdCount."""
    settings = HealthCheck(healthy_threshold=3, unhealthy_threshold=2)
    target = TargetHealth("tg", "10.0.0.4", 80, registered_at=0.0)
    assert target.record(CheckResult(True), settings) == "healthy"
    target.record(CheckResult.from_status("200", 500), settings)
    assert target.record(CheckResult.from_status("200", 500), settings) == "unhealthy"
    assert target.reason == "Target.ResponseCodeMismatch"
    assert target.description == "Health checks failed with these codes: [500]"
    assert [target.record(CheckResult(True), settings) for _ in range(3)] == [None, None, "healthy"]


def test_a_wrong_health_path_makes_targets_unhealthy_and_ecs_replaces_the_tasks(lab: Lab) -> None:
    """404 on the health path: unhealthy (ResponseCodeMismatch); ECS stops and replaces the task."""
    apps_of(lab).register("nginx:1.27", NoHealthPage())
    stack = web_stack(lab, desired=1, health_path="/health", deregistration_delay=5)
    lab.advance(25 + 10 + 30 * 2)  # ACTIVATING at 25 s, registered at 35 s, two failed checks
    (description,) = stack.health()  # stopped at once (no grace period): the target drains
    assert description["TargetHealth"]["Reason"] == "Target.DeregistrationInProgress"
    messages = stack.messages()
    assert any(
        m == f"(service web) (port 80) is unhealthy in (target-group {stack.target_group}) "
        "due to (reason Health checks failed with these codes: [404])."
        for m in messages
    )
    lab.advance(60)
    (stopped,) = stack.tasks("STOPPED")
    assert stopped["stoppedReason"] == (
        f"Task failed ELB health checks in (target-group {stack.target_group})"
    )
    assert stopped["stopCode"] == "ServiceSchedulerInitiated"
    assert len(stack.tasks()) == 1  # the replacement


def test_the_grace_period_keeps_an_unhealthy_task_running(lab: Lab) -> None:
    """healthCheckGracePeriodSeconds: ECS ignores ELB health checks until the period ends."""
    apps_of(lab).register("nginx:1.27", NoHealthPage())
    stack = web_stack(
        lab,
        desired=1,
        health_path="/health",
        service_options={"healthCheckGracePeriodSeconds": 300},
    )
    lab.advance(30 + 10 + 30 * 3)
    assert stack.states() == ["unhealthy"]
    assert stack.tasks("STOPPED") == []
    lab.advance(300)
    assert len(stack.tasks("STOPPED")) == 1


def test_draining_lasts_the_deregistration_delay(lab: Lab) -> None:
    """A stopped task's target drains for deregistration_delay.timeout_seconds, then is gone."""
    stack = web_stack(lab, desired=1, deregistration_delay=120)
    lab.wait_stable("demo", "web")
    (task,) = stack.tasks()
    lab.client("ecs").update_service(cluster="demo", service="web", desiredCount=0)
    lab.advance(1)
    assert stack.states() == ["draining"]
    ecs = lab.client("ecs")
    described = ecs.describe_tasks(cluster="demo", tasks=[task["taskArn"]])["tasks"][0]
    assert described["lastStatus"] == "DEACTIVATING"
    lab.advance(118)
    assert stack.states() == ["draining"]
    lab.advance(1)
    assert stack.states() == []
    described = ecs.describe_tasks(cluster="demo", tasks=[task["taskArn"]])["tasks"][0]
    assert described["lastStatus"] == "STOPPING"
    messages = stack.messages()
    assert "(service web) has begun draining connections on 1 tasks." in messages
    assert (
        f"(service web) deregistered 1 targets in (target-group {stack.target_group})" in messages
    )
    assert messages.index("(service web) has begun draining connections on 1 tasks.") < (
        messages.index(
            f"(service web) has stopped 1 running tasks: (task {task['taskArn'].split('/')[-1]})."
        )
    )


def test_the_default_deregistration_delay_is_300_seconds(lab: Lab) -> None:
    """Without the attribute set, draining takes the ELB default of 300 s."""
    stack = web_stack(lab, desired=1)
    lab.wait_stable("demo", "web")
    lab.client("ecs").update_service(cluster="demo", service="web", desiredCount=0)
    lab.advance(299)
    assert stack.states() == ["draining"]
    lab.advance(2)
    assert stack.states() == []


def test_a_health_check_that_times_out_says_request_timed_out(lab: Lab) -> None:
    """A hanging app: unhealthy with Target.Timeout."""
    stack = web_stack(lab, desired=1, service_options={"healthCheckGracePeriodSeconds": 3600})
    lab.wait_stable("demo", "web")
    lab.faults.fail_health_checks("web", "demo", timeout=True)
    lab.advance(60)
    (description,) = stack.health()
    assert description["TargetHealth"] == {
        "State": "unhealthy",
        "Reason": "Target.Timeout",
        "Description": "Request timed out",
    }
