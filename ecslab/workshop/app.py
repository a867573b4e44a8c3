"""``ecslab server``: one simulated AWS for a room of learners, over HTTP on this machine.

It is moto's own server application with ecslab's world hooked on, plus a few control routes
under ``/_ecslab/`` for what AWS has no API for (the clock, waits, faults). Each learner has an
account of their own (derived from their name) with a world and a clock of its own
(:mod:`ecslab.workshop.room`), and an access key kept for them (:mod:`ecslab.workshop.identity`):
a request signed with any other key gets AWS's answer to an unknown key, never someone's account.

Requests are served on threads, learners at the same time and each learner's one at a time
(:meth:`ecslab.workshop.room.Room.acting`): one learner's long ``wait_stable`` or heavy
``update_service`` holds up only that learner, and calls that only read (``Describe*``,
``List*``, ``Get*``) have a turn of their own, so a learner's describe never waits behind
others' changes. Every request is journalled with its account and virtual instant
(:mod:`ecslab.workshop.journal`) while its account is held, so each account's requests are
journalled in the order they were answered; accounts share nothing (moto keeps
them apart, and each draws IDs of its own), so replaying the journal in its order on restart
gives every learner their account back. No request holds an account for long: ``advance`` and
``wait_stable`` move at most :data:`ecslab.arguments.MAX_ADVANCE_SECONDS` per call.

Control routes (JSON in, JSON out; ``key`` is the learner's access key ID):

* ``GET status``: the server, its seed and speed, rooms' memory; ``?key=`` adds that
  learner's clock (``now``, ``time``);
* ``POST learner`` ``{"learner": name}``: the learner's account and key (the same every time);
* ``POST advance`` ``{"key", "seconds"}``, ``POST wait_stable``, ``POST request``,
  ``POST fault``: the lab's verbs, in the learner's world;
* ``POST progress`` (a row of :mod:`ecslab.progress`: ``learner``, ``account``, ``lesson``,
  ``kind``, ``item``, ...) keeps a learner's latest row per item; ``GET progress`` answers
  ``{"rows": [...]}`` for the instructor (``ecslab progress --room URL``) and the room page;
* ``GET room?token=...``: the instructor's page (:mod:`ecslab.workshop.room_page`).
"""

from __future__ import annotations

import base64
import io
import json
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from ecslab import arguments
from ecslab.errors import ConfigurationError, EcslabError
from ecslab.workshop.identity import Identities, refusal, request_key
from ecslab.workshop.journal import Entry, Journal
from ecslab.workshop.room import SERVICES, Room
from ecslab.world.world import DEFAULT_SEED

CONTROL_PREFIX = "/_ecslab/"
#: Control routes into a learner's running world (ecslab.world.lab_verbs), journalled.
WORLD_ROUTES = ("advance", "wait_stable", "request", "fault")
#: How the names of AWS's operations that only read begin (they may take the room's turn kept
#: for reads: :data:`ecslab.workshop.room.KEPT_FOR_READS`).
_READS = ("Describe", "List", "Get", "BatchGet")
#: Request headers kept in the journal (what moto reads to route and parse a call).
_KEPT = ("CONTENT_TYPE", "CONTENT_LENGTH")


class EcslabServerApp:
    """A WSGI application: moto's server plus the learners' worlds and the control routes."""

    def __init__(
        self,
        seed: int = DEFAULT_SEED,
        speed: float = 1.0,
        data_dir: Path | None = None,
        *,
        fresh: bool = False,
        log: Callable[[str], None] = print,
    ) -> None:
        from ecslab.world.moto_adapter.werkzeug_app import remember_lookups, server_application

        self.speed = speed
        self.seed = seed
        self._log = log
        self.journal = Journal(data_dir, fresh=fresh)
        self.identities = Identities(self.journal)
        self.instructor_token = self.journal.setting("instructor_token")
        self.room = Room(seed=seed, speed=speed)
        self._moto = server_application(SERVICES)  # before the first learners wait for them
        self._progress_lock = threading.Lock()
        self._answered = threading.local()  # the world that answered this thread's request
        #: The learners' latest progress rows, by (account, lesson, kind, item); kept in the
        #: journal too, so the room page survives a restart.
        self.progress: dict[tuple[str, ...], dict[str, Any]] = {}
        for _, row in self.journal.progress():
            self._keep_progress(row)
        self.room.open()
        remember_lookups()
        self.restored = self._replay()

    def close(self) -> None:
        self.room.close()
        self.journal.close()

    # -- the journal ----------------------------------------------------------------------------

    def _replay(self) -> int:
        """Answer every journalled request again, in order, at its instant; how many."""
        started = time.perf_counter()
        self.room.hold()
        count = 0
        for entry in self.journal.entries():
            with self.room.acting(entry.account, at=entry.at) as world:
                try:
                    if entry.kind == "aws":
                        environ = _environ_of(entry.payload)
                        environ["HTTP_X_MOTO_ACCOUNT_ID"] = entry.account
                        list(self._moto(environ, lambda *_: None))
                    else:
                        self._world_route(world, entry.account, entry.kind, entry.payload)
                except Exception:
                    pass
            count += 1
        self.room.resume()
        learners = self.identities.all()
        if learners:
            names = ", ".join(row.learner for row in learners)
            where = self.journal.path.parent if self.journal.path else "memory"
            self._log(
                f"ecslab server: restored {len(learners)} learners' accounts from {where} "
                f"({count} requests replayed in {time.perf_counter() - started:.1f} s): {names}"
            )
        return count

    # -- WSGI -----------------------------------------------------------------------------------

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        self._answered.world = None
        if path == f"{CONTROL_PREFIX}room":  # it reads through the API
            query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
            return self._room_page(query, environ, start_response)
        try:
            if path.startswith(CONTROL_PREFIX):
                return self._control(path[len(CONTROL_PREFIX) :], environ, start_response)
            return self._aws(environ, start_response)
        except Exception as error:
            message = f"The ecslab server failed on this request: {type(error).__name__}: {error}"
            return _respond(start_response, 500, {"error": message, "type": "ServerError"})

    def _aws(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        account = self.identities.account_of(environ)
        if account is None:
            status, headers, body = refusal(environ)
            start_response(f"{status} Refused", [*headers, ("Content-Length", str(len(body)))])
            return [body]
        environ["HTTP_X_MOTO_ACCOUNT_ID"] = account
        payload = _payload_of(environ)
        body = base64.b64decode(payload["body"])
        environ["wsgi.input"] = io.BytesIO(body)
        operation = _operation(environ, body)
        reads = operation[1].startswith(_READS)
        with self.room.first_call(operation), self.room.acting(account, reads=reads) as world:
            self._answered.world = world
            self.journal.record(Entry(account, world.clock.now, "aws", payload))
            return list(self._moto(environ, start_response))

    def _control(
        self, route: str, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        body = _read_json(environ)
        if route == "status":
            return _respond(start_response, 200, self.status(query.get("key") or body.get("key")))
        if route == "progress":
            return _respond(start_response, 200, self._progress(body if method == "POST" else None))
        if method != "POST" or route not in (*WORLD_ROUTES, "learner"):
            return _respond(start_response, 404, {"error": f"No control route {route!r}."})
        if route == "learner":
            name = body.get("learner")
            if not isinstance(name, str) or not name.strip():
                return _respond(start_response, 400, _error("A learner's name is needed."))
            try:
                row = self.identities.learner(name)
            except ConfigurationError as error:  # a name that cannot be told apart
                return _respond(start_response, 400, _error(str(error)))
            return _respond(
                start_response,
                200,
                {"account": row.account, "key_id": row.key_id, "secret": row.secret},
            )
        account = self._account_of_key(body.get("key"))
        if account is None:
            return _respond(start_response, 403, _error(_UNKNOWN_KEY, "UnknownKey"))
        if route == "progress":
            return _respond(start_response, 200, self._progress(account, body))
        with self.room.acting(account) as world:
            at = world.clock.now
            result = self._world_route(world, account, route, body)
            if "error" not in result:
                self.journal.record(Entry(account, at, route, body))
        return _respond(start_response, 200, result)

    def _account_of_key(self, key: Any) -> str | None:
        return next((r.account for r in self.identities.all() if r.key_id == key), None)

    def _world_route(
        self, world: Any, account: str, route: str, body: dict[str, Any]
    ) -> dict[str, Any]:
        """advance, wait_stable, request and fault in the learner's world."""
        from dataclasses import asdict

        from ecslab.world import lab_verbs

        region = str(body.get("region", ""))
        try:
            if route == "advance":
                world.advance(arguments.seconds(body.get("seconds")))
                return self.status(body.get("key"))
            if route == "wait_stable":
                timeout = arguments.seconds(body.get("timeout"), "lab.wait_stable's timeout")
                waited = lab_verbs.wait_stable(
                    world, account, region, str(body["cluster"]), str(body["service"]), timeout
                )
                return {"waited": waited}
            if route == "request":
                path = arguments.request_path(body.get("path_or_url"))
                answer = lab_verbs.request(
                    world,
                    account,
                    region,
                    path,
                    str(body.get("method") or "GET"),
                    body.get("host"),
                    body.get("headers"),
                )
                return {"result": asdict(answer)}
            args = dict(body.get("args") or {})
            result = lab_verbs.fault(world, account, region, str(body["kind"]), args)
            return {"result": asdict(result)}
        except EcslabError as error:  # the lab raises it again by its name (NoRunningTask, ...)
            return {"error": str(error), "type": type(error).__name__}
        except (TimeoutError, LookupError, ValueError, TypeError) as error:
            return {"error": str(error), "type": type(error).__name__}

    def _room_page(
        self, query: dict[str, str], environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        from ecslab.workshop.room_page import render_room

        if query.get("token") != self.instructor_token:
            page = b"<!doctype html><p>The room page needs the instructor's token: ?token=...</p>"
            start_response("403 Forbidden", [("Content-Type", "text/html; charset=utf-8")])
            return [page]
        base_url = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST')}"
        page = render_room(self, base_url).encode()
        start_response(
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(page)))],
        )
        return [page]

    def http_date(self) -> str:
        """The HTTP ``Date`` header of an answer: the instant of the world that answered it
        (on this thread), as AWS stamps its own; the room's clock for the control routes."""
        from email.utils import format_datetime

        world = getattr(self._answered, "world", None)
        clock = world.clock if world is not None else self.room.room_time()
        return format_datetime(clock.datetime(), usegmt=True)

    def _progress(self, row: dict[str, Any] | None) -> dict[str, Any]:
        """POST: keep a learner's latest row for an item; GET: every row, for the instructor.

        A row is what :mod:`ecslab.progress` records (``learner``, ``account``, ``lesson``,
        ``kind``: quiz, check or catch-up, ``item``, ``correct``/``passed``, ...)."""
        if row is not None:
            self._keep_progress(row)
            self.journal.add_progress(str(row.get("learner", "")), row)
            return {"rows": []}
        with self._progress_lock:
            return {"rows": [self.progress[key] for key in sorted(self.progress)]}

    def _keep_progress(self, row: dict[str, Any]) -> None:
        key = tuple(str(row.get(k, "")) for k in ("account", "lesson", "kind", "item"))
        with self._progress_lock:
            self.progress[key] = row

    def status(self, key: Any = None) -> dict[str, Any]:
        answer: dict[str, Any] = {
            "server": "ecslab",
            "speed": self.speed,
            "seed": self.seed,
            "learners": len(self.identities.all()),
            "journalled": self.journal.count(),
            "memory": _memory(),
        }
        answer["memory"]["per_learner_mib"] = (
            round(answer["memory"]["rss_mib"] / len(self.room.worlds), 1)
            if self.room.worlds
            else None
        )
        account = self._account_of_key(key) if key else None
        clock = self.room.world(account).clock if account else self.room.room_time()
        answer |= {"now": clock.now, "time": clock.datetime().isoformat()}
        return answer


_UNKNOWN_KEY = (
    "This server does not know the lab's access key (it was restarted with --fresh, or the "
    "key is from another server): run the notebook's first cell again."
)


def _error(message: str, kind: str = "ConfigurationError") -> dict[str, Any]:
    return {"error": message, "type": kind}


def _memory() -> dict[str, Any]:
    """The server process's resident memory, read from /proc (Linux) or resource."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return {"rss_mib": round(int(line.split()[1]) / 1024, 1)}
    except OSError:
        pass
    import resource

    return {"rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def _payload_of(environ: dict[str, Any]) -> dict[str, Any]:
    """What the journal keeps of an AWS request: enough to answer it again."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    headers = {k: v for k, v in environ.items() if k.startswith("HTTP_") or k in _KEPT}
    return {
        "method": environ.get("REQUEST_METHOD", "GET"),
        "path": environ.get("PATH_INFO", "/"),
        "query": environ.get("QUERY_STRING", ""),
        "headers": {k: str(v) for k, v in headers.items()},
        "body": base64.b64encode(body).decode(),
    }


def _operation(environ: dict[str, Any], body: bytes) -> tuple[str, str]:
    """The service and operation of an AWS request: the signature's service, and the JSON
    protocols' ``X-Amz-Target`` or the query protocols' ``Action``."""
    service = request_key(environ)[1]
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target:
        return service, target.rpartition(".")[2]
    query = parse_qs(environ.get("QUERY_STRING", ""))
    if "Action" not in query and environ.get("CONTENT_TYPE", "").startswith(
        "application/x-www-form-urlencoded"
    ):
        query = parse_qs(body.decode("utf-8", "replace"))
    return service, (query.get("Action") or [environ.get("PATH_INFO", "")])[0]


def _environ_of(payload: dict[str, Any]) -> dict[str, Any]:
    body = base64.b64decode(payload["body"])
    return {
        **payload["headers"],
        "REQUEST_METHOD": payload["method"],
        "PATH_INFO": payload["path"],
        "QUERY_STRING": payload["query"],
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "5000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }


def _read_json(environ: dict[str, Any]) -> dict[str, Any]:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length <= 0:
        return {}
    try:
        value = json.loads(environ["wsgi.input"].read(length))
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


_REASONS = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 500: "Error"}


def _respond(
    start_response: Callable[..., Any], status: int, payload: dict[str, Any]
) -> list[bytes]:
    data = json.dumps(payload).encode()
    start_response(
        f"{status} {_REASONS[status]}",
        [("Content-Type", "application/json"), ("Content-Length", str(len(data)))],
    )
    return [data]


def serve(
    host: str = "127.0.0.1",
    port: int = 5000,
    speed: float = 1.0,
    seed: int = DEFAULT_SEED,
    advertise: str | None = None,
    data_dir: Path | None = None,
    fresh: bool = False,
) -> None:
    """Serve until interrupted (the ``ecslab server`` command)."""
    from werkzeug.serving import make_server

    from ecslab.world.moto_adapter.werkzeug_app import dated_request_handler

    app = EcslabServerApp(seed=seed, speed=speed, data_dir=data_dir, fresh=fresh)
    handler = dated_request_handler(app.http_date)
    server = make_server(host, port, app, threaded=True, request_handler=handler)
    from ecslab.workshop.banner import banner

    print(banner(host, server.server_port, advertise), flush=True)
    kept = f"Every learner's account is kept in {data_dir}" if data_dir else "Kept in memory only"
    if fresh and data_dir:
        kept += " (started empty: --fresh)"
    address = f"http://{host}:{server.server_port}"
    print(f"{kept}. The room: {address}/_ecslab/room?token={app.instructor_token}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        app.close()
