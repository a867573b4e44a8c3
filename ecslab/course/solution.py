"""``ecslab.solution("01_ecr", 1)``: an exercise's solution, for a learner who has tried it.

The learner edition (:mod:`ecslab.course.student`) leaves each exercise unsolved; this reads the
solution from the solved lesson in ``notebooks/`` (or ``$ECSLAB_LESSONS``), the one CI runs, so
what it shows is code that passed the exercise's check.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecslab.errors import ConfigurationError

#: The solved lessons of a checkout: ``notebooks/`` beside the package.
SOLVED = Path(__file__).resolve().parent.parent.parent / "notebooks"


@dataclass(frozen=True)
class Solution:
    """One exercise's solution: the code between the lesson's solution markers."""

    lesson: str
    number: int
    code: str

    def __str__(self) -> str:
        return self.code

    def __repr__(self) -> str:
        return f"Lesson {self.lesson}, exercise {self.number}, one solution:\n\n{self.code}"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        heading = f"**Lesson {self.lesson}, exercise {self.number}, one solution:**"
        return {
            "text/plain": repr(self),
            "text/markdown": f"{heading}\n\n```python\n{self.code}\n```",
        }


def lessons_dir() -> Path:
    """Where the solved lessons are: ``$ECSLAB_LESSONS``, else the checkout's ``notebooks/``."""
    return Path(os.environ.get("ECSLAB_LESSONS") or SOLVED)


def solution(lesson: str, number: int = 1) -> Solution:
    """The solution of exercise ``number`` (from 1) of ``lesson``, e.g. ``"01_ecr"``."""
    import nbformat

    from ecslab.course.student import BEGIN, END, exercise_cells

    where = lessons_dir()
    path = where / f"{lesson}.ipynb"
    if not path.exists():
        known = sorted(p.stem for p in where.glob("[0-9][0-9]_*.ipynb"))
        if not known:
            raise ConfigurationError(
                f"The solved lessons are not in {where}; set ECSLAB_LESSONS to the folder that "
                "holds them (notebooks/ of the course's repository)."
            )
        raise ConfigurationError(f"No lesson {lesson!r}. The lessons: {', '.join(known)}.")
    notebook = nbformat.read(path, as_version=4)
    cells = exercise_cells(notebook)
    if not 1 <= number <= len(cells):
        count = f"{len(cells)} exercise{'s' * (len(cells) != 1)}" if cells else "no exercise"
        raise ConfigurationError(f"Lesson {lesson} has {count}; {number!r} is not one of them.")
    lines, inside = [], False
    for line in notebook.cells[cells[number - 1]].source.splitlines():
        if line.strip() in (BEGIN, END):
            inside = line.strip() == BEGIN
        elif inside:
            lines.append(line)
    return Solution(lesson, number, "\n".join(lines))
