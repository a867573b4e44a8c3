"""An ecslab server in a subprocess, for tests of the server backend (one host per process).

Use the fixture by importing it into a test module::

    from tests.server_fixture import ecslab_server  # noqa: F401  (a pytest fixture)

    def test_something(ecslab_server: str) -> None:
        with Lab(backend="server", endpoint_url=ecslab_server) as lab: ...

or the context manager :func:`running_server` directly. The process is always terminated.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

STARTUP_SECONDS = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_ecslab/status", timeout=1) as response:
            return json.loads(response.read()).get("server") == "ecslab"
    except (urllib.error.URLError, OSError, ValueError):
        return False


@contextlib.contextmanager
def running_server(
    data_dir: str | None = None,
    *extra: str,
    port: int | None = None,
    log_to: list[str] | None = None,
    kill: bool = False,
    speed: float = 1.0,
) -> Iterator[str]:
    """Start ``ecslab server`` on a free port (its clock ``speed`` times real time); yield its
    URL once it answers; stop it.

    The server keeps its journal in ``data_dir`` (a fresh temporary directory by default);
    ``log_to`` receives its printed lines once it has stopped; ``kill`` stops it with SIGKILL
    (no chance to clean up), as a crash would."""
    with contextlib.ExitStack() as stack:
        if data_dir is None:
            data_dir = stack.enter_context(tempfile.TemporaryDirectory())
        yield from _running(
            data_dir, (*extra, "--speed", str(speed)), port or free_port(), log_to, kill
        )


def _running(
    data_dir: str, extra: tuple[str, ...], port: int, log_to: list[str] | None, kill: bool
) -> Iterator[str]:
    url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "ecslab.cli", "server", "--port", str(port),
        "--data-dir", data_dir, *extra,
    ]  # fmt: skip
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=environment)
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while not _answers(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(
                        f"ecslab server did not start on {url}:\n{log.read().decode()[-2000:]}"
                    )
                time.sleep(0.1)
            yield url
        finally:
            process.kill() if kill else process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if log_to is not None:
                log.seek(0)
                log_to.extend(log.read().decode().splitlines())


@pytest.fixture(scope="module")
def ecslab_server() -> Iterator[str]:
    """The URL of an ecslab server running in a subprocess for this test module."""
    with running_server() as url:
        yield url
