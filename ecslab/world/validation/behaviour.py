"""The validation behaviour: runs every rule for a call before moto stores anything.

It is the first behaviour of the standard world (:mod:`ecslab.world.assembly`), so a call AWS
would reject never reaches moto or the behaviours after it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecslab.world.moto_hooks import ApiCall
from ecslab.world.validation.rules import Rule, rules_by_call

if TYPE_CHECKING:
    from ecslab.world.call_handlers import Registrar
    from ecslab.world.world import World


class Validation:
    """Says no where AWS says no, and fills in what AWS fills in, for each call."""

    def __init__(self) -> None:
        self._rules: dict[tuple[str, str], tuple[Rule, ...]] = rules_by_call()

    def __repr__(self) -> str:
        count = len({r.name for rules in self._rules.values() for r in rules})
        return f"<Validation {count} rules>"

    def register_calls(self, calls: Registrar) -> None:
        """Before moto: every ``(service, action)`` some rule checks."""
        for service, action in self._rules:
            calls.before(service, action, self.check)

    def check(self, world: World, call: ApiCall) -> None:
        """Raise :class:`~ecslab.world.moto_hooks.AwsError` for the first rule the call breaks."""
        for each in self._rules.get((call.service, call.action), ()):
            each.check(call)
