"""environment.yml (conda, Binder) stays in step with pyproject.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
#: conda-forge names that differ from PyPI's. conda's own "graphviz" is the Graphviz program
#: (the `dot` binary), not the Python package: it has no PyPI counterpart to compare.
CONDA_TO_PYPI = {"python-graphviz": "graphviz", "graphviz": None, "pip": None}


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def test_python_version_matches_requires_python() -> None:
    conda = [d for d in _environment()["dependencies"] if isinstance(d, str)]
    assert f"python{_pyproject()['project']['requires-python']}" in conda


def test_pip_section_installs_the_project_with_the_lab_extra() -> None:
    pip = next(d["pip"] for d in _environment()["dependencies"] if isinstance(d, dict))
    assert pip == ['-e ".[lab]"']
    assert "lab" in _pyproject()["project"]["optional-dependencies"]


def test_conda_packages_that_pyproject_also_names_have_the_same_bounds() -> None:
    """A package pinned on both sides must not drift: same lower bound, same name."""
    project = _pyproject()["project"]
    declared = {}
    for spec in [*project["dependencies"], *project["optional-dependencies"]["lab"]]:
        requirement = Requirement(spec)
        declared[requirement.name.lower()] = str(requirement.specifier)
    shared = 0
    for entry in _environment()["dependencies"]:
        if not isinstance(entry, str):
            continue
        requirement = Requirement(entry)
        if requirement.name == "python":
            continue
        name = CONDA_TO_PYPI.get(requirement.name.lower(), requirement.name.lower())
        if name in declared:
            shared += 1
            assert str(requirement.specifier) == declared[name], entry
    assert shared >= 3  # jupyterlab, ipywidgets, graphviz: the comparison checked something
