"""What ``lab.faults``' levers report: one small result type per lever, the same on every backend.

The in-process world returns them as they are; the ecslab server sends their fields as JSON, and
the server backend builds the same type again from the lever's name (:func:`from_fields`), as
``lab.request`` does with :class:`~ecslab.semantics.requests.RequestResult`. They live here, in
no wing, so the server backend needs nothing of the simulated world to read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TaskKilled:
    """``kill_task``: the task whose essential container died, and the exit code it died with."""

    task: str
    exit_code: int


@dataclass(frozen=True)
class HealthChecksFailing:
    """``fail_health_checks``: the service whose app now answers its health path with
    ``answer`` (a status code, or ``"timeout"``)."""

    service: str
    answer: str | int


@dataclass(frozen=True)
class HealthChecksHealed:
    """``heal``: the service whose app answers its health path as it should again."""

    service: str


@dataclass(frozen=True)
class ImageFailurePending:
    """``fail_next_image``: how many image pulls are now set to fail, the next ones to start."""

    pending: int


@dataclass(frozen=True)
class SecretDeleted:
    """``delete_secret``: the secret deleted at once, with no recovery window."""

    secret: str


FaultResult = (
    TaskKilled | HealthChecksFailing | HealthChecksHealed | ImageFailurePending | SecretDeleted
)

#: Each lever's name and the type of what it reports.
RESULTS: dict[str, type[FaultResult]] = {
    "kill_task": TaskKilled,
    "fail_health_checks": HealthChecksFailing,
    "heal": HealthChecksHealed,
    "fail_next_image": ImageFailurePending,
    "delete_secret": SecretDeleted,
}


def from_fields(kind: str, fields: dict[str, Any]) -> FaultResult:
    """The result of lever ``kind`` from its fields (as the server sends them)."""
    return RESULTS[kind](**fields)
