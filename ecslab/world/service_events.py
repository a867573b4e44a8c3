"""Service events in AWS's wording: why the scheduler did what it did.

What AWS does: ``describe_services`` returns the latest 100 ``events`` (newest first), each
``{id, createdAt, message}``; messages begin with ``(service <name>)``. Wording as AWS prints it
(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages.html and
messages users have pasted from real services): "has started 2 tasks: (task a) (task b).",
"registered 1 targets in (target-group <arn>)", "has begun draining connections on 1 tasks.",
"deregistered 1 targets in (target-group <arn>)", "has stopped 1 running tasks: (task a).",
"(deployment ecs-svc/<id>) deployment completed.", "has reached a steady state.".

Differs from AWS: events of one kind at one instant are merged into one message (AWS batches
likewise but its batching rules are not published).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

#: ``Service.events`` keeps the latest 100 (botocore's ECS model).
MAX_EVENTS = 100


def started(service: str, task_ids: list[str]) -> str:
    return f"(service {service}) has started {len(task_ids)} tasks: {_tasks(task_ids)}."


def replaced_unhealthy(count: int) -> str:
    """The suffix of a "has started" event whose tasks replace unhealthy ones (as users report
    it: "... has started 1 tasks: (task <id>). Amazon ECS replaced 1 tasks due to an unhealthy
    status.")."""
    return f" Amazon ECS replaced {count} tasks due to an unhealthy status."


def stopped(service: str, task_ids: list[str]) -> str:
    return f"(service {service}) has stopped {len(task_ids)} running tasks: {_tasks(task_ids)}."


def registered(service: str, count: int, target_group: str) -> str:
    return f"(service {service}) registered {count} targets in (target-group {target_group})"


def deregistered(service: str, count: int, target_group: str) -> str:
    return f"(service {service}) deregistered {count} targets in (target-group {target_group})"


def draining(service: str, count: int) -> str:
    return f"(service {service}) has begun draining connections on {count} tasks."


def steady(service: str) -> str:
    return f"(service {service}) has reached a steady state."


def deployment_completed(service: str, deployment: str) -> str:
    return f"(service {service}) (deployment {deployment}) deployment completed."


def deployment_failed(service: str, deployment: str) -> str:
    return (
        f"(service {service}) (deployment {deployment}) deployment failed: tasks failed to start."
    )


def rolling_back(service: str, deployment: str) -> str:
    return f"(service {service}) rolling back to deployment {deployment}."


def unhealthy(service: str, port: int, target_group: str, reason: str) -> str:
    return (
        f"(service {service}) (port {port}) is unhealthy in (target-group {target_group}) "
        f"due to (reason {reason})."
    )


def stuck(service: str) -> str:
    return (
        f"service ({service}) was unable to stop or start tasks during a deployment because of "
        "the service deployment configuration. Update the minimumHealthyPercent or "
        "maximumPercent value and try again."
    )


def unable_to_place(service: str, reason: str) -> str:
    return f"(service {service}) was unable to place a task. Reason: {reason}."


def failed_container_health_checks(service: str, task_id: str) -> str:
    return f"(service {service}) (task {task_id}) failed container health checks."


def _tasks(task_ids: list[str]) -> str:
    return " ".join(f"(task {task_id})" for task_id in task_ids)


@dataclass
class EventLog:
    """One service's events, newest first, merging same-kind events of the same instant."""

    events: list[dict[str, Any]] = field(default_factory=list)
    _last: tuple[str, str, float] | None = None  # (kind, group key, instant)
    _items: list[Any] = field(default_factory=list)

    def add(
        self,
        kind: str,
        now: float,
        created_at: datetime,
        event_id: str,
        message: str,
        *,
        key: str = "",
        merge: Any = None,
        item: Any = None,
    ) -> None:
        """Log ``message``; with ``merge`` (a function of the merged items), an event of the same
        ``kind`` and ``key`` at the same instant is rewritten to cover ``item`` too."""
        if merge is not None and self.events and self._last == (kind, key, now):
            self._items.append(item)
            self.events[0]["message"] = merge(self._items)
            return
        self._last = (kind, key, now)
        self._items = [item]
        self.events.insert(0, {"id": event_id, "createdAt": created_at, "message": message})
        del self.events[MAX_EVENTS:]

    def messages(self) -> list[str]:
        return [e["message"] for e in self.events]
