"""The long waits of a real account, polled as boto3's waiters poll, with a bar and a report.

Three waits, each with the success condition of botocore's own waiter:

- a service becomes stable: ``ServicesStable`` (``ecs/2014-11-13/waiters-2.json``): one
  deployment and ``runningCount == desiredCount``; ``MISSING`` in ``failures`` or a service
  ``DRAINING``/``INACTIVE`` is a failure;
- a load balancer is provisioned: ``LoadBalancerAvailable`` (``elbv2/2015-12-01/waiters-2.json``):
  ``State.Code`` is ``active``; ``provisioning`` and ``LoadBalancerNotFound`` mean try again;
- targets have drained: ``TargetDeregistered``: every target ``unused`` (or ``InvalidTarget``).

All poll every 15 s (the waiters' delay). Unlike the waiters, each poll moves a progress bar
(:mod:`ecslab.account.wait_progress`), a service's new events are printed oldest first, and an
interrupt prints what is done and what is not. Time comes through ``sleep`` and ``clock`` seams,
so the same loop runs on real time (AWS) and on a simulated clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from botocore.exceptions import ClientError

from ecslab.account.wait_progress import WaitProgress, interrupted_report
from ecslab.errors import ServiceNotStable

POLL_SECONDS = 15.0  # the waiters' delay


class StableAfter(float):
    """The seconds ``lab.wait_stable`` took: a number, shown as what it means.

    It compares and formats as the float it is; a notebook shows ``stable after 70 s`` rather
    than a bare ``70.0``."""

    def __repr__(self) -> str:
        return f"stable after {float(self):.0f} s"


@dataclass
class Reading:
    """One poll: whether the wait is over, a status line, and lines to print above the bar."""

    done: bool
    status: str
    lines: list[str] = field(default_factory=list)
    done_items: list[str] = field(default_factory=list)
    open_items: list[str] = field(default_factory=list)


def poll_until(
    read: Callable[[], Reading],
    description: str,
    timeout: float,
    *,
    sleep: Callable[[float], None],
    clock: Callable[[], float],
    interval: float | None = None,
    progress: bool = True,
    file: IO[str] | None = None,
    hint: str = "",
) -> Reading:
    """Call ``read`` every ``interval`` s (default :data:`POLL_SECONDS`) until it says done."""
    interval = POLL_SECONDS if interval is None else interval
    start = clock()
    last: Reading | None = None
    with WaitProgress(description, timeout, file=file, enabled=progress) as bar:
        try:
            while True:
                last = read()
                elapsed = clock() - start
                for line in last.lines:
                    bar.event(line)
                bar.update(elapsed, last.status)
                if last.done:
                    return last
                if elapsed >= timeout:
                    raise ServiceNotStable(
                        f"{description}: not done after {elapsed:.0f} s: {last.status}. {hint}"
                    )
                sleep(interval)
        except KeyboardInterrupt:
            done = last.done_items if last else []
            not_done = last.open_items if last else ["nothing was read yet"]
            what = f"while {description[:1].lower()}{description[1:]}"
            print(interrupted_report(what, done, not_done, hint))
            raise


# -- a service becomes stable ---------------------------------------------------------------------


def is_stable(service: dict[str, Any]) -> bool:
    """The ServicesStable success condition for one service."""
    return len(service.get("deployments", [])) == 1 and service.get("runningCount") == service.get(
        "desiredCount"
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
    """Poll until ``service`` is stable; return its last description."""
    seen: set[str] = set()
    current: dict[str, Any] = {}

    def read() -> Reading:
        nonlocal current
        current = _describe_service(ecs, cluster, service)
        events = current.get("events") or []
        new = [e for e in events if e.get("id") not in seen]
        seen.update(e.get("id", "") for e in new)
        latest = events[0].get("message", "") if events else ""
        running, desired = current.get("runningCount", 0), current.get("desiredCount", 0)
        deployments = len(current.get("deployments", []))
        counts = f"{running} of {desired} desired tasks running"
        rollout = f"{deployments} deployment(s) in progress, 1 expected when finished"
        done_items = [
            item for item, ok in ((counts, running == desired), (rollout, deployments == 1)) if ok
        ]
        open_items = [
            item
            for item, ok in ((counts, running == desired), (rollout, deployments == 1))
            if not ok
        ]
        return Reading(
            done=is_stable(current),
            status=describe_state(current) + (f" | {latest}" if latest else ""),
            lines=[f"{_when(e)}{e.get('message', '')}" for e in reversed(new)],  # oldest first
            done_items=done_items,
            open_items=open_items,
        )

    poll_until(
        read,
        f"Waiting for service {service} to become stable",
        timeout,
        sleep=sleep,
        clock=clock,
        interval=interval,
        progress=progress,
        file=file,
        hint="Nothing was undone: ECS carries on with the deployment. Read its events: "
        f"ecs.describe_services(cluster={cluster!r}, services=[{service!r}])",
    )
    return current


def _describe_service(ecs: Any, cluster: str, service: str) -> dict[str, Any]:
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


# -- a load balancer is provisioned ---------------------------------------------------------------


def wait_until_load_balancer_active(
    elbv2: Any,
    load_balancer_arn: str,
    timeout: float = 600.0,
    *,
    sleep: Callable[[float], None],
    clock: Callable[[], float],
    interval: float | None = None,
    progress: bool = True,
    file: IO[str] | None = None,
) -> dict[str, Any]:
    """Poll until the load balancer's state is ``active``; return its description."""
    current: dict[str, Any] = {}
    name = load_balancer_arn.split("/")[-2] if "/" in load_balancer_arn else load_balancer_arn

    def read() -> Reading:
        nonlocal current
        try:
            found = elbv2.describe_load_balancers(LoadBalancerArns=[load_balancer_arn])
        except ClientError as error:
            if error.response["Error"]["Code"] in {
                "LoadBalancerNotFound",
                "LoadBalancerNotFoundException",
            }:
                return Reading(
                    False, "not visible yet", open_items=["the load balancer is not visible yet"]
                )
            raise
        current = found["LoadBalancers"][0]
        state = current.get("State", {})
        code = state.get("Code", "")
        if code == "failed":
            reason = state.get("Reason", "no reason given")
            raise ServiceNotStable(f"Load balancer {name} failed to provision: {reason}")
        item = f"load balancer {name} is {code}"
        return Reading(
            done=code == "active",
            status=code + (f" ({state['Reason']})" if state.get("Reason") else ""),
            done_items=[item] if code == "active" else [],
            open_items=[] if code == "active" else [item],
        )

    poll_until(
        read,
        f"Waiting for load balancer {name} to be provisioned",
        timeout,
        sleep=sleep,
        clock=clock,
        interval=interval,
        progress=progress,
        file=file,
        hint="Nothing was undone: AWS carries on provisioning it (a few minutes is normal).",
    )
    return current


# -- targets have drained ------------------------------------------------------------------------


def wait_until_drained(
    elbv2: Any,
    target_group_arn: str,
    timeout: float = 600.0,
    *,
    sleep: Callable[[float], None],
    clock: Callable[[], float],
    interval: float | None = None,
    progress: bool = True,
    file: IO[str] | None = None,
) -> None:
    """Poll until no target of the group is ``draining`` (each ``unused``, or gone)."""
    name = target_group_arn.split("/")[-2] if "/" in target_group_arn else target_group_arn

    def read() -> Reading:
        try:
            described = elbv2.describe_target_health(TargetGroupArn=target_group_arn)
        except ClientError as error:
            if error.response["Error"]["Code"] in {"InvalidTarget", "TargetGroupNotFound"}:
                return Reading(True, "no targets left", done_items=["no targets left"])
            raise
        states: dict[str, int] = {}
        for target in described.get("TargetHealthDescriptions", []):
            state = target.get("TargetHealth", {}).get("State", "")
            states[state] = states.get(state, 0) + 1
        draining = states.get("draining", 0)
        summary = ", ".join(f"{count} {state}" for state, count in sorted(states.items()))
        return Reading(
            done=draining == 0,
            status=summary or "no targets",
            done_items=[
                f"{count} {state}" for state, count in sorted(states.items()) if state != "draining"
            ],
            open_items=[f"{draining} target(s) still draining"] if draining else [],
        )

    poll_until(
        read,
        f"Waiting for the targets of {name} to drain",
        timeout,
        sleep=sleep,
        clock=clock,
        interval=interval,
        progress=progress,
        file=file,
        hint="Nothing was undone: draining lasts the target group's deregistration delay "
        "(300 s unless changed).",
    )


# -- for a lab ------------------------------------------------------------------------------------


def lab_seams(lab: Any) -> dict[str, Any]:
    """The time seams of ``lab``: the virtual clock when simulated, real time on AWS.

    The bar shows on a real account only: simulated waits are instant, and a notebook's outputs
    must not vary with wall-clock time.
    """
    if lab.simulated:
        return {"sleep": lab.advance, "clock": lambda: lab.now, "progress": False}
    import time

    return {"sleep": time.sleep, "clock": time.monotonic, "progress": True}


def wait_for_load_balancer(lab: Any, load_balancer_arn: str, timeout: float = 600.0) -> dict:
    """:func:`wait_until_load_balancer_active` on ``lab``'s clock."""
    elbv2 = lab.client("elbv2")
    return wait_until_load_balancer_active(elbv2, load_balancer_arn, timeout, **lab_seams(lab))


def wait_for_draining(lab: Any, target_group_arn: str, timeout: float = 600.0) -> None:
    """:func:`wait_until_drained` on ``lab``'s clock."""
    wait_until_drained(lab.client("elbv2"), target_group_arn, timeout, **lab_seams(lab))
