"""Every process-wide replacement the simulated world makes, installed and removed in one place.

The world changes a few of moto's and botocore's globals while a host is installed (the call
hook, the clock, the identifiers, the fixes of moto's crashes on valid input, the in-process
network guard). Each goes through :data:`PATCHES`, which remembers what it replaced; the host's
``uninstall`` calls :meth:`PatchRegistry.undo_all`, so a process whose labs are all closed has
nothing of ecslab left in moto or botocore (``tests/test_patches.py`` opens and closes labs and
looks).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, MutableSequence
from typing import Any

#: Marks an attribute the owner did not have before the patch (so undo deletes it).
_ABSENT = object()


class PatchRegistry:
    """What has been replaced, in order, and how to put each back."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._applied: list[tuple[str, Callable[[], None]]] = []

    def replace(self, owner: Any, name: str, replacement: Any, why: str) -> Any:
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
            self._applied.append((f"{_name_of(owner)}.{name}: {why}", undo))
            return current

    def replace_item(
        self, table: MutableSequence[Any], index: int, replacement: Any, why: str
    ) -> None:
        """Replace one entry of a list (botocore's table of built-in event handlers)."""
        with self._lock:
            original = table[index]

            def undo() -> None:
                table[index] = original

            table[index] = replacement
            self._applied.append((f"{_name_of(table)}[{index}]: {why}", undo))

    def on_undo(self, undo: Callable[[], None], why: str) -> None:
        """Run ``undo`` with the others: for what a patch spreads that no attribute records
        (modules imported while moto's clock was replaced bind the replacement)."""
        with self._lock:
            self._applied.append((why, undo))

    def undo_all(self) -> None:
        """Put back everything replaced, newest first."""
        with self._lock:
            while self._applied:
                _, undo = self._applied.pop()
                undo()

    def applied(self) -> list[str]:
        """One line per replacement in place: what, and why."""
        with self._lock:
            return [what for what, _ in self._applied]


def _name_of(owner: Any) -> str:
    return str(
        getattr(owner, "__qualname__", None) or getattr(owner, "__name__", type(owner).__name__)
    )


#: The process's one registry: moto's mock, and so every patch, is process-wide.
PATCHES = PatchRegistry()
