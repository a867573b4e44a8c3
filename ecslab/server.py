"""``ecslab server``: one simulated AWS for a room of learners, over HTTP on this machine.

It is moto's own server application with ecslab's world hooked on, plus a few control routes
under ``/_ecslab/`` for what AWS has no API for (the clock, a reset). Each learner's lab uses an
account of its own (derived from the learner's name), so a room shares one process without
seeing each other's resources. Requests are handled one at a time: the world is a single
timeline.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from typing import Any

from ecslab.world import moto_hooks
from ecslab.world.realtime import RealtimeClock
from ecslab.world.world import DEFAULT_SEED, World

CONTROL_PREFIX = "/_ecslab/"
#: Control routes into the running world (ecslab.world.runtime), POSTed by the server backend.
WORLD_ROUTES = ("wait_stable", "request", "fault")


class EcslabServerApp:
    """A WSGI application: moto's server plus the world and its control routes."""

    def __init__(self, seed: int = DEFAULT_SEED, speed: float = 1.0) -> None:
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

        self.world = World(seed=seed, clock=RealtimeClock(factor=speed))
        self.speed = speed
        self._moto = DomainDispatcherApplication(create_backend_app)
        self._lock = threading.Lock()
        #: The learners' latest progress rows, by (account, lesson, kind, item).
        self.progress: dict[tuple[str, ...], dict[str, Any]] = {}
        moto_hooks.install(self.world)
        moto_hooks.seed(seed)

    def close(self) -> None:
        moto_hooks.uninstall(self.world)

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        with self._lock:
            path = environ.get("PATH_INFO", "")
            if path.startswith(CONTROL_PREFIX):
                return self._control(path[len(CONTROL_PREFIX) :], environ, start_response)
            clock = self.world.clock
            if isinstance(clock, RealtimeClock):
                clock.sync()
            return list(self._moto(environ, start_response))

    def _control(
        self, route: str, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        body = _read_json(environ)
        if route == "status":
            result = self.status()
        elif route == "advance" and environ.get("REQUEST_METHOD") == "POST":
            self.world.advance(float(body.get("seconds", 0)))
            result = self.status()
        elif route == "progress":
            result = self._progress(body if environ.get("REQUEST_METHOD") == "POST" else None)
        elif route in WORLD_ROUTES and environ.get("REQUEST_METHOD") == "POST":
            result = self._world_route(route, body)
        else:
            return _respond(start_response, 404, {"error": f"No control route {route!r}."})
        return _respond(start_response, 200, result)

    def _world_route(self, route: str, body: dict[str, Any]) -> dict[str, Any]:
        """wait_stable, request and fault for the account and region the learner names."""
        from dataclasses import asdict

        from ecslab.world import lab_verbs

        clock = self.world.clock
        if isinstance(clock, RealtimeClock):
            clock.sync()
        where = (str(body.get("account", "")), str(body.get("region", "")))
        try:
            if route == "wait_stable":
                waited = lab_verbs.wait_stable(
                    self.world,
                    *where,
                    str(body["cluster"]),
                    str(body["service"]),
                    float(body["timeout"]),
                )
                return {"waited": waited}
            if route == "request":
                answer = lab_verbs.request(
                    self.world,
                    *where,
                    str(body["path_or_url"]),
                    str(body.get("method") or "GET"),
                    body.get("host"),
                    body.get("headers"),
                )
                return {"result": asdict(answer)}
            args = dict(body.get("args") or {})
            return {"result": lab_verbs.fault(self.world, *where, str(body["kind"]), args)}
        except (TimeoutError, LookupError, ValueError) as error:
            return {"error": str(error), "type": type(error).__name__}

    def http_date(self) -> str:
        """The HTTP ``Date`` header of an answer: the virtual instant, as AWS stamps its own."""
        from email.utils import format_datetime

        return format_datetime(self.world.clock.datetime(), usegmt=True)

    def _progress(self, row: dict[str, Any] | None) -> dict[str, Any]:
        """POST: keep a learner's latest row for an item; GET: every row, for the instructor."""
        if row is not None:
            key = tuple(str(row.get(k, "")) for k in ("account", "lesson", "kind", "item"))
            self.progress[key] = row
            return {"rows": []}
        return {"rows": [self.progress[key] for key in sorted(self.progress)]}

    def status(self) -> dict[str, Any]:
        clock = self.world.clock
        if isinstance(clock, RealtimeClock):
            clock.sync()
        return {
            "server": "ecslab",
            "now": clock.now,
            "time": clock.datetime().isoformat(),
            "speed": self.speed,
            "seed": self.world.seed,
        }


def _read_json(environ: dict[str, Any]) -> dict[str, Any]:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if not length:
        return {}
    try:
        value = json.loads(environ["wsgi.input"].read(length))
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _respond(
    start_response: Callable[..., Any], status: int, payload: dict[str, Any]
) -> list[bytes]:
    data = json.dumps(payload).encode()
    reason = {200: "OK", 404: "Not Found"}[status]
    start_response(
        f"{status} {reason}",
        [("Content-Type", "application/json"), ("Content-Length", str(len(data)))],
    )
    return [data]


def serve(
    host: str = "127.0.0.1",
    port: int = 5000,
    speed: float = 1.0,
    seed: int = DEFAULT_SEED,
    advertise: str | None = None,
) -> None:
    """Serve until interrupted (the ``ecslab server`` command)."""
    from moto.moto_server.werkzeug_app import MotoRequestHandler
    from werkzeug.serving import make_server

    class VirtualDateHandler(MotoRequestHandler):
        """Stamps each answer's ``Date`` header with the virtual clock, not the wall clock."""

        def date_time_string(self, timestamp: float | None = None) -> str:
            return app.http_date()

    app = EcslabServerApp(seed=seed, speed=speed)
    server = make_server(host, port, app, threaded=False, request_handler=VirtualDateHandler)
    from ecslab.server_banner import banner

    print(banner(host, server.server_port, advertise), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        app.close()
