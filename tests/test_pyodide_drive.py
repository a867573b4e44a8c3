"""JupyterLite's drive as the kernel sees it, seen from the desktop: a temporary folder stands
for ``/drive``, with ``IN_BROWSER`` switched on where a test needs the browser's path.

The drive itself is driven by tests/test_browser_lite.py.
"""

from __future__ import annotations

import base64
import importlib.abc
import json
import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ecslab import pyodide_drive, pyodide_platform

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def in_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pyodide_platform, "IN_BROWSER", True)


def test_on_the_desktop_the_drive_is_the_local_disk() -> None:
    assert pyodide_drive.site_folder() is None
    here = ROOT / "diagrams"
    assert pyodide_drive.repository_folder(here, "diagrams") == here
    assert pyodide_drive.read_drive_folder(ROOT / "examples" / "app", lambda name: False) is None


@pytest.fixture
def site_drive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_browser: None
) -> dict[str, bytes]:
    """A site folder whose files the drive hands over as JupyterLite does (JSON re-written
    compactly), and the bytes the site serves for each, by relative path."""
    original = (ROOT / "examples" / "app" / "backend" / "task-definition.json").read_bytes()
    served = {"app/task-definition.json": original, "app/notes.txt": b"as served\n"}
    (tmp_path / "app").mkdir()
    rewritten = json.dumps(json.loads(original), separators=(",", ":")).encode()
    (tmp_path / "app" / "task-definition.json").write_bytes(rewritten)
    (tmp_path / "app" / "notes.txt").write_bytes(b"as on the drive\n")
    monkeypatch.setattr(pyodide_drive, "SITE_FOLDER", tmp_path)
    monkeypatch.setattr(pyodide_drive, "_served", served.get)
    return served


def test_a_json_file_the_drive_rewrote_reads_as_the_site_serves_it(
    site_drive: dict[str, bytes],
) -> None:
    """JupyterLite's drive hands the kernel a JSON file parsed and written back compactly; the
    pipeline's commit hash needs the file's own bytes, the ones the site serves."""
    path = pyodide_drive.SITE_FOLDER / "app" / "task-definition.json"
    assert path.read_bytes() != site_drive["app/task-definition.json"]
    assert pyodide_drive.file_bytes(path) == site_drive["app/task-definition.json"]


def test_a_learners_change_to_a_json_file_is_kept(site_drive: dict[str, bytes]) -> None:
    """Other data than the site's (a learner edited the file) is read as the drive has it."""
    path = pyodide_drive.SITE_FOLDER / "app" / "task-definition.json"
    edited = json.loads(path.read_bytes()) | {"cpu": "512"}
    path.write_text(json.dumps(edited))
    assert pyodide_drive.file_bytes(path) == path.read_bytes()
    path.write_text("{ not json")
    assert pyodide_drive.file_bytes(path) == b"{ not json"


def test_other_files_read_as_the_drive_has_them(site_drive: dict[str, bytes]) -> None:
    path = pyodide_drive.SITE_FOLDER / "app" / "notes.txt"
    assert pyodide_drive.file_bytes(path) == b"as on the drive\n"


def test_on_the_desktop_a_json_file_reads_as_it_is() -> None:
    path = ROOT / "examples" / "app" / "backend" / "task-definition.json"
    assert pyodide_drive.file_bytes(path) == path.read_bytes()


# -- a folder read whole: the example app -------------------------------------------------------

#: The time ``scripts/build-lite`` gives every file of the site (its SOURCE_DATE_EPOCH).
BUILT = 1767225600


@dataclass
class Drive:
    """A site folder holding the example app as the site ships it; the paths the learner's
    files are kept under in the browser's storage (``None``: the storage cannot be read); and
    what reading the folder asked of the drive."""

    site: Path
    app: Path
    saved: set[str] | None = field(default_factory=set)
    listed: list[str] = field(default_factory=list)
    read: list[str] = field(default_factory=list)

    def save(self, relative: str, text: str) -> None:
        """A learner's save: the drive's file, its time now, its path kept in the storage."""
        path = self.app / relative
        path.write_text(text)
        assert self.saved is not None
        self.saved.add(path.relative_to(self.site).as_posix())


@pytest.fixture
def example_drive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_browser: None
) -> Iterator[Drive]:
    """The example app on a stand-in drive, every file at the build's time, a snapshot of it as
    ``scripts/build-lite`` writes one (served at the site's ``static/drive-snapshot.json``), and
    a cache folder that is never part of a commit."""
    app = tmp_path / "examples" / "app"
    shutil.copytree(ROOT / "examples" / "app", app, ignore=shutil.ignore_patterns("__pycache__"))
    (app / "backend" / "app" / "__pycache__").mkdir()
    (app / "backend" / "app" / "__pycache__" / "main.cpython-314.pyc").write_bytes(b"\0")
    shipped = {}
    for path in _files(app):
        os.utime(path, (BUILT, BUILT))
        shipped[path.relative_to(tmp_path).as_posix()] = {
            "last_modified": "2026-01-01T00:00:00Z",
            "size": path.stat().st_size,
            "base64": base64.b64encode(path.read_bytes()).decode(),
        }
    snapshot = json.dumps({"files": shipped, "storage": "ecslab course files"}).encode()
    drive = Drive(tmp_path, app)
    monkeypatch.setattr(pyodide_drive, "SITE_FOLDER", tmp_path)
    monkeypatch.setattr(pyodide_drive, "_served_at", {pyodide_drive.SNAPSHOT: snapshot}.get)
    pyodide_drive._snapshot.cache_clear()

    def saved_paths(storage: str) -> frozenset[str] | None:
        assert storage == "ecslab course files"
        return None if drive.saved is None else frozenset(drive.saved)

    def names_in(folder: Path) -> list[str]:
        drive.listed.append(folder.relative_to(app).as_posix())
        return os.listdir(folder)

    def file_bytes(path: Path) -> bytes:
        drive.read.append(path.relative_to(app).as_posix())
        return path.read_bytes()

    monkeypatch.setattr(pyodide_drive, "_saved_paths", saved_paths)
    monkeypatch.setattr(pyodide_drive, "_names_in", names_in)
    monkeypatch.setattr(pyodide_drive, "file_bytes", file_bytes)
    yield drive
    pyodide_drive._snapshot.cache_clear()


def test_the_example_app_comes_from_the_sites_snapshot_as_the_same_commit(
    example_drive: Drive,
) -> None:
    """Nothing saved by the learner: no listing and no file asked of the drive, and the tree is
    the commit the desktop makes of the example app."""
    from ecslab.pipeline.source import Source

    source = Source.from_directory(example_drive.app)
    assert (example_drive.listed, example_drive.read) == ([], [])
    assert source.sha == Source.from_directory(ROOT / "examples" / "app").sha


def test_what_the_learner_saved_is_read_from_the_drive(example_drive: Drive) -> None:
    """A changed file, a new one and a new folder's file are the learner's (kept in the
    storage); the rest still comes from the snapshot, and a cache folder is never read."""
    from ecslab.pipeline.source import BACKEND_MAIN, VERSION_LINE, Source

    main = example_drive.app / BACKEND_MAIN
    example_drive.save(BACKEND_MAIN, main.read_text().replace(VERSION_LINE, 'VERSION = "1.0.1"'))
    example_drive.save("backend/NOTES.md", "new\n")
    (example_drive.app / "docs").mkdir()
    example_drive.save("docs/plan.md", "plan\n")
    assert example_drive.saved is not None
    example_drive.saved.add("examples/app/docs")  # a folder the learner made is a key too
    example_drive.save("backend/app/__pycache__/x.pyc", "cache")

    source = Source.from_directory(example_drive.app)
    assert sorted(example_drive.read) == sorted([BACKEND_MAIN, "backend/NOTES.md", "docs/plan.md"])
    assert 'VERSION = "1.0.1"' in source.text(BACKEND_MAIN)
    assert (source.text("backend/NOTES.md"), source.text("docs/plan.md")) == ("new\n", "plan\n")
    assert not any("__pycache__" in path for path in source.files)
    assert len(source.files) == len(_files(ROOT / "examples" / "app")) + 2


def test_where_the_storage_cannot_be_read_the_drive_is_walked(example_drive: Drive) -> None:
    """Without the storage's keys: a listing per folder (never the cache folder's), and a file
    is the site's while the drive lists it at the build's time and size. A change of the same
    size is told by its time (JupyterLite gives a saved file the time of the save), a change of
    size at the build's time by its size; a new file and a removed one are seen too."""
    from ecslab.pipeline.source import BACKEND_MAIN, VERSION_LINE, Source

    example_drive.saved = None
    assert Source.from_directory(example_drive.app).sha == Source.example().sha
    assert example_drive.read == []
    folders = [p for p in example_drive.app.rglob("*") if p.is_dir() and p.name != "__pycache__"]
    assert sorted(example_drive.listed) == sorted(
        [".", *(p.relative_to(example_drive.app).as_posix() for p in folders)]
    )

    main = example_drive.app / BACKEND_MAIN
    main.write_text(main.read_text().replace(VERSION_LINE, 'VERSION = "1.0.1"'))
    readme = example_drive.app / "README.md"
    readme.write_text(readme.read_text() + "A learner's note.\n")
    os.utime(readme, (BUILT, BUILT))
    (example_drive.app / "backend" / "NOTES.md").write_text("new\n")
    (example_drive.app / "frontend" / ".dockerignore").unlink()

    source = Source.from_directory(example_drive.app)
    assert sorted(example_drive.read) == sorted(["README.md", BACKEND_MAIN, "backend/NOTES.md"])
    assert 'VERSION = "1.0.1"' in source.text(BACKEND_MAIN)
    assert source.text("README.md").endswith("A learner's note.\n")
    assert source.text("backend/NOTES.md") == "new\n"
    assert "frontend/.dockerignore" not in source.files


def test_without_a_snapshot_every_file_is_read_from_the_drive(
    example_drive: Drive, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ecslab.pipeline.source import Source

    monkeypatch.setattr(pyodide_drive, "_served_at", lambda relative: None)
    pyodide_drive._snapshot.cache_clear()
    source = Source.from_directory(example_drive.app)
    assert sorted(example_drive.read) == sorted(
        p.relative_to(example_drive.app).as_posix() for p in _files(example_drive.app)
    )
    assert source.sha == Source.from_directory(ROOT / "examples" / "app").sha


def _files(app: Path) -> list[Path]:
    return sorted(p for p in app.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


# -- imports beside the notebooks, on the drive ---------------------------------------------------


@pytest.fixture
def drive_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[importlib.abc.PathEntryFinder, list[str]]:
    """A folder standing for the drive's notebooks folder, its finder, and every stat Python's
    import system makes of that folder."""
    import importlib._bootstrap_external as external

    monkeypatch.setattr(pyodide_drive, "SITE_FOLDER", tmp_path)
    (tmp_path / "helper.py").write_text("ANSWER = 42\n")
    stats: list[str] = []
    real_stat = external._path_stat

    def counted(path: str) -> object:
        if str(path) == str(tmp_path):
            stats.append(str(path))
        return real_stat(path)

    monkeypatch.setattr(external, "_path_stat", counted)
    return pyodide_drive._drive_hook(str(tmp_path)), stats


def test_a_module_beside_the_notebooks_is_found(
    drive_folder: tuple[importlib.abc.PathEntryFinder, list[str]], tmp_path: Path
) -> None:
    finder, _ = drive_folder
    spec = finder.find_spec("helper")
    assert spec is not None and spec.origin == str(tmp_path / "helper.py")


def test_a_name_the_folder_does_not_hold_is_answered_from_its_listing(
    drive_folder: tuple[importlib.abc.PathEntryFinder, list[str]],
) -> None:
    """Python's own finder asks for the folder's time on every import (a round trip to the
    page on the drive); within a cell, the listing already read answers ``json``, ``boto3``..."""
    finder, stats = drive_folder
    stats.clear()  # (making the finder checked that the folder is one)
    assert finder.find_spec("json") is None
    assert len(stats) == 1
    for name in ("boto3", "moto.core", "ecslab", "json"):
        assert finder.find_spec(name) is None
    assert len(stats) == 1
    assert finder.find_spec("helper") is not None  # a name it holds: asked as before
    assert len(stats) == 2
    pyodide_drive._next_cell()
    assert finder.find_spec("json") is None  # a new cell: the folder is asked again
    assert len(stats) == 3


@pytest.mark.parametrize("look_again", ["next cell", "invalidate_caches"])
def test_a_module_written_in_a_cell_is_found_from_the_next_one_or_after_invalidate_caches(
    drive_folder: tuple[importlib.abc.PathEntryFinder, list[str]], tmp_path: Path, look_again: str
) -> None:
    """A new cell looks at the folder again; ``importlib.invalidate_caches()`` does at once
    (what Python's documentation asks for a module made while the program runs)."""
    finder, _ = drive_folder
    assert finder.find_spec("written") is None
    (tmp_path / "written.py").write_text("X = 1\n")
    assert finder.find_spec("written") is None  # this cell's listing
    if look_again == "next cell":
        pyodide_drive._next_cell()
    else:
        finder.invalidate_caches()
    assert finder.find_spec("written") is not None


def test_only_the_drives_folders_get_the_finder(
    drive_folder: tuple[importlib.abc.PathEntryFinder, list[str]], tmp_path: Path
) -> None:
    with pytest.raises(ImportError):
        pyodide_drive._drive_hook(str(ROOT))
    (tmp_path / "sub").mkdir()
    assert isinstance(
        pyodide_drive._drive_hook(str(tmp_path / "sub")), pyodide_drive._DriveFolderFinder
    )


def test_on_the_desktop_the_import_system_is_left_as_it_is() -> None:
    hooks = list(sys.path_hooks)
    pyodide_drive.list_drive_folders_once_per_cell()
    assert sys.path_hooks == hooks
