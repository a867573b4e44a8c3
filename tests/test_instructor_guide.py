"""The instructor guide's commands, run as the guide shows them, so it cannot drift.

``bash`` blocks are run in order, as an instructor and a learner on one machine would: in a
fresh folder that holds the course (its ``.venv`` and ``notebooks``), ``ecslab server`` in the
background, ``export`` lines kept for the commands after them. ``python`` blocks run as a
learner's cell would, in a fresh process with those variables. ``sh`` blocks install (pip, a
virtual environment): shown, not run here; the suite's own install does the same. PowerShell
cannot be installed from a package registry, so each ``powershell`` block is checked to say
what the ``bash`` or ``sh`` block before it says. The example address ``192.168.1.20:5000``
becomes this machine's loopback and a free port.
"""

from __future__ import annotations

import html
import json
import os
import re
import shlex
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from ecslab.backends.server import account_for
from ecslab.course.tracks import LESSON_MINUTES, TRACKS, _duration
from tests.server_fixture import STARTUP_SECONDS, free_port

ROOT = Path(__file__).parent.parent
GUIDE = ROOT / "docs" / "instructor-guide.md"
README = ROOT / "README.md"
EXAMPLE_ADDRESS = "192.168.1.20:5000"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.S | re.M)


def blocks() -> list[tuple[str, str]]:
    found = [(kind, body.strip()) for kind, body in BLOCK.findall(GUIDE.read_text("utf-8"))]
    assert len(found) > 10, "the guide's fenced blocks were not found"
    return found


def _command_lines(kind: str, body: str) -> list[tuple[str, ...]]:
    """Each line as a comparable tuple, whichever shell it is written for."""
    out: list[tuple[str, ...]] = []
    for line in body.splitlines():
        if kind == "powershell":
            settings = re.findall(r'\$env:(\w+)="([^"]*)"', line)
            if settings:
                out += [("set", name, value) for name, value in settings]
                continue
            line = line.replace(".venv\\Scripts\\", ".venv/bin/").replace("py -m", "python3 -m")
        words = shlex.split(line)
        if words[:1] == ["export"]:
            out += [("set", *word.split("=", 1)) for word in words[1:]]
        else:
            out.append(tuple(words))
    return out


def test_each_powershell_block_says_what_the_block_before_it_says() -> None:
    found = blocks()
    pairs = [(found[i - 1], found[i]) for i, (kind, _) in enumerate(found) if kind == "powershell"]
    assert len(pairs) >= 6
    for (kind, body), (_, windows) in pairs:
        assert kind in ("bash", "sh"), windows
        assert _command_lines("powershell", windows) == _command_lines(kind, body)


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh folder holding the course as an instructor's clone does."""
    folder = tmp_path_factory.mktemp("course")
    (folder / ".venv").mkdir()
    (folder / ".venv" / "bin").symlink_to(Path(sys.executable).parent, target_is_directory=True)
    for part in ("notebooks", "docs"):
        (folder / part).symlink_to(ROOT / part, target_is_directory=True)
    (folder / "README.md").symlink_to(ROOT / "README.md")
    return folder


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_ecslab/status", timeout=1) as response:
            return json.loads(response.read()).get("server") == "ecslab"
    except OSError:
        return False


@pytest.fixture(scope="module")
def walked(course: Path) -> Iterator[list[tuple[str, subprocess.CompletedProcess[str]]]]:
    """Every bash and python block of the guide, run in order; each command's result."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ECSLAB_"))}
    environment["ECSLAB_PROGRESS_FILE"] = str(course / "progress.json")
    environment["XDG_DATA_HOME"] = str(course / "data")  # the server's default data directory
    ran: list[tuple[str, subprocess.CompletedProcess[str]]] = []
    shown: list[str] = []
    servers: list[subprocess.Popen[bytes]] = []
    try:
        for kind, body in blocks():
            body = body.replace(EXAMPLE_ADDRESS, f"127.0.0.1:{port}")
            body = body.replace("--port 5000", f"--port {port}")
            body = body.replace("--port 8765", f"--port {free_port()}")
            if kind == "python":
                command = [sys.executable, "-c", body]
                result = subprocess.run(
                    command,
                    cwd=course,
                    env=environment,
                    capture_output=True,
                    text=True,
                    timeout=300,
                )
                ran.append((body, result))
                continue
            if kind != "bash":
                continue
            for line in body.splitlines():
                words = shlex.split(line)
                if words[0] == "export":
                    environment.update(word.split("=", 1) for word in words[1:])
                    continue
                if words[1:2] == ["server"]:
                    servers.append(_background(words, course, environment))
                    _wait_for(lambda: _answers(f"http://127.0.0.1:{port}"), line)
                    continue
                if words[1:2] == ["present"]:
                    servers.append(_background(words, course, environment))
                    page = f"http://127.0.0.1:{words[words.index('--port') + 1]}/"
                    _wait_for(lambda page=page: _page(page, shown), line)
                    ran.append((line, subprocess.CompletedProcess(words, 0, shown[-1], "")))
                    continue
                result = subprocess.run(
                    words,
                    cwd=course,
                    env=environment,
                    capture_output=True,
                    text=True,
                    timeout=300,
                )
                ran.append((line, result))
        yield ran
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


def _background(words: list[str], cwd: Path, environment: dict) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        words, cwd=cwd, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def _wait_for(ready: object, line: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while not ready():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"nothing answered after: {line}"
        time.sleep(0.2)


def _page(url: str, shown: list[str]) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            shown.append(response.read().decode())
            return True
    except OSError:
        return False


def _result(walked: list, starts: str) -> subprocess.CompletedProcess[str]:
    (found, *_) = [result for command, result in walked if command.startswith(starts)]
    return found


def test_every_command_of_the_guide_succeeds(walked: list) -> None:
    assert len(walked) >= 8
    for command, result in walked:
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"


def test_the_guide_walks_a_room_end_to_end(walked: list, course: Path) -> None:
    """The track's lessons are written, the learner's doctor names them, the catch-up and the
    room's progress reach the instructor's CSV."""
    assert sorted(p.stem for p in (course / "workshop").glob("*.ipynb")) == (
        TRACKS["workshop-3h"].lessons
    )
    doctors = [result.stdout for command, result in walked if command.endswith("doctor")]
    assert "✓ learner: 'Ada Lovelace'" in doctors[-1] and "✓ room: ecslab server" in doctors[-1]
    assert (course / "handout" / "cheatsheet.html").is_file()
    projected = html.unescape(_result(walked, ".venv/bin/ecslab present").stdout)
    assert "requestFullscreen" in projected and "ECS cluster course" in projected
    room = (course / "room.csv").read_text("utf-8")
    assert f"Ada Lovelace,{account_for('Ada Lovelace')},04_services,caught up,05_alb" in room
    assert "Ada Lovelace (account" in _result(walked, ".venv/bin/ecslab progress --room").stdout
    teardown = _result(walked, ".venv/bin/ecslab teardown").stdout
    assert "would delete ecs-cluster course" in teardown  # what the catch-up built


def test_the_guide_and_the_readme_link_each_other() -> None:
    assert "(docs/instructor-guide.md)" in README.read_text("utf-8")
    assert "(../README.md)" in GUIDE.read_text("utf-8")


def test_the_guides_tables_say_what_the_tracks_declare() -> None:
    text = GUIDE.read_text("utf-8")
    for name, track in TRACKS.items():
        assert f"| `{name}` | {_duration(track.minutes)} |" in text
    minutes = dict(re.findall(r"^\| (\d\d) [^|]+ \| (\d+) \|", text, re.M))
    assert {lesson: int(minutes[lesson[:2]]) for lesson in LESSON_MINUTES} == LESSON_MINUTES
    assert "three environment variables" in text and "two environment variables" not in text
