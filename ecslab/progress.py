"""The learner's progress: every answer and check, per lesson, kept in one local JSON file.

The file lives in the user's data directory (``platformdirs.user_data_path("ecslab")``, for
example ``~/.local/share/ecslab/progress.json`` on Linux) unless ``ECSLAB_PROGRESS_FILE`` names
another path; ``ECSLAB_PROGRESS_FILE=off`` records nothing (for CI). Per lesson it holds, for each
question, the attempts, whether it was solved or its solution revealed, and when; for each check,
the runs and whether it passed. Times are wall-clock UTC and stay in the file: nothing a notebook
shows depends on them, so outputs repeat.

A file that is not valid JSON, or not ecslab's, is moved aside to ``<name>.corrupt-<time>`` with a
:class:`ProgressFileWarning` and a fresh file is started: progress never stops a lesson. So does a
file that cannot be written (a read-only home, say).

``ecslab progress`` prints a summary; ``ecslab progress --export FILE`` writes CSV or JSON rows
(by the file's suffix, or ``--format``) that an instructor can collect.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import tempfile
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PROGRESS_VARIABLE = "ECSLAB_PROGRESS_FILE"
OFF = "off"
FORMAT = "ecslab-progress"
VERSION = 1
COLUMNS = (
    "lesson",
    "kind",
    "item",
    "attempts",
    "correct",
    "revealed",
    "first_at",
    "last_at",
    "done_at",
)


class ProgressFileWarning(UserWarning):
    """The progress file could not be read or written; the lesson goes on regardless."""


def default_path() -> Path | None:
    """``$ECSLAB_PROGRESS_FILE``, else ``progress.json`` in the user's data directory (or None)."""
    chosen = os.environ.get(PROGRESS_VARIABLE, "").strip()
    if chosen.lower() == OFF:
        return None
    if chosen:
        return Path(chosen).expanduser()
    import platformdirs

    return platformdirs.user_data_path("ecslab", appauthor=False) / "progress.json"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _fresh() -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "lessons": {}}


def _is_ours(data: Any) -> bool:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return False
    if data.get("version") != VERSION or not isinstance(data.get("lessons"), dict):
        return False
    for lesson in data["lessons"].values():
        if not isinstance(lesson, dict):
            return False
        for part in ("questions", "checks"):
            entries = lesson.get(part, {})
            if not isinstance(entries, dict) or not all(
                isinstance(e, dict) and isinstance(e.get("attempts", 0), int)
                for e in entries.values()
            ):
                return False
    return True


class Progress:
    """One progress file. Each record is read, changed and written back at once."""

    def __init__(
        self, path: str | Path | None = None, *, now: Callable[[], datetime] = _utc_now
    ) -> None:
        self.path = Path(path) if path is not None else default_path()
        self._now = now

    def _stamp(self) -> str:
        return self._now().astimezone(UTC).isoformat(timespec="seconds")

    def load(self) -> dict[str, Any]:
        """The recorded progress; an unreadable or foreign file is set aside with a warning."""
        if self.path is None or not self.path.exists():
            return _fresh()
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as error:
            return self._start_afresh(f"it could not be read ({type(error).__name__})")
        if not _is_ours(data):
            return self._start_afresh("it is not an ecslab progress file of this version")
        return data

    def _start_afresh(self, reason: str) -> dict[str, Any]:
        assert self.path is not None
        stamp = self._now().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        backup = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        counter = 1
        while backup.exists():
            counter += 1
            backup = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{counter}")
        try:
            self.path.replace(backup)
            kept = f"it was kept as {backup}"
        except OSError as error:
            kept = f"it could not be moved aside ({error.strerror})"
        warnings.warn(
            f"The progress file {self.path} was set aside because {reason}; {kept}. "
            "Progress starts afresh from here.",
            ProgressFileWarning,
            stacklevel=4,
        )
        return _fresh()

    def _save(self, data: dict[str, Any]) -> None:
        assert self.path is not None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".progress-", dir=self.path.parent)
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(data, stream, indent=1, sort_keys=True)
            os.replace(temporary, self.path)
        except OSError as error:
            warnings.warn(
                f"Progress could not be saved to {self.path} ({error.strerror or error}); "
                f"set {PROGRESS_VARIABLE} to a writable file, or to 'off'.",
                ProgressFileWarning,
                stacklevel=4,
            )

    def _update(
        self, lesson: str, part: str, item: str, change: Callable[[dict, str], None]
    ) -> None:
        if self.path is None:
            return
        data = self.load()
        lessons = data["lessons"].setdefault(lesson or "unassigned", {})
        entry = lessons.setdefault(part, {}).setdefault(item, {"attempts": 0})
        now = self._stamp()
        entry.setdefault("first_at", now)
        entry["last_at"] = now
        change(entry, now)
        self._save(data)

    def record_answer(
        self, lesson: str, question: str, *, correct: bool, revealed: bool, attempted: bool = True
    ) -> None:
        """One answer (``attempted``) or a reveal of the solution, for ``lesson/question``."""

        def change(entry: dict[str, Any], now: str) -> None:
            if attempted:
                entry["attempts"] += 1
            if correct and not entry.get("correct"):
                entry["correct"] = True
                entry["done_at"] = now
            entry.setdefault("correct", False)
            entry["revealed"] = bool(entry.get("revealed") or revealed)

        self._update(lesson, "questions", question, change)

    def record_check(self, lesson: str, check: str, *, passed: bool) -> None:
        """One run of the exercise check ``check`` of ``lesson``."""

        def change(entry: dict[str, Any], now: str) -> None:
            entry["attempts"] += 1
            if passed and not entry.get("correct"):
                entry["correct"] = True
                entry["done_at"] = now
            entry.setdefault("correct", False)

        self._update(lesson, "checks", check, change)

    # -- reading it back ---------------------------------------------------------------------------

    def rows(self) -> list[dict[str, Any]]:
        """One row per question and per check, in lesson order: what the export writes."""
        rows = []
        lessons = self.load()["lessons"]
        for lesson in sorted(lessons):
            for part, kind in (("questions", "question"), ("checks", "check")):
                for item, entry in sorted(lessons[lesson].get(part, {}).items()):
                    rows.append(
                        {
                            "lesson": lesson,
                            "kind": kind,
                            "item": item,
                            "attempts": entry.get("attempts", 0),
                            "correct": bool(entry.get("correct")),
                            "revealed": bool(entry.get("revealed")),
                            "first_at": entry.get("first_at", ""),
                            "last_at": entry.get("last_at", ""),
                            "done_at": entry.get("done_at", ""),
                        }
                    )
        return rows

    def summary(self) -> str:
        """A few lines per lesson: questions solved, checks passed, attempts."""
        if self.path is None:
            return f"Progress is not recorded ({PROGRESS_VARIABLE}=off)."
        rows = self.rows()
        lines = [f"Progress file: {self.path}"]
        if not rows:
            lines.append("Nothing recorded yet: answer a quiz or run a check in a lesson.")
        for lesson in sorted({r["lesson"] for r in rows}):
            mine = [r for r in rows if r["lesson"] == lesson]
            questions = [r for r in mine if r["kind"] == "question"]
            checks = [r for r in mine if r["kind"] == "check"]
            solved = sum(r["correct"] for r in questions)
            revealed = sum(r["revealed"] and not r["correct"] for r in questions)
            passed = sum(r["correct"] for r in checks)
            attempts = sum(r["attempts"] for r in questions)
            line = f"  {lesson}: {solved}/{len(questions)} questions solved in {attempts} attempts"
            if revealed:
                line += f", {revealed} solution{'s' * (revealed > 1)} looked up"
            line += f"; {passed}/{len(checks)} checks passed"
            lines.append(line)
        return "\n".join(lines)

    def export(self, target: str | Path, fmt: str | None = None) -> Path:
        """Write the rows to ``target`` as CSV or JSON (from ``fmt`` or the file's suffix)."""
        target = Path(target)
        fmt = (fmt or target.suffix.lstrip(".") or "csv").lower()
        rows = self.rows()
        if fmt == "json":
            text = json.dumps(rows, indent=1) + "\n"
        elif fmt == "csv":
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            text = buffer.getvalue()
        else:
            from ecslab.errors import ConfigurationError

            raise ConfigurationError(f"Export as csv or json, not {fmt!r} (use --format).")
        target.write_text(text, encoding="utf-8")
        return target


# -- what quizzes and checks call ------------------------------------------------------------------


def record_answer(
    lesson: str, question: str, correct: bool, revealed: bool, attempted: bool
) -> None:
    """Record in the default progress file (see :func:`default_path`)."""
    Progress().record_answer(
        lesson, question, correct=correct, revealed=revealed, attempted=attempted
    )


def record_check(lesson: str, check: str, passed: bool) -> None:
    """Record a check's run in the default progress file."""
    Progress().record_check(lesson, check, passed=passed)


# -- ``ecslab progress`` ---------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--export", metavar="FILE", help="write every answer and check to FILE")
    parser.add_argument(
        "--format", choices=("csv", "json"), help="format of --export (default: from FILE's suffix)"
    )
    parser.add_argument(
        "--file",
        metavar="PATH",
        help=f"the progress file to read (default: ${PROGRESS_VARIABLE} "
        "or the user's data directory)",
    )


def run(args: argparse.Namespace) -> int:
    progress = Progress(args.file) if args.file else Progress()
    if args.export:
        if progress.path is None:
            print(progress.summary())
            return 1
        written = progress.export(args.export, args.format)
        print(f"Wrote {len(progress.rows())} rows to {written}.")
        return 0
    print(progress.summary())
    return 0
