"""Changes to the environment end in any order and leave it as it was before them."""

from __future__ import annotations

import os

import pytest

from ecslab.backends.environment import EnvironmentPatch


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECSLAB_TEST_A", "before")
    monkeypatch.delenv("ECSLAB_TEST_B", raising=False)


def test_patches_undone_newest_first_put_everything_back() -> None:
    older = EnvironmentPatch({"ECSLAB_TEST_A": "older", "ECSLAB_TEST_B": "older"})
    newer = EnvironmentPatch({"ECSLAB_TEST_A": "newer", "ECSLAB_TEST_B": None})
    newer.restore()
    assert os.environ["ECSLAB_TEST_A"] == "older"
    assert os.environ["ECSLAB_TEST_B"] == "older"
    older.restore()
    assert os.environ["ECSLAB_TEST_A"] == "before"
    assert "ECSLAB_TEST_B" not in os.environ


def test_an_older_patch_undone_first_leaves_the_newer_ones_values_then_nothing() -> None:
    """Closing the earlier of two open labs: the later lab keeps its endpoint and key; once it
    closes too, the environment is what it was before the first."""
    older = EnvironmentPatch({"ECSLAB_TEST_A": "older", "ECSLAB_TEST_B": "older"})
    newer = EnvironmentPatch({"ECSLAB_TEST_A": "newer"})
    older.restore()
    assert os.environ["ECSLAB_TEST_A"] == "newer"
    assert "ECSLAB_TEST_B" not in os.environ  # only the older patch held it
    newer.restore()
    assert os.environ["ECSLAB_TEST_A"] == "before"


def test_restoring_twice_changes_nothing_the_second_time() -> None:
    patch = EnvironmentPatch({"ECSLAB_TEST_A": "set"})
    patch.restore()
    os.environ["ECSLAB_TEST_A"] = "changed since"
    patch.restore()
    assert os.environ["ECSLAB_TEST_A"] == "changed since"
