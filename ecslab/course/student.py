"""The learner edition of the lessons: the solved notebooks with the exercises unsolved.

The lessons in ``notebooks/`` are the single source, solved, and CI runs them under nbval. An
exercise's solution is marked the way nbgrader marks it, so instructors who know that tool
recognise it at once::

    ### BEGIN SOLUTION
    ecr.create_repository(repositoryName="api", ...)
    ### END SOLUTION

In the learner edition (``learner/``, what ``make lab`` opens) the marked lines become a TODO,
a pointer to :func:`ecslab.solution` and a ``raise NotImplementedError``, so a learner who runs
the notebook top to bottom stops at the first exercise they have not done; the exercise's check
stays in the cell below it. Outputs before the first exercise stay (the diagrams and answers of
the steps the lesson walks through); from the first exercise on every output is cleared, since
the exercise's ✓ and what follows from it would give the answer away. Markdown between
``<!-- BEGIN SOLUTION -->`` and ``<!-- END SOLUTION -->`` goes, and so does saved widget state.

A learner's own copy is never overwritten: writing the edition again adds only the lessons that
are missing (``--force`` replaces them all).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import nbformat

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
MARKDOWN_SOLUTION = re.compile(r"<!-- BEGIN SOLUTION -->.*?<!-- END SOLUTION -->", re.S)
TODO = "# TODO: your code here (the next cell checks it)"
STOP = 'raise NotImplementedError("Exercise: write your answer above, then run this cell.")'
LEARNER_DIR = "learner"


class SolutionMarkerError(ValueError):
    """A solution block was opened and not closed (or closed without being opened)."""


def reveal_line(lesson: str, number: int) -> str:
    """The comment that tells a learner how to see the solution, after trying."""
    return f"# Tried it and stuck? ecslab.solution({lesson!r}, {number}) shows one solution."


def strip_code(source: str, reveal: str = "") -> str:
    """Replace each marked solution block with a TODO, keeping the indentation."""
    lines, out, inside = source.splitlines(), [], False
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise SolutionMarkerError(f"line {number}: {BEGIN} inside another solution")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out += [indent + TODO, *([indent + reveal] if reveal else []), indent + STOP]
        elif stripped == END:
            if not inside:
                raise SolutionMarkerError(f"line {number}: {END} without {BEGIN}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise SolutionMarkerError(f"{BEGIN} is never closed")
    return "\n".join(out)


def solutions(source: str) -> list[str]:
    """The lines inside marked solution blocks (what must never reach a learner)."""
    found, inside = [], False
    for line in source.splitlines():
        if line.strip() in (BEGIN, END):
            inside = line.strip() == BEGIN
        elif inside and line.strip():
            found.append(line.strip())
    return found


def exercise_cells(notebook: nbformat.NotebookNode) -> list[int]:
    """The indexes of the cells that hold a marked solution, in order (exercise 1, 2, ...)."""
    return [
        index
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and BEGIN in cell.source
    ]


def student_notebook(notebook: nbformat.NotebookNode, lesson: str = "") -> nbformat.NotebookNode:
    """A copy of ``notebook`` without solutions, and without outputs from its first exercise on."""
    import nbformat

    copy = nbformat.from_dict(notebook)
    exercises = exercise_cells(copy)
    first = exercises[0] if exercises else len(copy.cells)
    for index, cell in enumerate(copy.cells):
        if cell.cell_type == "code":
            number = exercises.index(index) + 1 if index in exercises else 0
            reveal = reveal_line(lesson, number) if lesson and number else ""
            cell.source = strip_code(cell.source, reveal)
            if index >= first:
                cell.outputs = []
                cell.execution_count = None
        elif cell.cell_type == "markdown":
            cell.source = MARKDOWN_SOLUTION.sub("", cell.source)
    copy.metadata.pop("widgets", None)  # saved widget state holds answers too
    return copy


def write_student_versions(
    source_dir: Path,
    out_dir: Path,
    lessons: list[str] | None = None,
    *,
    force: bool = False,
    trust: bool = False,
) -> list[Path]:
    """Write the learner edition of every lesson in ``source_dir`` (or of ``lessons`` only)
    that ``out_dir`` lacks.

    With ``force``, every lesson is written again, over the learner's copy. With ``trust``, each
    written lesson is signed as ``jupyter trust`` signs it, so JupyterLab shows its saved
    diagrams (SVG and HTML outputs) on opening instead of hiding them as untrusted.
    """
    import nbformat
    from nbformat.sign import NotebookNotary

    notary = NotebookNotary() if trust else None
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(source_dir.glob("[0-9][0-9]_*.ipynb")):
        if lessons is not None and path.stem not in lessons:
            continue
        target = out_dir / path.name
        if target.exists() and not force:
            continue
        notebook = nbformat.read(path, as_version=4)
        learner = student_notebook(notebook, path.stem)
        if notary is not None:
            notary.sign(learner)
        nbformat.write(learner, target)
        written.append(target)
    return written
