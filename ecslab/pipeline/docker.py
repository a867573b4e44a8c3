"""Build and push with the local Docker, for a real account.

The same commands the workflow runs on GitHub's runner: log in to ECR with a token from
GetAuthorizationToken (user ``AWS``, the password piped on stdin, never on the command line:
https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry_auth.html), ``docker build
--platform linux/amd64`` (Fargate's default architecture), ``docker push``; then ECR says the
image's digest (DescribeImages). Without Docker, it says what to install and how to check it.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ecslab import pyodide_platform
from ecslab.errors import BackendUnavailable
from ecslab.pipeline.registry import PushedImage
from ecslab.pipeline.source import Source

Runner = Callable[..., subprocess.CompletedProcess]

NO_DOCKER = (
    "Building and pushing an image for a real AWS account needs Docker, and there is no `docker` "
    "command on this machine. Install Docker Desktop (https://docs.docker.com/get-docker/) or "
    "Docker Engine, start it, check it with `docker info`, then run this again. (To rehearse "
    "without Docker, use the simulated lab: ecslab.Lab().)"
)
DOCKER_NOT_RUNNING = (
    "The `docker` command is here but the Docker daemon does not answer: start Docker Desktop "
    "(or `sudo systemctl start docker`), check it with `docker info`, then run this again."
)


class DockerPush:
    """``docker login`` / ``build`` / ``push`` against the lab's ECR."""

    def __init__(self, ecr: Any, run: Runner = subprocess.run, docker: str | None = None) -> None:
        self.ecr = ecr
        self._run = run
        self._docker = shutil.which("docker") if docker is None else docker

    def check(self) -> str:
        """The docker command, once Docker answers; else :class:`BackendUnavailable` with
        the next step."""
        pyodide_platform.refuse_in_browser("Docker (a subprocess)")
        if not self._docker:
            raise BackendUnavailable(NO_DOCKER)
        if self._command(["info", "--format", "{{.ServerVersion}}"]).returncode != 0:
            raise BackendUnavailable(DOCKER_NOT_RUNNING)
        return self._docker

    def login(self) -> str:
        """Log the local Docker in to ECR; returns the registry's host."""
        data = self.ecr.get_authorization_token()["authorizationData"][0]
        user, _, password = base64.b64decode(data["authorizationToken"]).decode().partition(":")
        registry = data["proxyEndpoint"].removeprefix("https://")
        done = self._command(
            ["login", "--username", user, "--password-stdin", registry], input=password
        )
        if done.returncode != 0:
            raise BackendUnavailable(f"docker login to {registry} failed: {done.stderr.strip()}")
        return registry

    def build_and_push(
        self, source: Source, service: str, repository: str, log: Callable[[str], None]
    ) -> PushedImage:
        self.check()
        self.login()
        uri = self.ecr.describe_repositories(repositoryNames=[repository])["repositories"][0][
            "repositoryUri"
        ]
        tag = source.sha
        with tempfile.TemporaryDirectory(prefix="ecslab-build-") as folder:
            for path, data in source.folder(service).items():
                target = Path(folder) / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            self._checked(["build", "--platform", "linux/amd64", "--tag", f"{uri}:{tag}", folder])
        log(f"  built {uri}:{tag}")
        self._checked(["push", f"{uri}:{tag}"])
        described = self.ecr.describe_images(
            repositoryName=repository, imageIds=[{"imageTag": tag}]
        )
        digest = described["imageDetails"][0]["imageDigest"]
        log(f"  pushed {uri}:{tag}, digest {digest[:19]}")
        return PushedImage(uri, tag, digest, uploaded_blobs=0)

    def _command(self, args: Sequence[str], input: str | None = None) -> Any:
        return self._run(
            [self._docker, *args], input=input, capture_output=True, text=True, check=False
        )

    def _checked(self, args: Sequence[str]) -> None:
        done = self._command(args)
        if done.returncode != 0:
            raise BackendUnavailable(f"`docker {args[0]}` failed:\n{done.stderr.strip()}")
