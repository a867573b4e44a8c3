"""``ListServiceDeployments`` and ``DescribeServiceDeployments``: each deployment of a service.

What AWS does: every deployment of a service (its creation, a new task definition, a forced new
deployment) is a *service deployment* with an ARN ``service-deployment/<cluster>/<service>/<id>``
that moves from the service revisions it replaces (``sourceServiceRevisions``) to one target
revision. Its ``status`` is ``IN_PROGRESS`` until the rollout completes (``SUCCESSFUL``), a newer
deployment or a deletion stops it (``STOPPED``), or the circuit breaker fails it: with rollback
``ROLLBACK_IN_PROGRESS`` then ``ROLLBACK_SUCCESSFUL``, without it ``STOPPED``. The service shows
its latest as ``currentServiceDeployment``. Unknown ARNs come back as ``failures`` with reason
``MISSING``. Sources: botocore's ECS model (``ServiceDeployment``, ``ServiceDeploymentStatus``,
``ListServiceDeployments``, ``DescribeServiceDeployments``) and
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-deployment.html

Differs from AWS: the list is newest first (AWS does not document an order); service revisions
are summarised inside these answers (``DescribeServiceRevisions`` is not simulated); the
deployment IDs come from the world's deployments, not from a separate draw.
"""

from __future__ import annotations

import hashlib
import string
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ecslab.world.deployments import COMPLETED, FAILED, PRIMARY, Deployment, ServiceRecord
from ecslab.world.moto_hooks import AwsError

if TYPE_CHECKING:
    from ecslab.world.runtime import Runtime

IN_PROGRESS, SUCCESSFUL, STOPPED = "IN_PROGRESS", "SUCCESSFUL", "STOPPED"
ROLLBACK_IN_PROGRESS, ROLLBACK_SUCCESSFUL = "ROLLBACK_IN_PROGRESS", "ROLLBACK_SUCCESSFUL"
_FINAL = frozenset({SUCCESSFUL, STOPPED, ROLLBACK_SUCCESSFUL})
_ALPHABET = string.ascii_letters + string.digits


@dataclass
class ServiceDeploymentRecord:
    """One service deployment: the world's :class:`Deployment` it follows, and its own status."""

    arn: str
    deployment: Deployment
    sources: list[Deployment]
    created_at: float
    status: str = IN_PROGRESS
    status_reason: str | None = None
    updated_at: float = 0.0
    finished_at: float | None = None
    stopped_at: float | None = None
    rollback_to: Deployment | None = None
    rollback_at: float | None = None
    breaker_threshold: int = 0
    settings: dict[str, Any] = field(default_factory=dict)


def _short_id(seed: str) -> str:
    digest = int(hashlib.sha256(seed.encode()).hexdigest(), 16)
    chars = []
    for _ in range(21):
        digest, index = divmod(digest, len(_ALPHABET))
        chars.append(_ALPHABET[index])
    return "".join(chars)


def _arn_prefix(service: ServiceRecord, kind: str) -> str:
    return (
        f"arn:aws:ecs:{service.region}:{service.account}:{kind}/{service.cluster}/{service.name}/"
    )


def revision_arn(service: ServiceRecord, deployment: Deployment) -> str:
    """A service revision's ARN: AWS's are 19 digits, as the deployment's own ID."""
    return _arn_prefix(service, "service-revision") + deployment.id.split("/")[-1]


def started(service: ServiceRecord, deployment: Deployment, now: float) -> None:
    """Record a new service deployment towards ``deployment``; the older ones are its sources."""
    sources = [d for d in service.deployments if d is not deployment]
    for earlier in service.service_deployments:
        if earlier.status == IN_PROGRESS:
            earlier.status, earlier.stopped_at, earlier.updated_at = STOPPED, now, now
            earlier.status_reason = "A newer service deployment started."
    service.service_deployments.append(
        ServiceDeploymentRecord(
            arn=_arn_prefix(service, "service-deployment") + _short_id(service.arn + deployment.id),
            deployment=deployment,
            sources=sources,
            created_at=now,
            updated_at=now,
            breaker_threshold=service.failure_threshold(),
            settings={
                "maximumPercent": service.maximum_percent,
                "minimumHealthyPercent": service.minimum_percent,
                "deploymentCircuitBreaker": {
                    "enable": service.circuit_breaker,
                    "rollback": service.rollback,
                    **service.breaker_options,
                },
            },
        )
    )


def refresh(service: ServiceRecord, now: float) -> None:
    """Bring each unfinished service deployment's status up to date with its deployment."""
    for record in service.service_deployments:
        if record.status in _FINAL:
            continue
        before = record.status
        deployment = record.deployment
        if service.deleted:
            record.status, record.stopped_at = STOPPED, now
            record.status_reason = "The service was deleted."
        elif deployment.rollout_state == FAILED and record.status == IN_PROGRESS:
            target = service.primary if service.primary is not deployment else None
            if target is not None:
                record.status, record.rollback_to, record.rollback_at = (
                    ROLLBACK_IN_PROGRESS,
                    target,
                    now,
                )
            else:
                record.status, record.stopped_at = STOPPED, now
            record.status_reason = deployment.rollout_state_reason
        elif record.status == ROLLBACK_IN_PROGRESS:
            target = record.rollback_to
            if target is not None and target.rollout_state == COMPLETED:
                record.status, record.finished_at = ROLLBACK_SUCCESSFUL, now
        elif deployment.rollout_state == COMPLETED and deployment.status == PRIMARY:
            record.status, record.finished_at = SUCCESSFUL, now
            record.status_reason = None
        if record.status != before:
            record.updated_at = now


def current(service: ServiceRecord) -> str | None:
    return service.service_deployments[-1].arn if service.service_deployments else None


def _counts(runtime: Runtime, service: ServiceRecord, deployment: Deployment) -> dict[str, int]:
    key = (service.account, service.region, service.cluster, service.name)
    tasks = [runtime.tasks[a] for a in runtime.service_tasks.get(key, []) if a in runtime.tasks]
    mine = [t for t in tasks if t.deployment_id == deployment.id and t.live]
    return {
        "requestedTaskCount": service.desired_count if deployment is service.primary else 0,
        "runningTaskCount": sum(t.state == "RUNNING" for t in mine),
        "pendingTaskCount": sum(t.state != "RUNNING" for t in mine),
    }


def _cluster_arn(service: ServiceRecord) -> str:
    return f"arn:aws:ecs:{service.region}:{service.account}:cluster/{service.cluster}"


def _brief(runtime: Runtime, service: ServiceRecord, record: ServiceDeploymentRecord) -> dict:
    answer = {
        "serviceDeploymentArn": record.arn,
        "serviceArn": service.arn,
        "clusterArn": _cluster_arn(service),
        "createdAt": runtime.when(record.created_at),
        "startedAt": runtime.when(record.created_at),
        "finishedAt": runtime.when(record.finished_at),
        "targetServiceRevisionArn": revision_arn(service, record.deployment),
        "status": record.status,
        "statusReason": record.status_reason,
    }
    return {k: v for k, v in answer.items() if v is not None}


def _full(runtime: Runtime, service: ServiceRecord, record: ServiceDeploymentRecord) -> dict:
    answer = _brief(runtime, service, record)
    answer.pop("targetServiceRevisionArn")
    deployment = record.deployment
    breaker = record.settings["deploymentCircuitBreaker"]
    answer |= {
        "updatedAt": runtime.when(record.updated_at),
        "sourceServiceRevisions": [
            {"arn": revision_arn(service, d)} | _counts(runtime, service, d) for d in record.sources
        ],
        "targetServiceRevision": {"arn": revision_arn(service, deployment)}
        | _counts(runtime, service, deployment),
        "deploymentConfiguration": record.settings,
        "deploymentCircuitBreaker": {
            "status": (
                "DISABLED"
                if not breaker["enable"]
                else "TRIGGERED"
                if deployment.rollout_state == FAILED
                else "MONITORING"
            ),
            "failureCount": deployment.failed_tasks,
            "threshold": record.breaker_threshold,
        },
    }
    if record.stopped_at is not None:
        answer["stoppedAt"] = runtime.when(record.stopped_at)
    if record.rollback_to is not None:
        answer["rollback"] = {
            "reason": record.status_reason,
            "startedAt": runtime.when(record.rollback_at),
            "serviceRevisionArn": revision_arn(service, record.rollback_to),
        }
    return answer


def _services_of(runtime: Runtime, account: str, region: str) -> list[ServiceRecord]:
    return [s for s in runtime.service_history if (s.account, s.region) == (account, region)]


def answer(runtime: Runtime, call: Any) -> dict[str, Any] | None:
    """The answer to a ListServiceDeployments or DescribeServiceDeployments call, else None."""
    params = call.params
    if call.action == "ListServiceDeployments":
        cluster = str(params.get("cluster") or "default").split("/")[-1]
        name = str(params.get("service") or "").split("/")[-1]
        service = next(
            (
                s
                for s in reversed(_services_of(runtime, call.account, call.region))
                if (s.cluster, s.name) == (cluster, name)
            ),
            None,
        )
        if service is None:
            raise AwsError("ServiceNotFoundException", "Service not found.")
        wanted = set(params.get("status") or [])
        records = [
            r for r in reversed(service.service_deployments) if not wanted or r.status in wanted
        ]
        return {"serviceDeployments": [_brief(runtime, service, r) for r in records]}
    if call.action == "DescribeServiceDeployments":
        found, failures = [], []
        index = {
            r.arn: (s, r)
            for s in _services_of(runtime, call.account, call.region)
            for r in s.service_deployments
        }
        for arn in params.get("serviceDeploymentArns") or []:
            if arn in index:
                found.append(_full(runtime, *index[arn]))
            else:
                failures.append({"arn": arn, "reason": "MISSING"})
        return {"serviceDeployments": found, "failures": failures}
    return None
