"""The learner edition of the real lessons (what ``make lab`` opens): no solution leaks, no ✓ of
an exercise check, and each runs up to its first exercise, where it stops with the TODO's
NotImplementedError; ``ecslab.solution`` then shows the solved lesson's code."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

import ecslab
from ecslab.course.student import BEGIN, exercise_cells, solutions, student_notebook

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
LESSONS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def _code(notebook: nbformat.NotebookNode) -> list[str]:
    return [c.source for c in notebook.cells if c.cell_type == "code"]


def test_there_are_lessons_to_check() -> None:
    assert len(LESSONS) == 10


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_no_solution_line_reaches_the_student(path: Path) -> None:
    """Every line inside a solution block that appears nowhere else in the lesson is gone."""
    source = nbformat.read(path, as_version=4)
    student = student_notebook(source, path.stem)
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
        assert line not in outside, f"solution line leaks into the learner edition: {line!r}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_no_exercise_check_shows_a_tick(path: Path) -> None:
    """The solved lesson's exercise check shows ✓; the learner's copy nothing from there on."""
    source = nbformat.read(path, as_version=4)
    first = exercise_cells(source)[0]
    check = source.cells[first + 1]
    assert "ecslab.check." in check.source and "✓" in str(check.outputs), path.name
    student = student_notebook(source, path.stem)
    later = [c for c in student.cells[first:] if c.cell_type == "code"]
    assert later and all(not c.outputs for c in later)
    assert "✓" not in str([c.outputs for c in student.cells[first:] if c.cell_type == "code"])


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_the_solution_is_revealed_on_request(path: Path) -> None:
    source = nbformat.read(path, as_version=4)
    shown = ecslab.solution(path.stem, 1)
    assert shown.code.strip() and solutions(source.cells[exercise_cells(source)[0]].source) == [
        line.strip() for line in shown.code.splitlines() if line.strip()
    ]


def test_an_unknown_exercise_is_a_sentence() -> None:
    with pytest.raises(ecslab.ConfigurationError, match="has 1 exercise; 2 is not one"):
        ecslab.solution("01_ecr", 2)
    with pytest.raises(ecslab.ConfigurationError, match="No lesson 'ecr'"):
        ecslab.solution("ecr")


def test_make_lab_opens_the_learner_edition() -> None:
    """``make lab`` writes the learner edition and opens it, with no news prompt."""
    recipe = (ROOT / "Makefile").read_text().split("\nlab:", 1)[1].split("\n\n", 1)[0]
    assert "ecslab student --source notebooks --out learner --trust" in recipe
    assert "jupyter lab" in recipe and recipe.rstrip().endswith("learner/")
    assert "--LabApp.news_url=None" in recipe


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
    student = student_notebook(source, path.stem)
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
