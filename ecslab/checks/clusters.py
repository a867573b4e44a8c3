"""Checks on clusters and one-off tasks (lessons 00 and 02), through the lab's ``ecs`` client.

AWS: DescribeClusters answers a missing cluster in ``failures`` (reason ``MISSING``), not with an
error; a task's ``lastStatus`` is RUNNING once it runs, and a Fargate task's network interface is
described in its ``attachments`` (``subnetId``, ``privateIPv4Address``) — botocore's ``ecs``
model; https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTasks.html
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ecslab.checks.result import CheckResult, recorded
from ecslab.semantics.arns import resource_name


def cluster(lab: Any, name: str, *, lesson: str = "00_big_picture") -> CheckResult:
    """An ECS cluster called ``name`` exists and is ACTIVE."""
    ecs = lab.client("ecs")
    title = f"ECS cluster '{name}'"
    where = f"ecs.describe_clusters(clusters=[{name!r}])"
    found = [
        c for c in ecs.describe_clusters(clusters=[name])["clusters"] if c["status"] == "ACTIVE"
    ]
    if found:
        result = CheckResult(title, True, found=(f"it exists: {found[0]['clusterArn']}",))
    else:
        names = sorted(resource_name(arn) for arn in ecs.list_clusters()["clusterArns"])
        missing = f"There is no active cluster named '{name}'."
        missing += f" The clusters there: {', '.join(names)}." if names else " There are none yet."
        missing += f" Create it with ecs.create_cluster(clusterName={name!r})."
        result = CheckResult(title, False, missing=(missing,), where=where)
    return recorded(result, lesson, f"cluster {name}")


def running_task(
    lab: Any,
    cluster_name: str,
    family: str,
    *,
    subnet: str | None = None,
    lesson: str = "02_ecs_fargate",
) -> CheckResult:
    """A task of ``family`` runs in ``cluster_name`` (in ``subnet``, when one is named)."""
    ecs = lab.client("ecs")
    title = f"A running '{family}' task in cluster '{cluster_name}'" + (
        f" in subnet {subnet}" if subnet else ""
    )
    where = f"ecs.list_tasks(cluster={cluster_name!r}) and ecs.describe_tasks(...)"
    try:
        arns = ecs.list_tasks(cluster=cluster_name, family=family)["taskArns"]
    except ClientError as error:  # ClusterNotFoundException: ListTasks on a missing cluster
        missing = (
            f"{error.response['Error']['Message']} Create the cluster first with "
            f"ecs.create_cluster(clusterName={cluster_name!r})."
        )
        return recorded(CheckResult(title, False, missing=(missing,), where=where), lesson, title)
    tasks = ecs.describe_tasks(cluster=cluster_name, tasks=arns)["tasks"] if arns else []
    running = [t for t in tasks if t["lastStatus"] == "RUNNING"]
    if not running:
        states = sorted({t["lastStatus"] for t in tasks})
        missing = f"No task of family '{family}' is RUNNING" + (
            f" (tasks seen: {', '.join(states)}; give it time with lab.advance(60))."
            if states
            else f". Start one with ecs.run_task(cluster={cluster_name!r}, "
            f"taskDefinition={family!r}, ...)."
        )
        return recorded(CheckResult(title, False, missing=(missing,), where=where), lesson, title)
    found = [f"{len(running)} running"]
    if subnet:
        placed = [t for t in running if _subnet(t) == subnet]
        if not placed:
            seen = ", ".join(sorted({str(_subnet(t)) for t in running}))
            missing = (
                f"The running tasks are in {seen}, not in {subnet}: name it in "
                "networkConfiguration={'awsvpcConfiguration': {'subnets': [...]}}."
            )
            return recorded(
                CheckResult(title, False, tuple(found), (missing,), where), lesson, title
            )
        found.append(f"in subnet {subnet}")
    return recorded(CheckResult(title, True, tuple(found)), lesson, title)


def _subnet(task: dict[str, Any]) -> str | None:
    for attachment in task.get("attachments", []):
        for detail in attachment.get("details", []):
            if detail.get("name") == "subnetId":
                return str(detail.get("value"))
    return None
