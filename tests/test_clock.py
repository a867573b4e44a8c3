"""The virtual clock: time moves only when asked, and every run repeats."""

from __future__ import annotations

import pytest

from ecslab.errors import ClockError
from ecslab.world.clock import EPOCH, URGENT, Clock


def test_starts_at_the_fixed_epoch() -> None:
    """A new clock reads zero seconds, at the same instant every time."""
    clock = Clock()
    assert clock.now == 0
    assert clock.datetime() == EPOCH


def test_callbacks_run_in_time_then_priority_then_schedule_order() -> None:
    """Ties resolve by priority, then in the order they were scheduled."""
    clock, log = Clock(), []
    clock.schedule(5, lambda: log.append("b"))
    clock.schedule(5, lambda: log.append("c"))
    clock.schedule(5, lambda: log.append("a"), priority=URGENT)
    clock.schedule(1, lambda: log.append("first"))
    clock.run(until=10)
    assert log == ["first", "a", "b", "c"]
    assert clock.now == 10


def test_run_stops_at_until_and_keeps_later_callbacks() -> None:
    """Callbacks due after ``until`` wait for the next run."""
    clock, log = Clock(), []
    clock.schedule(30, lambda: log.append(clock.now))
    clock.advance(29)
    assert log == []
    clock.advance(1)
    assert log == [30]


def test_callbacks_may_schedule_more() -> None:
    """A callback that schedules another within the run sees it run too."""
    clock, log = Clock(), []

    def tick() -> None:
        log.append(clock.now)
        if clock.now < 30:
            clock.schedule(10, tick)

    clock.schedule(0, tick)
    clock.run(until=100)
    assert log == [0, 10, 20, 30]


def test_cancelled_timers_do_not_run() -> None:
    clock, log = Clock(), []
    timer = clock.schedule(3, lambda: log.append("no"))
    timer.cancel()
    clock.advance(10)
    assert log == [] and clock.peek() is None


def test_time_never_goes_back() -> None:
    """Running to a past instant or advancing by a negative amount is a clear error."""
    clock = Clock()
    clock.advance(10)
    with pytest.raises(ClockError, match="already at 10s"):
        clock.run(until=5)
    with pytest.raises(ClockError, match="only moves forward"):
        clock.advance(-1)
    with pytest.raises(ClockError):
        clock.schedule(-1, lambda: None)


def test_two_clocks_are_independent() -> None:
    a, b = Clock(), Clock()
    a.advance(100)
    assert b.now == 0
