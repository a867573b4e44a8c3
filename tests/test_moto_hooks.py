"""moto's generator, routed to the acting account's, draws exactly what moto's own would."""

from __future__ import annotations

import random
from typing import Any

from ecslab.world import moto_hooks
from ecslab.world.moto_hooks import Identifiers

CALLS: dict[str, tuple[Any, ...]] = {
    "uuid4": (),
    "get_random_hex": (17,),
    "get_random_string": (20,),
    "randint": (1, 10**18),
    "randrange": (10**12,),
    "choice": ("abcdef0123456789",),
    "choices": ("abcdef",),
    "sample": (range(100), 5),
    "random": (),
    "getrandbits": (64,),
}


class _Host:
    def now(self) -> Any:
        return None

    def before_call(self, call: Any) -> None: ...

    def after_call(self, call: Any) -> None: ...


def _draws(generator: Any) -> list[Any]:
    return [getattr(generator, name)(*args) for _ in range(20) for name, args in CALLS.items()]


def test_routed_draws_are_motos_own_with_and_without_an_account_acting() -> None:
    """With no account acting, the routed generator draws from its own seeded state what an
    unpatched moto generator with that seed draws; with one acting, what a moto generator
    seeded as that account's draws (choice and its kin draw each number in one routed step)."""
    from moto.moto_api._internal import mock_random
    from moto.moto_api._internal.moto_random import MotoRandom

    with moto_hooks.hosted(_Host()):
        assert type(mock_random) is not MotoRandom  # the routing is in place
        mock_random.seed(7)
        unrouted = _draws(mock_random)
        own = Identifiers(MotoRandom("account"), random.Random(0))
        with moto_hooks.drawing_from(own):
            routed = _draws(mock_random)
    assert unrouted == _draws(MotoRandom(7))
    assert routed == _draws(MotoRandom("account"))
