"""The thin layer where the running world reads and writes moto's ECS, ELBv2 and EC2 records.

The world keeps its own records (:class:`~ecslab.world.lifecycle.TaskRecord`, ...) and mirrors
them onto moto's objects, so that plain boto3 calls (``describe_tasks``, ``list_tasks``,
``describe_services``, ``describe_target_health``) answer with the world's truth. Three moto
behaviours are replaced per object at run time (never in moto's files):

* a task the world runs becomes a :class:`WorldTask`: its ``lastStatus`` is the world's, and
  moto's own writes (``stop_task`` jumps straight to STOPPED) are ignored;
* ``list_tasks`` filters by ``serviceName`` and defaults ``desiredStatus`` to RUNNING, as the
  ECS API reference says (moto ignores the first and lists every task);
* a target group's ``health_for`` reports the world's target health.
"""

from __future__ import annotations

import ipaddress
import socket
import struct
from typing import Any

from ecslab.semantics.arns import resource_name
from ecslab.world.lifecycle import TaskRecord
from ecslab.world.moto_adapter import ec2_models, ecs_models, elbv2_models
from ecslab.world.moto_adapter.ecs_models import Task

#: AWS keeps the first four addresses and the last of every subnet for itself.
_RESERVED_LOW = 4


def ecs(account: str, region: str) -> Any:
    return ecs_models.backend(account, region)


def elbv2(account: str, region: str) -> Any:
    return elbv2_models.backend(account, region)


def ec2(account: str, region: str) -> Any:
    return ec2_models.backend(account, region)


class WorldTask(Task):
    """A moto Task whose ``lastStatus`` the world sets, and moto's own writes cannot."""

    @property  # type: ignore[override]
    def last_status(self) -> str:
        return self.__dict__.get("ecslab_status", "PROVISIONING")

    @last_status.setter
    def last_status(self, value: str) -> None:
        pass  # moto's stop_task would jump to STOPPED; the world moves the task instead


def adopt(task: Any, definition: Any = None) -> None:
    """Make a moto task follow the world (see :class:`WorldTask`), with one container per
    container definition (moto describes only the first, under the task definition's ARN)."""
    task.__class__ = WorldTask
    task._transitions = []  # moto's own state manager must not advance it
    task.ecslab_status = "PROVISIONING"
    if definition is not None:
        task.containers = [_container(task, c) for c in definition.container_definitions]


def _container(task: Any, definition: dict[str, Any]) -> Any:
    """A task's container as DescribeTasks shows it: ``containerArn`` is
    ``container/<cluster>/<task id>/<uuid>`` and ``taskArn`` the task's own (ECS API
    reference, ``Container``)."""
    from ecslab.world.moto_adapter.core import mock_random
    from ecslab.world.moto_adapter.ecs_models import Container

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


def definition_of(account: str, region: str, task: Any) -> Any | None:
    """The task definition a moto task runs."""
    try:
        return ecs(account, region).describe_task_definition(task.task_definition_arn)
    except Exception:  # deregistered and purged: keep moto's containers
        return None


def find_task(account: str, region: str, cluster: str, arn: str) -> Any | None:
    return ecs(account, region).tasks.get(cluster, {}).get(arn)


def forget_task(account: str, region: str, cluster: str, arn: str) -> None:
    ecs(account, region).tasks.get(cluster, {}).pop(arn, None)


def subnet_of(account: str, region: str, subnet_id: str) -> Any:
    return ec2(account, region).get_subnet(subnet_id)


def place_eni(account: str, region: str, task: Any, subnet_id: str) -> tuple[str, str, str]:
    """Give the task's network interface an address from its own subnet (moto draws one from
    anywhere in 10.0.0.0/8). Returns (ip, availability zone, ENI id)."""
    backend = ec2(account, region)
    subnet = backend.get_subnet(subnet_id)
    details = {d["name"]: d for d in task.attachments[0]["details"]} if task.attachments else {}
    eni_id = details.get("networkInterfaceId", {}).get("value", "")
    eni = backend.enis.get(eni_id)
    network = ipaddress.ip_network(subnet.cidr_block)
    used = {
        e.private_ip_address
        for e in backend.enis.values()
        if e is not eni and getattr(e.subnet, "id", None) == subnet_id
    }
    candidate = int(network.network_address) + _RESERVED_LOW
    while (ip := socket.inet_ntoa(struct.pack("!I", candidate))) in used:
        candidate += 1
    dns = f"ip-{ip.replace('.', '-')}." + (
        "ec2.internal" if region == "us-east-1" else f"{region}.compute.internal"
    )
    if eni is not None:
        eni.subnet = subnet
        eni.private_ip_address = ip
        eni.private_dns_name = dns
        eni.private_ip_addresses = [
            {"Primary": True, "PrivateIpAddress": ip, "PrivateDnsName": dns}
        ]
    for name, value in (
        ("subnetId", subnet_id),
        ("privateIPv4Address", ip),
        ("privateDnsName", dns),
    ):
        if name in details:
            details[name]["value"] = value
    return ip, subnet.availability_zone, eni_id


def delete_eni(account: str, region: str, eni_id: str) -> None:
    backend = ec2(account, region)
    if eni_id in backend.enis:
        backend.delete_network_interface(eni_id)


def mirror_task(record: TaskRecord, task: Any, when: Any) -> None:
    """Copy the world's view of a task onto moto's object (``when`` turns seconds to datetimes)."""
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


# -- per-object replacements --------------------------------------------------------------------


def watch_ecs_backend(backend: Any) -> None:
    """Make ``list_tasks`` honour ``serviceName`` and the RUNNING default of ``desiredStatus``."""
    if getattr(backend, "_ecslab_watched", False):
        return
    original = backend.list_tasks

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

    backend.list_tasks = list_tasks
    backend._ecslab_watched = True


def watch_target_group(group: Any, health_of: Any) -> None:
    """Let ``describe_target_health`` ask ``health_of(target_id)`` for the world's targets.

    ``health_of`` returns ``(state, reason, description)`` or ``None`` for a target the world
    does not manage (one a learner registered by hand), which keeps moto's answer."""
    if getattr(group, "_ecslab_watched", False):
        return
    from ecslab.world.moto_adapter.elbv2_models import FakeHealthStatus, FakeTargetGroup

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


def stable_default_rules(account: str, region: str) -> None:
    """Give every listener's default rule an ARN that repeats run to run.

    moto names it after ``id()`` of a Python object, which changes every run; AWS's rule IDs are
    16 hex digits. The ID here is derived from the listener's ARN (no random draw)."""
    import hashlib

    for balancer in elbv2(account, region).load_balancers.values():
        for listener_arn, listener in balancer.listeners.items():
            digest = hashlib.sha256(listener_arn.encode()).hexdigest()[:16]
            for rule in listener._default_rule.values():
                rule.arn = listener_arn.replace(":listener/", ":listener-rule/") + f"/{digest}"
