"""moto's server (``moto.moto_server.werkzeug_app``): the WSGI app the ecslab server serves."""

from __future__ import annotations

import functools
from collections.abc import Callable
from wsgiref.types import WSGIApplication

from moto import backends
from moto.core import responses
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import WSGIRequestHandler

from ecslab.world.patches import PATCHES

__all__ = [
    "DomainDispatcherApplication",
    "create_backend_app",
    "dated_request_handler",
    "remember_lookups",
    "server_application",
]


def server_application(services: tuple[str, ...]) -> WSGIApplication:
    """moto's server as a WSGI application, its application for each of ``services`` made now.

    moto makes a service's Flask application on the service's first call (its URL map from the
    service's responses: about 40 ms each); a server would make them while its first learners
    wait."""
    dispatcher = DomainDispatcherApplication(create_backend_app)
    for service in services:
        dispatcher.app_instances[service] = create_backend_app(service)  # type: ignore[arg-type]
    return dispatcher


def remember_lookups() -> None:
    """moto's server looks two things up again on every request, that never change while it
    runs: the names of moto's service packages (a listing of its folder, to route the request)
    and the methods of the service's response class (to find the action): about 2 ms of each
    request's CPU. Until the world's patches are undone, each is looked up once."""
    modules = tuple(backends.list_of_moto_modules())
    PATCHES.replace(
        backends, "list_of_moto_modules", lambda: modules, "moto's packages listed once"
    )
    PATCHES.replace(
        responses,
        "method_names_from_class",
        functools.cache(responses.method_names_from_class),
        "a response class's methods listed once",
    )


def dated_request_handler(http_date: Callable[[], str]) -> type[WSGIRequestHandler]:
    """moto's request handler, its answers' ``Date`` header from ``http_date`` (the server's
    virtual clock) instead of the wall clock."""

    class VirtualDateHandler(MotoRequestHandler):
        def date_time_string(self, timestamp: float | None = None) -> str:
            return http_date()

    return VirtualDateHandler
