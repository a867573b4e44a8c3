"""Fargate task sizes: the whole cpu/memory table, and "1 vCPU" / "2GB" read as AWS reads them."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecslab.lab import Lab
from ecslab.world.validation.fargate_sizes import FARGATE_TASK_SIZES
from tests.validation_calls import aws_error, ec2_task, fargate_task

VALID_PAIRS = [(cpu, memory) for cpu, memories in FARGATE_TASK_SIZES.items() for memory in memories]
ONE_LAB = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def register(lab: Lab, **overrides: Any) -> dict[str, Any]:
    return lab.client("ecs").register_task_definition(**fargate_task(**overrides))["taskDefinition"]


def no_configuration(cpu: Any, memory: Any) -> str:
    return (
        f"No Fargate configuration exists for given values: {cpu} CPU, {memory} memory. "
        "See the Amazon ECS documentation for the valid values."
    )


def test_the_table_has_74_pairs_from_quarter_to_sixteen_vcpu() -> None:
    """AWS's page lists 74 valid pairs, 8 and 16 vCPU included."""
    assert len(VALID_PAIRS) == 74
    assert FARGATE_TASK_SIZES[8192] == tuple(range(16384, 61441, 4096))
    assert FARGATE_TASK_SIZES[16384] == tuple(range(32768, 122881, 8192))


def test_fargate_cpu_and_memory_are_a_listed_pair_accepts_all_74(lab: Lab) -> None:
    """Every pair of the table registers, and is stored as given."""
    for cpu, memory in VALID_PAIRS:
        stored = register(lab, cpu=str(cpu), memory=str(memory))
        assert (stored["cpu"], stored["memory"]) == (str(cpu), str(memory))


def test_fargate_cpu_and_memory_are_a_listed_pair_rejects_256_with_8192(lab: Lab) -> None:
    """The learner's classic mistake: a quarter vCPU cannot have 8 GB."""
    code, message = aws_error(lambda: register(lab, cpu="256", memory="8192"))
    assert (code, message) == ("ClientException", no_configuration(256, 8192))


@ONE_LAB
@given(
    cpu=st.sampled_from(sorted(FARGATE_TASK_SIZES)) | st.integers(1, 20000),
    memory=st.integers(1, 130000),
)
def test_fargate_pairs_registered_exactly_when_listed(lab: Lab, cpu: int, memory: int) -> None:
    """Any pair registers if and only if it is in the table; otherwise AWS's message."""
    if (cpu, memory) in VALID_PAIRS:
        assert register(lab, cpu=str(cpu), memory=str(memory))["memory"] == str(memory)
    else:
        code, message = aws_error(lambda: register(lab, cpu=str(cpu), memory=str(memory)))
        assert (code, message) == ("ClientException", no_configuration(cpu, memory))


@ONE_LAB
@given(pair=st.sampled_from(VALID_PAIRS), spaced=st.booleans(), lower=st.booleans())
def test_cpu_and_memory_become_units_for_every_pair(
    lab: Lab, pair: tuple[int, int], spaced: bool, lower: bool
) -> None:
    """vCPU and GB forms of a valid pair are stored as CPU units and MiB."""
    cpu, memory = pair
    space = " " if spaced else ""
    vcpu = f"{cpu / 1024:g}{space}{'vcpu' if lower else 'vCPU'}"
    gb = f"{memory / 1024:g}{space}{'gb' if lower else 'GB'}"
    stored = register(lab, cpu=vcpu, memory=gb)
    assert (stored["cpu"], stored["memory"]) == (str(cpu), str(memory))


def test_cpu_and_memory_become_units_on_ec2_too(lab: Lab) -> None:
    """The conversion is not Fargate's: an EC2 task definition's "1 vCPU" is stored as 1024."""
    ecs = lab.client("ecs")
    stored = ecs.register_task_definition(**ec2_task(cpu="1 vCPU", memory="0.5GB"))
    assert (stored["taskDefinition"]["cpu"], stored["taskDefinition"]["memory"]) == ("1024", "512")


def test_fargate_cpu_and_memory_are_a_listed_pair_rejects_half_vcpu_with_512(lab: Lab) -> None:
    """The vCPU form is checked after conversion, and the message shows the units."""
    code, message = aws_error(lambda: register(lab, cpu=".5 vCPU", memory="0.5 GB"))
    assert (code, message) == ("ClientException", no_configuration(512, 512))


@pytest.mark.parametrize("cpu", ["", "fast", "1 core", "0.3 vCPU"])
def test_task_cpu_is_readable_rejects(lab: Lab, cpu: str) -> None:
    """A cpu AWS cannot read as units or vCPUs is an invalid setting, on any launch type."""
    ecs = lab.client("ecs")
    code, message = aws_error(lambda: ecs.register_task_definition(**ec2_task(cpu=cpu)))
    assert (code, message) == ("ClientException", "Invalid 'cpu' setting for task.")


def test_task_cpu_is_readable_accepts_units_and_vcpus(lab: Lab) -> None:
    """CPU units and vCPUs are both readable."""
    ecs = lab.client("ecs")
    assert ecs.register_task_definition(**ec2_task(cpu="128"))["taskDefinition"]["cpu"] == "128"
    assert ecs.register_task_definition(**ec2_task(cpu="2 vcpu"))["taskDefinition"]["cpu"] == "2048"


def test_task_memory_is_readable_rejects_megabytes(lab: Lab) -> None:
    """Memory is MiB or GB; "512MB" is neither."""
    ecs = lab.client("ecs")
    code, message = aws_error(lambda: ecs.register_task_definition(**ec2_task(memory="512MB")))
    assert (code, message) == ("ClientException", "Invalid 'memory' setting for task.")


def test_task_memory_is_readable_accepts_mib_and_gb(lab: Lab) -> None:
    """MiB and GB are both readable."""
    ecs = lab.client("ecs")
    stored = ecs.register_task_definition(**ec2_task(memory="3GB"))["taskDefinition"]
    assert stored["memory"] == "3072"


def test_fargate_requires_task_cpu_rejects_a_missing_cpu(lab: Lab) -> None:
    """Fargate needs cpu at the task level; AWS says so, not moto's container-memory message."""
    params = fargate_task()
    del params["cpu"]
    code, message = aws_error(lambda: lab.client("ecs").register_task_definition(**params))
    assert (code, message) == (
        "ClientException",
        "Fargate requires that 'cpu' be defined at the task level.",
    )


def test_fargate_requires_task_cpu_accepts_task_cpu_without_container_cpu(lab: Lab) -> None:
    """Only the task needs cpu; the container has none."""
    assert register(lab)["cpu"] == "256"


def test_fargate_requires_task_memory_rejects_a_missing_memory(lab: Lab) -> None:
    """Fargate needs memory at the task level, even when the container sets its own."""
    params = fargate_task(containerDefinitions=[{"name": "web", "image": "nginx", "memory": 512}])
    del params["memory"]
    code, message = aws_error(lambda: lab.client("ecs").register_task_definition(**params))
    assert (code, message) == (
        "ClientException",
        "Fargate requires that 'memory' be defined at the task level.",
    )


def test_fargate_requires_task_memory_accepts_task_memory(lab: Lab) -> None:
    """Task memory given: the container needs none."""
    assert register(lab, memory="1GB")["memory"] == "1024"
