"""Student versions of the lessons: the instructor's notebooks with the solutions taken out.

The lessons in ``notebooks/`` are the single source. An exercise's solution is marked the way
nbgrader marks it, so instructors who know that tool recognise it at once::

    ### BEGIN SOLUTION
    ecr.create_repository(repositoryName="api", ...)
    ### END SOLUTION

In the student version the marked lines become a TODO and a ``raise NotImplementedError``, so a
learner who runs the notebook top to bottom stops at the first exercise they have not done; the
exercise's check stays in the cell below it. Every output is cleared (an output can give an
answer away), and markdown between ``<!-- BEGIN SOLUTION -->`` and ``<!-- END SOLUTION -->`` goes.
"""

from __future__ import annotations

import argparse
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


class SolutionMarkerError(ValueError):
    """A solution block was opened and not closed (or closed without being opened)."""


def strip_code(source: str) -> str:
    """Replace each marked solution block with a TODO, keeping the indentation."""
    lines, out, inside = source.splitlines(), [], False
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise SolutionMarkerError(f"line {number}: {BEGIN} inside another solution")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out += [indent + TODO, indent + STOP]
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
    """The lines inside marked solution blocks (what must never reach a student)."""
    found, inside = [], False
    for line in source.splitlines():
        if line.strip() in (BEGIN, END):
            inside = line.strip() == BEGIN
        elif inside and line.strip():
            found.append(line.strip())
    return found


def student_notebook(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``notebook`` without solutions and without outputs."""
    import nbformat

    copy = nbformat.from_dict(notebook)
    for cell in copy.cells:
        if cell.cell_type == "code":
            cell.source = strip_code(cell.source)
            cell.outputs = []
            cell.execution_count = None
        elif cell.cell_type == "markdown":
            cell.source = MARKDOWN_SOLUTION.sub("", cell.source)
    copy.metadata.pop("widgets", None)  # saved widget state holds answers too
    return copy


def write_student_versions(
    source_dir: Path, out_dir: Path, lessons: list[str] | None = None
) -> list[Path]:
    """Write the student version of every lesson in ``source_dir`` (or of ``lessons`` only)."""
    import nbformat

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(source_dir.glob("[0-9][0-9]_*.ipynb")):
        if lessons is not None and path.stem not in lessons:
            continue
        notebook = nbformat.read(path, as_version=4)
        target = out_dir / path.name
        nbformat.write(student_notebook(notebook), target)
        written.append(target)
    return written


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--source",
        type=Path,
        default=Path("notebooks"),
        help="the lessons, with solutions (default: %(default)s)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("student"),
        help="where the student versions go (default: %(default)s)",
    )
    from ecslab.course.tracks import TRACKS

    parser.add_argument(
        "--track",
        choices=sorted(TRACKS),
        help="only the lessons of this track, with its agenda as README.md (default: all)",
    )


def run(args: argparse.Namespace) -> int:
    from ecslab.course.tracks import track

    chosen = track(args.track) if getattr(args, "track", None) else None
    written = write_student_versions(args.source, args.out, chosen.lessons if chosen else None)
    if not written:
        print(f"No lessons (NN_*.ipynb) found in {args.source}.")
        return 1
    if chosen:
        missing = sorted(set(chosen.lessons) - {path.stem for path in written})
        if missing:
            print(f"Track {chosen.name}: no {', '.join(missing)} in {args.source}.")
            return 1
        agenda = args.out / "README.md"
        agenda.write_text(chosen.agenda(), encoding="utf-8")
        written.append(agenda)
    for path in written:
        print(f"wrote {path}")
    return 0
