"""``ecslab aws-env``: the learner's own tools land in the learner's account on the server."""

from __future__ import annotations

import os
import subprocess
import sys

from server_fixture import running_server

from ecslab.lab import Lab


def test_the_printed_variables_reach_the_learners_account() -> None:
    with running_server() as url:
        with Lab(backend="server", endpoint_url=url, learner="Ada Lovelace") as lab:
            lab.client("ecs").create_cluster(clusterName="adas")
        command = [sys.executable, "-m", "ecslab.cli", "aws-env", "--room", url]
        printed = subprocess.run(
            [*command, "--learner", "Ada Lovelace"], capture_output=True, text=True, check=True
        ).stdout
        exports = dict(line.removeprefix("export ").split("=", 1) for line in printed.splitlines())
        assert exports["AWS_ENDPOINT_URL"] == url
        environment = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        listed = subprocess.run(
            [sys.executable, "-c", "import boto3; print(boto3.client('ecs').list_clusters())"],
            env=environment | exports,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "cluster/adas" in listed
        windows = subprocess.run(
            [*command, "--learner", "Ada Lovelace", "--powershell"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert f'$env:AWS_ENDPOINT_URL="{url}"' in windows.splitlines()
