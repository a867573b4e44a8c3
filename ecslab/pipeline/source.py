"""The code a pipeline run starts from: a repository at one commit, held in memory.

The rehearsal never writes the learner's files: a :class:`Source` is a snapshot of a folder
(the example app by default), and a code change is a new ``Source`` made with
:meth:`Source.with_change`, as a commit would be. Its ``sha`` plays the part of ``github.sha``.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType

from ecslab import pyodide_drive
from ecslab.errors import ConfigurationError

#: Never part of a commit: caches and virtual environments (what a .gitignore would leave out).
IGNORED = ("__pycache__", "*.pyc", ".pytest_cache", ".venv", ".ipynb_checkpoints", ".DS_Store")

EXAMPLE_APP = pyodide_drive.repository_folder(
    Path(__file__).resolve().parents[2] / "examples" / "app", "examples/app"
)

#: The example backend's lines a rehearsed commit changes (``examples/app/backend/app/main.py``).
BACKEND_MAIN = "backend/app/main.py"
VERSION_LINE = 'VERSION = "1.0.0"'
HEALTHY_LINE = 'return {"status": "ok"}'


@dataclass(frozen=True)
class Source:
    """Files by POSIX path, as a commit holds them, and the message that made them."""

    files: Mapping[str, bytes]
    message: str = "Initial version"
    _sha: str = field(default="", init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        frozen = MappingProxyType(dict(sorted(self.files.items())))
        object.__setattr__(self, "files", frozen)
        object.__setattr__(self, "_sha", _tree_sha(frozen))

    @classmethod
    def from_directory(cls, path: str | Path, message: str = "Initial version") -> Source:
        """Every file under ``path`` except caches (see :data:`IGNORED`)."""
        root = Path(path)
        if not root.is_dir():
            raise ConfigurationError(f"No folder at {root}: give the app's folder.")
        files = pyodide_drive.read_drive_folder(root, _ignored_name)
        if files is None:
            files = {
                item.relative_to(root).as_posix(): item.read_bytes() for item in _files_under(root)
            }
        return cls(files, message)

    @classmethod
    def example(cls) -> Source:
        """The course's example app (``examples/app`` in the ecslab repository)."""
        if not EXAMPLE_APP.is_dir():
            raise ConfigurationError(
                f"The example app is not at {EXAMPLE_APP}: it ships with the ecslab repository, "
                "not with the installed package. Clone the repository and `pip install -e .`, "
                "or pass Source.from_directory('path/to/your/app')."
            )
        return cls.from_directory(EXAMPLE_APP)

    @property
    def sha(self) -> str:
        """40 hex digits naming this content, like a commit SHA (``github.sha``)."""
        return self._sha

    @property
    def short_sha(self) -> str:
        return self._sha[:7]

    def text(self, path: str) -> str:
        """One file's text."""
        try:
            return self.files[path].decode("utf-8")
        except KeyError:
            raise ConfigurationError(f"No file {path!r} in this source.") from None

    def folder(self, directory: str) -> dict[str, bytes]:
        """The files under ``directory``, by their path inside it."""
        prefix = directory.rstrip("/") + "/"
        return {p[len(prefix) :]: data for p, data in self.files.items() if p.startswith(prefix)}

    def with_change(self, path: str, old: str, new: str, message: str | None = None) -> Source:
        """A new commit: ``old`` replaced by ``new`` in ``path`` (``old`` must appear once)."""
        text = self.text(path)
        if text.count(old) != 1:
            found = "does not appear" if old not in text else "appears more than once"
            raise ConfigurationError(f"{old!r} {found} in {path}: give text that appears once.")
        return self.with_file(path, text.replace(old, new), message or f"Change {path}")

    def with_file(self, path: str, content: str | bytes, message: str | None = None) -> Source:
        """A new commit with ``path`` added or replaced."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        return Source({**self.files, path: data}, message or f"Update {path}")

    def __repr__(self) -> str:
        return f"<Source {self.short_sha} {len(self.files)} files: {self.message!r}>"


def _files_under(folder: Path) -> Iterator[Path]:
    """Every file under ``folder`` but the ignored, from one listing per folder, each entry's kind
    read from the listing, ignored folders never entered, links to folders not followed (as
    ``Path.rglob``). (The browser's drive is read by :func:`ecslab.pyodide_drive.read_drive_folder`,
    which asks the page as little as it can.)"""
    with os.scandir(folder) as listing:
        entries = [e for e in listing if not _ignored_name(e.name)]
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _files_under(Path(entry.path))
        elif entry.is_file():
            yield Path(entry.path)


def _ignored_name(name: str) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in IGNORED)


def _tree_sha(files: Mapping[str, bytes]) -> str:
    """A SHA-1 over paths and contents: the same files always give the same name."""
    digest = hashlib.sha1(usedforsecurity=False)
    for path, data in files.items():
        digest.update(PurePosixPath(path).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def change_for(source: Source, version: str, break_health: bool) -> Source:
    """The commit a rehearsal deploys: the example backend at ``version``, and with
    ``break_health`` a ``/health`` that raises (so the deployment fails and rolls back)."""
    changed = source.with_change(
        BACKEND_MAIN, VERSION_LINE, f'VERSION = "{version}"', f"Backend {version}"
    )
    if break_health:
        changed = changed.with_change(
            BACKEND_MAIN,
            HEALTHY_LINE,
            'raise RuntimeError("health check broken on purpose")',
            f"Backend {version}, with /health broken",
        )
    return changed
