"""Waiting for a service to become stable: the aws backend's polling, progress and interrupts."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest

from ecslab.account.waiting import (
    POLL_SECONDS,
    ServiceNotStable,
    describe_state,
    is_stable,
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
    with pytest.raises(ServiceNotStable, match=r"not stable after 60 s: 1/2 running") as error:
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
    assert "Interrupted: stopped waiting for service api." in printed
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
