"""moto's ELBv2 (``moto.elbv2.models``): load balancers, listeners, rules, target groups.

The only module that knows the attribute names of moto's ELBv2 records. The world reads load
balancers, listeners and target groups as ecslab's own small records (:class:`Balancer`,
:class:`Listener`, :class:`ListenerRule`, :class:`TargetGroup`), registers and deregisters its
tasks through moto's own methods, and replaces two behaviours per object at run time:

* a target group's ``health_for`` reports the world's target health;
* a new load balancer stays ``provisioning`` until the world's clock says it is ready.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ecslab.semantics.service_models import shared_by_new_sessions

with shared_by_new_sessions():  # it imports moto's EC2, which makes botocore sessions
    from moto.elbv2.models import ELBv2Backend, FakeHealthStatus, FakeTargetGroup, elbv2_backends

from ecslab.world.health import DEFAULT_DEREGISTRATION_DELAY, HealthCheck
from ecslab.world.moto_adapter.core import backend_of

__all__ = [
    "Balancer",
    "ELBv2Backend",
    "Listener",
    "ListenerRule",
    "TargetGroup",
    "backend",
    "balancer",
    "balancer_named",
    "balancers",
    "deregister_target",
    "hold_provisioning",
    "listener_on_port",
    "listener_priorities",
    "listeners",
    "record",
    "register_target",
    "stable_default_rules",
    "target_group",
    "target_group_named",
    "watch_target_group",
]

#: What the world's health of a target is: (state, reason, description), or ``None`` for a
#: target the world does not manage.
HealthOf = Callable[[str], "tuple[str, str | None, str | None] | None"]


def backend(account: str, region: str) -> ELBv2Backend:
    return backend_of(elbv2_backends, account, region)


# -- load balancers, listeners, rules -------------------------------------------------------------


@dataclass(frozen=True)
class Balancer:
    """A load balancer as the world routes through it."""

    arn: str
    name: str
    type: str
    dns_name: str
    scheme: str | None
    #: Subnet ids, and security group ids (empty when created without any).
    subnets: tuple[str, ...]
    security_groups: tuple[str, ...]


@dataclass(frozen=True)
class ListenerRule:
    """A listener rule with its API's members: ``priority`` is ``"default"`` for the default
    rule; ``conditions`` and ``actions`` as DescribeRules shows them."""

    arn: str
    priority: Any
    is_default: bool
    conditions: list[dict[str, Any]]
    actions: list[dict[str, Any]]


@dataclass(frozen=True)
class Listener:
    arn: str
    port: int
    #: Its rules, the default rule among them, in moto's order (routing sorts them).
    rules: tuple[ListenerRule, ...]


def _balancer(found: Any) -> Balancer:
    return Balancer(
        found.arn,
        found.name,
        found.type,
        found.dns_name,
        found.scheme,
        tuple(str(getattr(s, "id", s)) for s in found.subnets or ()),
        tuple(found.security_groups or ()),
    )


def balancers(account: str, region: str) -> list[Balancer]:
    """The account's load balancers in ``region``, in the order they were created."""
    return [_balancer(b) for b in backend(account, region).load_balancers.values()]


def balancer(account: str, region: str, arn: str) -> Balancer | None:
    found = backend(account, region).load_balancers.get(arn)
    return None if found is None else _balancer(found)


def listeners(account: str, region: str, balancer_arn: str) -> list[Listener]:
    """The load balancer's listeners with their rules, in the order they were created."""
    found = backend(account, region).load_balancers.get(balancer_arn)
    if found is None:
        return []
    return [
        Listener(
            listener.arn,
            int(listener.port),
            tuple(
                ListenerRule(
                    rule.arn,
                    rule.priority,
                    bool(rule.is_default),
                    list(rule.conditions or []),
                    [getattr(a, "data", a) for a in rule.actions],
                )
                for rule in listener.rules.values()
            ),
        )
        for listener in found.listeners.values()
    ]


def stable_default_rules(account: str, region: str) -> None:
    """Give every listener's default rule an ARN that repeats run to run.

    moto names it after ``id()`` of a Python object, which changes every run; AWS's rule IDs are
    16 hex digits. The ID here is derived from the listener's ARN (no random draw)."""
    for found in backend(account, region).load_balancers.values():
        for listener_arn, listener in found.listeners.items():
            digest = hashlib.sha256(listener_arn.encode()).hexdigest()[:16]
            for rule in listener._default_rule.values():
                rule.arn = listener_arn.replace(":listener/", ":listener-rule/") + f"/{digest}"


def hold_provisioning(account: str, region: str, name: str, ready: Callable[[], bool]) -> bool:
    """Keep the new load balancer ``name`` ``provisioning`` until ``ready()`` (moto turns a
    balancer ``active`` on its first describe, by calling its ``activate``). ``False`` when
    there is no such balancer or it is held already."""
    for found in backend(account, region).load_balancers.values():
        if found.name == name and not getattr(found, "ecslab_held", False):
            found.ecslab_held = True
            found.state = "provisioning"

            def activate(found: Any = found) -> None:
                if found.state == "provisioning" and ready():
                    found.state = "active"

            found.activate = activate
            return True
    return False


# -- target groups --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetGroup:
    """A target group as the world registers in and health-checks it."""

    arn: str
    port: int | None
    protocol: str | None
    target_type: str | None
    health_check_protocol: str | None
    vpc_id: str | None
    #: As given (``None`` when not), not :attr:`health_check`'s path with its default.
    health_check_path: str | None
    #: The ids of the targets registered now.
    targets: tuple[str, ...]
    load_balancer_arns: tuple[str, ...]
    deregistration_delay: float
    health_check: HealthCheck


def _health_check(group: Any) -> HealthCheck:
    """The settings of a moto target group (``matcher`` and ``health_check_port`` are set only
    for some protocols)."""
    matcher = getattr(group, "matcher", None) or {}
    return HealthCheck(
        path=group.health_check_path or "/",
        port=str(getattr(group, "health_check_port", None) or "traffic-port"),
        interval=float(group.health_check_interval_seconds or 30),
        timeout=float(group.health_check_timeout_seconds or 5),
        healthy_threshold=int(group.healthy_threshold_count or 5),
        unhealthy_threshold=int(group.unhealthy_threshold_count or 2),
        matcher=str(matcher.get("HttpCode") or "200"),
        enabled=bool(group.health_check_enabled),
    )


def _target_group(group: Any) -> TargetGroup:
    delay = group.attributes.get(
        "deregistration_delay.timeout_seconds", DEFAULT_DEREGISTRATION_DELAY
    )
    return TargetGroup(
        group.arn,
        group.port,
        group.protocol,
        group.target_type,
        group.health_check_protocol,
        group.vpc_id,
        group.health_check_path,
        tuple(group.targets),
        tuple(group.load_balancer_arns),
        float(delay),
        _health_check(group),
    )


def target_group(account: str, region: str, arn: str) -> TargetGroup | None:
    group = backend(account, region).target_groups.get(arn)
    return None if group is None else _target_group(group)


def health_check_of(account: str, region: str, arn: str) -> HealthCheck | None:
    """Only the group's health-check settings: what each health check reads (the whole record
    copies every registered target, which a check does not need)."""
    group = backend(account, region).target_groups.get(arn)
    return None if group is None else _health_check(group)


def load_balancers_of(account: str, region: str, arn: str) -> tuple[str, ...] | None:
    """The ARNs of the load balancers that send the group traffic (and health checks)."""
    group = backend(account, region).target_groups.get(arn)
    return None if group is None else tuple(group.load_balancer_arns)


def register_target(account: str, region: str, arn: str, target_id: str, port: int) -> None:
    backend(account, region).target_groups[arn].register([{"Id": target_id, "Port": port}])


def deregister_target(account: str, region: str, arn: str, target_id: str) -> None:
    """Deregister through moto's own ``deregister`` (if registered), so the group remembers it:
    it then reads ``unused`` / ``Target.NotRegistered``."""
    group = backend(account, region).target_groups.get(arn)
    if group is not None and target_id in group.targets:
        group.deregister([{"Id": target_id}])


def watch_target_group(account: str, region: str, arn: str, health_of: HealthOf) -> None:
    """Let ``describe_target_health`` ask ``health_of(target_id)`` for the world's targets.

    ``health_of`` returns ``(state, reason, description)`` or ``None`` for a target the world
    does not manage (one a learner registered by hand), which keeps moto's answer."""
    group = backend(account, region).target_groups[arn]
    if getattr(group, "_ecslab_watched", False):
        return

    def health_for(target: dict[str, Any], ec2_backend: Any) -> Any:
        found = health_of(target["Id"])
        if found is None:
            return FakeTargetGroup.health_for(group, target, ec2_backend)
        state, reason, description = found
        port = target.get("Port") or group.targets.get(target["Id"], {}).get("Port")
        return FakeHealthStatus(
            target["Id"], port, group.health_check_port, state, reason, description
        )

    group.health_for = health_for
    group._ecslab_watched = True


# -- what an idempotent create call is compared with ----------------------------------------------


def balancer_named(account: str, region: str, name: str) -> Balancer | None:
    found = next((b for b in balancers(account, region) if b.name == name), None)
    return found


def target_group_named(account: str, region: str, name: str) -> TargetGroup | None:
    """The target group called ``name`` (what CreateTargetGroup compares a repeat with)."""
    for group in backend(account, region).target_groups.values():
        if group.name == name:
            return _target_group(group)
    return None


@dataclass(frozen=True)
class PortListener:
    """A listener already on a port: what CreateListener compares a repeat with."""

    arn: str
    protocol: str | None
    default_target_groups: list[str | None]


def listener_on_port(
    account: str, region: str, balancer_arn: str, port: object
) -> PortListener | None:
    """The first listener of the balancer on ``port`` (moto keys listeners by ARN, so it never
    finds a port taken twice); ``None`` when there is none, or no such balancer."""
    found = backend(account, region).load_balancers.get(balancer_arn)
    taken = [x for x in found.listeners.values() if x.port == port] if found else []
    if not taken:
        return None
    listener = taken[0]
    return PortListener(
        listener.arn,
        listener.protocol,
        [a.data.get("TargetGroupArn") for a in listener.default_actions],
    )


def record(account: str, region: str, arn: str) -> object:
    """moto's record of a load balancer, target group or listener, for a call's answer to
    serialise (never read)."""
    found = backend(account, region)
    if arn in found.load_balancers:
        return found.load_balancers[arn]
    if arn in found.target_groups:
        return found.target_groups[arn]
    for balancer_ in found.load_balancers.values():
        if arn in balancer_.listeners:
            return balancer_.listeners[arn]
    raise LookupError(f"moto holds no {arn}")


def listener_priorities(account: str, region: str, listener_arn: str) -> list[object] | None:
    """The priorities of the listener's rules (``"default"`` for its default rule), or
    ``None`` when there is no such listener."""
    for found in backend(account, region).load_balancers.values():
        if listener_arn in found.listeners:
            return [r.priority for r in found.listeners[listener_arn].rules.values()]
    return None
