"""The room: one simulated world per learner's account, each on a clock of its own.

A learner's ``lab.advance(10)`` must move their world by ten seconds and nobody else's (lesson
06 watches a rollout ten seconds at a time, in a room of thirty). So the ecslab server hosts a
:class:`~ecslab.world.world.World` per account, each on a
:class:`~ecslab.world.realtime.RealtimeClock` that keeps the room's ``--speed`` pace. The room
is moto's one host (:mod:`ecslab.world.moto_hooks`): it hands every call to the world of the
call's account, and tells moto the time of the world acting now.

Learners are answered at the same time, one request at a time per account: each account has a
lock of its own, held while its world acts, and :data:`ACTING_AT_ONCE` worlds act at once (a
learner's long ``wait_stable`` holds up only that learner). One of those turns is kept for
requests that only read (:data:`KEPT_FOR_READS`), and reads waiting go first: learners changing
their worlds, however long each change takes, never leave a ``describe_services`` waiting behind
them. What a world acting on one thread
reads from the room is that thread's: the world acting (so moto stamps records with that
world's time) and the account's own identifier generators
(:func:`ecslab.world.moto_hooks.drawing_from`), so IDs depend only on the account's own
requests and a replay of the journal gives every account the same IDs. moto keeps each
account's records apart (its backends are keyed by account, then region).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from ecslab.world import moto_hooks
from ecslab.world.moto_hooks import ApiCall, Identifiers
from ecslab.world.realtime import RealtimeClock
from ecslab.world.world import DEFAULT_SEED, World

#: The services the course calls, whose models moto reads before the room's first call.
SERVICES = ("ec2", "ecs", "elbv2", "ecr", "iam", "sts", "logs", "secretsmanager", "ssm")
#: How long a call waits for the room's first call of the same operation (:meth:`first_call`).
FIRST_CALL_WAIT = 2.0
#: How many worlds act at once. Python runs one thread at a time, so more would not answer
#: sooner; each thread that waits for a socket or the journal must wait again for its turn
#: while others compute, so every extra one slows all. Two: changes, however heavy, take turns
#: in one, and reads are answered in the other (or in either, when no change is acting).
ACTING_AT_ONCE = 2
#: How many of those turns only requests that read may take (:class:`Turns`): without one, two
#: learners' heavy changes (an ``advance`` through a thousand tasks, ``wait_stable``) took both
#: and every describe in the room waited seconds for them.
KEPT_FOR_READS = 1


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
        self._seats: dict[str, _Seat] = {}
        self._seating = threading.Lock()  # guards the making of worlds (and of gates)
        self._gates: dict[tuple[str, str], threading.Lock] = {}
        self._answered: set[tuple[str, str]] = set()  # operations called once already
        self._here = threading.local()  # the world acting on this thread
        self._turns = Turns(ACTING_AT_ONCE, KEPT_FOR_READS)
        self._held = False
        #: Stands for the time when no learner's world is acting (the server's own status).
        self.clock = RealtimeClock(factor=speed, wall=wall)
        self._clock_lock = threading.Lock()

    def open(self) -> None:
        moto_hooks.install(self)
        moto_hooks.seed(self.seed)
        moto_hooks.read_models(SERVICES)  # not once per learner answered at the same time
        _read_once()

    def close(self) -> None:
        moto_hooks.uninstall(self)

    def world(self, account: str) -> World:
        """The account's world, made on its first call (its clock starts at the lab's epoch)."""
        return self._seat(account).world

    def _seat(self, account: str) -> _Seat:
        found = self._seats.get(account)
        if found is not None:
            return found
        with self._seating:
            found = self._seats.get(account)
            if found is None:
                clock = RealtimeClock(factor=self.speed, wall=self._wall)
                if self._held:
                    clock.hold()
                world = World(seed=self.seed, clock=clock)
                found = _Seat(world, threading.RLock(), Identifiers.seeded(self.seed, account))
                self._seats[account] = found
                self.worlds[account] = world
        return found

    @contextlib.contextmanager
    def acting(
        self, account: str, at: float | None = None, *, reads: bool = False
    ) -> Iterator[World]:
        """Let the account's world act, alone in that account (other accounts act meanwhile):
        its clock catches up (with the wall, or to ``at``). ``reads``: the request only reads,
        so it may take the turn kept for reads (and goes before waiting changes)."""
        seat = self._seat(account)
        with seat.lock, self._turns.turn(reads), moto_hooks.drawing_from(seat.identifiers):
            previous = getattr(self._here, "world", None)
            self._here.world = seat.world
            try:
                if at is None:
                    _sync(seat.world)
                elif at > seat.world.clock.now:
                    seat.world.clock.run(until=at)
                yield seat.world
            finally:
                self._here.world = previous

    @contextlib.contextmanager
    def first_call(self, operation: tuple[str, str]) -> Iterator[None]:
        """The room's first call of an operation (service, action) goes before the others.

        moto, botocore and the world read and keep what an operation needs on its first call
        (moto's application for the service, the service's model, validation's tables: EC2's
        model alone is 0.2 s of CPU); learners making that call at the same moment would each
        read it, all at once. So the others wait for the first, at most
        :data:`FIRST_CALL_WAIT` seconds (a heavy first call holds nobody up for long)."""
        if operation not in self._answered:
            with self._seating:
                gate = self._gates.setdefault(operation, threading.Lock())
            if gate.acquire(timeout=FIRST_CALL_WAIT):
                try:
                    if operation not in self._answered:
                        try:
                            yield
                        finally:
                            self._answered.add(operation)
                        return
                finally:
                    gate.release()
        yield

    def room_time(self) -> RealtimeClock:
        """The room's own clock, caught up with the wall (for answers no world gives)."""
        with self._clock_lock:
            self.clock.sync()
        return self.clock

    def hold(self) -> None:
        """Clocks stop following the wall (while the journal replays, before any request)."""
        with self._seating:
            self._held = True
            for world in self.worlds.values():
                _clock(world).hold()

    def resume(self) -> None:
        """Every clock follows the wall again from where it stands."""
        with self._seating:
            self._held = False
            for world in self.worlds.values():
                _clock(world).resume()

    # -- the Host protocol ----------------------------------------------------------------------

    def now(self) -> datetime:
        world = getattr(self._here, "world", None)
        if world is not None:
            return world.clock.datetime()
        with self._clock_lock:
            return self.clock.datetime()

    def before_call(self, call: ApiCall) -> None:
        self.world(call.account).before_call(call)

    def after_call(self, call: ApiCall) -> None:
        self.world(call.account).after_call(call)


class Turns:
    """``total`` turns to act, ``kept`` of them only for requests that read.

    A request that reads takes any free turn; one that changes a world takes one only while
    more than ``kept`` are free. When a turn is given back, a waiting read is woken first (it
    goes before waiting changes), else one waiting change: only a thread that can act is woken,
    since each one woken in vain costs every thread a switch."""

    def __init__(self, total: int, kept: int) -> None:
        assert 0 <= kept < total
        self._lock = threading.Lock()
        self._reads = threading.Condition(self._lock)
        self._changes = threading.Condition(self._lock)
        self._free = total
        self._kept = kept
        self._reads_waiting = 0

    @contextlib.contextmanager
    def turn(self, reads: bool) -> Iterator[None]:
        with self._lock:
            if reads:
                self._reads_waiting += 1
                try:
                    while not self._free:
                        self._reads.wait()
                finally:
                    self._reads_waiting -= 1
                self._free -= 1
                if not self._reads_waiting and self._free > self._kept:
                    self._changes.notify()  # it waited behind this read
            else:
                while self._free <= self._kept or self._reads_waiting:
                    self._changes.wait()
                self._free -= 1
        try:
            yield
        finally:
            with self._lock:
                self._free += 1
                if self._reads_waiting:
                    self._reads.notify()
                else:
                    self._changes.notify()


@dataclass(frozen=True)
class _Seat:
    """An account's place in the room: its world, the lock its requests take turns on, and
    the generators its IDs come from."""

    world: World
    lock: threading.RLock
    identifiers: Identifiers


def _read_once() -> None:
    """What a world reads on its first calls, read before the room's first learner: the
    world's own modules (imported as its first world is made) and EC2's model, which the
    filter rule reads (about a second of CPU in all, that the first learners would wait for)."""
    from ecslab.world.validation import ec2_filters

    World(clock=RealtimeClock())
    ec2_filters.documented_filters("DescribeVpcs")


def _clock(world: World) -> RealtimeClock:
    clock = world.clock
    assert isinstance(clock, RealtimeClock)
    return clock


def _sync(world: World) -> None:
    clock = world.clock
    if isinstance(clock, RealtimeClock):
        clock.sync()
