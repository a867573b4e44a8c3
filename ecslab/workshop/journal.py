"""The server's memory across restarts: an SQLite journal of what each learner asked, and when.

The simulated world is deterministic (seeded IDs, virtual clocks), so instead of saving moto's
objects the server writes down every request it answers, with the account and the instant of
that account's clock, and replays them in the same order on start. Requests that only read are
journalled too: each call lets the world catch up with its clock at that instant, and the
replay must see the same instants to reach the same state. The learners' access keys and the
instructor's token live here as well, so a restarted server recognises every old lab.

One file, ``journal.sqlite3`` in the data directory, in WAL mode: a killed server loses at
most the request it was answering.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FILE_NAME = "journal.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS learners (
    learner TEXT PRIMARY KEY, account TEXT NOT NULL, key_id TEXT NOT NULL UNIQUE,
    secret TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS entries (
    seq INTEGER PRIMARY KEY, account TEXT NOT NULL, at REAL NOT NULL, kind TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS progress (
    seq INTEGER PRIMARY KEY, learner TEXT NOT NULL, payload TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class Entry:
    """One journalled request: whose, at which virtual instant, what."""

    account: str
    at: float
    kind: str  # "aws" (a request moto answered) or a control route's name
    payload: dict[str, Any]


@dataclass(frozen=True)
class Learner:
    learner: str
    account: str
    key_id: str
    secret: str


class Journal:
    """The data directory's SQLite file (``None`` for a server that remembers nothing)."""

    def __init__(self, directory: Path | None, *, fresh: bool = False) -> None:
        self.path = None if directory is None else Path(directory) / FILE_NAME
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if fresh:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        target = ":memory:" if self.path is None else str(self.path)
        self._db = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        if self.path is not None:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- settings that outlive a restart ---------------------------------------------------------

    def setting(self, key: str, make: Any = None) -> str:
        """The stored value of ``key``; made (a random token by default) on first use."""
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
            if row is not None:
                return str(row[0])
            value = make() if make is not None else secrets.token_urlsafe(16)
            self._db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, value))
            return str(value)

    # -- learners -------------------------------------------------------------------------------

    def learners(self) -> list[Learner]:
        with self._lock:
            rows = self._db.execute(
                "SELECT learner, account, key_id, secret FROM learners ORDER BY learner"
            ).fetchall()
        return [Learner(*row) for row in rows]

    def add_learner(self, learner: Learner) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR IGNORE INTO learners VALUES (?, ?, ?, ?)",
                (learner.learner, learner.account, learner.key_id, learner.secret),
            )

    # -- requests -------------------------------------------------------------------------------

    def record(self, entry: Entry) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO entries (account, at, kind, payload) VALUES (?, ?, ?, ?)",
                (entry.account, entry.at, entry.kind, json.dumps(entry.payload)),
            )

    def entries(self) -> Iterator[Entry]:
        with self._lock:
            rows = self._db.execute(
                "SELECT account, at, kind, payload FROM entries ORDER BY seq"
            ).fetchall()
        for account, at, kind, payload in rows:
            yield Entry(account, float(at), kind, json.loads(payload))

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM entries").fetchone()[0])

    # -- what learners' notebooks report (quizzes, checks) ---------------------------------------

    def add_progress(self, learner: str, payload: dict[str, Any]) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO progress (learner, payload) VALUES (?, ?)",
                (learner, json.dumps(payload)),
            )

    def progress(self) -> list[tuple[str, dict[str, Any]]]:
        with self._lock:
            rows = self._db.execute("SELECT learner, payload FROM progress ORDER BY seq").fetchall()
        return [(learner, json.loads(payload)) for learner, payload in rows]
