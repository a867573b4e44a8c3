"""Opening a lab patches moto and botocore; closing it leaves nothing of ecslab behind.

The world's patches go through one registry (``ecslab.world.patches.PATCHES``) that the host's
``uninstall`` empties. These tests look for leftovers the way an upgrade or another library
would meet them: any attribute of a loaded moto, botocore or boto3 module or class that is an
ecslab function, any ecslab handler in botocore's table, a ``time`` module that is not ``time``.
"""

from __future__ import annotations

import sys
import time
from typing import Any

import pytest

from ecslab.lab import Lab
from ecslab.workshop.room import Room
from ecslab.world.patches import PATCHES, PatchRegistry

PATCHED_LIBRARIES = ("moto", "botocore", "boto3")


def _is_ecslab(value: Any) -> bool:
    value = getattr(value, "__func__", value)  # staticmethod, classmethod
    module = getattr(value, "__module__", None) or getattr(type(value), "__module__", "")
    return isinstance(module, str) and module.startswith("ecslab.")


def _leftovers() -> list[str]:
    """Every place in a loaded moto/botocore/boto3 module where an ecslab object sits."""
    found = []
    for module_name, module in sorted(sys.modules.items()):
        if module is None or module_name.split(".")[0] not in PATCHED_LIBRARIES:
            continue
        if ".vendored" in module_name:  # six's lazy modules import (and warn) when touched
            continue
        for name, value in list(vars(module).items()):
            if _is_ecslab(value) and not isinstance(value, type):
                found.append(f"{module_name}.{name}")
            if isinstance(value, type) and value.__module__ == module_name:
                found += [
                    f"{module_name}.{name}.{attribute}"
                    for attribute, member in vars(value).items()
                    if _is_ecslab(member)
                ]
    import botocore.handlers

    found += [
        f"botocore.handlers.BUILTIN_HANDLERS[{index}]"
        for index, entry in enumerate(botocore.handlers.BUILTIN_HANDLERS)
        if _is_ecslab(entry[1])
    ]
    import botocore.waiter

    if botocore.waiter.time is not time:
        found.append("botocore.waiter.time")
    return found


def test_a_lab_patches_moto_while_open_and_nothing_once_closed() -> None:
    with Lab() as lab:
        lab.client("ecs").create_cluster(clusterName="c")
        assert PATCHES.applied()  # something is patched while it is open
        assert _leftovers()
    assert PATCHES.applied() == []
    assert _leftovers() == []


def test_labs_opened_again_and_again_leave_nothing_patched() -> None:
    """A re-run first cell replaces the open lab; the last close puts everything back."""
    first = Lab()
    second = Lab()  # closes the first
    first.close()
    assert PATCHES.applied()
    second.close()
    with Lab():
        pass
    assert PATCHES.applied() == []
    assert _leftovers() == []


def test_a_room_leaves_nothing_patched_once_closed() -> None:
    """The workshop server's host patches the same places and puts them back the same way."""
    room = Room()
    room.open()
    assert PATCHES.applied()
    room.close()
    assert PATCHES.applied() == []
    assert _leftovers() == []


class _Owner:
    @staticmethod
    def calculate() -> str:
        return "moto's"

    def method(self) -> str:
        return "moto's"


def test_the_registry_puts_back_exactly_what_was_there() -> None:
    """A static method comes back static; an attribute the owner lacked is removed again."""
    registry = PatchRegistry()
    table = ["moto's handler"]
    original_static = vars(_Owner)["calculate"]
    wrapped = registry.replace(_Owner, "calculate", staticmethod(lambda: "ours"), "why")
    registry.replace(_Owner, "added", "ours", "why")
    registry.replace_item(table, 0, "our handler", "why")
    assert (_Owner.calculate(), _Owner.added, table) == ("ours", "ours", ["our handler"])  # type: ignore[attr-defined]
    assert wrapped() == "moto's"
    registry.undo_all()
    assert vars(_Owner)["calculate"] is original_static
    assert not hasattr(_Owner, "added")
    assert table == ["moto's handler"]
    assert registry.applied() == []


@pytest.mark.parametrize("library", PATCHED_LIBRARIES)
def test_the_search_for_leftovers_reads_each_library(library: str) -> None:
    """The leftover search has modules to read (a search of nothing would always pass)."""
    import boto3  # noqa: F401
    import botocore  # noqa: F401
    import moto  # noqa: F401

    assert any(name.split(".")[0] == library for name in sys.modules)
