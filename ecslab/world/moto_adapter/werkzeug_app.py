"""moto's server (``moto.moto_server.werkzeug_app``): the WSGI app the ecslab server serves."""

from __future__ import annotations

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)

__all__ = ["DomainDispatcherApplication", "MotoRequestHandler", "create_backend_app"]
