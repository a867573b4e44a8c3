"""JupyterLite's drive, as the browser edition's kernel sees it: the site's files at ``/drive``.

The drive (JupyterLite's DriveFS) holds the lessons, the diagrams and the example app, kept in
the browser's storage so that what a learner writes there survives a reload. Every question
the kernel asks it (a listing, a file's time, a file's bytes) is a synchronous request the page
answers: about 5 ms for a file's time, 20 ms for its bytes, more while the page draws outputs
(Chromium, measured in a lesson's Run All). This module keeps ecslab's questions few:

* :func:`site_folder`, :func:`repository_folder`: where the site's copy of a repository folder is;
* :func:`file_bytes`: a file's bytes as the site holds them, even where JupyterLite's contents
  hand the kernel a JSON file re-written;
* :func:`read_drive_folder`: a folder read whole (the example app), each file the learner has
  not saved taken from the site's snapshot, fetched once, instead of from the page;
* :func:`list_drive_folders_once_per_cell`: imports that do not ask for the notebooks' folder
  again and again.

Everywhere but the browser these answer as the local disk does.
"""

from __future__ import annotations

import base64
import functools
import importlib.abc
import importlib.machinery
import json
import os
import stat
import sys
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ecslab import pyodide_platform

#: Where JupyterLite mounts the site's contents in the kernel (its DriveFS).
SITE_FOLDER = Path("/drive")
#: The site's own copy of the files under the folders ecslab reads whole, written by
#: scripts/build-lite (its ``SNAPSHOT``), relative to the site's root.
SNAPSHOT = "static/drive-snapshot.json"


def site_folder() -> Path | None:
    """The site's files as the kernel sees them, in the browser; ``None`` elsewhere."""
    return SITE_FOLDER if pyodide_platform.IN_BROWSER and _is_folder(SITE_FOLDER) else None


def is_on_drive(path: Path) -> bool:
    """True for a path on the drive (in the browser, under :data:`SITE_FOLDER`). The drive
    hands a file opened for writing to the page whole, in one request, when it is closed
    (DriveFS's ``close``: ``put``), so a file written there is never seen half written."""
    site = site_folder()
    return site is not None and path.is_relative_to(site)


@functools.cache
def _is_folder(path: Path) -> bool:
    """Asked once per kernel: on the drive, each question is a round trip to the page (about
    4 ms in a lesson's Run All, when the page is busy drawing outputs), and the drive's mount
    point does not come and go while the kernel runs."""
    return path.is_dir()


def repository_folder(checkout: Path, relative: str) -> Path:
    """A folder of the repository that ships beside the package (``diagrams``, the example app):
    ``checkout`` in a source checkout; in the browser, the site's copy at the same path."""
    site = site_folder()
    if not checkout.is_dir() and site is not None:
        return site / relative
    return checkout


def file_bytes(path: Path) -> bytes:
    """``path``'s bytes; in the browser, a file of the site whose name says JSON comes back as
    the site serves it. JupyterLite's contents parse every such file (its
    ``_getServerContents`` matches ``/\\.(ipynb|[^/]*json[^/]*)$/``) and the kernel's drive gets
    it written back by ``JSON.stringify``: the same data, other bytes (no indentation, no last
    newline), so the example app's tree would hash to another commit than on the desktop.
    When the data is still the site's, the site's bytes are the file's; a learner's change
    (other data) is kept as read."""
    data = path.read_bytes()
    if "json" not in path.name:
        return data
    site = site_folder()
    if site is None or not path.is_relative_to(site):
        return data
    served = _served(path.relative_to(site).as_posix())
    try:
        if served is not None and json.loads(served) == json.loads(data):
            return served
    except ValueError:
        pass
    return data


def _served(relative: str) -> bytes | None:
    """The site's own copy of one of its files (its ``files/`` folder), or ``None``."""
    return _served_at("files/" + urllib.parse.quote(relative))


def _served_at(relative: str) -> bytes | None:
    """What the site serves at ``relative`` to its root, or ``None`` if it serves nothing there."""
    from pyodide.http import open_url  # type: ignore[import-not-found]

    try:
        return open_url(pyodide_platform.site_url(relative)).read().encode()
    except Exception:  # nothing served there
        return None


# -- a folder read whole ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Shipped:
    """One file as the site ships it, and the time and size the drive lists for it while the
    learner has not changed it (JupyterLite gives a saved file the time it was saved)."""

    data: bytes
    mtime_ms: int
    size: int

    def unchanged(self, state: os.stat_result) -> bool:
        return round(state.st_mtime * 1000) == self.mtime_ms and state.st_size == self.size


@dataclass(frozen=True)
class _Snapshot:
    """:data:`SNAPSHOT`: the shipped files by drive-relative path, and the name of the browser
    storage the site keeps the learner's own files in (its ``contentsStorageName``)."""

    files: dict[str, _Shipped]
    storage: str | None = None


def read_drive_folder(folder: Path, skip: Callable[[str], bool]) -> dict[str, bytes] | None:
    """Every file under ``folder`` by POSIX path relative to it, leaving out each name ``skip``
    accepts and what is under it, when ``folder`` is on the drive; ``None`` elsewhere.

    Read through the page, the example app took 0.6 s of each lesson's first cell (16 files,
    a listing per folder and a lookup per name, each a request). JupyterLite's drive shows the
    site's files with the learner's own over them: a file saved, made or renamed is kept in the
    browser's storage (IndexedDB), under its path, and a file of the site cannot be deleted,
    only its saved copy (``BrowserStorageDrive`` in ``@jupyterlite/contents``). So the folder
    is the site's files (:data:`SNAPSHOT`, fetched once per kernel) with every path the
    storage holds under it read from the drive instead: one look at the storage's keys, no
    request to the page for a file the learner never saved. Where the storage cannot be read
    (no IndexedDB, a site without a snapshot), the drive is walked, a file's bytes still taken
    from the snapshot while the drive lists it at the site's time and size."""
    site = site_folder()
    if site is None or not folder.is_relative_to(site):
        return None
    snapshot = _snapshot()
    saved = _saved_paths(snapshot.storage) if snapshot.files and snapshot.storage else None
    if saved is None:
        return _walked(folder, site, snapshot.files, skip)
    under = folder.relative_to(site).as_posix() + "/"
    files: dict[str, bytes] = {}
    for path in sorted({p for p in (*snapshot.files, *saved) if p.startswith(under)}):
        relative = path[len(under) :]
        if any(skip(name) for name in relative.split("/")):
            continue
        if path not in saved:
            files[relative] = snapshot.files[path].data
        elif (site / path).is_file():  # the learner's file (a folder they made is a key too)
            files[relative] = file_bytes(site / path)
    return files


def _walked(
    folder: Path, site: Path, shipped: dict[str, _Shipped], skip: Callable[[str], bool]
) -> dict[str, bytes]:
    """The files under ``folder`` from the drive's listings, times and sizes."""
    files: dict[str, bytes] = {}
    pending = [folder]
    while pending:
        current = pending.pop()
        for name in _names_in(current):
            if skip(name):
                continue
            path = current / name
            state = os.stat(path)
            if stat.S_ISDIR(state.st_mode):
                pending.append(path)
            elif stat.S_ISREG(state.st_mode):
                copy = shipped.get(path.relative_to(site).as_posix())
                unchanged = copy is not None and copy.unchanged(state)
                files[path.relative_to(folder).as_posix()] = (
                    copy.data if unchanged and copy is not None else file_bytes(path)
                )
    return files


def _names_in(folder: Path) -> list[str]:
    """The names in ``folder``: in the browser from the drive's listing alone (Emscripten's
    ``FS.readdir``, one request), as Python's ``os.listdir`` would also look each name up."""
    if not pyodide_platform.IN_BROWSER:
        return os.listdir(folder)
    import pyodide_js  # type: ignore[import-not-found]

    return [n for n in pyodide_js.FS.readdir(str(folder)).to_py() if n not in (".", "..")]


#: The keys of one object store of an IndexedDB database, or ``null`` if the database has no
#: such store; a database that does not exist is not made (its creation is aborted: an error).
#: The answer waits for the transaction's ``complete``, not the request's ``success``: answered
#: at ``success``, Python resumes and may ask the drive something at once (a sync request, which
#: holds the worker's event loop) while the read is still open; in Chromium the next write to the
#: drive (a new folder) then never answered in about half of fresh pages, most likely because the
#: page's write waits for the read to end and the read for the worker's loop. An abort after the
#: request's success fires neither ``complete`` nor ``error``, so it rejects too (the walk then).
_STORED_KEYS = """(name, store) => new Promise((resolve, reject) => {
    const opening = indexedDB.open(name);
    opening.onupgradeneeded = () => opening.transaction.abort();
    opening.onerror = () => reject(opening.error);
    opening.onsuccess = () => {
        const db = opening.result;
        if (!db.objectStoreNames.contains(store)) { db.close(); resolve(null); return; }
        const reading = db.transaction(store, "readonly");
        const asking = reading.objectStore(store).getAllKeys();
        reading.oncomplete = () => { db.close(); resolve(asking.result); };
        reading.onerror = reading.onabort = () => { db.close(); reject(reading.error); };
    };
})"""
#: The object store JupyterLite's drive keeps files in (localforage's ``storeName``).
_FILES_STORE = "files"


def _saved_paths(storage: str) -> frozenset[str] | None:
    """Every path the learner's files are kept under in the browser storage ``storage``
    (drive-relative, as JupyterLite's drive keys them), or ``None`` if it cannot be read."""
    import js  # type: ignore[import-not-found]
    from pyodide.ffi import run_sync  # type: ignore[import-not-found]

    try:
        keys = run_sync(js.eval(_STORED_KEYS)(storage, _FILES_STORE))
    except Exception:  # no IndexedDB here, or no such database: walk the drive instead
        return None
    if keys is None:
        return None
    return frozenset(str(key).lstrip("/") for key in keys.to_py())


@functools.cache
def _snapshot() -> _Snapshot:
    """:data:`SNAPSHOT` as the site serves it; empty if the site has none (every file is then
    read from the drive)."""
    served = _served_at(SNAPSHOT)
    if served is None:
        return _Snapshot({})
    try:
        document = json.loads(served)
        files = {
            path: _Shipped(
                data=base64.b64decode(entry["base64"]),
                mtime_ms=round(datetime.fromisoformat(entry["last_modified"]).timestamp() * 1000),
                size=entry["size"],
            )
            for path, entry in document["files"].items()
        }
        return _Snapshot(files, document.get("storage"))
    except (ValueError, KeyError, TypeError, AttributeError):
        return _Snapshot({})


# -- imports beside the notebooks ----------------------------------------------------------------


class _DriveFolderFinder(importlib.machinery.FileFinder):
    """Python's own finder for a folder on the drive, reading the folder's listing at most once
    per notebook cell instead of once per import.

    The kernel's first import path is the notebooks' folder (``''``, the working directory
    ``/drive/notebooks``), so every import, of the standard library too, looks there first, and
    Python's ``FileFinder`` asks for the folder's modification time each time to see whether its
    listing changed. On JupyterLite's drive each such question is a request the page answers
    (a lesson's first cell asked 682 times: 0.30 s of its 2.4 s, measured in Chromium with
    ``cProfile``). Here a name the listing read during this cell does not hold is answered
    without asking; a name it holds, or a new cell, goes to ``FileFinder`` as before, so a
    module a learner writes beside the notebook is found from the next cell on, or at once
    after ``importlib.invalidate_caches()`` (what Python's documentation asks for a module
    made while the program runs: https://docs.python.org/3/library/importlib.html).
    """

    def __init__(self, path: str, *loader_details: Any) -> None:
        super().__init__(path, *loader_details)
        self._listed_in: int | None = None
        self._stems: frozenset[str] = frozenset()

    def find_spec(self, fullname: str, target: Any = None) -> Any:
        if self._listed_in == _cells[0] and fullname.rpartition(".")[2] not in self._stems:
            return None
        spec = super().find_spec(fullname, target)
        self._listed_in = _cells[0]
        self._stems = frozenset(n.partition(".")[0] for n in self._path_cache)
        return spec

    def invalidate_caches(self) -> None:
        super().invalidate_caches()
        self._listed_in = None


#: Cells run so far (IPython's ``pre_run_cell``), each a new look at the drive's folders.
_cells = [0]


def _on_the_drive(path: str) -> bool:
    folder = path or os.getcwd()
    return folder == str(SITE_FOLDER) or folder.startswith(f"{SITE_FOLDER}/")


def list_drive_folders_once_per_cell() -> None:
    """In the browser, find modules in the drive's folders with :class:`_DriveFolderFinder`.
    Done once per process; a no-op elsewhere."""
    if not pyodide_platform.IN_BROWSER or _drive_hook in sys.path_hooks:
        return
    sys.path_hooks.insert(0, _drive_hook)
    for path in [p for p in sys.path_importer_cache if _on_the_drive(p)]:
        del sys.path_importer_cache[path]
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None:  # outside IPython, only invalidate_caches() looks again
        shell.events.register("pre_run_cell", _next_cell)


def _next_cell(*_info: Any) -> None:
    _cells[0] += 1


def _drive_hook(path: str) -> importlib.abc.PathEntryFinder:
    if not _on_the_drive(path):
        raise ImportError("not a folder of the drive")
    return _drive_folder_finder(path)


_drive_folder_finder = _DriveFolderFinder.path_hook(
    (importlib.machinery.ExtensionFileLoader, importlib.machinery.EXTENSION_SUFFIXES),
    (importlib.machinery.SourceFileLoader, importlib.machinery.SOURCE_SUFFIXES),
    (importlib.machinery.SourcelessFileLoader, importlib.machinery.BYTECODE_SUFFIXES),
)
