"""What a task needs before its containers start: its image, and its secrets.

What AWS does: in PENDING, Fargate pulls each container's image (a tag or digest missing from
ECR stops the task with ``CannotPullContainerError: ... not found`` and stopCode
``TaskFailedToStart``) and fetches every ``secrets`` entry with the task's *execution role*
(``secretsmanager:GetSecretValue`` or ``ssm:GetParameters``). A secret that does not exist, or a
role that may not read it, stops the task with ``ResourceInitializationError: unable to pull
secrets or registry auth: ...``. Resolved values become environment variables of the container.
Sources: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html,
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html,
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-error-codes.html
(the message bodies are as users have reported them from Fargate platform version 1.4).

Differs from AWS: images outside ECR (Docker Hub, say) always pull; KMS permissions are not
checked; a secret whose execution role is missing is reported as access denied.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

_PREFIX = (
    "ResourceInitializationError: unable to pull secrets or registry auth: "
    "execution resource retrieval failed: "
)


class StartFailure(Exception):
    """A task cannot start; the message is AWS's ``stoppedReason``.

    ``pending_seconds``: how long the task stays PENDING in all before it stops, when that is
    longer than the lifecycle's PENDING dwell (a time-out retried for minutes); else ``None``.
    """

    def __init__(self, reason: str, *, pending_seconds: float | None = None) -> None:
        super().__init__(reason)
        self.pending_seconds = pending_seconds


@functools.lru_cache(maxsize=1024)
def ecr_reference(image: str) -> tuple[str, str, str, str | None, str | None] | None:
    """(account, region, repository, tag, digest) of an ECR image, else ``None`` (a task's
    start steps ask it of the same few images again and again)."""
    registry, _, rest = image.partition("/")
    parts = registry.split(".")
    if len(parts) < 6 or parts[1:3] != ["dkr", "ecr"] or not rest:
        return None
    if "@" in rest:
        repository, _, digest = rest.partition("@")
        return parts[0], parts[3], repository, None, digest
    repository, _, tag = rest.rpartition(":") if ":" in rest else (rest, "", "latest")
    return parts[0], parts[3], repository, tag or "latest", None


def image_digest(image: str) -> str | None:
    """The digest ECR holds for ``image``, or ``None`` when it is not an ECR image."""
    reference = ecr_reference(image)
    if reference is None:
        return None
    account, region, repository, tag, digest = reference
    from ecslab.world.moto_adapter import ecr_models

    found = ecr_models.find_image(account, region, repository, tag, digest)
    return None if found is None else found.digest


def check_image(image: str) -> None:
    """Raise :class:`StartFailure` when an ECR image's tag or digest is not in ECR."""
    if ecr_reference(image) is not None and image_digest(image) is None:
        raise StartFailure(
            "CannotPullContainerError: pull image manifest has been retried 1 time(s): "
            f"failed to resolve ref {image}: {image}: not found"
        )


def allowed(account: str, role_arn: str | None, action: str, resource: str) -> bool:
    """Whether the execution role's policies allow ``action`` on ``resource``."""
    if not role_arn:
        return False
    from ecslab.world.moto_adapter import iam_models

    return iam_models.role_allows(account, role_arn, action, resource)


def denied_message(
    account: str, role_arn: str | None, task_id: str, action: str, resource: str
) -> str:
    role = (role_arn or "").split("/")[-1] or "ecsTaskExecutionRole"
    return (
        f"AccessDeniedException: User: arn:aws:sts::{account}:assumed-role/{role}/{task_id} "
        f"is not authorized to perform: {action} on resource: {resource} "
        f"because no identity-based policy allows the {action} action"
    )


def _secret_value(account: str, region: str, value_from: str, role: str | None, task: str) -> str:
    base, _, selector = value_from.partition(":secret:")
    name, *extra = selector.split(":")
    arn = f"{base}:secret:{name}"
    fetch = (
        "unable to retrieve secret from asm: service call has been retried 1 time(s): "
        f"failed to fetch secret {arn} from secrets manager: "
    )
    if not allowed(account, role, "secretsmanager:GetSecretValue", arn):
        raise StartFailure(
            _PREFIX + fetch + "operation error Secrets Manager: GetSecretValue, "
            "https response error StatusCode: 400, api error "
            + denied_message(account, role, task, "secretsmanager:GetSecretValue", arn)
        )
    from ecslab.world.moto_adapter import secretsmanager_models

    value = secretsmanager_models.secret_string(account, region, arn)
    if value is None:
        raise StartFailure(
            _PREFIX
            + fetch
            + "ResourceNotFoundException: Secrets Manager can't find the specified secret."
        )
    key = extra[0] if extra else ""
    if not key:
        return value
    try:
        return str(json.loads(value)[key])
    except (ValueError, KeyError, TypeError):
        raise StartFailure(
            _PREFIX + "unable to retrieve secret from asm: retrieved secret from Secrets "
            f"Manager did not contain json key {key}"
        ) from None


def _parameter_value(
    account: str, region: str, value_from: str, role: str | None, task: str
) -> str:
    fetch = "unable to retrieve secrets from ssm: service call has been retried 1 time(s): "
    if value_from.startswith("arn:") and ":parameter" not in value_from:
        # Neither a Secrets Manager nor a parameter ARN (a typo such as "secretmanager"): ECS
        # asks SSM for it by that name, and SSM has no such parameter.
        raise StartFailure(_PREFIX + fetch + f"invalid ssm parameters: {value_from}")
    if value_from.startswith("arn:"):
        arn = value_from
        name = value_from.split(":parameter", 1)[1]
        name = name if name.startswith("/") and name.count("/") > 1 else name.lstrip("/")
    else:
        name = value_from
        arn = f"arn:aws:ssm:{region}:{account}:parameter/{name.lstrip('/')}"
    if not allowed(account, role, "ssm:GetParameters", arn):
        raise StartFailure(
            _PREFIX
            + fetch
            + denied_message(account, role, task, "ssm:GetParameters", arn)
            + " status code: 400"
        )
    from ecslab.world.moto_adapter import ssm_models

    value = ssm_models.parameter_value(account, region, name)
    if value is None:
        raise StartFailure(_PREFIX + fetch + f"invalid ssm parameters: {name}")
    return value


def resolve(
    account: str,
    region: str,
    container: Mapping[str, Any],
    execution_role_arn: str | None,
    task_id: str,
) -> dict[str, str]:
    """The container's environment: its ``environment`` plus resolved ``secrets``.

    Raises :class:`StartFailure` with AWS's wording when a secret cannot be fetched."""
    environment = {
        str(e.get("name")): str(e.get("value", "")) for e in container.get("environment") or []
    }
    for secret in container.get("secrets") or []:
        value_from = str(secret.get("valueFrom", ""))
        if ":secretsmanager:" in value_from:
            value = _secret_value(account, region, value_from, execution_role_arn, task_id)
        else:
            value = _parameter_value(account, region, value_from, execution_role_arn, task_id)
        environment[str(secret.get("name"))] = value
    return environment
