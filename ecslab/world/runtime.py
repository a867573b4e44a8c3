"""The running world: ECS tasks and services, and their load balancer targets, on the clock.

This behaviour is where the other modules meet. It listens to ECS calls (``create_service``,
``update_service``, ``run_task``, ``stop_task``, ...), keeps one record per task, service and
target, moves each along :data:`~ecslab.world.lifecycle.LIFECYCLE` at the instants the virtual
clock reaches, runs the target groups' health checks, asks :func:`ecslab.world.scheduler.plan`
what each changed service needs, and mirrors everything onto moto's records
(through the moto adapter's :mod:`~ecslab.world.moto_adapter.ecs_models`) so that plain boto3
calls see it.

When a service is reconciled: when something *marks* it (:meth:`Runtime.mark`, or
:meth:`Runtime.mark_task` for a task's service): a call that changed it, one of its tasks
changing state, a health verdict on one of its targets. Marked services are reconciled once, at
the end of the instant that marked them, in key order, whatever marked them how often. The
reconcile itself is by level and idempotent: :func:`~ecslab.world.scheduler.plan` reads the whole
service and its tasks, and a service with nothing to do gets an empty plan. A service nothing
marked is not looked at, so a new cause of change must mark the service it changes.

Differs from AWS: only Fargate tasks with ``awsvpc`` networking run (a service with the EC2
launch type logs that it cannot place tasks); one essential container per task serves traffic.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ecslab.semantics.arns import ServiceKey, service_key
from ecslab.world import (
    circuit_breaker,
    ecs_calls,
    faults,
    health,
    service_calls,
    service_events,
    targets,
    task_effects,
    throttle,
)
from ecslab.world.deployments import (
    ACTIVE,
    COMPLETED,
    FAILED,
    IN_PROGRESS,
    NO_HEALTH_CHECK_WAIT,
    PRIMARY,
    STEADY_STATE_REPEAT,
    Deployment,
    ServiceRecord,
    as_datetime,
)
from ecslab.world.lifecycle import (
    ACTIVATING,
    CONTAINER_HEALTH_REASON,
    DEACTIVATING,
    ESSENTIAL_CONTAINER_EXITED,
    ESSENTIAL_CONTAINER_EXITED_REASON,
    PENDING,
    RUNNING,
    SERVICE_SCHEDULER_INITIATED,
    STARTING_STATES,
    STOPPED,
    STOPPING,
    TASK_FAILED_TO_START,
    TaskRecord,
    next_state,
    scaling_reason,
    upward_state,
)
from ecslab.world.moto_adapter import core as moto_core
from ecslab.world.moto_adapter import ec2_models, ecs_models
from ecslab.world.scheduler import plan

if TYPE_CHECKING:
    from ecslab.world.call_handlers import Registrar
    from ecslab.world.world import World

#: Stopped tasks stay visible to ``describe_tasks`` for about an hour (AWS re:Post,
#: "Why is my Amazon ECS task stopped?").
STOPPED_VISIBLE_SECONDS = 3600.0
#: How many of the latest events a repeated message is looked for in (see ``_log_once``).
DUPLICATE_WINDOW = 5
#: Clock priority of a service reconcile: after every other callback due at the same instant.
RECONCILE_PRIORITY = 9


class Runtime:
    """The behaviour that makes ECS services run (see the module docstring)."""

    def __init__(self) -> None:
        self.world: World | None = None  # set by reset(), before any call
        self.tasks: dict[str, TaskRecord] = {}
        self.services: dict[ServiceKey, ServiceRecord] = {}
        self.events: dict[ServiceKey, service_events.EventLog] = {}
        self.service_tasks: dict[ServiceKey, list[str]] = {}
        #: Every service ever created, deleted ones too (ListServiceDeployments shows them).
        self.service_history: list[ServiceRecord] = []
        self.targets: dict[tuple[str, str], health.TargetHealth] = {}
        self.by_ip: dict[tuple[str, str, str], str] = {}  # (account, region, ip) -> task ARN
        self.faults = faults.FaultState()
        self.throttles: dict[ServiceKey, throttle.Throttle] = {}
        #: Tasks stopped for failed health checks that the scheduler has yet to replace.
        self.unhealthy_owed: dict[ServiceKey, int] = {}
        #: Per service: (instant, how many of the tasks started then replace unhealthy ones).
        self._replaced: dict[ServiceKey, tuple[float, int]] = {}
        self.round_robin: dict[str, int] = {}
        self._dirty: set[ServiceKey] = set()
        self._reconcile_timer: Any = None

    # -- behaviour hooks --------------------------------------------------------------------------

    def reset(self, world: World) -> None:
        self.__init__()  # type: ignore[misc]
        self.world = world

    def tick(self, world: World) -> None:
        self.world = world
        self.reconcile()

    def register_calls(self, calls: Registrar) -> None:
        """The ECS calls the running world answers or follows (:mod:`ecslab.world.ecs_calls`)."""
        ecs_calls.register(self, calls)

    # -- time -------------------------------------------------------------------------------------

    @property
    def now(self) -> float:
        return float(self.world.clock.now)

    def when(self, seconds: float | None) -> Any:
        return None if seconds is None else as_datetime(self.world.clock._start, seconds)

    def schedule_at(self, at: float, callback: Callable[[], object], priority: int = 1) -> Any:
        return self.world.clock.schedule(max(0.0, at - self.now), callback, priority)

    def _later(self, record: TaskRecord) -> None:
        if record.timer is not None:
            record.timer.cancel()
            record.timer = None
        due = record.dwell_ends()
        if due is not None:
            record.timer = self.schedule_at(due, lambda: self._on_due(record.arn))

    def mark(self, key: ServiceKey) -> None:
        """Ask for ``key`` to be reconciled at the end of the current instant."""
        self._dirty.add(key)
        if self._reconcile_timer is None:
            self._reconcile_timer = self.schedule_at(self.now, self.reconcile, RECONCILE_PRIORITY)

    # -- tasks ------------------------------------------------------------------------------------

    def launch(
        self,
        arn: str,
        account: str,
        region: str,
        cluster: str,
        service: ServiceRecord | None,
        deployment: Deployment | None,
    ) -> TaskRecord | None:
        """Adopt a task moto just created and start it on its way to RUNNING (``None`` when
        moto has no such task)."""
        task = ecs_models.adopt_task(account, region, cluster, arn)
        if task is None:
            return None
        record = TaskRecord(
            arn=task.arn,
            id=task.id,
            account=account,
            region=region,
            cluster=cluster,
            task_definition_arn=task.task_definition_arn,
            created_at=self.now,
            entered_at=self.now,
            service=service.name if service else None,
            deployment_id=deployment.id if deployment else None,
        )
        if task.subnet is not None:
            record.subnet = task.subnet
            record.security_groups = task.security_groups
            record.public_ip = task.assign_public_ip
            placed = ecs_models.place_task_interface(
                account, region, cluster, task.arn, task.eni_id, task.subnet
            )
            record.ip, record.availability_zone = placed.ip, placed.availability_zone
            self.by_ip[(account, region, record.ip)] = record.arn
        task_effects.describe_container(record)
        self.tasks[record.arn] = record
        if service is not None:
            self.service_tasks[(account, region, cluster, service.name)].append(record.arn)
        self.mirror(record)
        self._later(record)
        return record

    def _on_due(self, arn: str) -> None:
        record = self.tasks.get(arn)
        if record is None:
            return
        record.timer = None
        if record.live:
            self._move_up(record)
        else:
            self._move_down(record)
        self.mirror(record)
        self._later(record)
        self.mark_task(record)

    def fail_start(self, arn: str) -> None:
        record = self.tasks.get(arn)
        if record is not None and record.live and record.state == PENDING:
            self.stop(record, TASK_FAILED_TO_START, record.start_failure)

    def _enter(self, record: TaskRecord, state: str) -> None:
        record.state, record.entered_at = state, self.now

    def _move_up(self, record: TaskRecord) -> None:
        if record.state == PENDING:
            failure = task_effects.prepare(self, record)
            if failure is not None:
                record.start_failure = str(failure)
                due = record.entered_at + (failure.pending_seconds or 0.0)
                if due > self.now:  # retried until it times out: still PENDING meanwhile
                    self.schedule_at(due, lambda: self.fail_start(record.arn))
                else:
                    self.stop(record, TASK_FAILED_TO_START, record.start_failure)
                return
        state = upward_state(record.state)
        self._enter(record, state)
        if state == ACTIVATING:
            targets.register(self, record)
        elif state == RUNNING:
            self._ran(record)
            task_effects.start_app(self, record)

    def _move_down(self, record: TaskRecord) -> None:
        leaving = record.state
        self._enter(record, next_state(leaving))
        if leaving == DEACTIVATING:
            targets.deregister(self, record)
            if record.service and record.started_at is not None:
                self.event(record, "stopped", service_events.stopped, record.id)
        if record.state == STOPPING and record.exit_code is None and record.started_at:
            record.exit_code = 0  # SIGTERM, and the app exits cleanly (plausible)
        if record.state == STOPPED:
            record.stopped_at = self.now
            eni = ecs_models.task_interface_id(
                record.account, record.region, record.cluster, record.arn
            )
            if eni is not None:
                ec2_models.delete_interface(record.account, record.region, eni)
            self.by_ip.pop((record.account, record.region, record.ip), None)
            self.schedule_at(self.now + STOPPED_VISIBLE_SECONDS, lambda: self._forget(record.arn))

    def stop(self, record: TaskRecord, code: str, reason: str | None) -> None:
        """ECS sets the task's desired status to STOPPED and takes it down from where it is."""
        if not record.live:
            return
        record.desired, record.stop_code, record.stopped_reason = STOPPED, code, reason
        record.stopping_at = self.now
        self._count_failure(record, code, reason)
        if record.state == RUNNING:
            self._enter(record, DEACTIVATING)
            if record.targets:
                targets.drain(self, record)
                if record.service:
                    self.event(record, "draining", None, record.id)
        elif record.state in STARTING_STATES:
            targets.deregister(self, record)
            self._enter(record, STOPPING)
        self.mirror(record)
        self._later(record)
        self.mark_task(record)

    def _count_failure(self, record: TaskRecord, code: str, reason: str | None) -> None:
        """Tell the circuit breaker and the throttle why a service task stopped."""
        service = self.service_of(record)
        if service is None:
            return
        deployment = service.deployment(record.deployment_id)
        if code == TASK_FAILED_TO_START:
            why: str | None = circuit_breaker.FAILED_TO_START
            key = self.service_key_of(record)
            self._log_once(
                key, "unplaced", service_events.unable_to_place(service.name, reason or "")
            )
            if self._throttle(key, service).failed_to_start(self.now):
                self.log(key, "throttled", throttle.message(service.name))
        elif code == ESSENTIAL_CONTAINER_EXITED:
            why = circuit_breaker.EXITED
        elif (reason or "").startswith("Task failed ELB") or reason == CONTAINER_HEALTH_REASON:
            why = circuit_breaker.FAILED_HEALTH_CHECK
            key = self.service_key_of(record)
            self.unhealthy_owed[key] = self.unhealthy_owed.get(key, 0) + 1
        else:
            why = None
        if deployment is not None and why is not None:
            circuit_breaker.count(deployment, why, self.now)

    def _log_once(self, key: ServiceKey, kind: str, message: str) -> None:
        """Log ``message`` unless one of the latest events already says it: AWS omits duplicate
        messages "until either the cause is resolved or six hours passes" (service event
        messages guide). Differs from AWS: "resolved" is read as "other news since"."""
        recent = self.events[key].events[:DUPLICATE_WINDOW]
        cutoff = self.when(self.now - STEADY_STATE_REPEAT)
        if not any(e["message"] == message and e["createdAt"] > cutoff for e in recent):
            self.log(key, kind, message)

    def _throttle(self, key: ServiceKey, service: ServiceRecord) -> throttle.Throttle:
        """The service's throttle, back to normal when its task definition changed."""
        found = self.throttles.get(key)
        if found is None or found.task_definition != service.primary.task_definition:
            found = self.throttles[key] = throttle.Throttle(service.primary.task_definition)
        return found

    def _ran(self, record: TaskRecord) -> None:
        """A service task reached RUNNING: stage 2 of the breaker, and no throttle."""
        service = self.service_of(record)
        if service is None:
            return
        deployment = service.deployment(record.deployment_id)
        if deployment is not None:
            deployment.reached_running = True
        self._throttle(self.service_key_of(record), service).ran()

    def _forget(self, arn: str) -> None:
        record = self.tasks.pop(arn, None)
        if record is None:
            return
        ecs_models.forget_task(record.account, record.region, record.cluster, arn)
        key = self.service_key_of(record)
        if key in self.service_tasks and arn in self.service_tasks[key]:
            self.service_tasks[key].remove(arn)

    def exited(self, record: TaskRecord, code: int) -> None:
        """The essential container exited on its own."""
        record.exit_code = code
        self.stop(record, ESSENTIAL_CONTAINER_EXITED, ESSENTIAL_CONTAINER_EXITED_REASON)

    # -- services ---------------------------------------------------------------------------------

    def service_key_of(self, record: TaskRecord) -> ServiceKey:
        return (record.account, record.region, record.cluster, record.service or "")

    def service_of(self, record: TaskRecord) -> ServiceRecord | None:
        return self.services.get(self.service_key_of(record)) if record.service else None

    def mark_task(self, record: TaskRecord) -> None:
        if record.service:
            self.mark(self.service_key_of(record))

    def is_healthy(self, record: TaskRecord) -> bool:
        """Whether the scheduler counts the task as healthy: its container health check (if it
        has one) says HEALTHY, and ELB says so, or, with neither, it has run 40 s."""
        if record.state != RUNNING or record.started_at is None:
            return False
        checked = record.container_health
        if checked is not None and checked.status != "HEALTHY":
            return False
        if record.targets:
            return all(
                (t := self.targets.get((arn, record.ip))) is not None and t.state == health.HEALTHY
                for arn, _ in record.targets
            )
        return checked is not None or self.now >= record.started_at + NO_HEALTH_CHECK_WAIT

    def reconcile(self) -> None:
        """Bring every service marked since the last reconcile up to date."""
        self._reconcile_timer = None
        while self._dirty:
            key = min(self._dirty)
            self._dirty.discard(key)
            if key in self.services:
                self._reconcile(key)

    def _reconcile(self, key: ServiceKey) -> None:
        service = self.services[key]
        tasks = [self.tasks[a] for a in self.service_tasks[key] if a in self.tasks]
        for _ in range(3):  # a failed deployment may roll back: plan once more after it
            decision = plan(service, tasks, self.is_healthy)
            if not decision.fail:
                break
            self._fail_deployment(key, service, decision.rollback_to)
        for task in tasks:
            if task.live and not task.healthy_seen and self.is_healthy(task):
                task.healthy_seen = True
                deployment = service.deployment(task.deployment_id)
                if deployment is not None:
                    circuit_breaker.task_healthy(deployment, service.reset_on_healthy_task)
        for task in decision.stop:
            self.stop(task, SERVICE_SCHEDULER_INITIATED, scaling_reason(service.primary.id))
        if decision.start:
            held = self._throttle(key, service)
            if held.allows(self.now):
                service_calls.start_tasks(self, service, decision.start)
            else:
                self.schedule_at(held.next_start_at, lambda: self.mark(key))
        if decision.complete:
            self._complete(key, service)
        if decision.stuck and not service.stuck_announced:
            service.stuck_announced = True
            self.log(key, "stuck", service_events.stuck(service.name))
        repeat = (
            service.last_steady_event is not None
            and self.now >= service.last_steady_event + STEADY_STATE_REPEAT
        )
        if decision.steady and (service.steady_since is None or repeat):
            service.steady_since = service.steady_since or self.now
            service.last_steady_event = self.now
            self.log(key, "steady", service_events.steady(service.name))
            self.schedule_at(self.now + STEADY_STATE_REPEAT, lambda: self.mark(key))
        elif not decision.steady:
            service.steady_since = None
        self.mirror_service(key)
        if service.deleted and not any(
            self.tasks[a].state != STOPPED for a in self.service_tasks[key] if a in self.tasks
        ):
            self.services.pop(key, None)

    def _complete(self, key: ServiceKey, service: ServiceRecord) -> None:
        primary = service.primary
        primary.rollout_state = COMPLETED
        primary.rollout_state_reason = f"ECS deployment {primary.id} completed."
        primary.updated_at = self.now
        service.deployments = [primary]
        self.log(key, "completed", service_events.deployment_completed(service.name, primary.id))

    def _fail_deployment(
        self, key: ServiceKey, service: ServiceRecord, rollback_to: str | None
    ) -> None:
        failed = service.primary
        failed.rollout_state = FAILED
        failed.rollout_state_reason = "ECS deployment circuit breaker: tasks failed to start."
        failed.updated_at = self.now
        self.log(key, "failed", service_events.deployment_failed(service.name, failed.id))
        target = service.deployment(rollback_to)
        if target is None:
            return
        service.deployments.remove(target)
        service.deployments.insert(0, target)
        failed.status, target.status = ACTIVE, PRIMARY
        target.rollout_state, target.proven, target.failed_tasks = IN_PROGRESS, False, 0
        target.rollout_state_reason = f"ECS deployment {target.id} in progress."
        target.updated_at = self.now
        service.steady_since = None
        self.log(key, "rollback", service_events.rolling_back(service.name, target.id))

    # -- events and mirrors -----------------------------------------------------------------------

    def log(self, service_key: ServiceKey, kind: str, message: str, **merge: Any) -> None:
        """Add a service event (``merge`` as in :meth:`EventLog.add`)."""
        self.events[service_key].add(
            kind, self.now, self.when(self.now), moto_core.draw_uuid(), message, **merge
        )

    def event(
        self, record: TaskRecord, kind: str, message: Any, item: Any, group: str = ""
    ) -> None:
        """A per-task service event, merged with others of its kind at this instant."""
        name, key = record.service or "", self.service_key_of(record)
        at, replaced = self._replaced.get(key, (self.now, 0))
        replaced = replaced if at == self.now else 0
        if kind == "started" and self.unhealthy_owed.get(key):
            self.unhealthy_owed[key] -= 1
            replaced += 1
            self._replaced[key] = (self.now, replaced)
        suffix = service_events.replaced_unhealthy(replaced) if replaced else ""
        merged: dict[str, Callable[[list[Any]], str]] = {
            "started": lambda ids: service_events.started(name, ids) + suffix,
            "stopped": lambda ids: service_events.stopped(name, ids),
            "draining": lambda ids: service_events.draining(name, len(ids)),
            "registered": lambda ids: service_events.registered(name, len(ids), group),
            "deregistered": lambda ids: service_events.deregistered(name, len(ids), group),
        }
        merge = merged[kind]
        self.log(
            self.service_key_of(record), kind, merge([item]), key=group, merge=merge, item=item
        )

    def mirror(self, record: TaskRecord) -> None:
        ecs_models.mirror_task(record, self.when)

    def mirror_service(self, key: ServiceKey) -> None:
        """Show the service's counts, deployments and events on moto's record."""
        ecs_calls.mirror_service(self, key)


def runtime_of(world: World) -> Runtime:
    """The world's running part (the :class:`Runtime` among its behaviours)."""
    found = next((b for b in world.behaviours if isinstance(b, Runtime)), None)
    if found is None:
        found = world.add(Runtime())
    found.world = world
    return found


def steady(runtime: Runtime, account: str, region: str, cluster: str, service: str) -> bool:
    """Whether the service is in its steady state right now."""
    record = runtime.services.get(service_key(account, region, cluster, service))
    return record is not None and record.steady_since is not None
