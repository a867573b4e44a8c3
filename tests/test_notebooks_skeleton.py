"""Every lesson has the course's skeleton: the shape learners can rely on from one to the next."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from ecslab.course.student import solutions

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
LESSONS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def test_the_course_has_its_ten_lessons_in_reading_order() -> None:
    """Lessons 00 to 09, numbered files that sort into the reading order; no stray notebooks."""
    assert [p.name[:2] for p in LESSONS] == [f"{n:02d}" for n in range(10)]
    stray = [
        p.name
        for p in NOTEBOOKS.rglob("*.ipynb")
        if p not in LESSONS and ".ipynb_checkpoints" not in p.parts
    ]
    assert stray == []


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_skeleton(path: Path) -> None:
    """Title, goals, set-up, checkpoints, recap and a link onward; one kernel name everywhere."""
    notebook = nbformat.read(path, as_version=4)
    assert notebook.metadata.kernelspec.name == "python3"
    first = notebook.cells[0]
    assert first.cell_type == "markdown"
    assert re.match(rf"# Lesson {path.name[:2]} · \S", first.source), first.source.splitlines()[0]
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    for heading in ("## Goals", "## Recap"):
        assert heading in markdown, f"{path.name} has no {heading!r}"
    assert "ecslab.Lab(" in "".join(c.source for c in notebook.cells if c.cell_type == "code")
    assert re.search(r"(ecslab\.quiz|ecslab\.check|lab\.check)\(", _code(notebook)), "no checkpoint"
    if path != LESSONS[-1]:
        assert LESSONS[LESSONS.index(path) + 1].name in notebook.cells[-1].source, "no link onward"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_code_cells_are_short(path: Path) -> None:
    """One to a few lines a cell, as in the courses people learn from; helpers go in the library."""
    notebook = nbformat.read(path, as_version=4)
    lengths = sorted(len(c.source.splitlines()) for c in notebook.cells if c.cell_type == "code")
    assert lengths[len(lengths) // 2] <= 3, f"median {lengths[len(lengths) // 2]} lines"
    assert lengths[-1] <= 12


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_every_lesson_has_an_exercise_with_a_solution(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    assert solutions(_code(notebook)), f"{path.name} has no marked exercise solution"


def _code(notebook: nbformat.NotebookNode) -> str:
    return "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
