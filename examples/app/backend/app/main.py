"""The backend's routes: ``/health`` for the load balancer, the rest under ``/api``.

Run it locally with ``uvicorn app.main:create_app --factory`` (see the README); the app is
built by a factory so that its settings are read when it starts, not when it is imported.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from fastapi import FastAPI

from .settings import Settings

VERSION = "1.0.0"


def create_app(environ: Mapping[str, str] | None = None) -> FastAPI:
    """The ASGI app, configured from ``environ`` (the process environment by default)."""
    settings = Settings.from_environment(environ)
    app = FastAPI(title="ecslab example backend", version=VERSION)

    @app.get("/health")
    def health() -> dict[str, str]:
        """What the target group's health check asks: 200 while the app can serve."""
        return {"status": "ok"}

    @app.get("/api/hello")
    def hello(name: str = "world") -> dict[str, str]:
        return {"message": f"{settings.greeting}, {name}!", "version": VERSION}

    @app.get("/api/info")
    def info() -> dict[str, object]:
        """What this copy of the backend is. The secret is used, never shown."""
        return {"service": "backend", "version": VERSION, "secret_configured": True}

    @app.get("/api/sign")
    def sign(text: str) -> dict[str, str]:
        """An HMAC of ``text`` made with the secret key: the secret at work, not on display."""
        digest = hmac.new(settings.secret_key.encode(), text.encode(), hashlib.sha256)
        return {"text": text, "signature": digest.hexdigest()}

    return app
