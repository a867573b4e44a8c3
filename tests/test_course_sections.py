"""A restart in the middle of every lesson: ``catch_up(lab, lesson, section=k)`` in a fresh
kernel, then the lesson's cells from section k on run green."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import ecslab
from ecslab.course.sections import runnable, sections

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
LESSONS = [path.stem for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))]


def _middle(lesson: str) -> int:
    """A section in the middle of the lesson's teaching (before its exercise)."""
    _, numbered = sections(lesson)
    teaching = [s.number for s in numbered if s.title.split(":")[0] not in ("Exercise",)]
    exercise = next(s.number for s in numbered if s.title.startswith("Exercise"))
    before = [n for n in teaching if n < exercise]
    return before[len(before) // 2] if len(before) > 1 else before[-1]


def test_there_are_lessons() -> None:
    assert len(LESSONS) == 10


def test_sections_are_numbered_after_the_set_up() -> None:
    set_up, numbered = sections("05_alb")
    assert set_up and [s.title for s in numbered[:2]] == ["Target groups", "The load balancer"]


def test_display_lines_are_left_out_and_catch_up_is_not_run_twice() -> None:
    source = 'lab = ecslab.Lab()\ncourse = ecslab.course.catch_up(lab, "05_alb")\nlab.live()\nx = 1'
    assert runnable(source, "done") == "course = done\nx = 1"


def test_an_unknown_section_is_a_sentence(lab) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ecslab.ConfigurationError, match="section=99 is not one of them"):
        ecslab.course.catch_up(lab, "05_alb", section=99)


@pytest.mark.parametrize("lesson", LESSONS)
def test_a_restart_in_the_middle_then_continue(lesson: str) -> None:
    section = _middle(lesson)
    _, numbered = sections(lesson)
    cells = [
        nbformat.v4.new_code_cell(
            f"import ecslab\nlab = ecslab.Lab()\n"
            f"course = ecslab.course.catch_up(lab, {lesson!r}, section={section})\ncourse"
        )
    ]
    cells += [nbformat.v4.new_code_cell(c) for s in numbered[section - 1 :] for c in s.cells]
    notebook = nbformat.v4.new_notebook(cells=cells)
    NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    ).execute()
    shown = notebook.cells[0].outputs[-1]["data"]["text/plain"]
    assert f"of {lesson}, re-run" in shown
