"""The network's start steps of a task: each AWS service it needs, reached or timed out.

What AWS does: a task whose network interface has no path to a service it needs at start
retries until it gives up, about four and a half minutes after it entered PENDING, and stops
with stopCode ``TaskFailedToStart`` and the error of the *first* service it could not reach, in
the order Fargate meets them: Secrets Manager / SSM (secrets), ECR's API (registry auth),
CloudWatch Logs (the awslogs driver), the registry (the manifest), then S3 (the layers). The
messages are Fargate's as users have pasted them from ``describe_tasks`` and service events
(platform version 1.4.0, 2025-2026 wording); no AWS page lists them.
Sources: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-error-codes.html,
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/resource-initialization-error.html,
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html

Differs from AWS: the time-out is exactly :data:`TIMEOUT_SECONDS` (users report 4.5 to 4.8
minutes); the dialled address is a fixed one per service; where a pasted message elides its
middle (the SSM one), the world leaves the elided part out.
"""

from __future__ import annotations

from typing import Any

from ecslab.world.network import egress
from ecslab.world.network.traffic import task_interface, topology
from ecslab.world.secrets_injection import StartFailure, ecr_reference

#: Seconds from entering PENDING to the stop, when a service cannot be reached.
TIMEOUT_SECONDS = 270.0
_PREFIX = "ResourceInitializationError: unable to pull secrets or registry auth: "


def _blocked(start: Any, service: str) -> str | None:
    """The address the task dialled in vain, or ``None`` when ``service`` is reachable.

    Kept with the network's picture (so a change to a route, group or endpoint asks again),
    for every task of the same subnet, groups and public IP: over the internet or the S3
    gateway the task's own address plays no part (its groups' outbound rules name the
    service's address, not the task's); through an interface endpoint it does (the endpoint's
    groups may admit some addresses only), so there the key holds it too."""
    record = start.record
    net = topology(start.runtime.world, record.account, record.region)
    task = task_interface(net, record)
    if task is None:
        return None  # no interface: not a network the world models (another network mode)
    own = task.ip if net.endpoint(task.vpc, service) is not None else None
    key = ("blocked", task.subnet, task.groups, task.public, service, own)
    if key not in net.memo:
        verdict, address = egress.path_to(net, task, service)
        net.memo[key] = None if verdict else address
    return net.memo[key]  # type: ignore[no-any-return]


def _fail(message: str) -> StartFailure:
    return StartFailure(message, pending_seconds=TIMEOUT_SECONDS)


def _images(start: Any) -> list[str]:
    return [str(c.get("image", "")) for c in start.definition.container_definitions or []]


def reach_secrets(start: Any) -> None:
    """Secrets Manager and SSM, for a container with ``secrets``."""
    for secret in start.container.get("secrets") or []:
        value_from = str(secret.get("valueFrom", ""))
        if ":secretsmanager:" in value_from:
            if _blocked(start, "secretsmanager") is None:
                continue
            raise _fail(
                _PREFIX + "unable to retrieve secret from asm: There is a connection issue "
                "between the task and AWS Secrets Manager. Check your task network "
                f"configuration. failed to fetch secret {value_from} from secrets manager: "
                "operation error Secrets Manager: GetSecretValue, https response error "
                "StatusCode: 0, RequestID: , canceled, context deadline exceeded"
            )
        elif _blocked(start, "ssm") is not None:
            raise _fail(
                _PREFIX + "unable to retrieve secrets from ssm: The task cannot pull secrets "
                "from AWS Systems Manager. There is a connection issue between the task and "
                "AWS Systems Manager Parameter Store. Check your task network configuration. "
                "operation error SSM: GetParameters, https response error StatusCode: 0, "
                "RequestID: , canceled, context deadline exceeded"
            )


def reach_registry_auth(start: Any) -> None:
    """ECR's API (GetAuthorizationToken), for an image in ECR."""
    if not any(ecr_reference(image) for image in _images(start)):
        return
    address = _blocked(start, "ecr.api")
    if address is not None:
        region = start.record.region
        raise _fail(
            _PREFIX + "The task cannot pull registry auth from Amazon ECR: There is a "
            "connection issue between the task and Amazon ECR. Check your task network "
            "configuration. operation error ECR: GetAuthorizationToken, exceeded maximum "
            "number of attempts, 3, https response error StatusCode: 0, RequestID: , request "
            f'send failed, Post "https://api.ecr.{region}.amazonaws.com/": dial tcp '
            f"{address}:443: i/o timeout"
        )


def reach_logs(start: Any) -> None:
    """CloudWatch Logs, for the awslogs driver."""
    config = start.container.get("logConfiguration") or {}
    if config.get("logDriver") != "awslogs":
        return
    if _blocked(start, "logs") is not None:
        raise _fail(
            "ResourceInitializationError: failed to validate logger args: The task cannot "
            "find the Amazon CloudWatch log group defined in the task definition. There is a "
            "connection issue between the task and Amazon CloudWatch. Check your network "
            "configuration. : signal: killed"
        )


def _manifest_url(image: str) -> tuple[str, str]:
    """The registry's manifest URL for ``image`` and the service that serves it."""
    reference = ecr_reference(image)
    if reference is not None:
        registry, _, rest = image.partition("/")
        name, _, tag = rest.partition("@") if "@" in rest else rest.rpartition(":")
        return f"https://{registry}/v2/{name or rest}/manifests/{tag or 'latest'}", "ecr.dkr"
    name, _, tag = image.rpartition(":") if ":" in image.split("/")[-1] else (image, "", "latest")
    if "/" not in name:
        name = f"library/{name}"
    return f"https://registry-1.docker.io/v2/{name}/manifests/{tag}", "docker.io"


def reach_registry(start: Any) -> None:
    """The registry that serves each image's manifest (ECR's, or Docker Hub over the internet)."""
    for image in _images(start):
        url, service = _manifest_url(image)
        address = _blocked(start, service)
        if address is not None:
            raise _fail(
                "CannotPullContainerError: pull image manifest has been retried 5 time(s): "
                f'failed to resolve ref {image}: failed to do request: Head "{url}": dial tcp '
                f"{address}:443: i/o timeout"
            )


def reach_layers(start: Any) -> None:
    """S3, where ECR keeps the image layers."""
    for image in _images(start):
        if ecr_reference(image) is None:
            continue
        address = _blocked(start, "s3")
        if address is not None:
            raise _fail(
                f"CannotPullContainerError: The task cannot pull {image} from the registry "
                f"{image}. There is a connection issue between the task and the registry. "
                "Check your task network configuration. : failed to copy: httpReadSeeker: "
                f"failed open: failed to do request: Get {image}: dial tcp {address}:443: "
                "i/o timeout"
            )
