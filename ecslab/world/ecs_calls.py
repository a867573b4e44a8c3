"""How the running world answers ECS API calls, and how a service shows on moto's record.

What AWS does: ``create_service`` makes the first deployment; ``update_service`` with a new task
definition, a new ``networkConfiguration`` or ``forceNewDeployment`` makes a new PRIMARY
deployment and turns the others ACTIVE (botocore's ECS model, ``UpdateService``);
``delete_service`` stops the service's tasks; ``run_task`` starts tasks outside any service;
``stop_task`` stops one ("UserInitiated").
``create_service`` and ``update_service`` answer with the whole service as it now is, defaults
filled in and ``taskDefinition`` as an ARN (botocore's ECS ``examples-1.json``). A deleted
service is DRAINING while it has tasks that are not yet STOPPING or STOPPED, then INACTIVE, and
``list_services`` no longer lists it (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteService.html).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ecslab.semantics.arns import resource_name, service_key
from ecslab.world import (
    service_calls,
    service_deployments,
    service_events,
    targets,
)
from ecslab.world.deployments import ACTIVE, Deployment, deployment_dicts
from ecslab.world.lifecycle import (
    DEPROVISIONING,
    RUNNING,
    STARTING_STATES,
    STOPPED,
    STOPPING,
    USER_INITIATED,
)
from ecslab.world.moto_adapter import core as moto_core
from ecslab.world.moto_adapter import ecs_models, elbv2_models

if TYPE_CHECKING:
    from ecslab.world.call_handlers import Handle, Registrar
    from ecslab.world.moto_hooks import ApiCall
    from ecslab.world.runtime import Runtime
    from ecslab.world.world import World

#: A deleted service turns INACTIVE once each of its tasks is in one of these (DeleteService).
_PAST_STOPPING = frozenset({STOPPING, DEPROVISIONING, STOPPED})


def register(runtime: Runtime, calls: Registrar) -> None:
    """The calls the running world answers or follows, in the order they were handled."""
    calls.before("ecs", _DEPLOYMENT_CALLS, _on(runtime, _answer_service_deployments))
    calls.before("ecs", "UpdateService", _on(runtime, _deploy_before_update))
    calls.after("elbv2", _TARGET_GROUP_CHANGES, _on(runtime, _rearm_targets))
    calls.after("elbv2", "CreateListener", _on(runtime, _stable_default_rules))
    for action, handler in _HANDLERS.items():
        calls.after("ecs", action, _on(runtime, _reconciled(handler)))


#: The service deployment calls moto lacks: answered here.
_DEPLOYMENT_CALLS = ("ListServiceDeployments", "DescribeServiceDeployments")
#: ELBv2's calls that change a target group's health-check settings (botocore's elbv2 model).
_TARGET_GROUP_CHANGES = ("ModifyTargetGroup", "ModifyTargetGroupAttributes")


def _on(runtime: Runtime, handle: Callable[[Runtime, ApiCall], None]) -> Handle:
    """``handle`` as a handler of the world's calls, for this runtime (named as ``handle``)."""

    def run(world: World, call: ApiCall) -> None:
        runtime.world = world
        handle(runtime, call)

    run.__name__ = run.__qualname__ = handle.__name__
    return run


def _reconciled(handler: Callable[[Runtime, ApiCall], None]) -> Callable[[Runtime, ApiCall], None]:
    """After a successful ECS call: its handler, then a reconcile."""

    def run(runtime: Runtime, call: ApiCall) -> None:
        if call.status != 200:
            return
        handler(runtime, call)
        runtime.reconcile()

    run.__name__ = run.__qualname__ = handler.__name__
    return run


def _answer_service_deployments(runtime: Runtime, call: ApiCall) -> None:
    call.answer = service_deployments.answer(runtime, call)


def _rearm_targets(runtime: Runtime, call: ApiCall) -> None:
    targets.rearm(runtime)  # new health-check settings: idle targets are checked again


def _stable_default_rules(runtime: Runtime, call: ApiCall) -> None:
    if call.status == 200:
        elbv2_models.stable_default_rules(call.account, call.region)


def _deploy_before_update(runtime: Runtime, call: ApiCall) -> None:
    """An ``update_service`` gets its new deployment before moto answers, so the answer has it."""
    params = call.params
    forced = bool(params.pop("forceNewDeployment", False))  # moto would only rename a deployment
    cluster = str(params.get("cluster") or "default")
    key = service_key(call.account, call.region, cluster, str(params.get("service", "")))
    service = runtime.services.get(key)
    if service is None:
        return
    wanted = params.get("taskDefinition")
    definition = service.primary.task_definition
    if wanted:
        found = ecs_models.task_definition(call.account, call.region, wanted)
        if found is None:  # moto answers the call with the error
            return
        definition = found.arn
    network = service_calls.network_of(service)
    service_calls.apply_update(service, params)
    params.pop("desiredCount", None)  # moto would report every desired task as running at once
    # "networkConfiguration ... This parameter triggers a new service deployment" (botocore's
    # UpdateService); the same configuration again is taken as no change (plausible).
    moved = service_calls.network_of(service) != network
    if forced or moved or definition != service.primary.task_definition:
        for old in service.deployments:
            old.status = ACTIVE
        service.deployments.insert(0, new_deployment(runtime, definition))
        service_deployments.started(service, service.primary, runtime.now)
        service.steady_since = None
        service.stuck_announced = False
    mirror_service(runtime, key)
    runtime.mark(key)


def new_deployment(
    runtime: Runtime, task_definition: str, deployment_id: str | None = None
) -> Deployment:
    """A deployment with an ID like AWS's: ``ecs-svc/`` and 19 digits."""
    chosen = deployment_id or f"ecs-svc/{moto_core.draw_int(10**18, 10**19 - 1)}"
    return Deployment(chosen, task_definition, runtime.now)


def _create_service(runtime: Runtime, call: Any) -> None:
    record = service_calls.service_from_call(call)
    key = (record.account, record.region, record.cluster, record.name)
    answer = call.response.get("service", {})
    moto_ids = [d.get("id") for d in answer.get("deployments") or []]
    runtime.services[key] = record
    runtime.events[key] = service_events.EventLog()
    runtime.service_tasks[key] = []
    definition = str(answer.get("taskDefinition", ""))
    record.deployments = [new_deployment(runtime, definition, moto_ids[0] if moto_ids else None)]
    service_deployments.started(record, record.primary, runtime.now)
    runtime.service_history.append(record)
    ecs_models.stamp_service_created(key, runtime.when(runtime.now), _caller(call))
    mirror_service(runtime, key)
    _answer_with_service(call, key)
    runtime.mark(key)


def _caller(call: Any) -> str:
    """``createdBy``: the caller's principal (moto's callers are the account's root)."""
    return f"arn:aws:iam::{call.account}:root"


def _answer_with_service(call: Any, key: tuple[str, str, str, str]) -> None:
    moto = ecs_models.service_record(key)
    if moto is not None:
        call.answer = {"service": moto}


def _update_service(runtime: Runtime, call: Any) -> None:
    key = service_calls.key_of(call)
    if key in runtime.services:
        service_calls.mirror_settings(runtime.services[key], key)
        mirror_service(runtime, key)
        _answer_with_service(call, key)
        runtime.mark(key)


def _delete_service(runtime: Runtime, call: Any) -> None:
    key = service_calls.key_of(call)
    service = runtime.services.get(key)
    if service is not None:
        service.deleted = True
        mirror_service(runtime, key)
        _answer_with_service(call, key)
        runtime.mark(key)


def _list_services(runtime: Runtime, call: Any) -> None:
    """DRAINING and INACTIVE services are not listed (DeleteService API reference)."""
    gone = ecs_models.inactive_service_arns(call.account, call.region)
    arns = call.response.get("serviceArns") or []
    if gone & set(arns):
        call.replacement = call.response | {"serviceArns": [a for a in arns if a not in gone]}


def _run_task(runtime: Runtime, call: Any) -> None:
    adopted: list[object] = []
    for described in call.response.get("tasks", []):
        cluster = resource_name(described["clusterArn"])
        arn = described["taskArn"]
        if runtime.launch(arn, call.account, call.region, cluster, None, None) is not None:
            adopted += ecs_models.task_records(call.account, call.region, cluster, [arn])
    if adopted:
        # moto answered before the world took the tasks: RunTask's answer shows each new task
        # PROVISIONING on its way to RUNNING (task-lifecycle-explanation.html), every container
        # PENDING.
        call.answer = {"tasks": adopted, "failures": call.response.get("failures", [])}


def _stop_task(runtime: Runtime, call: Any) -> None:
    record = runtime.tasks.get(call.response.get("task", {}).get("taskArn", ""))
    if record is not None:
        runtime.stop(record, USER_INITIATED, call.params.get("reason") or None)


#: The ECS calls the world follows after moto answered them (then it reconciles).
_HANDLERS: dict[str, Callable[[Runtime, ApiCall], None]] = {
    "CreateService": _create_service,
    "UpdateService": _update_service,
    "DeleteService": _delete_service,
    "ListServices": _list_services,
    "RunTask": _run_task,
    "StopTask": _stop_task,
}


def mirror_service(runtime: Runtime, key: tuple[str, str, str, str]) -> None:
    """Copy a service's counts, deployments and events onto moto's record of it."""
    service = runtime.services.get(key)
    if service is None or ecs_models.service_record(key) is None:
        return
    counts: dict[str, tuple[int, int]] = {}
    for arn in runtime.service_tasks.get(key, []):
        task = runtime.tasks.get(arn)
        if task is None:
            continue
        running, pending = counts.get(task.deployment_id or "", (0, 0))
        running += task.state == RUNNING
        pending += task.live and task.state in STARTING_STATES
        counts[task.deployment_id or ""] = (running, pending)
    deployments = deployment_dicts(service, counts, runtime.when)
    service_deployments.refresh(service, runtime.now)
    status = None
    if service.deleted:
        tasks = [runtime.tasks[a] for a in runtime.service_tasks.get(key, []) if a in runtime.tasks]
        draining = any(t.state not in _PAST_STOPPING for t in tasks)
        status = "DRAINING" if draining else "INACTIVE"
    view = ecs_models.ServiceView(
        running_count=sum(r for r, _ in counts.values()),
        pending_count=sum(p for _, p in counts.values()),
        desired_count=service.desired_count,
        deployments=deployments,
        events=runtime.events[key].events,
        task_definition=service.primary.task_definition,
        current_service_deployment=service_deployments.current(service),
        status=status,
    )
    ecs_models.show_service(key, view)
