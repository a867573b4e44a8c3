"""A clock that keeps pace with the wall, at a chosen multiple: the shared server's clocks.

In a workshop room the simulated world should move by itself (a service started by one learner
reaches its steady state while they read), yet a learner can still jump ahead. So virtual time
is ``factor`` times the wall time elapsed since the clock started following the wall, plus every
explicit advance. While the server replays its journal after a restart, each clock is *held*
(it moves only to the instants the journal names) and then resumes following the wall from the
instant it reached, so no learner's world jumps by the time the server was down.
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
        self._skipped = 0.0  # virtual seconds added by explicit advances (and resumes)
        self._following = True

    def sync(self) -> None:
        """Run everything due up to the wall-derived instant (never backwards)."""
        if not self._following:
            return
        target = (self._wall() - self._wall_start) * self.factor + self._skipped
        if target > self.now:
            self.run(until=target)

    def advance(self, seconds: float) -> None:
        self.sync()
        super().advance(seconds)
        self._skipped += seconds

    def hold(self) -> None:
        """Stop following the wall: only :meth:`run` and :meth:`advance` move the clock."""
        self._following = False

    def resume(self) -> None:
        """Follow the wall again, from the instant the clock stands at now."""
        self._wall_start = self._wall()
        self._skipped = self.now
        self._following = True
