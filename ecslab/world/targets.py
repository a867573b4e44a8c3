"""ECS tasks as targets of their service's target groups: registration, health checks, draining.

What AWS does: for a service with ``loadBalancers``, ECS registers each task's private IP and
container port in the target group while the task is ACTIVATING, and deregisters it while the
task is DEACTIVATING; the target drains for the group's ``deregistration_delay.timeout_seconds``.
The load balancer health-checks every registered target (see :mod:`ecslab.world.health`); ECS
stops a task whose target turns unhealthy ("Task failed ELB health checks in (target-group
...)") unless the task is still within the service's ``healthCheckGracePeriodSeconds``, and
starts a replacement. Sources: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-load-balancing.html,
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-lifecycle-explanation.html,
botocore's ECS model (``healthCheckGracePeriodSeconds``).

A process that listens on another port than the target's is reached by nothing: the check is
refused (``Target.FailedHealthChecks``), as the ELB reports a reset connection.

Differs from AWS: a health check is answered at the instant it is sent (the app's answer has no
latency, so ``HealthCheckTimeoutSeconds`` matters only for a fault that makes the app hang).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecslab.world import health, service_events
from ecslab.world.lifecycle import (
    RUNNING,
    SERVICE_SCHEDULER_INITIATED,
    TaskRecord,
    elb_health_reason,
)
from ecslab.world.moto_adapter import elbv2_models
from ecslab.world.moto_adapter.elbv2_models import TargetGroup

if TYPE_CHECKING:
    from ecslab.world.runtime import Runtime

HEALTH_CHECK_HEADERS = {"user-agent": "ELB-HealthChecker/2.0"}


def _group(runtime: Runtime, record: TaskRecord, arn: str) -> TargetGroup | None:
    return elbv2_models.target_group(record.account, record.region, arn)


def register(runtime: Runtime, record: TaskRecord) -> None:
    """Register the task's IP and container port in each of its service's target groups."""
    service = runtime.service_of(record)
    if service is None or not record.ip:
        return
    for balancer in service.load_balancers:
        arn = str(balancer.get("targetGroupArn", ""))
        group = _group(runtime, record, arn)
        if group is None:
            continue
        port = int(balancer.get("containerPort") or record.container_port or group.port or 80)
        elbv2_models.watch_target_group(
            record.account,
            record.region,
            arn,
            lambda target_id, arn=arn: _health_of(runtime, arn, target_id),
        )
        elbv2_models.register_target(record.account, record.region, arn, record.ip, port)
        target = health.TargetHealth(arn, record.ip, port, registered_at=runtime.now)
        runtime.targets[(arn, record.ip)] = target
        record.targets.append((arn, port))
        settings = group.health_check
        runtime.schedule_at(runtime.now + health.REGISTRATION_SECONDS, target.registration_done)
        runtime.schedule_at(
            target.first_check_at(settings), lambda a=arn, ip=record.ip: check(runtime, a, ip)
        )
        runtime.event(record, "registered", None, record.id, group=arn)


def _health_of(
    runtime: Runtime, arn: str, target_id: str
) -> tuple[str, str | None, str | None] | None:
    target = runtime.targets.get((arn, target_id))
    return None if target is None else target.as_moto()


def probe(
    runtime: Runtime, record: TaskRecord | None, settings: health.HealthCheck, port: int
) -> health.CheckResult:
    """Send one health check to the task's container and judge the answer.

    The check comes from the load balancer's nodes: when their groups may not send it or the
    task's may not admit it, it is dropped and times out (``Target.Timeout``), whatever the
    app would have answered."""
    if record is not None and not _reachable(runtime, record, port):
        return health.CheckResult.timeout()
    if not answers(runtime, record):
        return health.CheckResult.refused()
    checked_port = port if settings.port == "traffic-port" else int(settings.port)
    if checked_port != record.listen_port:  # nothing listens there: the kernel refuses
        return health.CheckResult.refused()
    forced = runtime.faults.health_answer(record)
    if forced == "timeout":
        return health.CheckResult.timeout()
    if forced is not None:
        return health.CheckResult.from_status(settings.matcher, int(forced))
    from ecslab.world.task_effects import app_of

    answer = app_of(runtime, record).answer(
        "GET",
        settings.path,
        {**HEALTH_CHECK_HEADERS, "host": f"{record.ip}:{port}"},
        record.environment,
    )
    return health.CheckResult.from_status(settings.matcher, answer.status)


def _reachable(runtime: Runtime, record: TaskRecord, port: int) -> bool:
    from ecslab.world.network.traffic import balancer_reaches

    for arn, _ in record.targets:
        balancer_arns = elbv2_models.load_balancers_of(record.account, record.region, arn)
        if balancer_arns is None:
            raise LookupError(f"no target group {arn}")
        for balancer_arn in balancer_arns:
            balancer = elbv2_models.balancer(record.account, record.region, balancer_arn)
            if balancer is not None and not balancer_reaches(runtime.world, balancer, record, port):
                return False
    return True


def answers(runtime: Runtime, record: TaskRecord | None) -> bool:
    """Whether the task's app is up and answering on the port it binds."""
    return (
        record is not None
        and record.state == RUNNING
        and record.ready_at is not None
        and runtime.now >= record.ready_at
    )


def check(runtime: Runtime, arn: str, ip: str) -> None:
    """One health check of one target, then the next one an interval later."""
    target = runtime.targets.get((arn, ip))
    if target is None or target.state == health.DRAINING:
        return
    account_region = arn.split(":")[4], arn.split(":")[3]
    settings = elbv2_models.health_check_of(*account_region, arn)
    if settings is None:
        return
    record = runtime.tasks.get(runtime.by_ip.get((*account_region, ip), ""))
    result = probe(runtime, record, settings, target.port)
    changed = target.record(result, settings)
    target.last_check_at = runtime.now
    if record is not None:
        if changed == health.UNHEALTHY and record.service:
            key = runtime.service_key_of(record)
            reason = result.description or "Health checks failed"
            runtime.log(
                key, "unhealthy", service_events.unhealthy(record.service, target.port, arn, reason)
            )
        grace_over = record.started_at is not None and runtime.now >= record.started_at + _grace(
            runtime, record
        )
        if target.state == health.UNHEALTHY and record.service and record.live and grace_over:
            runtime.stop(record, SERVICE_SCHEDULER_INITIATED, elb_health_reason(arn))
        elif changed is not None:
            runtime.mark_task(record)
    if target.state == health.HEALTHY and result.passed:
        target.idle = True  # nothing can change until rearm(): no need to keep checking
        return
    runtime.schedule_at(runtime.now + settings.interval, lambda: check(runtime, arn, ip))


def rearm(runtime: Runtime) -> None:
    """Resume checking idle targets, on their own schedule (after a fault or new settings)."""
    for (arn, ip), target in list(runtime.targets.items()):
        if not target.idle or target.last_check_at is None:
            continue
        account, region = arn.split(":")[4], arn.split(":")[3]
        settings = elbv2_models.health_check_of(account, region, arn)
        if settings is None:
            continue
        interval = settings.interval
        beats = int((runtime.now - target.last_check_at) // interval) + 1
        target.idle = False
        runtime.schedule_at(
            target.last_check_at + beats * interval,
            lambda a=arn, i=ip: check(runtime, a, i),
        )


def _grace(runtime: Runtime, record: TaskRecord) -> float:
    service = runtime.service_of(record)
    return service.grace_seconds if service is not None else 0.0


def drain(runtime: Runtime, record: TaskRecord) -> None:
    """Start draining the task's targets; the task stays DEACTIVATING until they are done."""
    until = runtime.now
    for arn, _ in record.targets:
        target = runtime.targets.get((arn, record.ip))
        group = _group(runtime, record, arn)
        if target is None or group is None:
            continue
        delay = group.deregistration_delay
        target.drain(runtime.now, delay)
        until = max(until, runtime.now + delay)
    record.drain_until = until


def deregister(runtime: Runtime, record: TaskRecord) -> None:
    """Deregister the task's targets (the end of draining, or a failed start).

    Through moto's own ``deregister``, so the group remembers them: a deregistered target then
    reads ``unused`` / ``Target.NotRegistered``, as botocore's ``TargetDeregistered`` waiter
    expects (ELBv2 API reference, ``TargetHealth``)."""
    for arn, _ in record.targets:
        elbv2_models.deregister_target(record.account, record.region, arn, record.ip)
        runtime.targets.pop((arn, record.ip), None)
        if record.service:
            runtime.event(record, "deregistered", None, record.id, group=arn)
    record.targets = []
    record.drain_until = None
