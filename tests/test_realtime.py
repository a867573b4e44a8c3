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
