"""The room: one simulated world per learner's account, each on a clock of its own.

A learner's ``lab.advance(10)`` must move their world by ten seconds and nobody else's (lesson
06 watches a rollout ten seconds at a time, in a room of thirty). So the ecslab server hosts a
:class:`~ecslab.world.world.World` per account, each on a
:class:`~ecslab.world.realtime.RealtimeClock` that keeps the room's ``--speed`` pace. The room
is moto's one host (:mod:`ecslab.world.moto_hooks`): it hands every call to the world of the
call's account, and tells moto the time of the world acting now.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from datetime import datetime

from ecslab.world import moto_hooks
from ecslab.world.moto_hooks import ApiCall
from ecslab.world.realtime import RealtimeClock
from ecslab.world.world import DEFAULT_SEED, World


class Room:
    """Every learner's world on one server; the host moto's hooks call."""

    def __init__(
        self,
        seed: int = DEFAULT_SEED,
        speed: float = 1.0,
        wall: Callable[[], float] = time.monotonic,
    ) -> None:
        self.seed = seed
        self.speed = speed
        self.worlds: dict[str, World] = {}
        self._wall = wall
        self._acting: World | None = None
        self._held = False
        #: Stands for the time when no learner's world is acting (the server's own status).
        self.clock = RealtimeClock(factor=speed, wall=wall)

    def open(self) -> None:
        moto_hooks.install(self)
        moto_hooks.seed(self.seed)

    def close(self) -> None:
        moto_hooks.uninstall(self)

    def world(self, account: str) -> World:
        """The account's world, made on its first call (its clock starts at the lab's epoch)."""
        found = self.worlds.get(account)
        if found is None:
            clock = RealtimeClock(factor=self.speed, wall=self._wall)
            if self._held:
                clock.hold()
            found = self.worlds[account] = World(seed=self.seed, clock=clock)
        return found

    @contextlib.contextmanager
    def acting(self, account: str, at: float | None = None) -> Iterator[World]:
        """Let the account's world act: its clock catches up (with the wall, or to ``at``)."""
        world = self.world(account)
        previous, self._acting = self._acting, world
        try:
            if at is None:
                _sync(world)
            elif at > world.clock.now:
                world.clock.run(until=at)
            yield world
        finally:
            self._acting = previous

    def hold(self) -> None:
        """Clocks stop following the wall (while the journal replays)."""
        self._held = True
        for world in self.worlds.values():
            _clock(world).hold()

    def resume(self) -> None:
        """Every clock follows the wall again from where it stands."""
        self._held = False
        for world in self.worlds.values():
            _clock(world).resume()

    # -- the Host protocol ----------------------------------------------------------------------

    def now(self) -> datetime:
        world = self._acting
        return world.clock.datetime() if world is not None else self.clock.datetime()

    def before_call(self, call: ApiCall) -> None:
        self.world(call.account).before_call(call)

    def after_call(self, call: ApiCall) -> None:
        self.world(call.account).after_call(call)


def _clock(world: World) -> RealtimeClock:
    clock = world.clock
    assert isinstance(clock, RealtimeClock)
    return clock


def _sync(world: World) -> None:
    clock = world.clock
    if isinstance(clock, RealtimeClock):
        clock.sync()
