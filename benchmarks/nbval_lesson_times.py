"""A pytest plugin that writes each notebook's CPU and wall seconds under nbval to a JSON file.

``bench_course_nbval.py`` loads it (``-p nbval_lesson_times``) into a run of the whole course,
so the lessons share one pytest process as in CI, and still each gets its own figure. A lesson's
share starts before its first cell's set-up (nbval starts the lesson's kernel there) and ends
before the next lesson's: the kernel is stopped, and waited for, in the teardown of the lesson's
last cell, so its CPU time has joined this process's ``RUSAGE_CHILDREN`` by then. The figures
are this process's own CPU time plus its finished children's.
"""

from __future__ import annotations

import json
import os
import resource
import time
from pathlib import Path

import pytest

OUTPUT = "ECSLAB_LESSON_TIMES"


def _cpu() -> float:
    """User plus system seconds of this process and of its children that have ended."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class LessonTimes:
    """Boundaries between notebooks, taken as pytest starts each notebook's first cell."""

    def __init__(self) -> None:
        self.current: str | None = None
        self.since = (0.0, 0.0)
        self.lessons: dict[str, dict[str, float]] = {}

    def _close(self) -> None:
        if self.current is not None:
            cpu, wall = self.since
            self.lessons[self.current] = {
                "cpu": _cpu() - cpu,
                "wall": time.perf_counter() - wall,
            }

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> None:
        name = Path(str(item.path)).name
        if name != self.current:
            self._close()
            self.current, self.since = name, (_cpu(), time.perf_counter())

    def pytest_sessionfinish(self) -> None:
        self._close()
        Path(os.environ[OUTPUT]).write_text(json.dumps(self.lessons))


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(LessonTimes(), "nbval-lesson-times")
