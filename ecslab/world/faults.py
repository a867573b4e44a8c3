"""Faults for lessons: break things on purpose and watch ECS and the load balancer react.

``lab.faults`` offers the few breakages AWS has no API for (a container dying, an app that stops
answering its health path, an image that will not pull); what AWS can do itself stays plain
boto3 (``ecs.stop_task``, ``secretsmanager.delete_secret``), and ``delete_secret`` here is only
a shortcut for the latter.

Differs from AWS: these are the world's own levers; real AWS only shows their consequences.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from ecslab.errors import NoRunningTask, UnknownFault
from ecslab.semantics.arns import ServiceKey, resource_name
from ecslab.semantics.fault_results import (
    FaultResult,
    HealthChecksFailing,
    HealthChecksHealed,
    ImageFailurePending,
    SecretDeleted,
    TaskKilled,
)
from ecslab.world import targets
from ecslab.world.lifecycle import TaskRecord

if TYPE_CHECKING:
    from ecslab.world.runtime import Runtime

_Result = TypeVar("_Result", bound=FaultResult)

#: A container killed with SIGKILL exits with 128 + 9.
KILLED_EXIT_CODE = 137


@dataclass
class FaultState:
    """The faults in force in one world (every account in it)."""

    health: dict[ServiceKey, str | int] = field(default_factory=dict)
    image_failures: list[tuple[str, str, str | None, str | None]] = field(default_factory=list)

    def health_answer(self, record: TaskRecord) -> str | int | None:
        """A forced health-check answer for the task's service: a status code or "timeout"."""
        if not record.service:
            return None
        return self.health.get((record.account, record.region, record.cluster, record.service))

    def take_image_failure(self, record: TaskRecord) -> str | None:
        """The pull error for the next task that matches a pending image fault (used once)."""
        for index, (account, region, cluster, service) in enumerate(self.image_failures):
            if (account, region) != (record.account, record.region):
                continue
            if cluster not in (None, record.cluster) or service not in (None, record.service):
                continue
            del self.image_failures[index]
            image = record.image
            return (
                "CannotPullContainerError: pull image manifest has been retried 1 time(s): "
                f"failed to resolve ref {image}: {image}: not found"
            )
        return None


def apply(
    runtime: Runtime, account: str, region: str, kind: str, args: dict[str, Any]
) -> FaultResult:
    """Apply one fault in ``account``/``region``; what the control route and the lab call.

    Raises :class:`~ecslab.errors.NoRunningTask` for a task that is not running here and
    :class:`~ecslab.errors.UnknownFault` for a lever that does not exist."""
    cluster = resource_name(str(args.get("cluster") or "default"))
    service = args.get("service")
    service = resource_name(str(service)) if service else None
    state: FaultState = runtime.faults
    if kind == "kill_task":
        wanted = resource_name(str(args["task"]))
        record = next(
            (
                r
                for r in runtime.tasks.values()
                if r.id == wanted and (r.account, r.region) == (account, region)
            ),
            None,
        )
        if record is None or not record.live:
            raise NoRunningTask(f"No running task {wanted} in this account.")
        runtime.exited(record, KILLED_EXIT_CODE)
        runtime.reconcile()
        return TaskKilled(record.arn, KILLED_EXIT_CODE)
    if kind == "fail_health_checks":
        answer: str | int = "timeout" if args.get("timeout") else int(args.get("status") or 500)
        state.health[(account, region, cluster, str(service))] = answer
        targets.rearm(runtime)
        return HealthChecksFailing(str(service), answer)
    if kind == "heal":
        state.health.pop((account, region, cluster, str(service)), None)
        targets.rearm(runtime)
        return HealthChecksHealed(str(service))
    if kind == "fail_next_image":
        state.image_failures.append(
            (account, region, cluster if args.get("cluster") else None, service)
        )
        return ImageFailurePending(len(state.image_failures))
    if kind == "delete_secret":
        from ecslab.world.moto_adapter import secretsmanager_models

        secret = str(args["secret"])
        secretsmanager_models.delete_secret_at_once(account, region, secret)
        return SecretDeleted(secret)
    raise UnknownFault(
        f"Unknown fault {kind!r}: lab.faults offers kill_task, fail_health_checks, heal, "
        "fail_next_image and delete_secret."
    )


class Faults:
    """``lab.faults``: the breakages a lesson can cause on the simulated backends.

    Each lever reports what it did as a small typed result (:mod:`ecslab.semantics.fault_results`);
    ``send`` is the backend's ``fault``, which returns it on every simulated backend."""

    def __init__(self, send: Callable[[str, dict[str, Any]], FaultResult]) -> None:
        self._send = send

    def __repr__(self) -> str:
        return "<Faults: kill_task, fail_health_checks, heal, fail_next_image, delete_secret>"

    def kill_task(self, task: str, cluster: str = "default") -> TaskKilled:
        """The task's essential container dies (exit code 137); its service replaces it."""
        return self._lever(TaskKilled, "kill_task", {"task": task, "cluster": cluster})

    def fail_health_checks(
        self, service: str, cluster: str = "default", *, status: int = 500, timeout: bool = False
    ) -> HealthChecksFailing:
        """The service's app answers its health path with ``status`` (or not at all)."""
        return self._lever(
            HealthChecksFailing,
            "fail_health_checks",
            {"service": service, "cluster": cluster, "status": status, "timeout": timeout},
        )

    def heal(self, service: str, cluster: str = "default") -> HealthChecksHealed:
        """Undo :meth:`fail_health_checks`."""
        return self._lever(HealthChecksHealed, "heal", {"service": service, "cluster": cluster})

    def fail_next_image(
        self, service: str | None = None, cluster: str | None = None
    ) -> ImageFailurePending:
        """The next task to start (of ``service``, if given) cannot pull its image."""
        return self._lever(
            ImageFailurePending, "fail_next_image", {"service": service, "cluster": cluster}
        )

    def delete_secret(self, secret: str) -> SecretDeleted:
        """Delete a Secrets Manager secret at once (as ``ForceDeleteWithoutRecovery=True``)."""
        return self._lever(SecretDeleted, "delete_secret", {"secret": secret})

    def _lever(self, kind: type[_Result], name: str, args: dict[str, Any]) -> _Result:
        result = self._send(name, args)
        assert isinstance(result, kind), result  # each lever's one result type
        return result
