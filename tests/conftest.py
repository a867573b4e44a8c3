"""Shared fixtures: a fresh simulated lab per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ecslab.lab import Lab


@pytest.fixture
def lab() -> Iterator[Lab]:
    """A fresh in-process lab, closed after the test."""
    with Lab() as opened:
        yield opened
