"""The learner's progress: every answer and check, per lesson, kept in one local JSON file.

The file lives in the user's data directory (``platformdirs.user_data_path("ecslab")``, for
example ``~/.local/share/ecslab/progress.json`` on Linux) unless ``ECSLAB_PROGRESS_FILE`` names
another path; ``ECSLAB_PROGRESS_FILE=off`` records nothing (for CI). In the browser edition it is
``.ecslab/progress.json`` among the site's files, which JupyterLite keeps in the browser's
storage, so it survives a reload. Per lesson it holds, for each
question, the attempts, whether it was solved or its solution revealed, and when; for each check,
the runs and whether it passed. Times are wall-clock UTC and stay in the file: nothing a notebook
shows depends on them, so outputs repeat.

A file that is not valid JSON, or not ecslab's, is moved aside to ``<name>.corrupt-<time>`` with a
:class:`ProgressFileWarning` and a fresh file is started: progress never stops a lesson. So does a
file that cannot be written (a read-only home, say).

``ecslab progress`` prints a summary; ``ecslab progress --export FILE`` writes CSV or JSON rows
(by the file's suffix, or ``--format``) that an instructor can collect. Each row names the
learner and their account; a quiz never opened still counts its questions (``0/3``), and the
lessons :func:`ecslab.course.catch_up` rebuilt show as *caught up*, which is not *done*.

While a lab on a workshop server is open, every record also goes to that server under the
learner's account (:mod:`ecslab.progress_room`); ``ecslab progress --room URL --export FILE``
collects the whole room into one file.
"""

from __future__ import annotations

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

from ecslab import pyodide_drive

PROGRESS_VARIABLE = "ECSLAB_PROGRESS_FILE"
OFF = "off"
FORMAT = "ecslab-progress"
VERSION = 1
COLUMNS = (
    "learner",
    "account",
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


#: The parts of a lesson's record, and the ``kind`` each has in a row.
KINDS = {"questions": "question", "checks": "check", "caught_up": "caught up"}


class ProgressFileWarning(UserWarning):
    """The progress file could not be read or written; the lesson goes on regardless."""


#: Who is recording, and where each record also goes: set by an open workshop-server lab.
_room: dict[str, Any] = {}


def attach_room(
    learner: str, account: str, send: Callable[[dict[str, Any]], None]
) -> Callable[[], None]:
    """From now on, name rows after ``learner``/``account`` and hand each to ``send``; the
    returned function undoes it (the lab calls it on close)."""
    _room.clear()
    _room.update(learner=learner, account=account, send=send)
    token = _room.copy()

    def detach() -> None:
        if _room == token:
            _room.clear()

    return detach


def default_path() -> Path | None:
    """``$ECSLAB_PROGRESS_FILE``, else ``progress.json`` in the user's data directory (or None)."""
    chosen = os.environ.get(PROGRESS_VARIABLE, "").strip()
    if chosen.lower() == OFF:
        return None
    if chosen:
        return Path(chosen).expanduser()
    site = pyodide_drive.site_folder()
    if site:  # the browser edition: the site's files persist in the browser's storage
        return site / ".ecslab" / "progress.json"
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
        if self.path is None:
            return _fresh()
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (FileNotFoundError, NotADirectoryError):  # nothing recorded there yet
            return _fresh()
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
            text = json.dumps(data, indent=1, sort_keys=True)
            if pyodide_drive.is_on_drive(self.path):
                # Whole in one request: the temporary file and the rename would be four more
                # round trips to the page (about 40 ms of each record in Chromium).
                self.path.write_text(text, encoding="utf-8")
                return
            handle, temporary = tempfile.mkstemp(prefix=".progress-", dir=self.path.parent)
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
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
        self._remember_who(data)
        self._save(data)
        self._send(data, lesson or "unassigned", part, item)

    def _remember_who(self, data: dict[str, Any]) -> None:
        if _room:
            data["learner"], data["account"] = _room["learner"], _room["account"]
        elif not data.get("learner") and os.environ.get("ECSLAB_LEARNER", "").strip():
            data["learner"] = os.environ["ECSLAB_LEARNER"].strip()

    def _send(self, data: dict[str, Any], lesson: str, part: str, item: str) -> None:
        if _room:
            entry = data["lessons"][lesson].get(part, {}).get(item, {})
            _room["send"](self._row(data, lesson, part, item, entry))

    def record_caught_up(self, lessons: list[str], by: str) -> None:
        """``catch_up`` for lesson ``by`` rebuilt what ``lessons`` build: caught up, not done."""
        if self.path is None or not lessons:
            return
        data = self.load()
        now = self._stamp()
        for lesson in lessons:
            data["lessons"].setdefault(lesson, {})["caught_up"] = {"by": by, "at": now}
        self._remember_who(data)
        self._save(data)
        for lesson in lessons:
            self._send(data, lesson, "caught_up", by)

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
        """One row per recorded question, check and catch-up, in lesson order."""
        rows = []
        data = self.load()
        lessons = data["lessons"]
        for lesson in sorted(lessons):
            for part in ("questions", "checks"):
                for item, entry in sorted(lessons[lesson].get(part, {}).items()):
                    rows.append(self._row(data, lesson, part, item, entry))
            caught = lessons[lesson].get("caught_up")
            if isinstance(caught, dict):
                rows.append(self._row(data, lesson, "caught_up", str(caught.get("by", "")), {}))
        return rows

    @staticmethod
    def _row(
        data: dict[str, Any], lesson: str, part: str, item: str, entry: dict[str, Any]
    ) -> dict[str, Any]:
        if part == "caught_up":
            at = str(data["lessons"][lesson].get("caught_up", {}).get("at", ""))
            entry = {"first_at": at, "last_at": at}
        return {
            "learner": data.get("learner", ""),
            "account": data.get("account", ""),
            "lesson": lesson,
            "kind": KINDS[part],
            "item": item,
            "attempts": entry.get("attempts", 0),
            "correct": bool(entry.get("correct")),
            "revealed": bool(entry.get("revealed")),
            "first_at": entry.get("first_at", ""),
            "last_at": entry.get("last_at", ""),
            "done_at": entry.get("done_at", ""),
        }

    def report_rows(self) -> list[dict[str, Any]]:
        """:meth:`rows`, plus a row of no attempts for each question of the course not yet seen."""
        return with_unopened(self.rows())

    def summary(self) -> str:
        """A few lines per lesson: questions solved, checks passed, attempts, caught up."""
        if self.path is None:
            return f"Progress is not recorded ({PROGRESS_VARIABLE}=off)."
        lines = [f"Progress file: {self.path}"]
        if not self.rows():
            lines.append("Nothing recorded yet: answer a quiz or run a check in a lesson.")
            return "\n".join(lines)
        return "\n".join(lines + summary_lines(self.report_rows()))

    def export(self, target: str | Path, fmt: str | None = None) -> Path:
        """Write the rows to ``target`` as CSV or JSON (from ``fmt`` or the file's suffix)."""
        return write_rows(self.report_rows(), target, fmt)


def write_rows(rows: list[dict[str, Any]], target: str | Path, fmt: str | None = None) -> Path:
    """Write ``rows`` to ``target`` as CSV or JSON (from ``fmt`` or the file's suffix)."""
    target = Path(target)
    fmt = (fmt or target.suffix.lstrip(".") or "csv").lower()
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


def with_unopened(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` plus, per learner, a row of no attempts for each course question not in them,
    so a quiz nobody opened reads 0/3 rather than 0/0."""
    from ecslab.quiz.bank import lessons as bank_lessons
    from ecslab.quiz.bank import load_bank

    questions = {lesson: [q.id for q in load_bank(lesson).questions] for lesson in bank_lessons()}
    people = sorted({(r["learner"], r["account"]) for r in rows}) or [("", "")]
    seen = {
        (r["learner"], r["account"], r["lesson"], r["item"])
        for r in rows
        if r["kind"] == "question"
    }
    added = [
        {
            "learner": learner,
            "account": account,
            "lesson": lesson,
            "kind": "question",
            "item": question,
            "attempts": 0,
            "correct": False,
            "revealed": False,
            "first_at": "",
            "last_at": "",
            "done_at": "",
        }
        for learner, account in people
        for lesson, ids in questions.items()
        for question in ids
        if (learner, account, lesson, question) not in seen
    ]
    order = {kind: n for n, kind in enumerate(KINDS.values())}
    return sorted(
        rows + added,
        key=lambda r: (r["learner"], r["account"], r["lesson"], order.get(r["kind"], 9), r["item"]),
    )


def summary_lines(rows: list[dict[str, Any]]) -> list[str]:
    """Per lesson: questions solved of all its questions, checks passed, caught up or not."""
    lines = []
    for lesson in sorted({r["lesson"] for r in rows}):
        mine = [r for r in rows if r["lesson"] == lesson]
        questions = [r for r in mine if r["kind"] == "question"]
        checks = [r for r in mine if r["kind"] == "check"]
        caught = [r["item"] for r in mine if r["kind"] == KINDS["caught_up"]]
        solved = sum(r["correct"] for r in questions)
        revealed = sum(r["revealed"] and not r["correct"] for r in questions)
        passed = sum(r["correct"] for r in checks)
        attempts = sum(r["attempts"] for r in questions)
        line = f"  {lesson}: {solved}/{len(questions)} questions solved in {attempts} attempts"
        if revealed:
            line += f", {revealed} solution{'s' * (revealed > 1)} looked up"
        line += f"; {passed}/{len(checks)} checks passed"
        if caught:
            line += f"; caught up (by catch_up for {caught[0]})"
        lines.append(line)
    return lines


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


def record_caught_up(lessons: list[str], by: str) -> None:
    """Record in the default progress file that ``catch_up`` rebuilt ``lessons``."""
    Progress().record_caught_up(lessons, by)
