"""The wings import only downward: the layering that docs/design.md describes, kept by a test.

- the simulated world (``ecslab.world``) knows moto, never the views, widgets or graphviz;
- the views (diagrams, quizzes, checks, progress) read state through boto3 and never reach into
  the world's or moto's internals;
- nothing but the world and the in-process backend imports moto.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ecslab"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules(wing: str) -> list[Path]:
    found = sorted((PACKAGE / wing).rglob("*.py"))
    assert found, f"no modules found under ecslab/{wing}"
    return found


def _offending(paths: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in paths
        for name in sorted(_imports(path))
        if name.split(".")[0] in forbidden or name.startswith(forbidden)
    ]


def test_the_world_never_imports_views_widgets_or_graphviz() -> None:
    forbidden = ("ipywidgets", "graphviz", "IPython", "ecslab.views", "ecslab.quiz", "ecslab.lab")
    assert _offending(_modules("world"), forbidden) == []


@pytest.mark.parametrize("wing", ["views", "quiz", "checks"])
def test_views_read_state_through_boto3_not_moto(wing: str) -> None:
    if not (PACKAGE / wing).is_dir():
        pytest.skip(f"ecslab/{wing} does not exist yet")
    assert _offending(_modules(wing), ("moto", "ecslab.world.moto_hooks")) == []


def test_only_the_world_the_server_and_the_in_process_backend_import_moto() -> None:
    allowed = {"world", "server.py", "backends/inprocess.py"}
    offenders = [
        line
        for line in _offending(sorted(PACKAGE.rglob("*.py")), ("moto",))
        if not any(line.startswith(prefix) for prefix in allowed)
    ]
    assert offenders == []
