"""Views and checks read the account, never change it: every AWS call they make is a Describe,
List or Get (the diagram, the snapshot behind it, every exercise check).

On a real account a check that wrote would cost money or break the learner's work; here every
call the clients send while they run is recorded at botocore's one door (``_make_api_call``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.client import BaseClient

from ecslab import checks
from ecslab.course.catch_up import catch_up
from ecslab.lab import Lab

READS = ("Describe", "List", "Get", "BatchGet")


@pytest.fixture(autouse=True)
def _progress_file(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECSLAB_PROGRESS_FILE", str(tmp_path / "progress.json"))


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The operations every boto3 client sends from the moment the fixture is asked for."""
    made: list[str] = []
    original = BaseClient._make_api_call

    def recording(self: BaseClient, operation_name: str, api_params: Any) -> Any:
        made.append(f"{self.meta.service_model.service_name}.{operation_name}")
        return original(self, operation_name, api_params)

    monkeypatch.setattr(BaseClient, "_make_api_call", recording)
    yield made


def _writes(made: list[str]) -> list[str]:
    return sorted({call for call in made if not call.split(".", 1)[1].startswith(READS)})


def test_the_diagram_and_its_snapshot_only_read(lab: Lab, calls: list[str]) -> None:
    catch_up(lab, "09_capstone")
    calls.clear()
    lab.snapshot()
    lab.diagram()
    assert calls, "the diagram made no call: nothing was recorded"
    assert _writes(calls) == []


def test_every_exercise_check_only_reads(lab: Lab, calls: list[str]) -> None:
    catch_up(lab, "09_capstone")
    lab.advance(300)
    calls.clear()
    results = [
        checks.cluster(lab, "course"),
        checks.repository(lab, "api"),
        checks.running_task(lab, "course", "api"),
        checks.task_definition(lab, "api"),
        checks.service(lab, "course", "api", target_group="api"),
        checks.route(lab, "/api/hello", target_group="api"),
        checks.security_groups(lab, "course-alb", "course-tasks"),
        checks.secret(lab, "api", "DATABASE_URL"),
    ]
    assert len(results) == len(checks.Checks().names())
    assert calls, "the checks made no call: nothing was recorded"
    assert _writes(calls) == []
