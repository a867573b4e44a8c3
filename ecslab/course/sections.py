"""Catch up to a *section* of a lesson: re-run the lesson's own cells before it, quietly.

After a kernel restart in the middle of lesson 05, ``catch_up(lab, "05_alb")`` rebuilds lessons
01 to 04, but the cells of lesson 05 already run made things too (target groups, a load balancer)
and named them (``api_tg``). ``catch_up(lab, "05_alb", section=3)`` also re-runs, in the
learner's namespace, the lesson's code from its set-up up to its third section, so the names the
next cells use exist again and the account holds what they expect.

A section is a ``## `` heading after ``## Set-up``, counted from 1 as the lesson reads. The cells
come from the solved lesson (:func:`ecslab.course.solution.lessons_dir`), the one CI runs; lines
that only show something (the live diagram, a quiz, a check, a plan) or open a lab are left out,
and their output is not shown: the learner sees one line per section re-run instead.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
from dataclasses import dataclass
from typing import Any

from ecslab.errors import ConfigurationError

SET_UP = "## Set-up"
#: Lines that only show or check something, or open a lab: not re-run.
SKIPPED = re.compile(
    r"^(lab = ecslab\.Lab\(|lab\.live\(|lab\.diagram\(|lab\.plan\(|lab\.teardown\(|"
    r"quiz = ecslab\.quiz\(|quiz$|ecslab\.check\.|_ = lab\.live\()"
)
CATCH_UP = re.compile(r"^(\w+) = ecslab\.course\.catch_up\(.*\)$")


@dataclass(frozen=True)
class Section:
    """One ``## `` section of a lesson: its number, heading, and code cells' sources."""

    number: int
    title: str
    cells: tuple[str, ...]


def sections(lesson: str) -> tuple[list[str], list[Section]]:
    """The set-up's code cells and the numbered sections of ``lesson``."""
    import nbformat

    from ecslab.course.solution import lessons_dir

    path = lessons_dir() / f"{lesson}.ipynb"
    if not path.exists():
        raise ConfigurationError(
            f"The solved lesson {path.name} is not in {path.parent}; set ECSLAB_LESSONS to the "
            "folder that holds the lessons (notebooks/ of the course's repository)."
        )
    notebook = nbformat.read(path, as_version=4)
    set_up: list[str] = []
    titled: list[tuple[str, list[str]]] = []
    current: list[str] | None = None
    for cell in notebook.cells:
        if cell.cell_type == "code":
            if current is not None:
                current.append(cell.source)
            continue
        for line in cell.source.splitlines():
            if line.strip() == SET_UP:
                current = set_up
            elif line.startswith("## ") and current is not None:
                titled.append((line[3:].strip(), []))
                current = titled[-1][1]
    found = [Section(n, title, tuple(cells)) for n, (title, cells) in enumerate(titled, 1)]
    return set_up, found


def runnable(source: str, caught_up: str) -> str:
    """A cell's source with the lines that only show something left out, and the lesson's own
    ``catch_up`` call replaced by the catch-up already done (named ``caught_up``)."""
    kept = []
    for line in source.splitlines():
        if SKIPPED.match(line.strip()):
            continue
        match = CATCH_UP.match(line.strip())
        kept.append(f"{match.group(1)} = {caught_up}" if match else line)
    return "\n".join(kept)


def namespace() -> dict[str, Any]:
    """Where the learner's names live: the notebook's, else the caller's module's."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None:
        return shell.user_ns
    frame = sys._getframe(2)  # sections.namespace ← catch_up ← the learner's code
    return frame.f_globals


def replay(lab: Any, lesson: str, section: int, done: Any, names: dict[str, Any]) -> list[str]:
    """Re-run ``lesson``'s set-up and sections before ``section`` in ``names``; what it re-ran."""
    set_up, numbered = sections(lesson)
    if not 1 <= section <= len(numbered):
        listed = "; ".join(f"{s.number}: {s.title}" for s in numbered)
        raise ConfigurationError(
            f"Lesson {lesson} has sections 1 to {len(numbered)} ({listed}); "
            f"section={section!r} is not one of them."
        )
    names.update({"lab": lab, "_ecslab_caught_up": done})
    exec("import ecslab", names)
    ran = []
    parts = [
        ("the set-up", set_up),
        *((f"section {s.number}: {s.title}", s.cells) for s in numbered[: section - 1]),
    ]
    for label, cells in parts:
        for source in cells:
            code = runnable(source, "_ecslab_caught_up")
            with (
                contextlib.redirect_stdout(io.StringIO()),
                contextlib.redirect_stderr(io.StringIO()),
            ):
                exec(compile(code, f"<{lesson}: {label}>", "exec"), names)
        ran.append(f"{label} of {lesson}, re-run (its outputs not shown)")
    names.pop("_ecslab_caught_up", None)
    return ran
