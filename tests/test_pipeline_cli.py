"""``ecslab pipeline run``: the rehearsal from a shell."""

from __future__ import annotations

import pytest

from ecslab.cli import main
from ecslab.pipeline import Source
from ecslab.pipeline.source import change_for

pytest.importorskip("fastapi")

EXAMPLE = Source.example()


def test_the_change_bumps_the_backends_version() -> None:
    """The rehearsed commit changes one line of backend/app/main.py."""
    change = change_for(EXAMPLE, "1.2.3", break_health=False)
    assert 'VERSION = "1.2.3"' in change.text("backend/app/main.py")
    assert change.message == "Backend 1.2.3"
    assert change.files["frontend/streamlit_app.py"] == EXAMPLE.files["frontend/streamlit_app.py"]


def test_break_health_makes_health_raise() -> None:
    """--break-health replaces /health's answer with an exception."""
    change = change_for(EXAMPLE, "1.2.3", break_health=True)
    assert 'return {"status": "ok"}' not in change.text("backend/app/main.py")
    assert "/health broken" in change.message


def test_the_command_sets_up_deploys_and_reports(capsys: pytest.CaptureFixture[str]) -> None:
    """`ecslab pipeline run` prints the set-up and the deploy job, and exits 0 on success."""
    code = main(["pipeline", "run"])
    printed = capsys.readouterr()
    assert code == 0, printed.out + printed.err
    assert printed.out.startswith("Set-up (once, before the workflow's first run)")
    assert "▶ Deploy the task definition to the ECS service" in printed.out
    assert printed.out.rstrip().endswith("Workflow succeeded: backend ✔")


def test_no_wait_shows_the_false_green(capsys: pytest.CaptureFixture[str]) -> None:
    """--no-wait --break-health: a green job, then ECS's events of the rollback."""
    code = main(["pipeline", "run", "--no-wait", "--break-health"])
    printed = capsys.readouterr()
    assert code == 0, printed.out + printed.err
    assert "Workflow succeeded: backend ✔" in printed.out
    assert "rolling back to deployment" in printed.out
    assert printed.out.rstrip().endswith(
        "The job was green, yet the service runs ecslab-backend:1 again: the revision it "
        "deployed, ecslab-backend:2, never became healthy and was rolled back."
    )
