"""A room on one workshop server: the banner's connect line, learner names, doctor, and the
progress of several learners collected into one file."""

from __future__ import annotations

import csv
import html
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ecslab import check
from ecslab.backends.server import account_for
from ecslab.cli import main
from ecslab.doctor import check_room
from ecslab.errors import ConfigurationError
from ecslab.lab import Lab
from ecslab.quiz import ask as quiz
from ecslab.workshop.banner import PLACEHOLDER, advertised, banner
from tests.server_fixture import STARTUP_SECONDS, ecslab_server, free_port  # noqa: F401

pytestmark = pytest.mark.server


def _clean_environment() -> dict[str, str]:
    """A fresh process's environment: no AWS or ecslab settings carried over."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ECSLAB_"))} | {
        "ECSLAB_PROGRESS_FILE": "off"
    }


@pytest.fixture(scope="module")
def room_banner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``ecslab server --host 0.0.0.0`` started as an instructor would; its banner."""
    command = [sys.executable, "-m", "ecslab.cli", "server", "--host", "0.0.0.0"]
    command += ["--port", str(free_port()), "--data-dir", str(tmp_path_factory.mktemp("data"))]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=_clean_environment(),
    )
    try:
        lines: list[str] = []
        deadline = time.monotonic() + STARTUP_SECONDS
        while not any("ECSLAB_LEARNER" in line for line in lines):
            line = process.stdout.readline()
            if not line or time.monotonic() > deadline:
                pytest.fail("ecslab server printed no connect line:\n" + "".join(lines))
            lines.append(line)
        yield "".join(lines)
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def test_the_banners_connect_line_typed_in_a_fresh_process_opens_that_learners_account(
    room_banner: str,
) -> None:
    """The line printed for learners, with a name in place of the placeholder, runs as is."""
    (line, *_) = [row.strip() for row in room_banner.splitlines() if "ecslab.Lab(" in row]
    assert "0.0.0.0" not in line and f'learner="{PLACEHOLDER}"' in line
    typed = line.replace(PLACEHOLDER, "Grace Hopper")
    script = f"{typed}\nprint(lab.account_id)\nlab.close()"
    ran = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env=_clean_environment(),
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split() == [account_for("grace hopper")]


def test_the_banner_names_real_addresses_or_the_advertised_one() -> None:
    everywhere = advertised("0.0.0.0")
    assert everywhere and "0.0.0.0" not in everywhere
    assert advertised("0.0.0.0", "room.example") == ["room.example"]
    assert "Only this machine can connect" in banner("127.0.0.1", 5000)
    assert "http://room.example:5000" in banner("0.0.0.0", 5000, "room.example")


@pytest.mark.parametrize("speed", ["0", "-3", "nan", "fast"])
def test_the_speed_must_be_above_zero(speed: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["server", "--speed", speed])
    assert "give a number above 0" in capsys.readouterr().err


def test_learner_names_ignore_case_and_spacing() -> None:
    assert account_for("Alice") == account_for("alice") == account_for("  ALICE ")
    assert account_for("Alice") != account_for("Bob")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (PLACEHOLDER, "Replace the placeholder"),
        ("  ", "at least one letter"),
        ("a" * 41, "up to 40"),
        ("x\ty;", "up to 40 letters"),
    ],
)
def test_an_unusable_learner_name_is_one_sentence(name: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        Lab(backend="server", endpoint_url="http://127.0.0.1:9", learner=name)


def _doctor(monkeypatch: pytest.MonkeyPatch, url: str | None, learner: str | None) -> list:
    monkeypatch.setenv("ECSLAB_BACKEND", "server")
    for variable, value in (("ECSLAB_ENDPOINT_URL", url), ("ECSLAB_LEARNER", learner)):
        if value is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, value)
    return check_room()


def test_doctor_fails_clearly_on_an_unreachable_server_and_no_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    room, learner = _doctor(monkeypatch, f"http://127.0.0.1:{free_port()}", None)
    assert not room.ok and "nothing answers at http://127.0.0.1:" in room.detail
    assert "ECSLAB_ENDPOINT_URL" in room.fix
    assert (learner.ok, learner.detail) == (False, "no learner name is set")
    assert 'ECSLAB_LEARNER="Ada Lovelace"' in learner.fix
    (unset, _) = _doctor(monkeypatch, None, "Ada")
    assert not unset.ok and unset.detail == "ECSLAB_ENDPOINT_URL is not set"


def test_doctor_names_the_learner_and_account(
    monkeypatch: pytest.MonkeyPatch,
    ecslab_server: str,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    room, learner = _doctor(monkeypatch, ecslab_server, "Ada Lovelace")
    assert room.ok and room.detail.startswith(f"ecslab server at {ecslab_server}")
    assert learner.ok and learner.detail == (
        f"'Ada Lovelace', your own account {account_for('Ada Lovelace')}"
    )
    main(["doctor"])
    assert "✓ learner: 'Ada Lovelace'" in capsys.readouterr().out
    assert _doctor(monkeypatch, ecslab_server, "<your name>")[1].ok is False


def test_two_learners_progress_is_collected_into_one_csv(
    ecslab_server: str,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each learner's answers and checks reach the server; the instructor exports the room."""
    for name, answer in (("Alice", "ECR"), ("Bob", "ECS")):
        monkeypatch.setenv("ECSLAB_PROGRESS_FILE", str(tmp_path / f"{name}.json"))
        with Lab(backend="server", endpoint_url=ecslab_server, learner=name) as lab:
            quiz("06_cicd", "ecr-vs-ecs")[1].answer(answer, "ECS" if answer == "ECR" else "ECR")
            check.repository(lab, "api")
    target = tmp_path / "room.csv"
    assert main(["progress", "--room", ecslab_server, "--export", str(target)]) == 0
    with target.open(newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    answered = {
        (r["learner"], r["account"], r["lesson"], r["kind"], r["item"], r["correct"])
        for r in rows
        if r["attempts"] != "0"
    }
    assert answered == {
        ("Alice", account_for("Alice"), "06_cicd", "question", "ecr-vs-ecs", "True"),
        ("Alice", account_for("Alice"), "01_ecr", "check", "repository api", "False"),
        ("Bob", account_for("Bob"), "06_cicd", "question", "ecr-vs-ecs", "False"),
        ("Bob", account_for("Bob"), "01_ecr", "check", "repository api", "False"),
    }
    unopened = [r for r in rows if r["learner"] == "Bob" and r["lesson"] == "03_task_definitions"]
    assert unopened and {r["attempts"] for r in unopened} == {"0"}


def test_present_shows_one_learners_account_full_screen(
    ecslab_server: str,  # noqa: F811
) -> None:
    """The projector page draws the chosen learner's account, not another's, and redraws it."""
    import threading
    import urllib.request
    from http.server import HTTPServer

    from ecslab.views.present import Presenter, handler

    with Lab(backend="server", endpoint_url=ecslab_server, learner="Presenter Pat") as pat:
        pat.client("ecs").create_cluster(clusterName="pats-cluster")
    with Lab(backend="server", endpoint_url=ecslab_server, learner="Other Olly") as olly:
        olly.client("ecs").create_cluster(clusterName="ollys-cluster")
    with Lab(backend="server", endpoint_url=ecslab_server, learner="presenter pat") as shown:
        server = HTTPServer(("127.0.0.1", 0), handler(Presenter(shown, every=1)))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            base = f"http://127.0.0.1:{server.server_port}"
            with urllib.request.urlopen(f"{base}/", timeout=30) as response:
                page = response.read().decode()
            shown.client("ecs").create_cluster(clusterName="pats-second")
            with urllib.request.urlopen(f"{base}/diagram.svg", timeout=30) as response:
                svg = response.read().decode()
        finally:
            server.shutdown()
            server.server_close()
    page, svg = html.unescape(page), html.unescape(svg)
    assert "requestFullscreen" in page and "ECS cluster pats-cluster" in page
    assert f"presenter pat · account {account_for('Presenter Pat')}" in page
    assert "ollys-cluster" not in page + svg
    assert "ECS cluster pats-second" in svg and svg.startswith("<svg")
