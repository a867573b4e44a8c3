"""wait_stable on a real account: polling describe_services, printing new events and progress."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from ecslab.backends import base
from ecslab.backends.base import Backend


class ScriptedEcs:
    """describe_services answers from a script, one per poll."""

    def __init__(self, answers: list[dict[str, Any]]) -> None:
        self.answers = answers

    def describe_services(self, cluster: str, services: list[str]) -> dict[str, Any]:
        return {"services": [self.answers.pop(0)] if self.answers else []}


class RealLike(Backend):
    """A backend on "real" AWS whose ECS client is scripted."""

    name = "aws"
    simulated = False
    poll_seconds = 15.0

    def __init__(self, ecs: ScriptedEcs) -> None:
        self.ecs = ecs

    def _make_session(self) -> boto3.Session:  # pragma: no cover - never called
        raise AssertionError

    def client(self, service: str, **kwargs: Any) -> Any:
        return self.ecs


def _service(running: int, deployments: int, events: list[str]) -> dict[str, Any]:
    at = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    return {
        "status": "ACTIVE",
        "runningCount": running,
        "desiredCount": 2,
        "pendingCount": 2 - running,
        "deployments": [{}] * deployments,
        "events": [{"id": m, "createdAt": at, "message": m} for m in reversed(events)],
    }


def test_polls_until_stable_and_prints_only_the_new_events(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Old events stay unprinted; new ones appear as they come; it returns once stable."""
    clock = {"now": 0.0}
    monkeypatch.setattr(base.time, "monotonic", lambda: clock["now"])
    monkeypatch.setattr(base.time, "sleep", lambda s: clock.__setitem__("now", clock["now"] + s))
    ecs = ScriptedEcs(
        [
            _service(0, 2, ["old"]),
            _service(1, 2, ["old", "(service web) has started 2 tasks: (task a) (task b)."]),
            _service(
                2,
                1,
                [
                    "old",
                    "(service web) has started 2 tasks: (task a) (task b).",
                    "(service web) has reached a steady state.",
                ],
            ),
        ]
    )
    assert RealLike(ecs).wait_stable("demo", "web", 600) == 30.0
    out = capsys.readouterr().out
    assert "old" not in out
    assert "09:00:00 (service web) has started 2 tasks" in out
    assert out.strip().endswith("09:00:00 (service web) has reached a steady state.")
    assert "     0 s: 0/2 running, 2 pending" in out


def test_gives_up_after_the_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """A service that never settles: TimeoutError once the timeout has passed."""
    clock = {"now": 0.0}
    monkeypatch.setattr(base.time, "monotonic", lambda: clock["now"])
    monkeypatch.setattr(base.time, "sleep", lambda s: clock.__setitem__("now", clock["now"] + s))
    ecs = ScriptedEcs([_service(0, 2, []) for _ in range(10)])
    with pytest.raises(TimeoutError):
        RealLike(ecs).wait_stable("demo", "web", 40)
    assert clock["now"] == 40
