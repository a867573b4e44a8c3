"""Progress over a workshop server: each record sent as it happens, the room collected at once.

While a lab on ``ecslab server`` is open, every quiz answer, check and catch-up the learner's
progress file records is also POSTed to the server's ``/_ecslab/progress`` route under the
learner's name and account (the server keeps the latest row of each item). A server that does
not answer costs the lesson nothing: one warning, and the local file still has everything.
``ecslab progress --room URL --export room.csv`` reads every learner's rows back.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable
from typing import Any

ROUTE = "/_ecslab/progress"
TIMEOUT = 3.0


class RoomProgressWarning(UserWarning):
    """A progress record could not reach the workshop server (it stays in the local file)."""


def sender(endpoint_url: str) -> Callable[[dict[str, Any]], None]:
    """A function that POSTs one progress row to the server; it warns once if it cannot."""
    warned = False

    def send(row: dict[str, Any]) -> None:
        nonlocal warned
        try:
            _call(endpoint_url, row)
        except (urllib.error.URLError, OSError, ValueError) as error:
            if not warned:
                warned = True
                warnings.warn(
                    f"Progress could not reach the workshop server at {endpoint_url} "
                    f"({getattr(error, 'reason', error)}); it is kept in your progress file "
                    "(`ecslab progress --export FILE` hands it in).",
                    RoomProgressWarning,
                    stacklevel=5,
                )

    return send


def collect(endpoint_url: str) -> list[dict[str, Any]]:
    """Every learner's rows the server holds, unopened questions counted."""
    from ecslab.errors import BackendUnavailable
    from ecslab.progress import COLUMNS, with_unopened

    try:
        answer = _call(endpoint_url.rstrip("/"), None)
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise BackendUnavailable(
            f"Cannot collect progress from {endpoint_url} ({getattr(error, 'reason', error)}): "
            "is `ecslab server` running there?"
        ) from None
    rows = [{column: row.get(column, "") for column in COLUMNS} for row in answer["rows"]]
    return with_unopened(rows)


def _call(endpoint_url: str, row: dict[str, Any] | None) -> dict[str, Any]:
    data = None if row is None else json.dumps(row).encode()
    request = urllib.request.Request(
        endpoint_url.rstrip("/") + ROUTE,
        data=data,
        method="GET" if data is None else "POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        answer = json.loads(response.read())
    if not isinstance(answer, dict) or not isinstance(answer.get("rows", []), list):
        raise ValueError("not an ecslab progress answer")
    return answer
