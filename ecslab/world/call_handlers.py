"""The one table of which behaviour handles which API call, before or after moto, in what order.

Every behaviour of the world (:mod:`ecslab.world.assembly` lists the standard ones) says which
calls it handles by registering handlers here, keyed by ``(phase, service, action)``: the phase
is :data:`BEFORE` (before moto stores anything: may raise
:class:`~ecslab.world.moto_hooks.AwsError` or answer the call) or :data:`AFTER` (moto has
answered); ``service`` is boto3's name (``"ecs"``), ``action`` the API operation
(``"RunTask"``). Either may be :data:`ANY`: every action of a service, or every call.

**Order.** For one call, the handlers of a phase that match it (exactly, or through
:data:`ANY`) run in the order they were registered: behaviour by behaviour, in the order the
behaviours were added to the world (validation first), and within one behaviour in the order
it registers them. So the table, not each behaviour's own ``if``, decides what runs, and
:meth:`CallHandlers.rows` lists all of it (``tests/test_world_call_handlers.py`` holds the
standard world's list).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ecslab.world.moto_hooks import ApiCall
    from ecslab.world.world import World

BEFORE = "before"
AFTER = "after"
#: Matches every service, or every action of a service.
ANY = "*"

Handle = Callable[["World", "ApiCall"], None]


@dataclass(frozen=True)
class Handler:
    """One row of the table: who handles which calls, and how."""

    phase: str
    service: str
    action: str
    #: The behaviour that registered it (its class name), and the function's name.
    owner: str
    handle: Handle

    @property
    def name(self) -> str:
        return getattr(self.handle, "__name__", repr(self.handle))


class CallHandlers:
    """The world's table from ``(phase, service, action)`` to handlers, in registration order."""

    def __init__(self) -> None:
        self._rows: list[Handler] = []
        self._found: dict[tuple[str, str, str], tuple[Handler, ...]] = {}

    def __repr__(self) -> str:
        return f"<CallHandlers {len(self._rows)} handlers>"

    def register(
        self, phase: str, service: str, actions: str | Iterable[str], handle: Handle, owner: str
    ) -> None:
        """Have ``handle(world, call)`` see ``service``'s ``actions`` (one, several, or
        :data:`ANY`) in ``phase``, after every handler registered before it."""
        if phase not in (BEFORE, AFTER):
            raise ValueError(f"A handler runs {BEFORE!r} or {AFTER!r} moto, not {phase!r}.")
        for action in [actions] if isinstance(actions, str) else list(actions):
            self._rows.append(Handler(phase, service, action, owner, handle))
        self._found.clear()

    def for_call(self, phase: str, service: str, action: str) -> tuple[Handler, ...]:
        """The handlers of ``phase`` for this call, in order (one look-up per kind of call)."""
        key = (phase, service, action)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = tuple(
                row
                for row in self._rows
                if row.phase == phase
                and row.service in (service, ANY)
                and row.action in (action, ANY)
            )
        return found

    def rows(self) -> list[Handler]:
        """Every handler, in the order they were registered."""
        return list(self._rows)


class Registrar:
    """What a behaviour registers through: the table, with the behaviour's name filled in."""

    def __init__(self, table: CallHandlers, owner: str) -> None:
        self._table = table
        self._owner = owner

    def before(self, service: str, actions: str | Iterable[str], handle: Handle) -> None:
        self._table.register(BEFORE, service, actions, handle, self._owner)

    def after(self, service: str, actions: str | Iterable[str], handle: Handle) -> None:
        self._table.register(AFTER, service, actions, handle, self._owner)
