"""The variables that point one's own AWS tools at ecslab server, for one learner.

The AWS CLI, the SDKs and tools built on them (fabfuel's ``ecs-deploy``, shell scripts) find the
endpoint, region and key in the environment (``AWS_ENDPOINT_URL``, ``AWS_DEFAULT_REGION``,
``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``). ecslab server answers only the keys it handed
out, one per learner; :func:`settings` asks the server for the learner's (the same every time,
so it is the account the learner's notebooks use), and ``ecslab aws-env``
(:mod:`ecslab.cli.aws_env_cli`) prints them as the lines a shell evaluates::

    eval "$(ecslab aws-env --room http://127.0.0.1:5000 --learner 'Ada Lovelace')"
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from ecslab.errors import ConfigurationError

VARIABLES = ("AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")


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
