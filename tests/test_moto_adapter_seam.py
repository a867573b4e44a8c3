"""Only the moto adapter touches moto's objects: what the rest of ecslab takes from it is plain.

The import contracts (``pyproject.toml``) let only ``ecslab.world.moto_adapter`` import moto;
this test looks at what other modules take *from the adapter*. A function is plain when its
signature names neither ``Any`` in what it returns nor any of moto's classes anywhere; a class
is plain when it is ecslab's own (a small record) and no subclass of one of moto's. Anything
else the adapter hands out (a backend, a moto class, ``mock_random``, a moto module) would let
the caller read moto's attributes, so a module outside the adapter that uses it is listed.

What this cannot see: a plain function's ``object`` result (moto's record, handed out only for
a call's answer to serialise) read with ``getattr``; moto objects reaching the world another
way than through the adapter's names (none is known).
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ADAPTER = "ecslab.world.moto_adapter"

#: The modules outside the adapter that still take moto's objects from it, and what they take.
#: Each entry is a reach still to be moved behind a plain function; the list only shrinks.
STILL_REACHING: dict[str, set[str]] = {}


def _moto_names(module: Any) -> set[str]:
    """The names in an adapter module that stand for moto's own objects."""
    return {
        name
        for name, value in vars(module).items()
        if str(getattr(value, "__module__", None) or "").startswith("moto")
        or (inspect.ismodule(value) and value.__name__.startswith("moto"))
    }


def _plain(module_name: str, name: str) -> bool:
    module = importlib.import_module(f"{ADAPTER}.{module_name}")
    found = getattr(module, name, None)
    if found is None:
        return False
    if isinstance(found, tuple):  # a table of ecslab's own records
        return all(str(type(each).__module__).startswith("ecslab.") for each in found)
    if inspect.isclass(found):
        return str(found.__module__).startswith("ecslab.") and not any(
            str(base.__module__).startswith("moto") for base in found.__mro__
        )
    if not inspect.isfunction(found) or not found.__module__.startswith(ADAPTER):
        return False
    moto = _moto_names(module)
    signature = inspect.signature(found)
    returns = str(signature.return_annotation)
    written = [returns] + [str(p.annotation) for p in signature.parameters.values()]
    words = {w for text in written for w in _words(text)}
    return "Any" not in _words(returns) and not (words & moto)


def _words(text: str) -> set[str]:
    return set("".join(c if c.isalnum() or c == "_" else " " for c in text).split())


def reaches(source: str) -> set[str]:
    """What a module's source takes from the adapter that is not plain (``module.name``)."""
    tree = ast.parse(source)
    modules: dict[str, str] = {}  # local alias → adapter module
    taken: set[tuple[str, str]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == ADAPTER:
            for alias in node.names:
                modules[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(ADAPTER + "."):
            for alias in node.names:
                taken.add((str(node.module).removeprefix(ADAPTER + "."), alias.name))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(ADAPTER):
                    taken.add((alias.name, "<module>"))
    used_as_attribute: set[int] = set()
    for node in ast.walk(tree):
        value = node.value if isinstance(node, ast.Attribute) else None
        if isinstance(value, ast.Name) and value.id in modules:
            used_as_attribute.add(id(value))
            taken.add((modules[value.id], node.attr))  # type: ignore[attr-defined]
    for node in ast.walk(tree):  # an adapter module handed on whole
        handed_on = isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
        if handed_on and node.id in modules and id(node) not in used_as_attribute:  # type: ignore[attr-defined]
            taken.add((modules[node.id], "<module>"))  # type: ignore[attr-defined]
    return {
        f"{module}.{name}"
        for module, name in taken
        if name == "<module>" or not _plain(module, name)
    }


def _outside_the_adapter() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    files = sorted((ROOT / "ecslab").rglob("*.py"))
    assert files, "no module found under ecslab/"
    for path in files:
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith("ecslab/world/moto_adapter/"):
            continue
        taken = reaches(path.read_text())
        if taken:
            found[relative] = taken
    return found


def test_no_module_outside_the_adapter_takes_moto_objects_from_it() -> None:
    """Every reach is listed in STILL_REACHING; one moved behind a plain function leaves it."""
    assert _outside_the_adapter() == STILL_REACHING


def test_a_backend_taken_from_the_adapter_is_seen() -> None:
    planted = (
        "from ecslab.world.moto_adapter import ecs_models\n"
        "def f(a, r):\n"
        "    return ecs_models.backend(a, r).tasks\n"
    )
    assert reaches(planted) == {"ecs_models.backend"}


def test_moto_classes_and_generators_taken_from_the_adapter_are_seen() -> None:
    planted = (
        "from ecslab.world.moto_adapter.ecs_models import Task, WorldTask\n"
        "from ecslab.world.moto_adapter.core import mock_random, responses\n"
        "from ecslab.world.moto_adapter import elbv2_models as lb\n"
        "def f(module=lb):\n"
        "    return module\n"
    )
    assert reaches(planted) == {
        "ecs_models.Task",
        "ecs_models.WorldTask",
        "core.mock_random",
        "core.responses",
        "elbv2_models.<module>",
    }


def test_plain_functions_and_records_taken_from_the_adapter_pass() -> None:
    plain = (
        "from ecslab.world.moto_adapter import ec2_models, ecs_models\n"
        "from ecslab.world.moto_adapter.elbv2_models import TargetGroup\n"
        "def f(a, r):\n"
        "    ecs_models.task_definition(a, r, 'web:1')\n"
        "    return ec2_models.read_topology(a, r)\n"
    )
    assert reaches(plain) == set()
