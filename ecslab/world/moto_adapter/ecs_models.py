"""moto's ECS (``moto.ecs.models``): tasks, containers, services, task definitions.

The only module that knows the attribute names of moto's ECS records. The world keeps its own
records (:class:`~ecslab.world.lifecycle.TaskRecord`, ...) and mirrors them onto moto's through
the functions here, so that plain boto3 calls (``describe_tasks``, ``list_tasks``,
``describe_services``) answer with the world's truth. Two moto behaviours are replaced per
object at run time (never in moto's files):

* a task the world runs becomes a :class:`WorldTask`: its ``lastStatus`` is the world's, and
  moto's own writes (``stop_task`` jumps straight to STOPPED) are ignored;
* ``list_tasks`` filters by ``serviceName`` and defaults ``desiredStatus`` to RUNNING, as the
  ECS API reference says (moto ignores the first and lists every task).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ecslab.semantics.service_models import shared_by_new_sessions

with shared_by_new_sessions():  # it imports moto's EC2, which makes botocore sessions
    from moto.ecs.models import Container, EC2ContainerServiceBackend, Task, ecs_backends

from ecslab.semantics.arns import resource_name
from ecslab.world.lifecycle import TaskRecord
from ecslab.world.moto_adapter import ec2_models
from ecslab.world.moto_adapter.core import backend_of, mock_random
from ecslab.world.patches import PATCHES

__all__ = [
    "AdoptedTask",
    "EC2ContainerServiceBackend",
    "Service",
    "ServiceSettings",
    "ServiceView",
    "Task",
    "TaskDefinition",
    "adopt_task",
    "backend",
    "cluster_task_ids",
    "forget_task",
    "inactive_service_arns",
    "install_task_ids",
    "mirror_task",
    "place_task_interface",
    "run_service_task",
    "service",
    "service_record",
    "show_service",
    "show_service_settings",
    "stamp_service_created",
    "task_definition",
    "task_interface_id",
    "task_records",
]

#: Turns the world's seconds into the datetimes moto's records hold.
When = Callable[[float | None], datetime | None]


def backend(account: str, region: str) -> EC2ContainerServiceBackend:
    return backend_of(ecs_backends, account, region)


# -- task definitions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskDefinition:
    """What the world reads of a registered task definition (its API names, snake_cased)."""

    arn: str
    container_definitions: list[dict[str, Any]]
    memory: str | None
    execution_role_arn: str | None
    runtime_platform: dict[str, Any] | None
    requires_compatibilities: list[str] | None = None
    network_mode: str | None = None


def task_definition(account: str, region: str, reference: str) -> TaskDefinition | None:
    """The task definition a family, ``family:revision`` or ARN names, if moto knows it."""
    try:
        found = backend(account, region).describe_task_definition(reference)
    except Exception:  # moto's own not-found error
        return None
    return TaskDefinition(
        found.arn,
        found.container_definitions,
        found.memory,
        getattr(found, "execution_role_arn", None),  # set only when given
        found.runtime_platform,
        found.requires_compatibilities,
        found.network_mode,
    )


# -- tasks ----------------------------------------------------------------------------------------


class WorldTask(Task):
    """A moto Task whose ``lastStatus`` the world sets, and moto's own writes cannot."""

    @property  # type: ignore[override]
    def last_status(self) -> str:
        return self.__dict__.get("ecslab_status", "PROVISIONING")

    @last_status.setter
    def last_status(self, value: str) -> None:
        pass  # moto's stop_task would jump to STOPPED; the world moves the task instead


@dataclass(frozen=True)
class AdoptedTask:
    """What the world learns of a task moto has just made, once it has adopted it."""

    arn: str
    id: str
    task_definition_arn: str
    #: The subnet of its network interface (awsvpc tasks only), and that interface's id.
    subnet: str | None = None
    eni_id: str = ""
    security_groups: tuple[str, ...] = ()
    assign_public_ip: bool = False


def _task(account: str, region: str, cluster: str, arn: str) -> Any | None:
    return backend(account, region).tasks.get(cluster, {}).get(arn)


def _details(task: Any) -> dict[str, dict[str, Any]]:
    """The task's network-interface attachment details, by name."""
    return {d["name"]: d for d in task.attachments[0]["details"]} if task.attachments else {}


def adopt_task(account: str, region: str, cluster: str, arn: str) -> AdoptedTask | None:
    """Make a task moto made follow the world (see :class:`WorldTask`), with one container per
    container definition (moto describes only the first, under the task definition's ARN)."""
    task = _task(account, region, cluster, arn)
    if task is None:
        return None
    try:
        definition = backend(account, region).describe_task_definition(task.task_definition_arn)
    except Exception:  # deregistered and purged: keep moto's containers
        definition = None
    task.__class__ = WorldTask
    task._transitions = []  # moto's own state manager must not advance it
    task.ecslab_status = "PROVISIONING"
    if definition is not None:
        task.containers = [_container(task, c) for c in definition.container_definitions]
    _watch_list_tasks(backend(account, region))
    details = _details(task)
    if not details:
        return AdoptedTask(task.task_arn, task.id, task.task_definition_arn)
    awsvpc = (getattr(task, "network_configuration", None) or {}).get("awsvpcConfiguration") or {}
    return AdoptedTask(
        task.task_arn,
        task.id,
        task.task_definition_arn,
        subnet=details["subnetId"]["value"],
        eni_id=details.get("networkInterfaceId", {}).get("value", ""),
        security_groups=tuple(awsvpc.get("securityGroups") or ()),
        # Fargate ignores the subnet's MapPublicIpOnLaunch; the default is DISABLED.
        assign_public_ip=awsvpc.get("assignPublicIp") == "ENABLED",
    )


def _container(task: Any, definition: dict[str, Any]) -> Any:
    """A task's container as DescribeTasks shows it: ``containerArn`` is
    ``container/<cluster>/<task id>/<uuid>`` and ``taskArn`` the task's own (ECS API
    reference, ``Container``)."""
    container = Container.__new__(Container)
    task_arn = task.task_arn  # moto derives it anew, reading its settings, on every read
    parts = task_arn.split(":task/")
    prefix, cluster = parts[0], parts[1].split("/")[0]
    container.container_arn = f"{prefix}:container/{cluster}/{task.id}/{mock_random.uuid4()}"
    container.task_arn = task_arn
    container.name = definition.get("name")
    container.image = definition.get("image")
    container.last_status = "PENDING"
    container.exitCode = None
    container.network_interfaces = []
    container.health_status = "UNKNOWN"
    container.cpu = str(definition.get("cpu", 0))
    container.memory = definition.get("memory")
    container.environment = definition.get("environment")
    container.command = definition.get("command")
    return container


def run_service_task(
    account: str,
    region: str,
    cluster: str,
    task_definition_arn: str,
    started_by: str,
    network: dict[str, Any],
    group: str,
) -> str:
    """Have moto make one Fargate task (platform 1.4.0) of a service; returns its ARN."""
    (task,) = backend(account, region).run_task(
        cluster,
        task_definition_arn,
        1,
        None,
        started_by,
        None,
        "FARGATE",
        network,
        group,
        "1.4.0",
        None,
    )
    return str(task.task_arn)


def task_records(account: str, region: str, cluster: str, arns: list[str]) -> list[object]:
    """moto's records of these tasks, for a call's answer to serialise (never read)."""
    return [t for arn in arns if (t := _task(account, region, cluster, arn)) is not None]


def place_task_interface(
    account: str, region: str, cluster: str, arn: str, eni_id: str, subnet: str
) -> ec2_models.PlacedInterface:
    """Give the task's network interface an address from its own subnet, in EC2 and in the
    task's attachment details."""
    placed = ec2_models.place_interface(account, region, eni_id, subnet)
    task = _task(account, region, cluster, arn)
    details = _details(task) if task is not None else {}
    for name, value in (
        ("subnetId", subnet),
        ("privateIPv4Address", placed.ip),
        ("privateDnsName", placed.dns_name),
    ):
        if name in details:
            details[name]["value"] = value
    return placed


def task_interface_id(account: str, region: str, cluster: str, arn: str) -> str | None:
    """The id of the task's network interface ("" if its attachment names none), or ``None``
    when moto no longer has the task or it has no attachment."""
    task = _task(account, region, cluster, arn)
    if task is None or not task.attachments:
        return None
    return str(_details(task).get("networkInterfaceId", {}).get("value", ""))


def forget_task(account: str, region: str, cluster: str, arn: str) -> None:
    backend(account, region).tasks.get(cluster, {}).pop(arn, None)


def mirror_task(record: TaskRecord, when: When) -> None:
    """Copy the world's view of a task onto moto's record of it (if moto still has it)."""
    task = _task(record.account, record.region, record.cluster, record.arn)
    if task is None:
        return
    task.ecslab_status = record.state
    task.desired_status = record.desired
    task.stop_code = record.stop_code
    task.stopped_reason = record.stopped_reason
    task.created_at = when(record.created_at)
    task.started_at = when(record.started_at)
    task.pull_started_at = when(record.created_at + 10) if record.state != "PROVISIONING" else None
    if record.state == "ACTIVATING" and getattr(task, "pull_stopped_at", None) is None:
        task.pull_stopped_at = when(record.entered_at)  # images pulled: PENDING is over
    task.stopping_at = when(record.stopping_at)
    task.stopped_at = when(record.stopped_at)
    task.execution_stopped_at = when(record.stopped_at)
    task.availability_zone = record.availability_zone or None
    task.connectivity = "CONNECTED" if record.state not in ("PROVISIONING", "STOPPED") else None
    task.platform_family = "Linux"
    task.health_status = record.health_status
    if task.attachments:
        task.attachments[0]["status"] = _attachment_status(record.state)
    for container in task.containers:
        container.last_status = _container_status(record)
        container.exitCode = record.exit_code
        container.reason = record.stop_code and _container_reason(record)
        serving = container.name == record.container_name
        checked = record.container_health if serving else None
        container.health_status = checked.status if checked is not None else "UNKNOWN"
        if container.name == record.container_name and record.image_digest:
            container.image_digest = record.image_digest
        if record.ip and not container.network_interfaces:
            attachment = task.attachments[0]["id"] if task.attachments else ""
            container.network_interfaces = [
                {"attachmentId": attachment, "privateIpv4Address": record.ip}
            ]


def _attachment_status(state: str) -> str:
    """ECS API reference, ``Attachment.status``: PRECREATED, CREATED, ATTACHING, ATTACHED,
    DETACHING, DETACHED, DELETED or FAILED."""
    return {
        "PROVISIONING": "PRECREATED",
        "DEPROVISIONING": "DETACHING",
        "STOPPED": "DELETED",
    }.get(state, "ATTACHED")


def _container_status(record: TaskRecord) -> str:
    if record.state in ("PROVISIONING", "PENDING", "ACTIVATING"):
        return "PENDING"
    if record.state in ("RUNNING", "DEACTIVATING"):
        return "RUNNING"
    return "STOPPED"


def _container_reason(record: TaskRecord) -> str | None:
    if record.start_failure and record.stop_code == "TaskFailedToStart":
        return record.start_failure
    return record.container_reason


def _watch_list_tasks(found: EC2ContainerServiceBackend) -> None:
    """Make ``list_tasks`` honour ``serviceName`` and the RUNNING default of ``desiredStatus``."""
    if getattr(found, "_ecslab_watched", False):
        return
    original = found.list_tasks

    def list_tasks(
        cluster_str: str | None = None,
        container_instance: str | None = None,
        family: str | None = None,
        started_by: str | None = None,
        service_name: str | None = None,
        desiredStatus: str | None = None,
    ) -> list[Any]:
        tasks = original(
            cluster_str, container_instance, family, started_by, None, desiredStatus or "RUNNING"
        )
        if service_name:
            name = resource_name(service_name)
            tasks = [t for t in tasks if t.group == f"service:{name}"]
        return tasks

    found.list_tasks = list_tasks  # type: ignore[method-assign]
    found._ecslab_watched = True  # type: ignore[attr-defined]


# -- services -------------------------------------------------------------------------------------

#: A service by account, region, cluster name and service name.
ServiceKey = tuple[str, str, str, str]


def _service(key: ServiceKey) -> Any | None:
    account, region, cluster, name = key
    return backend(account, region).services.get(f"{cluster}:{name}")


def service_record(key: ServiceKey) -> object | None:
    """moto's record of the service, for a call's answer to serialise (never read)."""
    return _service(key)


def inactive_service_arns(account: str, region: str) -> set[str]:
    """The ARNs of the services moto holds that are not ACTIVE (DRAINING or INACTIVE)."""
    return {s.arn for s in backend(account, region).services.values() if s.status != "ACTIVE"}


def stamp_service_created(key: ServiceKey, created_at: datetime | None, created_by: str) -> None:
    """``createdAt`` on the virtual clock and ``createdBy``, which moto leaves out."""
    service = _service(key)
    if service is not None:
        service.created_at = created_at
        service.created_by = created_by


@dataclass(frozen=True)
class ServiceSettings:
    """The deployment settings moto keeps none of, as DescribeServices shows them."""

    deployment_configuration: dict[str, Any]
    health_check_grace_period_seconds: int
    load_balancers: list[dict[str, Any]]


def show_service_settings(key: ServiceKey, settings: ServiceSettings) -> None:
    service = _service(key)
    if service is None:
        return
    service.deployment_configuration = settings.deployment_configuration
    service.health_check_grace_period_seconds = settings.health_check_grace_period_seconds
    service.load_balancers = settings.load_balancers
    service.platform_family = "Linux"


@dataclass(frozen=True)
class ServiceView:
    """The world's counts, deployments and events of a service, as DescribeServices shows them."""

    running_count: int
    pending_count: int
    desired_count: int
    deployments: list[dict[str, Any]]
    events: list[dict[str, Any]]
    task_definition: str
    current_service_deployment: str | None
    #: "DRAINING" or "INACTIVE" once deleted; ``None`` leaves moto's status.
    status: str | None = None


def show_service(key: ServiceKey, view: ServiceView) -> bool:
    """Copy ``view`` onto moto's record of the service; ``False`` if moto has none."""
    service = _service(key)
    if service is None:
        return False
    service.running_count = view.running_count
    service.pending_count = view.pending_count
    service.desired_count = view.desired_count
    service.deployments = view.deployments
    service.events = view.events
    service.task_definition = view.task_definition
    service.current_service_deployment = view.current_service_deployment
    if view.status is not None:
        service.status = view.status
    return True


def install_task_ids() -> None:
    """ECS task IDs are 32 hexadecimal digits, as in "(task ca675154981d4ebd81b7a97747141a2e)"
    of AWS's service events; moto draws a dashed UUID. The ARN is derived from the ID, so the
    task is stored under the AWS-shaped ARN from the start."""
    original_init = Task.__init__

    def task_init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self.id = self.id.replace("-", "")

    PATCHES.replace(Task, "__init__", task_init, "ECS task IDs of 32 hexadecimal digits")


@dataclass(frozen=True)
class Service:
    """What validation compares a call with, of a service that exists."""

    arn: str
    status: str
    task_definition: str
    network_configuration: dict[str, Any] | None
    launch_type: str | None
    load_balancers: list[dict[str, Any]]


def service(account: str, region: str, cluster: str, name: str) -> Service | None:
    """The service ``name`` in ``cluster``, if moto has it."""
    try:
        found = backend(account, region)._get_service(cluster, name)
    except Exception:  # moto's own not-found error
        return None
    return Service(
        found.arn,
        found.status,
        found.task_definition,
        found.network_configuration,
        found.launch_type,
        list(found.load_balancers or []),
    )


def cluster_task_ids(account: str, region: str, cluster: str) -> set[str] | None:
    """The IDs of the tasks moto keeps for the cluster, or ``None`` for no such cluster."""
    found = backend(account, region)
    if cluster not in found.clusters:
        return None
    return {arn.split("/")[-1] for arn in found.tasks.get(cluster) or {}}
