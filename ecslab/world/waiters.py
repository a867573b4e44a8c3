"""boto3 waiters on a virtual clock: ``ecs.get_waiter("services_stable").wait(...)`` returns in
milliseconds, having moved the simulated world's clock instead of sleeping.

botocore's ``Waiter.wait`` polls its operation, then calls ``time.sleep(delay)`` from the
``botocore.waiter`` module between attempts. While a simulated lab is open, that module's
``time`` is replaced by a stand-in whose ``sleep`` advances the lab's clock (every waiter of every
client in the process: lab-made or ``boto3.client(...)``); everything else in ``time`` is the
real module. Closing the lab puts the real module back.
"""

from __future__ import annotations

import time as _time
from collections.abc import Callable
from typing import Any

_installed: list[Any] = []
#: The ``time`` module botocore.waiter had before the first lab opened.
_original: list[Any] = []


class _VirtualSleep:
    """Stands in for the ``time`` module inside ``botocore.waiter``."""

    def __init__(self, advance: Callable[[float], None]) -> None:
        self._advance = advance

    def __getattr__(self, name: str) -> Any:
        return getattr(_time, name)

    def sleep(self, seconds: float) -> None:
        self._advance(float(seconds))


def install(advance: Callable[[float], None]) -> Callable[[], None]:
    """Make botocore waiters call ``advance(delay)`` instead of sleeping; returns the undo.

    Labs may be closed in any order: the newest lab still open owns the waiters' sleep, and when
    the last one closes the real ``time`` module is back."""
    import botocore.waiter

    stand_in = _VirtualSleep(advance)
    if not _installed:
        _original.append(botocore.waiter.time)
    _installed.append(stand_in)
    botocore.waiter.time = stand_in  # type: ignore[assignment]

    def undo() -> None:
        if stand_in not in _installed:
            return
        _installed.remove(stand_in)
        if _installed:
            botocore.waiter.time = _installed[-1]  # type: ignore[assignment]
        else:
            botocore.waiter.time = _original.pop()  # type: ignore[assignment]

    return undo
