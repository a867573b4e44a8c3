"""Task definitions: network mode, port mappings, container memory and essential containers."""

from __future__ import annotations

from typing import Any

import pytest

from ecslab.lab import Lab
from tests.validation_calls import aws_error, ec2_task, fargate_task, web_container


def register(lab: Lab, params: dict[str, Any]) -> dict[str, Any]:
    return lab.client("ecs").register_task_definition(**params)["taskDefinition"]


def test_fargate_requires_awsvpc_rejects_bridge(lab: Lab) -> None:
    """Fargate in bridge mode: AWS refuses, where moto quietly switched to awsvpc."""
    code, message = aws_error(lambda: register(lab, fargate_task(networkMode="bridge")))
    assert (code, message) == ("ClientException", "Fargate only supports network mode ‘awsvpc’.")


def test_fargate_requires_awsvpc_rejects_the_default_mode(lab: Lab) -> None:
    """No network mode means bridge, which Fargate refuses too."""
    params = fargate_task()
    del params["networkMode"]
    code, _ = aws_error(lambda: register(lab, params))
    assert code == "ClientException"


def test_fargate_requires_awsvpc_accepts_awsvpc(lab: Lab) -> None:
    """awsvpc is Fargate's mode."""
    assert register(lab, fargate_task())["networkMode"] == "awsvpc"


def test_awsvpc_host_port_defaults_to_container_port(lab: Lab) -> None:
    """An omitted hostPort is stored equal to the containerPort under awsvpc."""
    stored = register(lab, fargate_task())
    assert stored["containerDefinitions"][0]["portMappings"] == [
        {"containerPort": 80, "hostPort": 80}
    ]


def test_awsvpc_host_port_defaults_to_container_port_not_in_bridge_mode(lab: Lab) -> None:
    """In bridge mode an omitted hostPort stays omitted (a dynamic port)."""
    container = web_container(memory=256)
    stored = register(lab, ec2_task(containerDefinitions=[container]))
    assert stored["containerDefinitions"][0]["portMappings"] == [{"containerPort": 80}]


def test_awsvpc_host_port_equals_container_port_rejects_8080_to_80(lab: Lab) -> None:
    """Under awsvpc the container's port is the task's port: no remapping."""
    container = web_container(portMappings=[{"containerPort": 80, "hostPort": 8080}])
    code, message = aws_error(lambda: register(lab, fargate_task(containerDefinitions=[container])))
    assert (code, message) == (
        "ClientException",
        "When networkMode=awsvpc, the host ports and container ports in port mappings must match.",
    )


def test_awsvpc_host_port_equals_container_port_accepts_equal_ports(lab: Lab) -> None:
    """hostPort equal to containerPort is allowed."""
    container = web_container(portMappings=[{"containerPort": 8000, "hostPort": 8000}])
    stored = register(lab, fargate_task(containerDefinitions=[container]))
    assert stored["containerDefinitions"][0]["portMappings"][0]["hostPort"] == 8000


def test_host_port_mapped_once_rejects_two_containers_on_port_3000(lab: Lab) -> None:
    """Two containers of one task cannot both take host port 3000."""
    api = web_container(name="api", portMappings=[{"containerPort": 3000}])
    admin = web_container(name="admin", portMappings=[{"containerPort": 3000}])
    params = fargate_task(containerDefinitions=[api, admin])
    code, message = aws_error(lambda: register(lab, params))
    assert (code, message) == (
        "ClientException",
        "TCP host port '3000' is mapped multiple times in task.",
    )


def test_host_port_mapped_once_accepts_two_ports_and_dynamic_ports(lab: Lab) -> None:
    """Different ports, or bridge mode's dynamic host port 0, do not collide."""
    api = web_container(name="api", portMappings=[{"containerPort": 3000}])
    admin = web_container(name="admin", portMappings=[{"containerPort": 3001}])
    assert register(lab, fargate_task(containerDefinitions=[api, admin]))["revision"] == 1
    dynamic = [{"containerPort": 80, "hostPort": 0}]
    one = web_container(name="one", memory=128, portMappings=dynamic)
    two = web_container(name="two", memory=128, portMappings=dynamic)
    assert register(lab, ec2_task(containerDefinitions=[one, two]))["revision"] == 1


def test_container_memory_fits_task_memory_rejects_a_bigger_container(lab: Lab) -> None:
    """A container cannot have more memory than its task."""
    params = fargate_task(containerDefinitions=[web_container(memory=1024)])
    code, message = aws_error(lambda: register(lab, params))
    assert (code, message) == (
        "ClientException",
        "The 'memory' setting for container 'web' is greater than for the task.",
    )


def test_container_memory_fits_task_memory_accepts_an_equal_container(lab: Lab) -> None:
    """A container may have all of its task's memory."""
    params = fargate_task(containerDefinitions=[web_container(memory=512)])
    assert register(lab, params)["containerDefinitions"][0]["memory"] == 512


def test_container_memory_needed_without_task_memory_rejects(lab: Lab) -> None:
    """On EC2 without task memory, each container must say how much it needs."""
    params = ec2_task(containerDefinitions=[web_container()])
    code, message = aws_error(lambda: register(lab, params))
    assert (code, message) == (
        "ClientException",
        "Invalid setting for container 'web'. At least one of 'memory' or 'memoryReservation' "
        "must be specified.",
    )


def test_container_memory_needed_without_task_memory_accepts_a_reservation(lab: Lab) -> None:
    """A soft limit (memoryReservation) is enough."""
    params = ec2_task(containerDefinitions=[web_container(memoryReservation=128)])
    assert register(lab, params)["containerDefinitions"][0]["memoryReservation"] == 128


def test_at_least_one_essential_container_rejects_all_non_essential(lab: Lab) -> None:
    """A task whose containers are all non-essential is refused."""
    params = fargate_task(containerDefinitions=[web_container(essential=False)])
    code, message = aws_error(lambda: register(lab, params))
    assert (code, message) == (
        "ClientException",
        "Task definition doesn't have any essential container.",
    )


def test_at_least_one_essential_container_accepts_an_omitted_essential(lab: Lab) -> None:
    """An omitted essential means essential, so a sidecar may be non-essential."""
    sidecar = web_container(name="sidecar", essential=False, portMappings=[])
    stored = register(lab, fargate_task(containerDefinitions=[web_container(), sidecar]))
    assert [c["essential"] for c in stored["containerDefinitions"]] == [True, False]


def test_cpu_architecture_is_x86_64_or_arm64_rejects_another_value(lab: Lab) -> None:
    """runtimePlatform.cpuArchitecture outside the enum (botocore's CPUArchitecture); the error
    code is [UNVERIFIED], only its being refused is asserted with it."""
    params = fargate_task(runtimePlatform={"cpuArchitecture": "ARM"})
    code, message = aws_error(lambda: register(lab, params))
    assert code == "ClientException"
    assert "'runtimePlatform.cpuArchitecture'" in message and "[X86_64, ARM64]" in message


def test_cpu_architecture_is_x86_64_or_arm64_accepts_arm64(lab: Lab) -> None:
    """ARM64 (with the LINUX family Fargate needs for it) is kept as given."""
    platform = {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"}
    assert register(lab, fargate_task(runtimePlatform=platform))["runtimePlatform"] == platform


def test_container_definitions_not_empty_rejects(lab: Lab) -> None:
    """containerDefinitions=[]: AWS's "Container list cannot be empty.", where moto stored it."""
    assert aws_error(lambda: register(lab, fargate_task(containerDefinitions=[]))) == (
        "ClientException",
        "Container list cannot be empty.",
    )


def test_container_definitions_not_empty_accepts_one_container(lab: Lab) -> None:
    """One container is enough."""
    assert len(register(lab, fargate_task())["containerDefinitions"]) == 1


@pytest.mark.parametrize(
    "mapping", [{"containerPort": 70000}, {"containerPort": 0}, {"containerPort": -1}]
)
def test_port_numbers_within_1_to_65535_rejects_a_container_port(
    lab: Lab, mapping: dict[str, int]
) -> None:
    """A container port is a port number, 1-65535."""
    # [UNVERIFIED] the wording for a port out of range: the code only.
    params = fargate_task(containerDefinitions=[web_container(portMappings=[mapping])])
    code, message = aws_error(lambda: register(lab, params))
    assert code == "ClientException"
    assert "containerPort" in message


def test_port_numbers_within_1_to_65535_rejects_a_host_port(lab: Lab) -> None:
    """A bridge-mode host port above 65535 is refused too."""
    container = web_container(memory=256, portMappings=[{"containerPort": 80, "hostPort": 65536}])
    code, message = aws_error(lambda: register(lab, ec2_task(containerDefinitions=[container])))
    assert code == "ClientException"
    assert "hostPort" in message


def test_port_numbers_within_1_to_65535_accepts_the_bounds(lab: Lab) -> None:
    """Ports 1 and 65535, and a dynamic host port 0, are allowed."""
    mappings = [{"containerPort": 1, "hostPort": 0}, {"containerPort": 65535, "hostPort": 65535}]
    container = web_container(memory=256, portMappings=mappings)
    stored = register(lab, ec2_task(containerDefinitions=[container]))
    assert [m["containerPort"] for m in stored["containerDefinitions"][0]["portMappings"]] == [
        1,
        65535,
    ]
