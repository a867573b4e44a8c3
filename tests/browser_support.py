"""JupyterLab in a subprocess and headless Chromium, for the course's browser test.

The browser is Debian's ``chromium`` package (``scripts/ensure-browser`` installs it when it may),
driven by Playwright for Python through its executable path: Playwright's own browser download is
never used. Without the browser or Playwright the test skips and says why.

JupyterLab starts from this environment's Python on 127.0.0.1 with a free port and a random
token, on a temporary copy of the course, with its own config, data, settings and runtime
directories: nothing from the user's Jupyter set-up leaks in, nothing of the test leaks out.
Every wait is bounded; the server and every process it started are always stopped.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil  # comes with ipykernel (the ``lab`` extra)
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
# Headless in a container: no sandbox (root), no GPU, /dev/shm may be small, and nothing that
# phones home (the course runs offline).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STARTUP_SECONDS = 60.0
SHUTDOWN_SECONDS = 15.0
# What the notebooks read outside notebooks/ (``SVG("../diagrams/...")``), copied beside them.
COURSE_DIRECTORIES = ("notebooks", "diagrams")
# User settings for the test's JupyterLab: no news or update checks (the course runs offline and
# a news prompt would cover part of the page); everything else at JupyterLab's defaults.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


def chromium_or_skip() -> Path:
    """The Chromium executable, or skip the calling test saying what is missing and the fix."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(
            f"browser test needs Debian's chromium at {CHROMIUM}: run scripts/ensure-browser "
            "as root, or apt-get install chromium"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip('browser test needs Playwright for Python: pip install -e ".[dev]"')
    return CHROMIUM


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def copy_course(destination: Path) -> Path:
    """Copy the lessons (and what they read beside them) under ``destination``; the lessons'
    directory in the copy, so a browser session never touches the committed notebooks."""
    for name in COURSE_DIRECTORIES:
        shutil.copytree(
            ROOT / name, destination / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints")
        )
    return destination / "notebooks"


@dataclass(frozen=True)
class JupyterLab:
    """A running JupyterLab: its base URL and token."""

    url: str
    token: str

    def address(self, path: str) -> str:
        """``path`` on this server, with the token (``path`` may carry its own query)."""
        joiner = "&" if "?" in path else "?"
        return f"{self.url}{path}{joiner}token={self.token}"

    def get_json(self, path: str, timeout: float = 10.0) -> Any:
        with urllib.request.urlopen(self.address(path), timeout=timeout) as response:
            return json.loads(response.read())


def _answers(lab: JupyterLab) -> bool:
    try:
        status = lab.get_json("/api/status", timeout=2)
    except (urllib.error.URLError, OSError, ValueError):
        return False
    return isinstance(status, dict) and "started" in status


def _lab_environment(home: Path) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "JUPYTER"))}
    places = {
        "JUPYTER_CONFIG_DIR": "config",
        "JUPYTER_DATA_DIR": "data",
        "JUPYTER_RUNTIME_DIR": "runtime",
        "JUPYTERLAB_SETTINGS_DIR": "settings",
        "JUPYTERLAB_WORKSPACES_DIR": "workspaces",
        "IPYTHONDIR": "ipython",
    }
    for variable, name in places.items():
        (home / name).mkdir(parents=True, exist_ok=True)
        environment[variable] = str(home / name)
    for relative, settings in LAB_SETTINGS.items():
        path = home / "settings" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(settings))
    # The learner's progress file is theirs: a test run records nothing.
    environment["ECSLAB_PROGRESS_FILE"] = "off"
    return environment


@contextlib.contextmanager
def running_jupyterlab(root_dir: Path) -> Iterator[JupyterLab]:
    """Start JupyterLab on ``root_dir``; yield it once it answers; always stop it and its kernels.

    ``expose_app_in_browser`` puts the application at ``window.jupyterapp``, so the test can run
    JupyterLab's own commands (Run All Cells) and read the kernel's status.
    """
    token = secrets.token_hex(24)
    lab = JupyterLab(url=f"http://127.0.0.1:{free_port()}", token=token)
    port = lab.url.rsplit(":", 1)[1]
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root_dir}",
        "--LabApp.expose_app_in_browser=True",
    ]
    if os.geteuid() == 0:  # CI containers run as root; Jupyter refuses that unless told
        command.append("--allow-root")
    with (
        tempfile.TemporaryDirectory(prefix="ecslab-lab-home-") as home,
        tempfile.TemporaryFile() as log,
    ):
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=_lab_environment(Path(home)),
            cwd=root_dir,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while not _answers(lab):
                exited = process.poll() is not None
                if exited or time.monotonic() > deadline:
                    log.seek(0)
                    why = "exited" if exited else f"did not answer within {STARTUP_SECONDS:.0f} s"
                    raise RuntimeError(
                        f"JupyterLab on {lab.url} {why}:\n"
                        + log.read().decode(errors="replace")[-3000:]
                    )
                time.sleep(0.2)
            yield lab
        finally:
            _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server (it shuts its kernels down), then kill whatever of it is left: the
    kernels run in sessions of their own, so they are found as the server's descendants."""
    try:
        family = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        family = []
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=SHUTDOWN_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=SHUTDOWN_SECONDS)
    _, alive = psutil.wait_procs(family, timeout=SHUTDOWN_SECONDS)
    for leftover in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            leftover.kill()
    psutil.wait_procs(alive, timeout=SHUTDOWN_SECONDS)
