"""Student versions: solutions out, a clear TODO in, outputs cleared, nothing else changed."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from ecslab.course.student import (
    STOP,
    TODO,
    SolutionMarkerError,
    solutions,
    strip_code,
    student_notebook,
    write_student_versions,
)

EXERCISE = """ecr = lab.client("ecr")
### BEGIN SOLUTION
ecr.create_repository(repositoryName="api")
### END SOLUTION
print("done")"""


def test_marked_lines_become_a_todo_and_a_stop() -> None:
    assert strip_code(EXERCISE).splitlines() == [
        'ecr = lab.client("ecr")',
        TODO,
        STOP,
        'print("done")',
    ]


def test_indentation_is_kept() -> None:
    source = "if True:\n    ### BEGIN SOLUTION\n    x = 1\n    ### END SOLUTION"
    assert strip_code(source) == f"if True:\n    {TODO}\n    {STOP}"


def test_unbalanced_markers_are_refused() -> None:
    with pytest.raises(SolutionMarkerError, match="never closed"):
        strip_code("### BEGIN SOLUTION\nx = 1")
    with pytest.raises(SolutionMarkerError, match="without"):
        strip_code("x = 1\n### END SOLUTION")


def test_solutions_lists_what_must_not_leak() -> None:
    assert solutions(EXERCISE) == ['ecr.create_repository(repositoryName="api")']


def _notebook() -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell(EXERCISE)
    code.outputs = [nbformat.v4.new_output("stream", text="done\n")]
    code.execution_count = 3
    notebook.cells = [
        nbformat.v4.new_markdown_cell(
            "# Lesson\n<!-- BEGIN SOLUTION -->The answer<!-- END SOLUTION -->"
        ),
        code,
    ]
    return notebook


def test_student_notebook_has_no_solution_and_no_outputs_from_the_exercise_on() -> None:
    notebook = _notebook()
    before = nbformat.v4.new_code_cell("lab.diagram()")
    before.outputs = [nbformat.v4.new_output("stream", text="a diagram\n")]
    notebook.cells.insert(1, before)
    student = student_notebook(notebook, "01_ecr")
    assert "The answer" not in student.cells[0].source
    assert student.cells[1].outputs == before.outputs  # a step the lesson walks through
    assert "create_repository" not in student.cells[2].source
    assert "ecslab.solution('01_ecr', 1)" in student.cells[2].source
    assert student.cells[2].outputs == [] and student.cells[2].execution_count is None


def test_a_learners_copy_is_kept_unless_forced(tmp_path: Path) -> None:
    source, out = tmp_path / "notebooks", tmp_path / "learner"
    source.mkdir()
    nbformat.write(_notebook(), source / "01_ecr.ipynb")
    assert write_student_versions(source, out)
    (out / "01_ecr.ipynb").write_text((out / "01_ecr.ipynb").read_text().replace("TODO", "MINE"))
    assert write_student_versions(source, out) == []
    assert "MINE" in (out / "01_ecr.ipynb").read_text()
    assert write_student_versions(source, out, force=True) == [out / "01_ecr.ipynb"]
    assert "MINE" not in (out / "01_ecr.ipynb").read_text()


def test_write_student_versions_writes_every_numbered_lesson(tmp_path: Path) -> None:
    source, out = tmp_path / "notebooks", tmp_path / "student"
    source.mkdir()
    nbformat.write(_notebook(), source / "01_ecr.ipynb")
    nbformat.write(_notebook(), source / "scratch.ipynb")  # not a lesson
    written = write_student_versions(source, out)
    assert [p.name for p in written] == ["01_ecr.ipynb"]
    assert "create_repository" not in (out / "01_ecr.ipynb").read_text()
