"""Temporary changes to ``os.environ`` that are always undone, in whatever order they end."""

from __future__ import annotations

import os
from collections.abc import Mapping


class EnvironmentPatch:
    """Set (or, with ``None``, remove) variables now; :meth:`restore` puts everything back.

    Patches may be undone in any order (a notebook may close an older lab after opening a newer
    one): a patch undone while a later one still holds a variable hands its saved value on to
    that later patch instead of writing it back, so the variable keeps the later patch's value
    until that one is undone, and then returns to what it was before either.
    """

    def __init__(self, changes: Mapping[str, str | None]) -> None:
        self._saved = {name: os.environ.get(name) for name in changes}
        for name, value in changes.items():
            _set(name, value)
        _OPEN.append(self)

    def restore(self) -> None:
        if self not in _OPEN:
            return
        later = _OPEN[_OPEN.index(self) + 1 :]
        for name, value in self._saved.items():
            holder = next((patch for patch in later if name in patch._saved), None)
            if holder is None:
                _set(name, value)
            else:
                holder._saved[name] = value
        self._saved = {}
        _OPEN.remove(self)


#: The patches not yet undone, oldest first.
_OPEN: list[EnvironmentPatch] = []


def _set(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


#: Variables through which real AWS credentials, profiles or endpoints could reach boto3.
CREDENTIAL_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
)

#: Fake credentials for the simulated backends: never a real key, recognisably so.
FAKE_ACCESS_KEY = "AKIAECSLABSIMULATED0"
FAKE_SECRET_KEY = "ecslab-simulated-secret-not-a-real-key"
