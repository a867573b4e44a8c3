"""The backend's settings, read from its environment.

``SECRET_KEY`` is injected by ECS from a secret (the task definition's ``secrets``), never
written in the image or the task definition. The app needs it to start, uses it, and never
returns it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field


class MissingSetting(RuntimeError):
    """A required setting is not in the environment: the app refuses to start."""


@dataclass(frozen=True)
class Settings:
    secret_key: str = field(repr=False)  # repr=False: a printed Settings never shows it
    greeting: str = "Hello"

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        secret_key = environ.get("SECRET_KEY", "")
        if not secret_key:
            raise MissingSetting(
                "SECRET_KEY is not set: in ECS it comes from the task definition's secrets."
            )
        return cls(secret_key=secret_key, greeting=environ.get("GREETING", "Hello"))
