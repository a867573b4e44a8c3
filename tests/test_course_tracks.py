"""Tracks: lessons and minutes declared once, a track's student set, catch-up recorded."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from ecslab.cli import main
from ecslab.course import catch_up
from ecslab.course.catch_up import LESSONS
from ecslab.course.tracks import LESSON_MINUTES, STARTS_WITH_CATCH_UP, TRACKS, track
from ecslab.errors import ConfigurationError
from ecslab.progress import Progress

NOTEBOOKS = Path(__file__).parent.parent / "notebooks"
SET_UP_CELLS = 3


def _header_minutes(lesson: str) -> int:
    first = nbformat.read(NOTEBOOKS / f"{lesson}.ipynb", as_version=4).cells[0].source
    return int(re.search(r"\*\*Time:\*\* (\d+) minutes", first).group(1))


def test_the_lesson_times_are_the_lessons_headers() -> None:
    """The one table of minutes says what each lesson's header says."""
    assert list(LESSON_MINUTES) == list(LESSONS)
    assert {lesson: _header_minutes(lesson) for lesson in LESSONS} == LESSON_MINUTES


@pytest.mark.parametrize("name", sorted(TRACKS))
def test_a_tracks_minutes_add_up(name: str) -> None:
    chosen = TRACKS[name]
    assert sum(slot.minutes for slot in chosen.slots) == chosen.minutes
    assert chosen.lessons == sorted(chosen.lessons)  # the course's order
    assert set(chosen.lessons) <= set(LESSONS)


def test_the_tracks_lengths() -> None:
    assert (TRACKS["full"].minutes, TRACKS["workshop-3h"].minutes) == (370, 180)
    assert TRACKS["taster-90m"].minutes == 90
    assert TRACKS["full"].lessons == list(LESSONS)


def test_an_unknown_track_is_one_sentence() -> None:
    with pytest.raises(ConfigurationError, match=r"No track 'half-day'\. The tracks: full, "):
        track("half-day")


def _set_up(path: Path) -> str:
    code = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    return "\n".join(code[:SET_UP_CELLS])


@pytest.mark.parametrize("name", ["workshop-3h", "taster-90m"])
def test_a_tracks_student_set_holds_its_lessons_and_opens_with_the_catch_up(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`ecslab student --track` writes exactly the track's lessons and its agenda; each lesson
    that needs earlier ones catches up to itself in its set-up, the others start empty."""
    out = tmp_path / "student"
    assert main(["student", "--track", name, "--out", str(out)]) == 0
    chosen = TRACKS[name]
    assert sorted(p.stem for p in out.glob("*.ipynb")) == chosen.lessons
    for lesson in chosen.lessons:
        set_up = _set_up(out / f"{lesson}.ipynb")
        calls = re.findall(r'catch_up\(lab, "([0-9a-z_]+)"\)', set_up)
        assert calls == ([lesson] if lesson in STARTS_WITH_CATCH_UP else []), lesson
    agenda = (out / "README.md").read_text("utf-8")
    for lesson in chosen.lessons:
        assert f"({lesson}.ipynb)" in agenda
    assert f"| {chosen.minutes // 60}:{chosen.minutes % 60:02d} | end |" in agenda
    assert "README.md" in capsys.readouterr().out


def test_every_lesson_that_needs_earlier_ones_catches_up() -> None:
    """The declared set of catch-up lessons is what the lessons do."""
    needing = {
        lesson
        for lesson in LESSONS
        if f'catch_up(lab, "{lesson}")' in _set_up(NOTEBOOKS / f"{lesson}.ipynb")
    }
    assert needing == STARTS_WITH_CATCH_UP


def test_catch_up_records_the_lessons_it_stood_in_for(
    lab: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """catch_up(lab, "04_services") marks 00-03 as caught up, which is not done."""
    path = tmp_path / "progress.json"
    monkeypatch.setenv("ECSLAB_PROGRESS_FILE", str(path))
    catch_up(lab, "04_services")
    rows = [r for r in Progress(path).rows() if r["kind"] == "caught up"]
    assert [(r["lesson"], r["item"]) for r in rows] == [
        (lesson, "04_services") for lesson in LESSONS[:4]
    ]
    assert not any(r["correct"] for r in rows)
    summary = Progress(path).summary()
    assert "01_ecr: 0/" in summary and "caught up (by catch_up for 04_services)" in summary
    assert "04_services: 0/" in summary and "04_services: 0/0" not in summary
