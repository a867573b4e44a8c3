"""Task definitions: network mode, port mappings, container memory, essential containers.

What AWS does at RegisterTaskDefinition (botocore's ECS model, ``RegisterTaskDefinitionRequest``,
``ContainerDefinition``, ``PortMapping``): Fargate needs the ``awsvpc`` network mode (the default
mode is ``bridge``); under ``awsvpc`` a host port is left blank (then it equals the container
port) or equals the container port; a host port is mapped once per task; a container's memory
fits the task's; when the task sets no memory every container sets ``memory`` or
``memoryReservation``; the container list is not empty and at least one container is essential
(omitted means essential); ports are port numbers (a container port 1–65535, a host port 0–65535).

Sources: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html,
https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html,
https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html.

Differs from AWS: the sum of all containers' memory against the task's is not checked (AWS's
message for it was not found); nor ``hostname`` under awsvpc, port ranges, or Windows rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ecslab.world.moto_hooks import ApiCall, AwsError
from ecslab.world.validation.fargate_sizes import is_fargate, memory_mib
from ecslab.world.validation.rules import rule

REGISTER = "RegisterTaskDefinition"
MODEL_TASK = (
    "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html"
)
MODEL_PORTS = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html"
MODEL_CONTAINER = (
    "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html"
)


def network_mode(params: dict[str, Any]) -> str:
    """The network mode: "If no network mode is specified, the default is bridge"."""
    return params.get("networkMode") or "bridge"


def _containers(params: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in params.get("containerDefinitions") or [] if isinstance(c, dict)]


def _port_mappings(params: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for container in _containers(params):
        for mapping in container.get("portMappings") or []:
            if isinstance(mapping, dict):
                yield mapping


@rule("ecs", REGISTER, source=MODEL_TASK)
def fargate_requires_awsvpc(call: ApiCall) -> None:
    """A Fargate task definition must use the awsvpc network mode (the default is bridge)."""
    # Message from raw API answers printed by ecs-cli (aws/amazon-ecs-cli#1145) and others
    # (awslabs/ecs-nginx-reverse-proxy#1). They all show typographic quotes around awsvpc.
    # [UNVERIFIED] the API's quote character is not documented; the observed one is kept.
    if is_fargate(call.params) and network_mode(call.params) != "awsvpc":
        raise AwsError("ClientException", "Fargate only supports network mode ‘awsvpc’.")


@rule("ecs", REGISTER, source=MODEL_PORTS, kind="fills in")
def awsvpc_host_port_defaults_to_container_port(call: ApiCall) -> None:
    """Under awsvpc, an omitted hostPort is set to the containerPort (a static mapping)."""
    if network_mode(call.params) != "awsvpc":
        return
    for mapping in _port_mappings(call.params):
        if mapping.get("hostPort") is None and mapping.get("containerPort") is not None:
            mapping["hostPort"] = mapping["containerPort"]


@rule("ecs", REGISTER, source=MODEL_PORTS)
def awsvpc_host_port_equals_container_port(call: ApiCall) -> None:
    """Under awsvpc, a hostPort must be blank or equal to its containerPort."""
    # Message: aws/amazon-ecs-cli#1014, pulumi/pulumi-awsx#935 (raw API answers).
    if network_mode(call.params) != "awsvpc":
        return
    for mapping in _port_mappings(call.params):
        if mapping.get("hostPort") not in (None, mapping.get("containerPort")):
            raise AwsError(
                "ClientException",
                "When networkMode=awsvpc, the host ports and container ports in port mappings "
                "must match.",
            )


@rule("ecs", REGISTER, source=MODEL_PORTS)
def host_port_mapped_once(call: ApiCall) -> None:
    """One host port (per protocol) may be mapped only once in a task."""
    # Message: aws/amazon-ecs-agent#1220 ("TCP host port '3000' is mapped multiple times in
    # task."). A host port of 0 or none in bridge mode is dynamic and never collides.
    seen: set[tuple[str, int]] = set()
    for mapping in _port_mappings(call.params):
        port = mapping.get("hostPort")
        if not port:
            continue
        protocol = str(mapping.get("protocol") or "tcp").upper()
        if (protocol, port) in seen:
            raise AwsError(
                "ClientException",
                f"{protocol} host port '{port}' is mapped multiple times in task.",
            )
        seen.add((protocol, port))


@rule("ecs", REGISTER, source=MODEL_CONTAINER)
def container_memory_fits_task_memory(call: ApiCall) -> None:
    """A container's memory may not be greater than the task's memory."""
    # Message from raw API answers: pulumi/pulumi-awsx#188 and #1220.
    task_memory = memory_mib(call.params.get("memory"))
    if task_memory is None:
        return
    for container in _containers(call.params):
        memory = container.get("memory")
        if isinstance(memory, int) and memory > task_memory:
            raise AwsError(
                "ClientException",
                f"The 'memory' setting for container '{container.get('name')}' is greater than "
                "for the task.",
            )


@rule("ecs", REGISTER, source=MODEL_CONTAINER)
def container_memory_needed_without_task_memory(call: ApiCall) -> None:
    """Without task memory, each container must set memory or memoryReservation."""
    # Container memory is optional whenever the task sets memory (always so on Fargate).
    # Message: sil-org/ecs-deploy#59, cuttlesoft/ecs-deploy.py#17 (raw API answers).
    if call.params.get("memory"):
        return
    for container in _containers(call.params):
        if not container.get("memory") and not container.get("memoryReservation"):
            raise AwsError(
                "ClientException",
                f"Invalid setting for container '{container.get('name')}'. At least one of "
                "'memory' or 'memoryReservation' must be specified.",
            )


@rule("ecs", REGISTER, source=MODEL_CONTAINER)
def at_least_one_essential_container(call: ApiCall) -> None:
    """At least one container must be essential (an omitted essential means true)."""
    # Message: eagletmt/hako#68 (quoting the API), confirmed in aws-cloudformation/cfn-lint#4536.
    containers = _containers(call.params)
    if containers and all(c.get("essential", True) is False for c in containers):
        raise AwsError("ClientException", "Task definition doesn't have any essential container.")


MODEL_PLATFORM = (
    "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RuntimePlatform.html"
)
#: ``RuntimePlatform.cpuArchitecture`` (botocore's ECS model, ``CPUArchitecture``).
CPU_ARCHITECTURES = ("X86_64", "ARM64")


@rule("ecs", REGISTER, source=MODEL_PLATFORM)
def cpu_architecture_is_x86_64_or_arm64(call: ApiCall) -> None:
    """``runtimePlatform.cpuArchitecture`` is X86_64 or ARM64; omitted, Fargate uses X86_64."""
    # The wording is AWS's usual one for a value outside an enum; the ClientException code for
    # it is [UNVERIFIED] (no raw answer for this member was found).
    platform = call.params.get("runtimePlatform") or {}
    architecture = platform.get("cpuArchitecture")
    if architecture is not None and architecture not in CPU_ARCHITECTURES:
        raise AwsError(
            "ClientException",
            f"1 validation error detected: Value '{architecture}' at "
            "'runtimePlatform.cpuArchitecture' failed to satisfy constraint: Member must "
            f"satisfy enum value set: [{', '.join(CPU_ARCHITECTURES)}]",
        )


@rule("ecs", REGISTER, source=MODEL_TASK)
def container_definitions_not_empty(call: ApiCall) -> None:
    """A task definition has at least one container."""
    # Message: a raw RegisterTaskDefinition answer quoted in
    # awsdocs/aws-cloudformation-user-guide#454 ("Container list cannot be empty.").
    if "containerDefinitions" in call.params and not call.params["containerDefinitions"]:
        raise AwsError("ClientException", "Container list cannot be empty.")


#: The highest TCP/UDP port number; a container port is 1 or more, a host port 0 (dynamic) or more.
MAX_PORT = 65535


@rule("ecs", REGISTER, source=MODEL_PORTS)
def port_numbers_within_1_to_65535(call: ApiCall) -> None:
    """A containerPort is 1–65535 and a hostPort 0–65535 (0 or none picks a dynamic port)."""
    # The wording is AWS's for a containerPort it cannot use (a raw answer in aws/aws-cli#7288);
    # [UNVERIFIED] that a port out of range gets the same one. Tests assert the code only.
    for container in _containers(call.params):
        for mapping in container.get("portMappings") or []:
            if not isinstance(mapping, dict):
                continue
            for key, lowest in (("containerPort", 1), ("hostPort", 0)):
                port = mapping.get(key)
                if isinstance(port, int) and not lowest <= port <= MAX_PORT:
                    raise AwsError(
                        "ClientException",
                        f"Invalid '{key}' setting for container '{container.get('name')}'.",
                    )
