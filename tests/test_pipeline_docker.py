"""Building and pushing on a real account: the local Docker, or the exact next step."""

from __future__ import annotations

import base64
import subprocess
from typing import Any

import pytest

from ecslab.errors import BackendUnavailable
from ecslab.pipeline import Source
from ecslab.pipeline.docker import DockerPush


class FakeDocker:
    """Records docker commands and answers them; ``docker info`` fails when told to."""

    def __init__(self, daemon_up: bool = True) -> None:
        self.commands: list[tuple[list[str], str | None]] = []
        self.daemon_up = daemon_up

    def __call__(self, args: list[str], input: str | None = None, **_: Any) -> Any:
        self.commands.append((args[1:], input))
        code = 0 if (self.daemon_up or args[1] != "info") else 1
        return subprocess.CompletedProcess(args, code, stdout="", stderr="")


def test_without_docker_the_error_says_what_to_install_and_how_to_check(
    lab: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No docker command: BackendUnavailable naming Docker, where to get it, `docker info`."""
    monkeypatch.setattr("ecslab.pipeline.docker.shutil.which", lambda name: None)
    docker = DockerPush(lab.client("ecr"), run=FakeDocker())
    with pytest.raises(BackendUnavailable, match=r"needs Docker.*docs\.docker\.com.*docker info"):
        docker.check()


def test_a_stopped_docker_daemon_says_to_start_it(lab: Any) -> None:
    """docker is installed but its daemon does not answer."""
    docker = DockerPush(lab.client("ecr"), run=FakeDocker(daemon_up=False), docker="docker")
    with pytest.raises(BackendUnavailable, match="start Docker Desktop"):
        docker.check()


def test_login_pipes_the_ecr_token_on_stdin(lab: Any) -> None:
    """docker login --username AWS --password-stdin <registry>, the password never in argv."""
    fake = FakeDocker()
    ecr = lab.client("ecr")
    token = ecr.get_authorization_token()["authorizationData"][0]["authorizationToken"]
    password = base64.b64decode(token).decode().partition(":")[2]

    registry = DockerPush(ecr, run=fake, docker="docker").login()

    args, stdin = fake.commands[-1]
    assert args == ["login", "--username", "AWS", "--password-stdin", registry]
    assert stdin == password and password not in " ".join(args)


def test_build_and_push_use_linux_amd64_and_the_commit_sha(lab: Any) -> None:
    """docker build --platform linux/amd64 --tag <repo>:<sha>, then docker push."""
    ecr = lab.client("ecr")
    ecr.create_repository(repositoryName="ecslab-backend")
    source = Source.example()
    fake = FakeDocker()
    docker = DockerPush(ecr, run=fake, docker="docker")
    uri = f"{lab.account_id}.dkr.ecr.{lab.region}.amazonaws.com/ecslab-backend:{source.sha}"
    # The fake Docker pushes nothing, so put the image where `docker push` would have.
    ecr.put_image(
        repositoryName="ecslab-backend",
        imageManifest='{"schemaVersion": 2, "layers": []}',
        imageManifestMediaType="application/vnd.docker.distribution.manifest.v2+json",
        imageTag=source.sha,
    )

    pushed = docker.build_and_push(source, "backend", "ecslab-backend", lambda line: None)

    commands = [args for args, _ in fake.commands]
    build = next(c for c in commands if c[0] == "build")
    assert build[:5] == ["build", "--platform", "linux/amd64", "--tag", uri]
    assert ["push", uri] in commands
    assert pushed.uri == uri and pushed.digest.startswith("sha256:")


class RealAccountLab:
    """A stand-in for Lab(backend="aws"): the simulated lab's clients, but not simulated."""

    simulated = False

    def __init__(self, lab: Any) -> None:
        self._lab = lab
        self.account_id, self.region = lab.account_id, lab.region

    def client(self, service: str) -> Any:
        return self._lab.client(service)


def test_the_pipeline_on_a_real_account_without_docker_stops_at_the_build_step(
    lab: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run gets as far as the build, then says what is needed instead of failing oddly."""
    from ecslab.pipeline import prepare, run

    prepare(lab, Source.example(), wait=False, out=None)
    monkeypatch.setattr("ecslab.pipeline.docker.shutil.which", lambda name: None)
    lines: list[str] = []
    with pytest.raises(BackendUnavailable, match="needs Docker"):
        run(RealAccountLab(lab), Source.example(), services=["backend"], out=lines.append)
    assert lines[-1] == "▶ Build, tag, and push the image to Amazon ECR"
