"""Read-only look-ups of what exists, for the rules that compare a call with it.

Each answers with one of the moto adapter's small records (or a plain value), read for the
call's account and region. Rules never change what exists; a look-up that finds nothing returns
``None`` so that moto answers with its own "not found" error, as it would have without the rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecslab.world.moto_hooks import ApiCall

if TYPE_CHECKING:
    from ecslab.world.moto_adapter.ec2_models import SubnetInfo, VpcDns
    from ecslab.world.moto_adapter.ecr_models import Repository
    from ecslab.world.moto_adapter.ecs_models import Service, TaskDefinition
    from ecslab.world.moto_adapter.elbv2_models import Balancer, TargetGroup


def task_definition(call: ApiCall, reference: str | None) -> TaskDefinition | None:
    """The task definition a family, ``family:revision`` or ARN names, if it exists."""
    if not reference:
        return None
    from ecslab.world.moto_adapter import ecs_models

    return ecs_models.task_definition(call.account, call.region, reference)


def service(call: ApiCall, cluster: str | None, name: str | None) -> Service | None:
    """The service ``name`` in ``cluster`` (default cluster when omitted), if it exists."""
    if not name:
        return None
    from ecslab.world.moto_adapter import ecs_models

    return ecs_models.service(call.account, call.region, cluster or "default", name)


def cluster_task_ids(call: ApiCall, cluster: str) -> set[str] | None:
    """The IDs of the cluster's tasks, or ``None`` when there is no such cluster."""
    from ecslab.world.moto_adapter import ecs_models

    return ecs_models.cluster_task_ids(call.account, call.region, cluster)


def subnet(call: ApiCall, subnet_id: str) -> SubnetInfo | None:
    from ecslab.world.moto_adapter import ec2_models

    return ec2_models.subnet(call.account, call.region, subnet_id)


def default_group(call: ApiCall, vpc_id: str) -> str | None:
    """The id of the VPC's ``default`` security group."""
    from ecslab.world.moto_adapter import ec2_models

    return ec2_models.default_group_of(call.account, call.region, vpc_id)


def group_exists(call: ApiCall, group_id: str) -> bool:
    from ecslab.world.moto_adapter import ec2_models

    return ec2_models.group_exists(call.account, call.region, group_id)


def vpc(call: ApiCall, vpc_id: str) -> VpcDns | None:
    from ecslab.world.moto_adapter import ec2_models

    return ec2_models.vpc_dns(call.account, call.region, vpc_id)


def gateway_attached(call: ApiCall, vpc_id: str) -> bool:
    from ecslab.world.moto_adapter import ec2_models

    return ec2_models.gateway_attached(call.account, call.region, vpc_id)


def target_group(call: ApiCall, arn: str) -> TargetGroup | None:
    from ecslab.world.moto_adapter import elbv2_models

    return elbv2_models.target_group(call.account, call.region, arn)


def load_balancer(call: ApiCall, arn: str) -> Balancer | None:
    from ecslab.world.moto_adapter import elbv2_models

    return elbv2_models.balancer(call.account, call.region, arn)


def listener_priorities(call: ApiCall, arn: str) -> list[object] | None:
    """The priorities of the listener's rules, or ``None`` when there is no such listener."""
    from ecslab.world.moto_adapter import elbv2_models

    return elbv2_models.listener_priorities(call.account, call.region, arn)


def repository(call: ApiCall, name: str) -> Repository | None:
    from ecslab.world.moto_adapter import ecr_models

    return ecr_models.repository(call.account, call.region, name)


def repository_exists(call: ApiCall, name: str) -> bool:
    from ecslab.world.moto_adapter import ecr_models

    return ecr_models.repository_exists(call.account, call.region, name)
