"""``ecslab aws-env --room URL --learner NAME``: point one's own AWS tools at ecslab server.

The AWS CLI, the SDKs and tools built on them (fabfuel's ``ecs-deploy``, shell scripts) find the
endpoint, region and key in the environment (``AWS_ENDPOINT_URL``, ``AWS_DEFAULT_REGION``,
``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``). ecslab server answers only the keys it handed
out, one per learner; this asks the server for the learner's (the same every time, so it is the
account the learner's notebooks use) and prints the lines a shell evaluates::

    eval "$(ecslab aws-env --room http://127.0.0.1:5000 --learner 'Ada Lovelace')"
"""

from __future__ import annotations

import argparse
import json
import urllib.error
import urllib.request

from ecslab.errors import ConfigurationError

VARIABLES = ("AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--room", required=True, help="the server's address, http://HOST:PORT")
    parser.add_argument("--learner", required=True, help="your name, as your notebooks use it")
    parser.add_argument("--region", default="us-east-1", help="region (default: %(default)s)")
    parser.add_argument(
        "--powershell", action="store_true", help='print $env:NAME="value" lines for PowerShell'
    )


def settings(room: str, learner: str, region: str) -> dict[str, str]:
    """The four variables for ``learner`` on the server at ``room``."""
    room = room.rstrip("/")
    request = urllib.request.Request(
        f"{room}/_ecslab/learner",
        data=json.dumps({"learner": learner}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            found = json.loads(answer.read())
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise ConfigurationError(
            f"No ecslab server answered at {room} ({error}). Start one with: ecslab server"
        ) from error
    return dict(
        zip(VARIABLES, (room, region, str(found["key_id"]), str(found["secret"])), strict=True)
    )


def run(args: argparse.Namespace) -> int:
    for name, value in settings(args.room, args.learner, args.region).items():
        print(f'$env:{name}="{value}"' if args.powershell else f"export {name}={value}")
    return 0
