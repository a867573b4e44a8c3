"""ECS names and the keys built from them: a cluster, service or task is named by its ARN or by
its short name, and ECS accepts either ("The short name or full Amazon Resource Name (ARN)",
botocore's ECS model, e.g. ``UpdateService.cluster``).
"""

from __future__ import annotations

#: One service, wherever it is kept: (account, region, cluster name, service name).
ServiceKey = tuple[str, str, str, str]


def resource_name(reference: str) -> str:
    """``arn:aws:ecs:us-east-1:123456789012:service/course/api`` → ``api``; a short name stays."""
    return reference.split("/")[-1]


def service_key(account: str, region: str, cluster: str, service: str) -> ServiceKey:
    """The key of one service from its cluster and service, each an ARN or a short name."""
    return (account, region, resource_name(cluster), resource_name(service))
