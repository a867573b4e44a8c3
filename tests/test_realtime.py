"""The server's clock keeps pace with the wall at a chosen multiple, plus explicit advances."""

from __future__ import annotations

from ecslab.world.realtime import RealtimeClock


def test_sync_follows_the_wall_times_the_factor() -> None:
    wall = [100.0]
    clock = RealtimeClock(factor=10, wall=lambda: wall[0])
    wall[0] += 3
    clock.sync()
    assert clock.now == 30


def test_advance_adds_to_the_wall_derived_time() -> None:
    wall = [0.0]
    clock = RealtimeClock(factor=1, wall=lambda: wall[0])
    clock.advance(60)
    wall[0] += 5
    clock.sync()
    assert clock.now == 65


def test_a_held_clock_ignores_the_wall_and_resumes_from_where_it_stands() -> None:
    """While the server replays its journal, clocks move only to the instants it names."""
    wall = [0.0]
    clock = RealtimeClock(factor=1, wall=lambda: wall[0])
    clock.hold()
    wall[0] += 500  # the server was down for a while
    clock.sync()
    assert clock.now == 0
    clock.run(until=42)
    clock.resume()
    wall[0] += 3
    clock.sync()
    assert clock.now == 45
