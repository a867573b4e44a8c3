"""The browser edition (build/lite/) served on 127.0.0.1 and driven in headless Chromium.

Used by ``tests/test_browser_lite.py`` and ``benchmarks/bench_lite.py``. The site is built from
this working tree by ``scripts/build-lite`` (downloads cached under build/lite-cache/), served by
a plain static server on a free port of 127.0.0.1, and opened in Debian's Chromium through
Playwright. Every request the page, its workers or its service worker make to anywhere but that
server is refused and recorded: the edition must need nothing from the internet.

Outputs are read from JupyterLab's notebook model (``window.jupyterapp``, the site's
``exposeAppInBrowser``), not from the page: JupyterLab draws only the cells on screen.
"""

from __future__ import annotations

import configparser
import contextlib
import http.server
import json
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from tests.notebook_page import KERNEL_READY, NOTEBOOK

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "build" / "lite"
#: What may differ between two runs of a lesson (nbval's own list for the desktop course).
SANITIZE = ROOT / "tests" / "nbval-sanitize.cfg"
BUILD_SCRIPT = ROOT / "scripts" / "build-lite"
#: Bounded waits, in milliseconds (Playwright's unit).
PAGE_MS = 60_000
KERNEL_MS = 300_000
RUN_MS = 600_000

#: Each code cell's outputs as JSON (the notebook model), by cell index.
OUTPUTS = f"""() => {NOTEBOOK}.content.widgets.map((c, i) => c.model.type !== 'code' ? null : ({{
    index: i, count: c.model.executionCount, source: c.model.sharedModel.getSource(),
    outputs: c.model.outputs.toJSON()}})).filter(c => c !== null)"""


def build_site() -> Path:
    """Build the site from this working tree (``scripts/build-lite``); its folder."""
    subprocess.run([sys.executable, str(BUILD_SCRIPT)], check=True, cwd=ROOT)
    return SITE


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 (the standard library's own class attribute)
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
    }

    def log_message(self, format: str, *args: Any) -> None:
        return None


@dataclass
class Served:
    """The site on 127.0.0.1: its base URL and the bytes each path sent."""

    url: str
    sent: dict[str, int] = field(default_factory=dict)


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[Served]:
    """Serve ``folder`` on a free port of 127.0.0.1 until the block ends."""
    handler = partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


#: Where the browser sends a request that is not for the site: a proxy on a port nothing listens
#: on (the discard port), so the request fails in Chromium's own network stack. Only the site's
#: host and port bypass it. This blocks without intercepting: Playwright's ``route`` would send
#: every request through this process, which made a first visit's kernel ready 0.7 s later
#: (median of four, 9.33 s against 8.64 s) and is not what a learner's browser does.
DEAD_PROXY = "http://127.0.0.1:9"


@dataclass
class Guard:
    """Requests attempted that were not for the site's server (each failed at the dead proxy),
    and what the site sent."""

    allowed: str
    refused: list[str] = field(default_factory=list)
    downloaded: dict[str, int] = field(default_factory=dict)

    def request(self, request: Any) -> None:
        url = request.url
        if not url.startswith((self.allowed, "data:", "blob:")):
            self.refused.append(url)

    def response(self, response: Any) -> None:
        with contextlib.suppress(Exception):
            length = response.headers.get("content-length")
            self.downloaded[response.url] = int(length) if length else 0


def guarded_context(browser: Any, served: Served) -> tuple[Any, Guard]:
    """A fresh browser context whose every request off the site's server fails and is noted
    (the page's, its workers' and its service worker's)."""
    guard = Guard(served.url)
    site = served.url.split("//", 1)[1].rstrip("/")
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000},
        proxy={"server": DEAD_PROXY, "bypass": site},
    )
    context.on("request", guard.request)
    context.on("response", guard.response)
    return context, guard


def lesson_path(name: str) -> str:
    return f"notebooks/{name}.ipynb"


def open_lesson(page: Any, served: Served, name: str) -> float:
    """Open a lesson in the site; seconds until its kernel is ready."""
    started = time.monotonic()
    page.goto(f"{served.url}lab/index.html?path={lesson_path(name)}", timeout=PAGE_MS)
    page.wait_for_function(KERNEL_READY, arg=lesson_path(name), timeout=KERNEL_MS, polling=100)
    return time.monotonic() - started


def restart_and_run_all(page: Any) -> float:
    """Kernel → Restart Kernel and Run All Cells (its dialog accepted); seconds it took."""
    started = time.monotonic()
    page.evaluate(
        """() => {
            window.ecslabRun = 'running';
            window.jupyterapp.commands.execute('notebook:restart-run-all').then(
                ran => { window.ecslabRun = ran === false ? 'a cell failed' : 'ran'; },
                error => { window.ecslabRun = 'failed: ' + error; });
        }"""
    )
    accept = page.locator(".jp-Dialog .jp-mod-accept")
    accept.wait_for(timeout=PAGE_MS)
    started = time.monotonic()
    accept.click()
    page.wait_for_function("() => window.ecslabRun !== 'running'", timeout=RUN_MS, polling=100)
    return time.monotonic() - started


def run_all(page: Any) -> float:
    """Run → Run All Cells on the kernel already there; seconds until the last cell ran."""
    started = time.monotonic()
    page.evaluate(
        """() => {
            window.ecslabRun = 'running';
            window.jupyterapp.commands.execute('notebook:run-all-cells').then(
                ran => { window.ecslabRun = ran === false ? 'a cell failed' : 'ran'; },
                error => { window.ecslabRun = 'failed: ' + error; });
        }"""
    )
    page.wait_for_function("() => window.ecslabRun !== 'running'", timeout=RUN_MS, polling=100)
    return time.monotonic() - started


def run_state(page: Any) -> str:
    return str(page.evaluate("() => window.ecslabRun"))


def outputs(page: Any) -> list[dict[str, Any]]:
    """Each code cell of the notebook in front: its index, count, source and outputs."""
    return list(page.evaluate(OUTPUTS))


def error_outputs(cells: list[dict[str, Any]]) -> list[str]:
    """Every error output (a cell that raised) and every stderr stream, as one line each."""
    found = []
    for cell in cells:
        for output in cell["outputs"]:
            if output.get("output_type") == "error":
                found.append(f"cell {cell['index']}: {output['ename']}: {output['evalue']}")
            elif output.get("output_type") == "stream" and output.get("name") == "stderr":
                text = "".join(output.get("text", ""))
                found.append(f"cell {cell['index']} stderr: {text.strip()[:500]}")
    return found


def run_in_kernel(page: Any, code: str, within_ms: int | None = None) -> str:
    """Run ``code`` in the notebook's kernel (not in a cell); its stdout. With ``within_ms``, a
    kernel that has not answered by then raises ``TimeoutError`` (the kernel may be stuck)."""
    answer = page.evaluate(
        f"""async ([code, within]) => {{
            const kernel = {NOTEBOOK}.sessionContext.session.kernel;
            let out = '';
            const future = kernel.requestExecute({{code, store_history: false}});
            future.onIOPub = (msg) => {{
                if (msg.header.msg_type === 'stream') out += msg.content.text;
                if (msg.header.msg_type === 'error')
                    out += msg.content.ename + ': ' + msg.content.evalue;
            }};
            const done = future.done.then(() => true);
            const late = new Promise(r => {{
                if (within !== null) setTimeout(() => r(false), within);
            }});
            return [await Promise.race([done, late]), out];
        }}""",
        [code, within_ms],
    )
    answered, out = answer
    if not answered:
        raise TimeoutError(f"the kernel did not answer within {within_ms} ms; it printed {out!r}")
    return str(out)


def _sanitizers() -> list[tuple[re.Pattern[str], str]]:
    config = configparser.ConfigParser(interpolation=None)
    config.read(SANITIZE)
    return [(re.compile(config[s]["regex"]), config[s]["replace"]) for s in config.sections()]


def teaching_outputs(outputs: list[dict[str, Any]]) -> list[str]:
    """What a code cell teaches, comparable between the browser and the desktop: its stdout and
    stderr (each joined: kernels split streams differently), the text of what it shows, and
    the name of any error, sanitized as nbval is (``tests/nbval-sanitize.cfg``). Pictures are
    left out (viz-js and graphviz-pure draw the same graph in other SVG bytes), and so is a
    result with nothing in it (the browser's kernel sends one where an object displayed
    itself; ipykernel sends none)."""
    sanitizers = _sanitizers()

    def clean(text: str | list[str]) -> str:
        joined = text if isinstance(text, str) else "".join(text)
        for pattern, replacement in sanitizers:
            joined = pattern.sub(replacement, joined)
        return joined

    streams: dict[str, str] = {}
    shown = []
    for output in outputs:
        kind = output["output_type"]
        if kind == "stream":
            streams[output["name"]] = streams.get(output["name"], "") + clean(output["text"])
        elif kind in ("execute_result", "display_data") and output.get("data"):
            shown.append(clean(output["data"].get("text/plain", "")))
        elif kind == "error":
            shown.append(f"error {output['ename']}")
    return [f"{name}: {text}" for name, text in sorted(streams.items())] + shown


def desktop_outputs(name: str) -> list[list[str]]:
    """The teaching outputs of each code cell of a lesson as committed (the desktop's run)."""
    notebook = json.loads((ROOT / lesson_path(name)).read_text())
    return [teaching_outputs(c["outputs"]) for c in notebook["cells"] if c["cell_type"] == "code"]
