"""The wings import only downward: the layering docs/design.md describes, kept by import-linter.

The contracts live in ``pyproject.toml`` (``[tool.importlinter]``) and ``make test`` runs
``lint-imports``. These tests keep what the linter cannot see for itself:

- the contracts are run here too, so a targeted ``pytest tests/test_architecture.py`` fails on a
  broken layer with the linter's own report;
- every module directly under ``ecslab/`` has a place in the layers, so a new wing cannot slip in
  unordered (and a layer naming a wing that is gone fails in the linter);
- an import the linter cannot follow (``importlib.import_module``, ``__import__``) appears only in
  the few modules whose job is to import by name.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ecslab"

#: The modules that import by name, and why; anywhere else a dynamic import hides a dependency
#: from the linter.
IMPORTS_BY_NAME = {
    "__init__.py": "the front door imports its names lazily",
    "cli/__init__.py": "each subcommand's module is imported when it runs",
    "world/validation/rules.py": "the validation areas register their rules when imported",
    "pipeline/image_code.py": "the learner's app is imported from its snapshot",
}


def _contracts() -> list[dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return config["contracts"]


def test_the_import_contracts_are_kept() -> None:
    """Every contract in pyproject.toml holds: the same check as ``lint-imports`` in make test."""
    linter = Path(sys.executable).with_name("lint-imports")
    if not linter.exists():
        pytest.skip(f"lint-imports is not installed: {sys.executable} -m pip install -e '.[dev]'")
    run = subprocess.run(
        [str(linter), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def _layer_names() -> set[str]:
    (layers,) = [c for c in _contracts() if c["type"] == "layers" and "containers" not in c]
    return {name.strip() for layer in layers["layers"] for name in re.split(r"[|:]", layer)}


def test_every_wing_has_a_place_in_the_layers() -> None:
    """A module or package directly under ecslab/ that no layer names is a wing without an order."""
    wings = {
        f"ecslab.{path.stem}"
        for path in PACKAGE.iterdir()
        if (path.suffix == ".py" and path.stem != "__init__")
        or (path.is_dir() and (path / "__init__.py").exists())
    }
    assert wings, "no wings found under ecslab/"
    assert sorted(wings - _layer_names()) == []
    assert sorted(_layer_names() - wings) == []


def _imports_by_name(path: Path) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if (isinstance(func, ast.Attribute) and func.attr == "import_module") or (
            isinstance(func, ast.Name) and func.id in {"__import__", "import_module"}
        ):
            lines.append(node.lineno)
    return lines


def test_only_a_few_modules_import_by_name() -> None:
    """``importlib.import_module`` hides a dependency from the linter: only where importing by
    name is the module's job."""
    modules = sorted(PACKAGE.rglob("*.py"))
    assert modules, "no modules found under ecslab/"
    found = {
        str(path.relative_to(PACKAGE)): lines
        for path in modules
        if (lines := _imports_by_name(path))
    }
    assert sorted(set(found) - set(IMPORTS_BY_NAME)) == [], found
