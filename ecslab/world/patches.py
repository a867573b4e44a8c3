"""Every process-wide replacement ecslab makes, installed and removed in one place.

The world changes a few of moto's and botocore's globals while a host is installed (the call
hook, the clock, the identifiers, the fixes of moto's crashes on valid input, the in-process
network guard), and the code that images carry is importable while it runs (a finder on
``sys.meta_path``, its modules in ``sys.modules``). Labs, on any backend, mask secrets in the
process's log records and in IPython's tracebacks while one is open. Each change goes through
:data:`PATCHES`, which remembers what it replaced and who holds it: the host's ``uninstall``
undoes the :data:`WORLD`'s, the last lab to close undoes the :data:`LABS`'. So a process whose
labs are all closed has nothing of ecslab left in moto, botocore, ``logging``, IPython or the
import system (``tests/test_patches.py`` opens and closes labs and looks).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, MutableSequence
from typing import Any

#: Marks an attribute the owner did not have before the patch (so undo deletes it).
_ABSENT = object()

#: Who holds a patch, and so when it is undone: the world's host (moto, botocore, images' code),
#: or the open labs (secret masking in log records and IPython).
WORLD = "world"
LABS = "labs"


class PatchRegistry:
    """What has been replaced, in order, and how to put each back."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._applied: list[tuple[str, str, Callable[[], None]]] = []

    def replace(
        self, owner: Any, name: str, replacement: Any, why: str, holder: str = WORLD
    ) -> Any:
        """Set ``owner.name`` to ``replacement``; returns what was there (as attribute access
        would read it, so a wrapper can call it)."""
        with self._lock:
            raw = vars(owner).get(name, _ABSENT)  # a static method stays static when put back
            current = getattr(owner, name, None)

            def undo() -> None:
                if raw is _ABSENT:
                    delattr(owner, name)
                else:
                    setattr(owner, name, raw)

            setattr(owner, name, replacement)
            self._applied.append((holder, f"{_name_of(owner)}.{name}: {why}", undo))
            return current

    def replace_item(
        self,
        table: MutableSequence[Any],
        index: int,
        replacement: Any,
        why: str,
        holder: str = WORLD,
    ) -> None:
        """Replace one entry of a list (botocore's table of built-in event handlers)."""
        with self._lock:
            original = table[index]

            def undo() -> None:
                table[index] = original

            table[index] = replacement
            self._applied.append((holder, f"{_name_of(table)}[{index}]: {why}", undo))

    def on_undo(self, undo: Callable[[], None], why: str, holder: str = WORLD) -> None:
        """Run ``undo`` with the others: for a change made through a library's own setter (a
        log record factory, an IPython hook, an import finder) or one that a patch spreads and
        no attribute records (modules imported while moto's clock was replaced bind it)."""
        with self._lock:
            self._applied.append((holder, why, undo))

    def undo_all(self, holder: str = WORLD) -> None:
        """Put back everything ``holder`` replaced, newest first."""
        with self._lock:
            mine = [entry for entry in self._applied if entry[0] == holder]
            self._applied = [entry for entry in self._applied if entry[0] != holder]
            for _, _, undo in reversed(mine):
                undo()

    def applied(self) -> list[str]:
        """One line per replacement in place, whoever holds it: what, and why."""
        with self._lock:
            return [what for _, what, _ in self._applied]


def _name_of(owner: Any) -> str:
    return str(
        getattr(owner, "__qualname__", None) or getattr(owner, "__name__", type(owner).__name__)
    )


#: The process's one registry: moto's mock, and so every patch, is process-wide.
PATCHES = PatchRegistry()
