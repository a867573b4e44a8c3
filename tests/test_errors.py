"""ecslab's own errors: one tree, drawn in ``ecslab/errors.py``'s docstring, true to the classes.

Every error class ecslab defines lives in ``ecslab.errors``, derives from ``EcslabError`` and is
exported from ``ecslab``; the drawn tree names each with its real parent.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import ecslab
from ecslab import errors

PACKAGE = Path(ecslab.__file__).parent

#: Exceptions that never reach a learner: each is caught inside the world and turned into AWS's
#: answer (an API error, a stopped task's reason), or marks a broken lesson file for authors.
INTERNAL = {
    "world/moto_hooks.py": {"AwsError"},
    "world/moto_adapter/core.py": {"SimulatedAwsError"},
    "world/secrets_injection.py": {"StartFailure"},
    "course/student.py": {"SolutionMarkerError"},
}


def _drawn_tree() -> dict[str, str]:
    """Each class in the docstring's tree, and the class it hangs under."""
    parents: dict[str, str] = {}
    stack: list[tuple[int, str]] = []
    for line in (errors.__doc__ or "").splitlines():
        found = re.match(r"^(\s*(?:[│ ]   )*)(?:[├└]── )?([A-Z]\w+)\b", line)
        if not found or found.group(2) not in _defined():
            continue
        depth = found.start(2) // 4  # the name's column: four per level
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if stack:
            parents[found.group(2)] = stack[-1][1]
        stack.append((depth, found.group(2)))
    return parents


def _defined() -> dict[str, type[BaseException]]:
    return {
        name: value
        for name, value in vars(errors).items()
        if inspect.isclass(value)
        and issubclass(value, BaseException)
        and value.__module__ == errors.__name__
    }


def test_the_drawn_tree_is_the_class_tree() -> None:
    drawn = _drawn_tree()
    assert drawn, "no tree found in ecslab/errors.py's docstring"
    actual = {
        name: next(b.__name__ for b in cls.__bases__ if issubclass(b, errors.EcslabError))
        for name, cls in _defined().items()
        if cls is not errors.EcslabError
    }
    assert drawn == actual


def test_every_error_is_exported_from_the_front_door() -> None:
    assert sorted(set(_defined()) - set(ecslab.__all__)) == []


def test_no_error_class_is_defined_outside_errors_py() -> None:
    """An ecslab error defined beside its use would be missing from the tree."""
    modules = sorted(PACKAGE.rglob("*.py"))
    assert modules
    elsewhere = {}
    for path in modules:
        relative = str(path.relative_to(PACKAGE))
        if relative == "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), relative)):
            if (
                isinstance(node, ast.ClassDef)
                and any(
                    isinstance(b, ast.Name)
                    and (
                        b.id.endswith(("Error", "Exception"))
                        or b.id
                        in {"EcslabError", "BackendUnavailable", "TimeoutError", "LookupError"}
                    )
                    for b in node.bases
                )
                and node.name not in INTERNAL.get(relative, set())
            ):
                elsewhere.setdefault(relative, []).append(node.name)
    assert elsewhere == {}
