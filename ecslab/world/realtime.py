"""A clock that keeps pace with the wall, at a chosen multiple: the shared server's clock.

In a workshop room the simulated world should move by itself (a service started by one learner
reaches its steady state while they read), yet an instructor can still jump ahead. So virtual
time is ``factor`` times the wall time elapsed since start, plus every explicit advance.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ecslab.world.clock import Clock


class RealtimeClock(Clock):
    """A :class:`Clock` whose :meth:`sync` catches up with the wall clock times ``factor``."""

    def __init__(self, factor: float = 1.0, wall: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.factor = factor
        self._wall = wall
        self._wall_start = wall()
        self._skipped = 0.0  # virtual seconds added by explicit advances

    def sync(self) -> None:
        """Run everything due up to the wall-derived instant (never backwards)."""
        target = (self._wall() - self._wall_start) * self.factor + self._skipped
        if target > self.now:
            self.run(until=target)

    def advance(self, seconds: float) -> None:
        self.sync()
        super().advance(seconds)
        self._skipped += seconds
