"""The virtual clock: time in the simulated world moves only when asked.

Why a clock of our own rather than sleeps: a rolling deployment takes minutes on AWS, and a lesson
must show it in a second, the same way every run. So nothing in the world reads the wall clock;
every timestamp moto writes and every step the world takes comes from here.

Modelled on simpy's ``Environment``: a read-only ``now``, ``schedule``, ``step`` and
``run(until=...)`` over a heap of ``(time, priority, sequence)`` entries, so that ties resolve in
the order they were scheduled and every run repeats. No global state: two clocks never interfere.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ecslab.errors import ClockError

#: The instant every lab starts at, so notebook outputs repeat run to run.
EPOCH = datetime(2026, 1, 5, 9, 0, 0, tzinfo=UTC)

#: Priorities for callbacks due at the same instant: lower runs first.
URGENT = 0
NORMAL = 1


@dataclass
class _Entry:
    at: float
    priority: int
    seq: int
    callback: Callable[[], object]
    cancelled: bool = False


#: What the queue holds: ``(at, priority, seq, entry)``. The heap compares the plain tuple's
#: first three items (``seq`` is unique, so never the entry): far cheaper than a dataclass's
#: generated ordering, and a big world's hour makes some 50,000 comparisons.
_Slot = tuple[float, int, int, _Entry]


class Timer:
    """A handle on a scheduled callback; ``cancel()`` stops it from running."""

    def __init__(self, entry: _Entry) -> None:
        self._entry = entry

    @property
    def at(self) -> float:
        return self._entry.at

    def cancel(self) -> None:
        self._entry.cancelled = True


class Clock:
    """Seconds since :data:`EPOCH`, moved only by :meth:`step`, :meth:`run` and :meth:`advance`."""

    def __init__(self, start: datetime = EPOCH) -> None:
        self._start = start
        self._now = 0.0
        self._queue: list[_Slot] = []
        self._seq = itertools.count()

    def __repr__(self) -> str:
        return f"<Clock {self.datetime().isoformat()} (+{self._now:g}s)>"

    @property
    def now(self) -> float:
        """Seconds elapsed since the lab's start instant."""
        return self._now

    def datetime(self) -> datetime:
        """The current virtual instant, timezone-aware UTC."""
        return self._start + timedelta(seconds=self._now)

    def schedule(
        self, delay: float, callback: Callable[[], object], priority: int = NORMAL
    ) -> Timer:
        """Run ``callback`` once the clock reaches ``now + delay``."""
        if delay < 0:
            raise ClockError(f"Cannot schedule {delay}s in the past.")
        entry = _Entry(self._now + delay, priority, next(self._seq), callback)
        heapq.heappush(self._queue, (entry.at, entry.priority, entry.seq, entry))
        return Timer(entry)

    def peek(self) -> float | None:
        """When the next live callback is due, or ``None`` when nothing is scheduled."""
        while self._queue and self._queue[0][3].cancelled:
            heapq.heappop(self._queue)
        return self._queue[0][0] if self._queue else None

    def step(self) -> bool:
        """Move to the next scheduled callback and run it; ``False`` when there is none."""
        if self.peek() is None:
            return False
        entry = heapq.heappop(self._queue)[3]
        self._now = entry.at
        entry.callback()
        return True

    def run(self, until: float) -> None:
        """Run every callback due up to ``until`` (seconds since start), then stop there."""
        if until < self._now:
            raise ClockError(
                f"Cannot run the clock back to {until:g}s: it is already at {self._now:g}s."
            )
        while (due := self.peek()) is not None and due <= until:
            self.step()
        self._now = until

    def advance(self, seconds: float) -> None:
        """Run the world forward by ``seconds``."""
        if seconds < 0:
            raise ClockError(f"Time only moves forward: cannot advance by {seconds:g}s.")
        self.run(self._now + seconds)
