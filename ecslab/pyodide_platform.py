"""ecslab in the browser: Pyodide (CPython compiled to WebAssembly) as a platform.

The browser edition (``make lite``, ``scripts/build-lite``) runs the course in JupyterLite's
Pyodide kernel, inside a web page. Python there has no threads, no subprocesses and no sockets
(https://pyodide.org/en/stable/usage/wasm-constraints.html), and only the wheels the site ships.
This module is the one place that knows it; the rest of ecslab asks it:

* :data:`IN_BROWSER`: true under Pyodide (``sys.platform == "emscripten"``);
* :func:`cannot_in_browser`: the one sentence for what a browser cannot do (a workshop server,
  a real account, a subprocess);
* :func:`provide_stand_ins`: a stand-in ``cryptography`` for moto, which imports that compiled
  package when its EC2, IAM or ACM modules load but calls it only for key pairs, certificates
  and KMS, which the course never asks for. Anything in the stand-in raises, saying so, and is
  recorded (:func:`stand_in_calls`), so a test can show the lessons never reach it;
* :func:`run_coroutine`: a coroutine run to its end from synchronous code inside the kernel's
  running event loop, without the thread the desktop uses (JavaScript promise integration,
  ``pyodide.ffi.run_sync``), with anyio's worker threads (FastAPI's ``def`` endpoints) run inline;
* :func:`render_svg`: Graphviz compiled to WebAssembly (``@viz-js/viz``, shipped in the site);
* :func:`load_packages`: a package of the site loaded when first needed (FastAPI, for the
  example backend), so a first visit downloads less;
* :func:`site_url`: a file of the site the kernel was loaded from.

The site's files as the kernel sees them (JupyterLite's drive) are :mod:`ecslab.pyodide_drive`'s.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

from ecslab.errors import NotInBrowser

IN_BROWSER = sys.platform == "emscripten"
#: The WebAssembly Graphviz the site ships (scripts/build-lite), relative to the site's root.
VIZ_MODULE = "static/viz.js"
#: Compiled packages the browser edition replaces with a stand-in, each with why.
STAND_INS = {
    "cryptography": "key pairs, certificates and KMS keys (compiled for desktop platforms only)",
}

#: What to do instead, unless a message says better.
ON_YOUR_MACHINE = "run the course on your machine (make lab)"

T = TypeVar("T")
_calls: list[str] = []


def name() -> str:
    """The platform as ``ecslab doctor`` reports it."""
    if IN_BROWSER:
        return "the browser (Pyodide, Python compiled to WebAssembly)"
    return sys.platform


def cannot_in_browser(what: str, instead: str = ON_YOUR_MACHINE) -> str:
    """The sentence for ``what``, which a browser cannot do."""
    return f"{what} cannot work in the browser edition of the course: {instead}."


def refuse_in_browser(what: str, instead: str = ON_YOUR_MACHINE) -> None:
    """Raise :class:`~ecslab.errors.NotInBrowser` for ``what`` when running in the browser."""
    if IN_BROWSER:
        raise NotInBrowser(cannot_in_browser(what, instead))


def load_packages(*names: str) -> None:
    """In the browser, load the site's packages ``names`` (with what they need) if they are not
    loaded yet: the kernel starts with the course's core only, the rest comes when first used."""
    if not IN_BROWSER:
        return
    missing = [n for n in names if importlib.util.find_spec(n) is None]
    if missing:
        import pyodide_js  # type: ignore[import-not-found]
        from pyodide.ffi import run_sync, to_js  # type: ignore[import-not-found]

        run_sync(pyodide_js.loadPackage(to_js(missing)))


# -- the stand-in for compiled packages -----------------------------------------------------------


class _StandIn:
    """Any name inside a stand-in package: attributes and ``|`` give more stand-ins (so
    ``from cryptography.x509 import NameOID`` and annotations work); a call raises."""

    def __init__(self, dotted: str) -> None:
        self._dotted = dotted

    def __getattr__(self, attribute: str) -> _StandIn:
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return _StandIn(f"{self._dotted}.{attribute}")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        _calls.append(self._dotted)
        package = self._dotted.split(".", 1)[0]
        raise NotInBrowser(cannot_in_browser(f"{self._dotted}() ({STAND_INS[package]})"))

    def __or__(self, other: Any) -> _StandIn:
        return self

    __ror__ = __or__

    def __mro_entries__(self, bases: tuple[Any, ...]) -> tuple[type, ...]:
        """A class that subclasses a stand-in: making one is a call into it."""
        stand_in = self

        class StandInBase:
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                stand_in(*args, **kwargs)

        return (StandInBase,)

    def __repr__(self) -> str:
        return f"<stand-in for {self._dotted}>"


class _StandInModule(types.ModuleType):
    def __getattr__(self, attribute: str) -> _StandIn:
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return _StandIn(f"{self.__name__}.{attribute}")


class _StandInFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds the stand-in packages (last on ``sys.meta_path``: a real package wins)."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname.split(".", 1)[0] not in STAND_INS:
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = _StandInModule(spec.name)
        module.__path__ = []
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        return None


_FINDER = _StandInFinder()


def provide_stand_ins(*, force: bool = False) -> None:
    """Put the stand-in packages on the import path, in the browser (or when ``force``d, for
    tests), for each one that is not installed. Done once per process; a no-op elsewhere."""
    if not (IN_BROWSER or force) or _FINDER in sys.meta_path:
        return
    missing = [
        package
        for package in STAND_INS
        if package not in sys.modules and importlib.machinery.PathFinder.find_spec(package) is None
    ]
    if missing or force:
        sys.meta_path.append(_FINDER)


def withdraw_stand_ins() -> None:
    """Take the stand-ins off the import path again and forget their modules (tests)."""
    with contextlib.suppress(ValueError):
        sys.meta_path.remove(_FINDER)
    for module in [m for m in sys.modules if m.split(".", 1)[0] in STAND_INS]:
        if isinstance(sys.modules[module], _StandInModule):
            del sys.modules[module]


def stand_in_calls() -> tuple[str, ...]:
    """Every call into a stand-in so far, by dotted name: empty if the lessons never reach one."""
    return tuple(_calls)


def uses_stand_ins() -> bool:
    """True when a stand-in package is on the import path."""
    return _FINDER in sys.meta_path


# -- coroutines without threads -------------------------------------------------------------------


@contextlib.contextmanager
def _worker_threads_inline() -> Iterator[None]:
    """anyio's ``to_thread.run_sync`` (how Starlette runs a ``def`` endpoint) calls the function
    in place while the block runs: Pyodide cannot start a thread, and nothing else runs
    meanwhile anyway. Restored afterwards."""
    try:
        import anyio.to_thread
    except ImportError:
        yield
        return

    async def run_sync(function: Any, *args: Any, **_options: Any) -> Any:
        return function(*args)

    original = anyio.to_thread.run_sync
    anyio.to_thread.run_sync = run_sync  # type: ignore[assignment]
    try:
        yield
    finally:
        anyio.to_thread.run_sync = original  # type: ignore[assignment]


def run_coroutine(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` to its end from synchronous code while the kernel's event loop runs."""
    from pyodide.ffi import run_sync  # type: ignore[import-not-found]

    with _worker_threads_inline():
        return run_sync(coroutine)  # type: ignore[no-any-return]


# -- Graphviz in WebAssembly ----------------------------------------------------------------------

_viz: list[Any] = []


def site_url(relative: str) -> str:
    """``relative`` on the site the kernel was loaded from. The kernel runs in a web worker
    whose script lies under the site's ``extensions/`` folder (JupyterLite's layout)."""
    import js  # type: ignore[import-not-found]

    worker = str(js.location.href)
    root = worker.split("/extensions/", 1)[0] + "/"
    return str(js.URL.new(relative, root).href)


def render_svg(source: str) -> str:
    """``source`` drawn as SVG by ``@viz-js/viz`` (Graphviz compiled to WebAssembly)."""
    import js  # type: ignore[import-not-found]
    from pyodide.ffi import run_sync, to_js  # type: ignore[import-not-found]

    if not _viz:
        module = run_sync(js.eval(f"import({site_url(VIZ_MODULE)!r})"))
        _viz.append(run_sync(module.instance()))
    options = to_js({"format": "svg"}, dict_converter=js.Object.fromEntries)
    result = _viz[0].render(source, options)
    if str(result.status) != "success":
        messages = "; ".join(str(e.message) for e in result.errors)
        raise ValueError(messages or "viz.js could not draw the diagram")
    return str(result.output)
