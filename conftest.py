"""Settings for the whole test run, the notebooks under nbval included."""

from __future__ import annotations

import os

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """The suite (and the notebook kernels it starts) never writes the user's progress file,
    and draws with the bundled renderer, so committed SVG outputs match on every machine."""
    os.environ.setdefault("ECSLAB_PROGRESS_FILE", "off")
    os.environ.setdefault("ECSLAB_RENDERER", "graphviz-pure")
