"""The progress file: round trip, recovery from a broken or foreign file, export, the command."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ecslab.cli import main
from ecslab.progress import Progress, ProgressFileWarning, default_path
from ecslab.quiz import ask as quiz
from ecslab.quiz.bank import lessons, load_bank


class TickingClock:
    """A wall clock for tests: each reading is one minute after the last."""

    def __init__(self) -> None:
        self.moment = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.moment += timedelta(minutes=1)
        return self.moment


@pytest.fixture
def path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "data" / "progress.json"
    monkeypatch.setenv("ECSLAB_PROGRESS_FILE", str(target))
    return target


def test_a_fresh_file_round_trips(path: Path) -> None:
    """Answers and checks written by one Progress are read back by another."""
    writer = Progress(path, now=TickingClock())
    writer.record_answer("06_cicd", "ecr-vs-ecs", correct=False, revealed=False)
    writer.record_answer("06_cicd", "ecr-vs-ecs", correct=True, revealed=False)
    writer.record_check("01_ecr", "repository api", passed=False)
    rows = Progress(path).rows()
    assert rows == [
        {
            "learner": "",
            "account": "",
            "lesson": "01_ecr",
            "kind": "check",
            "item": "repository api",
            "attempts": 1,
            "correct": False,
            "revealed": False,
            "first_at": "2026-01-05T09:03:00+00:00",
            "last_at": "2026-01-05T09:03:00+00:00",
            "done_at": "",
        },
        {
            "learner": "",
            "account": "",
            "lesson": "06_cicd",
            "kind": "question",
            "item": "ecr-vs-ecs",
            "attempts": 2,
            "correct": True,
            "revealed": False,
            "first_at": "2026-01-05T09:01:00+00:00",
            "last_at": "2026-01-05T09:02:00+00:00",
            "done_at": "2026-01-05T09:02:00+00:00",
        },
    ]


def test_quiz_answers_reach_the_file(path: Path) -> None:
    """Answering and revealing through a quiz is recorded per lesson and question."""
    asked = quiz("06_cicd", "ecr-vs-ecs", "rolling-steps")
    asked[1].answer("ECS", "ECR")
    asked[1].answer("ECR", "ECS")
    asked[2].solution()
    rows = {row["item"]: row for row in Progress(path).rows()}
    assert rows["ecr-vs-ecs"]["attempts"] == 2 and rows["ecr-vs-ecs"]["correct"]
    assert rows["rolling-steps"]["attempts"] == 0 and rows["rolling-steps"]["revealed"]


def test_record_false_writes_nothing(path: Path) -> None:
    quiz("06_cicd", "ecr-vs-ecs", record=False).answer("ECR", "ECS")
    assert not path.exists()


def test_a_corrupted_file_is_set_aside_with_a_warning(path: Path) -> None:
    """Not JSON: backed up beside it, a warning names both, and recording goes on."""
    path.parent.mkdir(parents=True)
    path.write_text('{"format": "ecslab-progress", "lessons": {', "utf-8")
    progress = Progress(path, now=TickingClock())
    with pytest.warns(ProgressFileWarning, match="could not be read") as caught:
        progress.record_answer("01_ecr", "why-ecr", correct=True, revealed=False)
    backup = path.with_name("progress.json.corrupt-20260105T090100Z")
    assert str(backup) in str(caught[0].message)
    assert backup.read_text("utf-8").startswith('{"format": "ecslab-progress"')
    assert [row["item"] for row in Progress(path).rows()] == ["why-ecr"]


@pytest.mark.parametrize(
    "content",
    [
        '["a", "list"]',
        '{"format": "something-else", "version": 1, "lessons": {}}',
        '{"format": "ecslab-progress", "version": 99, "lessons": {}}',
        '{"format": "ecslab-progress", "version": 1, "lessons": '
        '{"01": {"questions": {"q": {"attempts": "two"}}}}}',
    ],
)
def test_a_foreign_file_is_set_aside_too(path: Path, content: str) -> None:
    """Valid JSON that is not our progress file is not trusted nor overwritten in place."""
    path.parent.mkdir(parents=True)
    path.write_text(content, "utf-8")
    with pytest.warns(ProgressFileWarning, match="not an ecslab progress file"):
        rows = Progress(path).rows()
    assert rows == []
    assert [p.read_text("utf-8") for p in path.parent.glob("progress.json.corrupt-*")] == [content]


def test_an_unwritable_place_warns_and_goes_on(tmp_path: Path) -> None:
    """A progress path inside a file (not a directory) cannot be written: a warning, no crash."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    progress = Progress(blocker / "progress.json")
    with pytest.warns(ProgressFileWarning, match="could not be saved"):
        progress.record_check("01_ecr", "repository api", passed=True)


def test_default_path_and_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The variable wins; 'off' records nothing; otherwise the user's data directory."""
    monkeypatch.setenv("ECSLAB_PROGRESS_FILE", str(tmp_path / "p.json"))
    assert default_path() == tmp_path / "p.json"
    monkeypatch.setenv("ECSLAB_PROGRESS_FILE", "off")
    assert default_path() is None
    Progress().record_check("01_ecr", "x", passed=True)  # nothing happens, nothing fails
    monkeypatch.delenv("ECSLAB_PROGRESS_FILE")
    assert default_path().parts[-2:] == ("ecslab", "progress.json")


def test_the_export_opens_as_csv(path: Path, tmp_path: Path) -> None:
    """ecslab progress --export FILE.csv writes one row per question and check."""
    progress = Progress(path, now=TickingClock())
    progress.record_answer("06_cicd", "ecr-vs-ecs", correct=True, revealed=False)
    progress.record_check("01_ecr", "repository api", passed=True)
    target = tmp_path / "class.csv"
    assert main(["progress", "--export", str(target)]) == 0
    with target.open(newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert [
        (r["lesson"], r["kind"], r["item"], r["correct"]) for r in rows if r["attempts"] != "0"
    ] == [
        ("01_ecr", "check", "repository api", "True"),
        ("06_cicd", "question", "ecr-vs-ecs", "True"),
    ]
    unopened = [r for r in rows if r["attempts"] == "0"]
    assert len(unopened) == sum(len(load_bank(lesson).questions) for lesson in lessons()) - 1
    assert {r["kind"] for r in unopened} == {"question"}


def test_a_quiz_never_opened_counts_its_questions(path: Path) -> None:
    """Lesson 03's quiz unopened reads 0/N with N its questions, not 0/0."""
    Progress(path).record_answer("06_cicd", "ecr-vs-ecs", correct=True, revealed=False)
    asked = len(load_bank("03_task_definitions").questions)
    assert asked >= 2
    assert f"03_task_definitions: 0/{asked} questions solved" in Progress(path).summary()


def test_the_export_as_json(path: Path, tmp_path: Path) -> None:
    Progress(path).record_answer("06_cicd", "ecr-vs-ecs", correct=False, revealed=True)
    target = tmp_path / "class.json"
    assert main(["progress", "--export", str(target)]) == 0
    (row,) = [r for r in json.loads(target.read_text("utf-8")) if r["item"] == "ecr-vs-ecs"]
    assert (row["item"], row["revealed"]) == ("ecr-vs-ecs", True)


def test_the_summary(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """ecslab progress prints per lesson what is solved and passed."""
    assert main(["progress"]) == 0
    assert "Nothing recorded yet" in capsys.readouterr().out
    progress = Progress(path)
    progress.record_answer("06_cicd", "ecr-vs-ecs", correct=True, revealed=False)
    progress.record_answer("06_cicd", "rolling-steps", correct=False, revealed=True)
    progress.record_check("06_cicd", "service course/api", passed=True)
    assert main(["progress"]) == 0
    out = capsys.readouterr().out
    assert f"Progress file: {path}" in out
    asked = len(load_bank("06_cicd").questions)
    assert (
        f"06_cicd: 1/{asked} questions solved in 2 attempts, 1 solution looked up; "
        "1/1 checks passed" in out
    )


@pytest.mark.parametrize("on_drive", [False, True])
def test_a_record_is_written_through_a_temporary_file_except_on_the_browsers_drive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, on_drive: bool
) -> None:
    """On a disk, a record goes to a temporary file renamed over the last one (never half
    written); on the browser's drive, where a file reaches the page whole when it is closed,
    it is written in place (a temporary file and a rename are four more requests there)."""
    import tempfile

    from ecslab import pyodide_drive, pyodide_platform

    if on_drive:
        monkeypatch.setattr(pyodide_platform, "IN_BROWSER", True)
        monkeypatch.setattr(pyodide_drive, "SITE_FOLDER", tmp_path)
    temporary: list[str] = []
    made = tempfile.mkstemp
    monkeypatch.setattr(
        tempfile, "mkstemp", lambda **kw: (temporary.append(kw["prefix"]), made(**kw))[1]
    )
    progress = Progress(tmp_path / ".ecslab" / "progress.json", now=TickingClock())
    progress.record_check("01_ecr", "repository api", passed=True)
    progress.record_check("01_ecr", "repository api", passed=True)
    assert progress.load()["lessons"]["01_ecr"]["checks"]["repository api"]["attempts"] == 2
    assert temporary == ([] if on_drive else [".progress-", ".progress-"])
    assert [p.name for p in (tmp_path / ".ecslab").iterdir()] == ["progress.json"]
