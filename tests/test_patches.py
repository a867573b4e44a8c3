"""Opening a lab patches moto and botocore; closing it leaves nothing of ecslab behind.

Every process-wide change goes through one registry (``ecslab.world.patches.PATCHES``): the
host's ``uninstall`` undoes the world's, the last lab to close undoes the labs' (secret masking).
These tests look for leftovers the way an upgrade or another library would meet them: any
attribute of a loaded moto, botocore or boto3 module or class that is an ecslab function, any
ecslab handler in botocore's table, a ``time`` module that is not ``time``, ecslab's log record
factory, an ecslab finder on ``sys.meta_path`` or an image's module in ``sys.modules``, and an
IPython shell still showing tracebacks through ecslab.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest

from ecslab.lab import Lab
from ecslab.pipeline import image_code
from ecslab.workshop.room import Room
from ecslab.world.patches import LABS, PATCHES, PatchRegistry

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
    if _is_ecslab(logging.getLogRecordFactory()):
        found.append("logging's record factory")
    found += [f"sys.meta_path: {finder!r}" for finder in sys.meta_path if _is_ecslab(finder)]
    found += [f"sys.modules[{name!r}]" for name in sys.modules if name.startswith("ecslab_image_")]
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None and shell.custom_exceptions:
        found.append(f"IPython's custom exception handler for {shell.custom_exceptions}")
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


@pytest.fixture
def shell() -> Iterator[Any]:
    """An IPython shell, as in a notebook's kernel (gone again after the test)."""
    from IPython.core.interactiveshell import InteractiveShell

    try:
        yield InteractiveShell.instance()
    finally:
        InteractiveShell.clear_instance()


def test_a_labs_masking_in_ipython_and_logging_ends_when_the_last_lab_closes(shell: Any) -> None:
    """IPython's traceback hook and the log record factory are the labs' patches: two labs
    open, one closed, still masked; both closed, IPython and logging are as they were."""
    factory = logging.getLogRecordFactory()
    first = Lab(backend="moto")
    assert shell.custom_exceptions == (Exception,)
    assert logging.getLogRecordFactory() is not factory
    assert any("IPython" in line for line in PATCHES.applied())
    second = Lab(backend="moto")  # a re-run first cell
    first.close()
    assert shell.custom_exceptions == (Exception,)  # the open lab still masks
    second.close()
    assert shell.custom_exceptions == ()
    assert logging.getLogRecordFactory() is factory
    assert PATCHES.applied() == []
    assert _leftovers() == []


def test_an_images_code_is_forgotten_when_the_last_lab_closes() -> None:
    """The code an image carries imports under ecslab_image_<digest> while the world runs it;
    closing the lab takes its modules out of sys.modules and its finder off sys.meta_path."""
    files = {"app/__init__.py": b"", "app/main.py": b"ANSWER = 42\n"}
    with Lab():
        module = image_code.load("sha256:" + "ab" * 32, files, "app.main")
        assert module.ANSWER == 42
        assert module.__name__ in sys.modules
        assert _leftovers()
    assert module.__name__ not in sys.modules
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


def test_each_holder_undoes_only_its_own_patches() -> None:
    """The labs' masking outlives the world's host when a lab on another backend stays open."""
    registry = PatchRegistry()
    undone: list[str] = []
    registry.on_undo(lambda: undone.append("world"), "the world's")
    registry.on_undo(lambda: undone.append("labs"), "the labs'", holder=LABS)
    registry.undo_all()
    assert (undone, registry.applied()) == (["world"], ["the labs'"])
    registry.undo_all(LABS)
    assert (undone, registry.applied()) == (["world", "labs"], [])
