"""Temporary changes to ``os.environ`` that are always undone, in reverse order."""

from __future__ import annotations

import os
from collections.abc import Mapping


class EnvironmentPatch:
    """Set (or, with ``None``, remove) variables now; :meth:`restore` puts everything back."""

    def __init__(self, changes: Mapping[str, str | None]) -> None:
        self._saved = {name: os.environ.get(name) for name in changes}
        for name, value in changes.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value

    def restore(self) -> None:
        for name, value in self._saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._saved = {}


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
