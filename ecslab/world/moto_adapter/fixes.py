"""Valid calls that the pinned moto crashes on, made to succeed as they do on AWS.

Part of the adapter: each fix knows one of moto's methods, of whichever service.

Each fix replaces one moto method at run time (moto's files are never edited), from the moment
a host is installed (:func:`ecslab.world.moto_hooks.install`) until it leaves, through the
world's one registry of patches (:data:`~ecslab.world.patches.PATCHES`); while no world is
hosted the original method runs unchanged. A missing ``securityGroups``, the third crash, needs
no patch: the rule ``security_groups_default_to_the_vpcs`` fills it in before moto reads the
call.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ecslab.world import moto_hooks
from ecslab.world.patches import PATCHES


@dataclass(frozen=True)
class MotoFix:
    """One moto crash on valid input, and the AWS behaviour that replaces it."""

    name: str
    corrects: str  # the moto method and what it did
    aws: str  # what AWS does instead
    source: str
    install: Callable[[], None]


def _task_memory_only_at_task_level() -> None:
    """moto 5.2's ``_calculate_task_resource_requirements`` adds ``None`` to an int when a
    container sets neither ``memory`` nor ``memoryReservation`` (valid when the task sets
    memory, always so on Fargate), so RunTask crashes with a TypeError. Here such a container
    counts 0 MiB, and the task's own memory is what the task reserves."""
    from ecslab.world.moto_adapter.ecs_models import EC2ContainerServiceBackend

    original = EC2ContainerServiceBackend._calculate_task_resource_requirements

    def requirements(task_definition: Any) -> dict[str, Any]:
        keys = ("memory", "memoryReservation", "Memory", "MemoryReservation")
        containers = task_definition.container_definitions
        if moto_hooks.active_host() is None or all(
            any(c.get(k) is not None for k in keys) for c in containers
        ):
            return original(task_definition)
        sized = copy.copy(task_definition)
        sized.container_definitions = [
            c if any(c.get(k) is not None for k in keys) else {**c, "memory": 0} for c in containers
        ]
        result = original(sized)
        task_memory = str(task_definition.memory or "0")
        if task_memory.isdigit():
            result["MEMORY"] = max(result["MEMORY"], int(task_memory))
        return result

    PATCHES.replace(
        EC2ContainerServiceBackend,
        "_calculate_task_resource_requirements",
        staticmethod(requirements),
        "RunTask when only the task sets memory",
    )


def _eni_private_dns_name_always() -> None:
    """moto 5.2's ``NetworkInterface.__init__`` sets ``private_dns_name`` only when the VPC has
    DNS hostnames enabled, and ECS's ``Task.__init__`` then reads it for every awsvpc task, so
    RunTask in such a VPC crashes with an AttributeError. AWS gives every network interface its
    private IPv4 DNS name (``ip-10-0-1-5.ec2.internal``); ``enableDnsHostnames`` governs public
    DNS hostnames. Here the private name is always set."""
    from ecslab.world.moto_adapter.ec2_models import NetworkInterface, generate_dns_from_ip

    original = NetworkInterface.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        if moto_hooks.active_host() is None or hasattr(self, "private_dns_name"):
            return
        if self.private_ip_address:
            self.private_dns_name = generate_dns_from_ip(self.private_ip_address)

    PATCHES.replace(NetworkInterface, "__init__", init, "every ENI has its private DNS name")


def _repository_names_of_the_current_model() -> None:
    """moto 5.2's ``ECRBackend.create_repository`` checks names against an older pattern
    (``[._-]`` between words) and so refuses names AWS's current model allows, such as
    ``web__api`` or ``web--api``. The rule ``repository_name_follows_the_pattern`` checks the
    model's pattern before moto sees the call; here moto checks that same pattern."""
    from ecslab.world.moto_adapter.ecr_models import models as ecr_models
    from ecslab.world.validation.ecr import NAME_PATTERN

    original = ecr_models.ECRBackend.create_repository
    swapping = threading.Lock()  # the server creates learners' repositories on many threads

    def create_repository(self: Any, *args: Any, **kwargs: Any) -> Any:
        if moto_hooks.active_host() is None:
            return original(self, *args, **kwargs)
        with swapping:
            older = ecr_models.ECR_REPOSITORY_NAME_PATTERN
            ecr_models.ECR_REPOSITORY_NAME_PATTERN = NAME_PATTERN
            try:
                return original(self, *args, **kwargs)
            finally:
                ecr_models.ECR_REPOSITORY_NAME_PATTERN = older

    PATCHES.replace(
        ecr_models.ECRBackend,
        "create_repository",
        create_repository,
        "repository names of the current model",
    )


#: The capacity providers every account has: "The FARGATE and FARGATE_SPOT capacity providers
#: are reserved and are available to all accounts" (API_CreateCapacityProvider.html).
FARGATE_PROVIDERS = ("FARGATE", "FARGATE_SPOT")


def _capacity_providers_described_without_names() -> None:
    """moto 5.2's ``describe_capacity_providers`` iterates over ``capacityProviders``, which is
    optional, so the call without it crashes with a TypeError; and it knows nothing of the
    FARGATE and FARGATE_SPOT providers. AWS answers "details about all capacity providers",
    the two Fargate ones (ACTIVE, ARN in the caller's account) among them (the AWS CLI's
    ``describe-capacity-providers`` example). Here both are so."""
    from ecslab.world.moto_adapter.ecs_models import EC2ContainerServiceBackend

    original = EC2ContainerServiceBackend.describe_capacity_providers

    def describe(self: Any, names: list[str] | None) -> Any:
        if moto_hooks.active_host() is None:
            return original(self, names)
        if names is None:
            names = [p.name for p in self.capacity_providers.values()] + list(FARGATE_PROVIDERS)
        arn = f"arn:aws:ecs:{self.region_name}:{self.account_id}:capacity-provider/"
        fargate = [n for n in names if n.removeprefix(arn) in FARGATE_PROVIDERS]
        providers, failures = original(self, [n for n in names if n not in fargate])
        found = [
            {"capacityProviderArn": arn + name, "name": name, "status": "ACTIVE", "tags": []}
            for name in (n.removeprefix(arn) for n in fargate)
        ]
        return [*providers, *found], failures

    PATCHES.replace(
        EC2ContainerServiceBackend,
        "describe_capacity_providers",
        describe,
        "DescribeCapacityProviders without names, the Fargate providers among them",
    )


MOTO_FIXES: tuple[MotoFix, ...] = (
    MotoFix(
        "fargate_memory_at_task_level",
        "moto.ecs EC2ContainerServiceBackend._calculate_task_resource_requirements "
        "(TypeError when a container sets no memory)",
        "RunTask works when only the task sets memory; container memory is optional on Fargate",
        "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html",
        _task_memory_only_at_task_level,
    ),
    MotoFix(
        "awsvpc_task_in_vpc_without_dns_hostnames",
        "moto.ec2 NetworkInterface.__init__ (no private_dns_name unless enableDnsHostnames; "
        "ECS Task.__init__ reads it)",
        "awsvpc tasks run in any VPC; the ENI has its private DNS name",
        "https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html",
        _eni_private_dns_name_always,
    ),
    MotoFix(
        "repository_names_of_the_current_model",
        "moto.ecr ECRBackend.create_repository (refuses web__api, web--api: an older pattern)",
        "repository names follow the current model's pattern",
        "botocore ecr/2015-09-21 RepositoryName",
        _repository_names_of_the_current_model,
    ),
    MotoFix(
        "capacity_providers_described_without_names",
        "moto.ecs EC2ContainerServiceBackend.describe_capacity_providers (TypeError without "
        "capacityProviders; FARGATE and FARGATE_SPOT unknown)",
        "DescribeCapacityProviders without names describes all, FARGATE and FARGATE_SPOT too",
        "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeCapacityProviders.html",
        _capacity_providers_described_without_names,
    ),
)


def install_moto_fixes() -> None:
    """Install every fix (called when the first host is installed; undone when it leaves)."""
    for fix in MOTO_FIXES:
        fix.install()
