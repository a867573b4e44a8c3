"""Checks of the arguments of ecslab's own verbs: one plain sentence for a wrong one.

AWS validates what boto3 sends; nobody validates ``lab.advance("10")`` or ``Lab(seed="abc")``
unless ecslab does, and without these checks such a call fails deep inside (a ``TypeError``
about ``'<'``) or, worse, is accepted: ``advance(float("nan"))`` once broke a shared server for
the whole room. The in-process lab and the ecslab server both run these checks.
"""

from __future__ import annotations

import math
from typing import Any

from ecslab.errors import ClockError, ConfigurationError

#: The longest single ``lab.advance`` (and ``wait_stable`` timeout): one hour of virtual time.
#: Longer waits are a loop of calls, so no one call holds a shared server for long.
MAX_ADVANCE_SECONDS = 3600.0


def seconds(value: Any, verb: str = "lab.advance", maximum: float = MAX_ADVANCE_SECONDS) -> float:
    """``value`` as a finite, non-negative number of seconds up to ``maximum``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigurationError(
            f"{verb} takes a number of seconds, such as {verb}(30); got {value!r}."
        )
    number = float(value)
    if number < 0:
        raise ClockError(
            f"Time only moves forward: {verb} takes zero seconds or more; got {value!r}."
        )
    if not math.isfinite(number):
        raise ConfigurationError(
            f"{verb} takes a finite number of seconds, zero or more; got {value!r}."
        )
    if number > maximum:
        raise ConfigurationError(
            f"{verb} moves at most {maximum:g} seconds at a time; got {value!r}. "
            "Call it again to go further."
        )
    return number


def request_path(value: Any) -> str:
    """A path starting with ``/`` (or a full ``http://``/``https://`` URL) for ``lab.request``."""
    if not isinstance(value, str):
        raise ConfigurationError(
            f'lab.request takes a path such as "/api/info" or a URL; got {value!r}.'
        )
    if value.startswith(("http://", "https://")):
        from urllib.parse import urlsplit

        try:
            urlsplit(value).port  # noqa: B018  (parses the host and port, raising on bad ones)
        except ValueError as error:
            raise ConfigurationError(
                f"lab.request cannot read the URL {value!r}: {error}."
            ) from None
        return value
    if not value.startswith("/"):
        raise ConfigurationError(
            f'lab.request takes a path that starts with "/", such as "/api/info"; got {value!r}.'
        )
    return value


def seed(value: Any) -> int:
    """The lab's seed: a whole number."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigurationError(f"Lab(seed=...) takes a whole number, such as 7; got {value!r}.")
    return value


def region(value: Any) -> str:
    """An AWS Region name that botocore knows (for any of AWS's partitions)."""
    if not isinstance(value, str) or value not in known_regions():
        raise ConfigurationError(
            f"Lab(region={value!r}): not an AWS Region; choose one such as 'us-east-1' or "
            "'eu-west-1'."
        )
    return value


def known_regions() -> frozenset[str]:
    """Every Region in botocore's endpoint data (offline: it ships with botocore)."""
    import boto3

    session = boto3.Session()
    found: set[str] = set()
    for partition in session.get_available_partitions():
        found.update(session.get_available_regions("ecs", partition_name=partition))
    return frozenset(found)
