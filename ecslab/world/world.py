"""The simulated world: the host that moto's hooks call, and what it delegates to.

One ``World`` per process hosts every simulated account (the in-process lab uses one; the ecslab
server holds many learners' accounts in one). It owns the virtual clock and the behaviours that
make moto act like AWS. A behaviour is an object with

* ``register_calls(calls)``: registers the handlers of the API calls it handles, before moto
  (may raise :class:`~ecslab.world.moto_hooks.AwsError` to reject a call before moto stores
  anything: validation lives there) or after moto answered, in the world's one table
  (:mod:`ecslab.world.call_handlers`, which says in what order they run);

and some of these methods, called in the order the behaviours were added:

* ``tick(world)``: brings the world's state up to ``world.clock.now`` (idempotent: a tick with
  nothing to do does nothing; the runtime reconciles the services marked since its last
  reconcile, each by level: see :mod:`ecslab.world.runtime`);
* ``reset(world)``: forgets everything, as moto's own reset does.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ecslab.world import moto_hooks
from ecslab.world.apps import AppRegistry
from ecslab.world.call_handlers import AFTER, BEFORE, CallHandlers, Registrar
from ecslab.world.clock import Clock
from ecslab.world.moto_hooks import ApiCall

DEFAULT_SEED = 20260105
#: API operations that only read (the views count on them changing nothing).
READ_PREFIXES = ("Describe", "List", "Get", "BatchGet", "BatchCheck")


class World:
    """The host of the simulated AWS in this process."""

    def __init__(
        self, seed: int = DEFAULT_SEED, clock: Clock | None = None, *, standard: bool = True
    ) -> None:
        self.seed = seed
        self.clock = clock or Clock()
        self.behaviours: list[Any] = []
        #: Which behaviour handles which call, in order (see :mod:`ecslab.world.call_handlers`).
        self.calls = CallHandlers()
        #: What each image's containers do (see :mod:`ecslab.world.apps`).
        self.apps = AppRegistry()
        #: How many calls that may change something the world has seen (reads excluded).
        self.changes = 0
        if standard:
            from ecslab.world.assembly import standard_behaviours

            for behaviour in standard_behaviours():
                self.add(behaviour)
        self._busy = False

    def __repr__(self) -> str:
        return f"<World seed={self.seed} {self.clock!r} behaviours={len(self.behaviours)}>"

    # -- the Host protocol ----------------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock.datetime()

    def before_call(self, call: ApiCall) -> None:
        if self._busy:  # the world's own calls into moto are not learner calls
            return
        self.tick()
        for handler in self.calls.for_call(BEFORE, call.service, call.action):
            handler.handle(self, call)

    def after_call(self, call: ApiCall) -> None:
        if self._busy:
            return
        if not call.action.startswith(READ_PREFIXES):
            self.changes += 1
        with self.busy():
            for handler in self.calls.for_call(AFTER, call.service, call.action):
                handler.handle(self, call)

    # -- driving it -----------------------------------------------------------------------------

    def add(self, behaviour: Any) -> Any:
        """Add a behaviour (see the module docstring): its handlers come after those of the
        behaviours added before it. Returns it for chaining."""
        self.behaviours.append(behaviour)
        behaviour.register_calls(Registrar(self.calls, type(behaviour).__name__))
        return behaviour

    def tick(self) -> None:
        """Let every behaviour catch up with the clock as it stands."""
        if self._busy:
            return
        with self.busy():
            for behaviour in self.behaviours:
                hook = getattr(behaviour, "tick", None)
                if hook is not None:
                    hook(self)

    def version(self) -> tuple[int, float]:
        """Changes whenever the simulated state may have: a changing call, or time moving."""
        return self.changes, self.clock.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward, letting the world act at each scheduled instant on the way."""
        self.tick()
        self.clock.advance(seconds)
        self.tick()

    def reset(self) -> None:
        """Empty the simulated accounts and start the clock and the IDs over."""
        from ecslab.world.moto_adapter import core as moto_core

        moto_core.reset_backends()
        moto_hooks.seed(self.seed)
        self.clock = type(self.clock)()
        for behaviour in self.behaviours:
            hook = getattr(behaviour, "reset", None)
            if hook is not None:
                hook(self)

    @contextlib.contextmanager
    def busy(self) -> Iterator[None]:
        """While the world calls moto itself, its own hooks stay quiet."""
        was, self._busy = self._busy, True
        try:
            yield
        finally:
            self._busy = was
