"""Secrets in task definitions: what RegisterTaskDefinition checks about ``valueFrom``.

What AWS does: a container secret's ``valueFrom`` is "either the full ARN of the Secrets Manager
secret or the full ARN of the parameter in the SSM Parameter Store"; a parameter in the task's
own Region may be named instead of its ARN. A Secrets Manager ARN may end in
``:json-key:version-stage:version-id`` (optional fields, colons kept). At registration AWS
checks only the form: anything that is not an ARN is read as an SSM parameter name, and a name
with characters SSM does not allow (a ``:json-key::`` suffix on a bare secret name, say) is
rejected. Whether the secret exists, the key is in it and the execution role may read it is
found out when a task starts (the task-start behaviour, not here).

Sources: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Secret.html,
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html,
https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html
(parameter names: letters, digits, ``_ . -`` and ``/`` for hierarchies, up to 2048 characters).

Differs from AWS: ``logConfiguration.secretOptions`` is not checked.
"""

from __future__ import annotations

import re

from ecslab.world.moto_hooks import ApiCall, AwsError
from ecslab.world.validation.rules import rule

SOURCE = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Secret.html"

_PARAMETER_NAME = re.compile(r"^[a-zA-Z0-9_.\-/]{1,2048}$")


def names_an_arn(value_from: str) -> bool:
    return value_from.startswith("arn:")


@rule("ecs", "RegisterTaskDefinition", source=SOURCE)
def secret_value_from_is_an_arn_or_parameter_name(call: ApiCall) -> None:
    """A secret's valueFrom is an ARN, or an SSM parameter name SSM allows."""
    # Message from raw API answers quoted in many deployment notes, e.g. "ClientException: The
    # Systems Manager parameter name specified for secret MONGO_URI is invalid" (the trailing
    # period as in the fullest quotes found).
    for container in call.params.get("containerDefinitions") or []:
        for secret in container.get("secrets") or []:
            value_from = str(secret.get("valueFrom") or "")
            if names_an_arn(value_from) or _PARAMETER_NAME.match(value_from):
                continue
            raise AwsError(
                "ClientException",
                f"The Systems Manager parameter name specified for secret {secret.get('name')} "
                "is invalid.",
            )
