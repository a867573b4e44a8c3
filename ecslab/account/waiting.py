"""Wait until an ECS service is stable, polling DescribeServices as boto3's waiter does.

Stable is botocore's ``ServicesStable`` waiter condition (``ecs/2014-11-13/waiters-2.json``):
one deployment and ``runningCount == desiredCount``; ``MISSING`` in ``failures`` or a service
``DRAINING``/``INACTIVE`` ends the wait as a failure; it polls every 15 s. The difference from
the waiter: each poll moves a progress bar, prints the service events that are new since the last
poll (oldest first), and an interrupt prints where the deployment stands. Time comes through
``sleep`` and ``clock`` seams, so the same loop runs on real time (AWS) and on a simulated clock.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any

from ecslab.account.progress import WaitProgress, interrupted_report
from ecslab.errors import EcslabError

POLL_SECONDS = 15.0  # the ServicesStable waiter's delay


class ServiceNotStable(EcslabError, TimeoutError):
    """A service did not become stable in time, or went away while being waited for."""


def is_stable(service: dict[str, Any]) -> bool:
    """The ServicesStable success condition for one service."""
    return (
        len(service.get("deployments", [])) == 1
        and service.get("runningCount") == service.get("desiredCount")
    )


def describe_state(service: dict[str, Any]) -> str:
    """``"2/2 running, 1 deployment (PRIMARY COMPLETED)"``."""
    deployments = service.get("deployments", [])
    kinds = ", ".join(
        f"{d.get('status')} {d['rolloutState']}" if d.get("rolloutState") else str(d.get("status"))
        for d in deployments
    )
    plural = "" if len(deployments) == 1 else "s"
    return (
        f"{service.get('runningCount', 0)}/{service.get('desiredCount', 0)} running, "
        f"{len(deployments)} deployment{plural} ({kinds})"
    )


def wait_until_stable(
    ecs: Any,
    cluster: str,
    service: str,
    timeout: float = 600.0,
    *,
    sleep: Callable[[float], None],
    clock: Callable[[], float],
    interval: float | None = None,
    progress: bool = True,
    file: IO[str] | None = None,
) -> dict[str, Any]:
    """Poll until ``service`` is stable; return its last description. See the module docstring.

    ``interval`` defaults to :data:`POLL_SECONDS`, read at call time.
    """
    interval = POLL_SECONDS if interval is None else interval
    start = clock()
    seen: set[str] = set()
    current: dict[str, Any] = {}
    with WaitProgress(
        f"Waiting for service {service} to become stable", timeout, file=file, enabled=progress
    ) as bar:
        try:
            while True:
                current = _describe(ecs, cluster, service)
                elapsed = clock() - start
                new_events = [e for e in current.get("events", []) if e.get("id") not in seen]
                for event in reversed(new_events):  # AWS lists the newest first
                    seen.add(event.get("id", ""))
                    bar.event(f"{_when(event)}{event.get('message', '')}")
                events = current.get("events") or [{}]
                latest = events[0].get("message", "")
                bar.update(elapsed, describe_state(current) + (f" | {latest}" if latest else ""))
                if is_stable(current):
                    return current
                if elapsed >= timeout:
                    raise ServiceNotStable(
                        f"Service {service} is not stable after {elapsed:.0f} s: "
                        f"{describe_state(current)}. Read its events: "
                        f"ecs.describe_services(cluster={cluster!r}, services=[{service!r}])"
                    )
                sleep(interval)
        except KeyboardInterrupt:
            print(_interrupted(service, cluster, current))
            raise


def _describe(ecs: Any, cluster: str, service: str) -> dict[str, Any]:
    answer = ecs.describe_services(cluster=cluster, services=[service])
    if any(f.get("reason") == "MISSING" for f in answer.get("failures", [])):
        raise ServiceNotStable(f"Service {service} does not exist in cluster {cluster}.")
    found = answer["services"][0]
    if found.get("status") in {"DRAINING", "INACTIVE"}:
        raise ServiceNotStable(
            f"Service {service} is {found['status']}: it is being deleted, so it will not "
            "become stable."
        )
    return found


def _when(event: dict[str, Any]) -> str:
    created = event.get("createdAt")
    return f"{created:%H:%M:%S} " if hasattr(created, "strftime") else ""


def _interrupted(service: str, cluster: str, current: dict[str, Any]) -> str:
    done, not_done = [], []
    if current:
        running, desired = current.get("runningCount", 0), current.get("desiredCount", 0)
        (done if running == desired else not_done).append(
            f"{running} of {desired} desired tasks running"
        )
        deployments = current.get("deployments", [])
        (done if len(deployments) == 1 else not_done).append(
            f"{len(deployments)} deployment(s) in progress, 1 expected when finished"
        )
    else:
        not_done.append("the service was not described yet")
    return interrupted_report(
        f"stopped waiting for service {service}",
        done,
        not_done,
        "Nothing was undone: ECS carries on with the deployment. Wait again, or read "
        f"ecs.describe_services(cluster={cluster!r}, services=[{service!r}]).",
    )
