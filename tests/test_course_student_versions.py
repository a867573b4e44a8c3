"""The student versions of the real lessons: no solution leaks, and each runs up to its first
exercise, where it stops with the TODO's NotImplementedError."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from ecslab.course.student import BEGIN, solutions, student_notebook

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
LESSONS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def _code(notebook: nbformat.NotebookNode) -> list[str]:
    return [c.source for c in notebook.cells if c.cell_type == "code"]


def test_there_are_lessons_to_check() -> None:
    assert len(LESSONS) == 10


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_no_solution_line_reaches_the_student(path: Path) -> None:
    """Every line inside a solution block that appears nowhere else in the lesson is gone."""
    source = nbformat.read(path, as_version=4)
    student = student_notebook(source)
    outside = {line.strip() for cell in student.cells for line in cell.source.splitlines()}
    solution_lines = [line for cell in _code(source) for line in solutions(cell)]
    assert solution_lines, f"{path.name} has no marked solution"
    unique = [
        line
        for line in solution_lines
        if any(ch.isalnum() for ch in line) and _elsewhere(source, line) == 0
    ]
    assert unique, f"every solution line of {path.name} also appears outside its solution"
    for line in unique:
        assert line not in outside, f"solution line leaks into the student version: {line!r}"
    assert all(not c.outputs for c in student.cells if c.cell_type == "code")


def _elsewhere(notebook: nbformat.NotebookNode, line: str) -> int:
    """How often ``line`` appears in the lesson outside solution blocks."""
    count = 0
    for cell in _code(notebook):
        inside = False
        for raw in cell.splitlines():
            if raw.strip() in (BEGIN, "### END SOLUTION"):
                inside = raw.strip() == BEGIN
            elif not inside and raw.strip() == line:
                count += 1
    return count


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_the_student_version_runs_up_to_its_first_exercise(path: Path, tmp_path: Path) -> None:
    source = nbformat.read(path, as_version=4)
    first_exercise = next(
        index
        for index, cell in enumerate(source.cells)
        if cell.cell_type == "code" and BEGIN in cell.source
    )
    student = student_notebook(source)
    client = NotebookClient(
        student,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    with pytest.raises(CellExecutionError) as stopped:
        client.execute()
    assert stopped.value.ename == "NotImplementedError"
    ran = [i for i, c in enumerate(student.cells) if c.cell_type == "code" and c.outputs]
    errors = [
        i
        for i, c in enumerate(student.cells)
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "error"
    ]
    assert errors == [first_exercise], "stopped somewhere else than the first exercise"
    assert ran and max(ran) == first_exercise
