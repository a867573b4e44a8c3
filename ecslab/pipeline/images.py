"""What containers of the example app's images do in the simulated world.

The world asks an image's *app behaviour* (see :mod:`ecslab.world.apps`) how long its
containers take to start, what they answer, and whether they exit. For images built from the
example app, the answers come from the app itself:

* **an ASGI backend** (``app/main.py`` with ``create_app(environ)``): its real code runs in this
  process, loaded from the image's own files (:mod:`ecslab.pipeline.image_code`), configured with
  the container's environment (the task definition's ``environment`` and resolved ``secrets``);
  a request is one ASGI call. An app that fails to start (``create_app`` raises, a syntax error)
  is a container that exits with code 1, as Python does on an uncaught exception
  (https://docs.python.org/3/library/sys.html#sys.exit).
* **a Streamlit frontend** (``streamlit_app.py``): answers its health path
  ``/_stcore/health`` with ``ok`` and its pages with Streamlit's HTML shell, without running
  Streamlit (the page itself is drawn by the browser over a websocket the world does not model).

Each declares what the task definition is judged against (:mod:`ecslab.world.apps`): the port
its ``CMD`` binds (``--port 8000``, ``--server.port=8501``), the executable ``CMD`` starts, and
its memory.

Differs from AWS: the backend runs on this machine's Python and packages, not the image's pinned
ones; start-up times and memory are plausible guesses (uvicorn starts in about 3 s in about
90 MiB, Streamlit in about 8 s in about 200 MiB), no source gives them.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import importlib.util
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ecslab import pyodide_platform
from ecslab.errors import ConfigurationError
from ecslab.pipeline import image_code
from ecslab.pipeline.build import Image
from ecslab.world.apps import AppBehaviour, HttpAnswer

#: The exit code of a Python process that ends on an uncaught exception.
UNCAUGHT_EXCEPTION_EXIT_CODE = 1

BACKEND_MODULE = "app.main"
FRONTEND_SCRIPT = "streamlit_app.py"


def behaviour_for(image: Image) -> AppBehaviour | None:
    """The behaviour of ``image``'s containers, chosen by what the image holds; ``None`` for an
    image that is neither an ASGI backend (``app/main.py``) nor a Streamlit frontend."""
    if f"{BACKEND_MODULE.replace('.', '/')}.py" in image.files:
        return AsgiBackend(image)
    if FRONTEND_SCRIPT in image.files:
        return StreamlitFrontend(image)
    return None


def _command(image: Image) -> list[str]:
    command = image.settings.get("Cmd") or []
    return command.split() if isinstance(command, str) else [str(word) for word in command]


def command_port(image: Image, default: int) -> int:
    """The port the image's ``CMD`` binds: ``--port N``, ``--port=N`` or ``--server.port=N``."""
    words = _command(image)
    for index, word in enumerate(words):
        name, _, value = word.partition("=")
        if name in ("--port", "--server.port"):
            value = value or (words[index + 1] if index + 1 < len(words) else "")
            if value.isdigit():
                return int(value)
    return default


def command_entrypoint(image: Image) -> str:
    """The executable ``CMD`` starts, where ``pip`` installs it in the python base image."""
    words = _command(image)
    name = words[0] if words else "python"
    return name if name.startswith("/") else f"/usr/local/bin/{name}"


@dataclass
class AsgiBackend:
    """The example backend's real code, one copy per image, one app per environment."""

    image: Image
    startup_seconds: float = 3.0
    memory_mib: int = 90

    @property
    def listen_port(self) -> int:
        return command_port(self.image, 8000)

    @property
    def entrypoint(self) -> str:
        return command_entrypoint(self.image)

    _apps: dict[tuple[tuple[str, str], ...], Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        # (the browser edition ships FastAPI, loaded when the app first runs: see ``module``)
        if not pyodide_platform.IN_BROWSER and importlib.util.find_spec("fastapi") is None:
            raise ConfigurationError(
                "Running the example backend in the simulated world needs FastAPI: "
                "pip install 'ecslab[lab]'  (or: pip install fastapi)"
            )

    @property
    def module(self) -> Any:
        """The image's ``app.main``, imported from the image's own files. In the browser, FastAPI
        (and what it needs) is loaded here, when a container first runs the app, not when an
        image is built: a lesson that only builds and pushes images never waits for it (0.34 s
        of lesson 01's first cell, Chromium)."""
        pyodide_platform.load_packages("fastapi")
        return image_code.load(self.image.digest, self.image.files, BACKEND_MODULE)

    def exit_code(self, environment: Mapping[str, str]) -> int | None:
        try:
            self._app(environment)
        except Exception:
            return UNCAUGHT_EXCEPTION_EXIT_CODE
        return None

    def log_lines(self, environment: Mapping[str, str]) -> list[str]:
        """What the container prints as it starts: where it listens, or the traceback's first
        and last lines when ``create_app`` raises (Python prints them to stderr)."""
        try:
            self._app(environment)
        except Exception as error:
            kind = type(error)
            module = kind.__module__.removeprefix(image_code.package_name(self.image.digest) + ".")
            return ["Traceback (most recent call last):", f"{module}.{kind.__qualname__}: {error}"]
        return [f"listening on port {self.listen_port}"]

    def answer(
        self, method: str, path: str, headers: Mapping[str, str], environment: Mapping[str, str]
    ) -> HttpAnswer:
        try:
            app = self._app(environment)
        except Exception:  # the world should not ask a container that exited; answer as a proxy
            return HttpAnswer(502, "Bad Gateway", {"content-type": "text/plain"})
        return call_asgi(app, method, path, headers)

    def _app(self, environment: Mapping[str, str]) -> Any:
        key = tuple(sorted(environment.items()))
        if key not in self._apps:
            self._apps[key] = self.module.create_app(dict(environment))
        return self._apps[key]


@dataclass
class StreamlitFrontend:
    """A Streamlit server's HTTP answers, without Streamlit."""

    image: Image
    startup_seconds: float = 8.0
    health_path: str = "/_stcore/health"
    memory_mib: int = 200

    @property
    def listen_port(self) -> int:
        return command_port(self.image, 8501)

    @property
    def entrypoint(self) -> str:
        return command_entrypoint(self.image)

    def exit_code(self, environment: Mapping[str, str]) -> int | None:
        return None

    def answer(
        self, method: str, path: str, headers: Mapping[str, str], environment: Mapping[str, str]
    ) -> HttpAnswer:
        if method not in ("GET", "HEAD"):
            return HttpAnswer(405, "Method Not Allowed", {"content-type": "text/plain"})
        if path.split("?", 1)[0] == self.health_path:
            return HttpAnswer(200, "ok", {"content-type": "text/plain; charset=UTF-8"})
        return HttpAnswer(200, STREAMLIT_SHELL, {"content-type": "text/html"})


#: The page a Streamlit server sends for any app path; the browser then draws the app.
STREAMLIT_SHELL = (
    '<!doctype html><html lang="en"><head><meta charset="UTF-8" />'
    "<title>Streamlit</title></head><body>"
    "<noscript>You need to enable JavaScript to run this app.</noscript>"
    '<div id="root"></div></body></html>'
)


# -- one HTTP request as one ASGI call ------------------------------------------------------------


def call_asgi(app: Any, method: str, path: str, headers: Mapping[str, str]) -> HttpAnswer:
    """Send one request to an ASGI app and collect its answer (ASGI HTTP spec:
    https://asgi.readthedocs.io/en/latest/specs/www.html)."""
    coroutine = _exchange(app, method, path, headers)
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # no loop in this thread: the usual case
        return asyncio.run(coroutine)
    if pyodide_platform.IN_BROWSER:  # the kernel's loop runs, and a browser has no threads
        return pyodide_platform.run_coroutine(coroutine)
    # Inside a running loop (a notebook cell): run the app on a loop of its own, in a thread.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _exchange(app: Any, method: str, path: str, headers: Mapping[str, str]) -> HttpAnswer:
    raw_path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method.upper(),
        "scheme": "http",
        "path": raw_path or "/",
        "raw_path": (raw_path or "/").encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(k.lower().encode(), str(v).encode()) for k, v in headers.items()],
        "client": ("10.0.0.1", 40000),
        "server": ("10.0.0.2", 80),
    }
    sent_request = False
    status = 500
    answer_headers: dict[str, str] = {}
    body = bytearray()

    async def receive() -> dict[str, Any]:
        nonlocal sent_request
        if not sent_request:
            sent_request = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.sleep(3600)  # the client stays connected while the app answers
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])
            answer_headers.update(
                (k.decode("latin-1"), v.decode("latin-1")) for k, v in message.get("headers", [])
            )
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    # Starlette sends its 500 answer, then re-raises for the server's log: the answer stands.
    with contextlib.suppress(Exception):
        await app(scope, receive, send)
    if status == 500 and not body:
        body.extend(b"Internal Server Error")
    return HttpAnswer(status, body.decode("utf-8", "replace"), answer_headers)
