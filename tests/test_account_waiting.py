"""Waiting for a service to become stable: the aws backend's polling, progress and interrupts."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from botocore.exceptions import ClientError

from ecslab.account.waiting import (
    POLL_SECONDS,
    ServiceNotStable,
    describe_state,
    is_stable,
    lab_seams,
    wait_for_load_balancer,
    wait_until_drained,
    wait_until_load_balancer_active,
    wait_until_stable,
)
from ecslab.backends.aws import AwsBackend
from ecslab.lab import Lab

T0 = dt.datetime(2026, 1, 1, 12, 0, 0, tzinfo=dt.UTC)


def _service(running: int, desired: int, deployments: int, events: list[tuple[str, str]]) -> dict:
    return {
        "serviceName": "api",
        "status": "ACTIVE",
        "runningCount": running,
        "desiredCount": desired,
        "deployments": [{"status": "PRIMARY", "rolloutState": "IN_PROGRESS"}]
        + [{"status": "ACTIVE"}] * (deployments - 1),
        # newest first, as DescribeServices lists them
        "events": [
            {"id": i, "message": m, "createdAt": T0 + dt.timedelta(seconds=15 * n)}
            for n, (i, m) in reversed(list(enumerate(events)))
        ],
    }


class ScriptedEcs:
    """Answers DescribeServices from a script, one answer per poll (the last one repeats)."""

    def __init__(self, answers: list[dict[str, Any]]) -> None:
        self.answers = answers
        self.polls = 0

    def describe_services(self, cluster: str, services: list[str]) -> dict[str, Any]:
        answer = self.answers[min(self.polls, len(self.answers) - 1)]
        self.polls += 1
        if isinstance(answer, BaseException):
            raise answer
        return {"services": [answer], "failures": []} if "serviceName" in answer else answer


class VirtualTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


STARTING = [("e1", "(service api) has started 2 tasks: (task a) (task b).")]
STEADY = [*STARTING, ("e2", "(service api) has reached a steady state.")]


def _wait(ecs: ScriptedEcs, time: VirtualTime, out: io.StringIO, **kwargs: Any) -> dict:
    return wait_until_stable(
        ecs, "c", "api", kwargs.pop("timeout", 600), sleep=time.sleep, clock=lambda: time.now,
        file=out, **kwargs,
    )


def test_it_polls_every_15_seconds_until_one_deployment_runs_all_tasks() -> None:
    """Two deployments, then 1 of 2 running, then stable: three polls, two 15 s pauses."""
    ecs = ScriptedEcs(
        [_service(0, 2, 2, []), _service(1, 2, 1, STARTING), _service(2, 2, 1, STEADY)]
    )
    time, out = VirtualTime(), io.StringIO()
    final = _wait(ecs, time, out)
    assert final["runningCount"] == 2
    assert ecs.polls == 3
    assert time.sleeps == [POLL_SECONDS, POLL_SECONDS]


def test_new_events_are_printed_once_oldest_first() -> None:
    """Each event appears once, in the order it happened, with its time."""
    ecs = ScriptedEcs([_service(1, 2, 1, STARTING), _service(2, 2, 1, STEADY)])
    time, out = VirtualTime(), io.StringIO()
    _wait(ecs, time, out)
    pieces = [piece for line in out.getvalue().splitlines() for piece in line.split("\r")]
    assert [piece for piece in pieces if piece[:1].isdigit()] == [
        "12:00:00 (service api) has started 2 tasks: (task a) (task b).",
        "12:00:15 (service api) has reached a steady state.",
    ]


def test_the_bar_shows_counts_and_the_latest_event() -> None:
    """The bar's status line says where the deployment stands."""
    ecs = ScriptedEcs([_service(1, 2, 1, STARTING), _service(2, 2, 1, STEADY)])
    time, out = VirtualTime(), io.StringIO()
    _wait(ecs, time, out)
    assert "Waiting for service api to become stable" in out.getvalue()
    assert "1/2 running, 1 deployment (PRIMARY IN_PROGRESS)" in out.getvalue()


def test_a_timeout_says_where_it_stands_and_where_to_look() -> None:
    """Not stable within the timeout: an ecslab error naming counts and the call to read."""
    ecs = ScriptedEcs([_service(1, 2, 1, STARTING)])
    time = VirtualTime()
    with pytest.raises(ServiceNotStable, match=r"not done after 60 s: 1/2 running") as error:
        _wait(ecs, time, io.StringIO(), timeout=60)
    assert "describe_services" in str(error.value)
    assert time.now == 60


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"services": [], "failures": [{"reason": "MISSING"}]}, "does not exist"),
        ({"services": [{"status": "DRAINING"}], "failures": []}, "is DRAINING"),
    ],
)
def test_the_waiters_failure_states_end_the_wait(answer: dict, message: str) -> None:
    """MISSING, DRAINING and INACTIVE are failures in botocore's ServicesStable waiter."""
    with pytest.raises(ServiceNotStable, match=message):
        _wait(ScriptedEcs([answer]), VirtualTime(), io.StringIO())


def test_an_interrupt_reports_what_is_done_and_what_is_not(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Ctrl-C during the wait: the counts so far, and that nothing was undone."""
    ecs = ScriptedEcs([_service(1, 2, 2, STARTING), KeyboardInterrupt()])
    with pytest.raises(KeyboardInterrupt):
        _wait(ecs, VirtualTime(), io.StringIO())
    printed = capsys.readouterr().out
    assert "Interrupted while waiting for service api to become stable." in printed
    assert "not done: 1 of 2 desired tasks running" in printed
    assert "not done: 2 deployment(s) in progress, 1 expected when finished" in printed
    assert "Nothing was undone" in printed


def test_stability_is_the_botocore_waiter_condition() -> None:
    """One deployment and running == desired; nothing else."""
    assert is_stable(_service(2, 2, 1, []))
    assert not is_stable(_service(2, 2, 2, []))
    assert not is_stable(_service(1, 2, 1, []))
    state = describe_state(_service(0, 0, 1, []))
    assert state == "0/0 running, 1 deployment (PRIMARY IN_PROGRESS)"


def test_polling_a_simulated_service_through_real_boto3(lab: Lab) -> None:
    """The same loop reads a real DescribeServices answer (a service of zero tasks is stable)."""
    ecs = lab.client("ecs")
    ecs.create_cluster(clusterName="c")
    ecs.register_task_definition(
        family="api", containerDefinitions=[{"name": "api", "image": "nginx", "memory": 128}]
    )
    ecs.create_service(cluster="c", serviceName="api", taskDefinition="api", desiredCount=0)
    found = wait_until_stable(
        ecs, "c", "api", 60, sleep=lab.advance, clock=lambda: lab.now, progress=False
    )
    assert found["serviceName"] == "api"


def test_the_aws_backend_has_wait_stable_with_the_shared_signature() -> None:
    """AwsBackend.wait_stable(cluster, service, timeout), as the simulated backends have it."""
    import inspect

    parameters = list(inspect.signature(AwsBackend.wait_stable).parameters)
    assert parameters == ["self", "cluster", "service", "timeout"]


class ScriptedElbv2:
    """Answers DescribeLoadBalancers / DescribeTargetHealth from scripts, one per poll."""

    def __init__(self, states: list[Any], health: list[Any] | None = None) -> None:
        self.states, self.health, self.polls = states, health or [], 0

    def _next(self, script: list[Any]) -> Any:
        answer = script[min(self.polls, len(script) - 1)]
        self.polls += 1
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def describe_load_balancers(self, LoadBalancerArns: list[str]) -> dict:
        code = self._next(self.states)
        return {"LoadBalancers": [{"LoadBalancerArn": LoadBalancerArns[0], "State": code}]}

    def describe_target_health(self, TargetGroupArn: str) -> dict:
        states = self._next(self.health)
        return {"TargetHealthDescriptions": [{"TargetHealth": {"State": s}} for s in states]}


ALB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188"
TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/73e2d6bc24d8a067"


def _not_found() -> ClientError:
    return ClientError({"Error": {"Code": "LoadBalancerNotFound", "Message": "x"}}, "Describe")


def test_a_load_balancer_is_waited_for_while_provisioning() -> None:
    """Not found, then provisioning, then active: three polls (LoadBalancerAvailable)."""
    elbv2 = ScriptedElbv2([_not_found(), {"Code": "provisioning"}, {"Code": "active"}])
    time, out = VirtualTime(), io.StringIO()
    found = wait_until_load_balancer_active(
        elbv2, ALB, sleep=time.sleep, clock=lambda: time.now, file=out
    )
    assert found["State"]["Code"] == "active"
    assert time.sleeps == [POLL_SECONDS, POLL_SECONDS]
    assert "Waiting for load balancer web to be provisioned" in out.getvalue()


def test_a_failed_load_balancer_ends_the_wait_with_its_reason() -> None:
    """State failed: the wait ends at once, saying why."""
    elbv2 = ScriptedElbv2([{"Code": "failed", "Reason": "subnet full"}])
    with pytest.raises(ServiceNotStable, match="web failed to provision: subnet full"):
        wait_until_load_balancer_active(
            elbv2, ALB, sleep=VirtualTime().sleep, clock=lambda: 0.0, progress=False
        )


def test_draining_is_waited_for_until_no_target_drains() -> None:
    """Two draining, one draining, none: three polls (TargetDeregistered)."""
    elbv2 = ScriptedElbv2([], [["draining", "draining"], ["draining", "unused"], ["unused"]])
    time = VirtualTime()
    wait_until_drained(elbv2, TG, sleep=time.sleep, clock=lambda: time.now, progress=False)
    assert elbv2.polls == 3


def test_an_interrupt_while_draining_says_what_still_drains(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Ctrl-C: how many targets still drain, and that draining continues in AWS."""
    elbv2 = ScriptedElbv2([], [["draining", "unused"], KeyboardInterrupt()])
    time = VirtualTime()
    with pytest.raises(KeyboardInterrupt):
        wait_until_drained(elbv2, TG, sleep=time.sleep, clock=lambda: time.now, progress=False)
    printed = capsys.readouterr().out
    assert "Interrupted while waiting for the targets of api to drain." in printed
    assert "done: 1 unused" in printed
    assert "not done: 1 target(s) still draining" in printed


def test_on_a_simulated_lab_the_waits_use_its_clock_and_show_no_bar(
    lab: Lab, capsys: pytest.CaptureFixture[str]
) -> None:
    """lab_seams: virtual sleep, virtual clock, no bar in a notebook's outputs."""
    seams = lab_seams(lab)
    assert seams["progress"] is False
    seams["sleep"](30)
    assert seams["clock"]() == lab.now == 30
    ec2 = lab.client("ec2")
    subnets = [s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]][:2]
    arn = lab.client("elbv2").create_load_balancer(Name="web", Subnets=subnets)[
        "LoadBalancers"
    ][0]["LoadBalancerArn"]
    assert wait_for_load_balancer(lab, arn)["State"]["Code"] == "active"
    assert capsys.readouterr().err == ""
