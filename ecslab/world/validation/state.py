"""Read-only look-ups into moto's records for the rules that compare a call with what exists.

Rules never change moto's records; a look-up that finds nothing returns ``None`` so that moto
answers with its own "not found" error, as it would have without the rule.
"""

from __future__ import annotations

from typing import Any

from ecslab.world.moto_hooks import ApiCall


def ecs(call: ApiCall) -> Any:
    from ecslab.world.moto_adapter import ecs_models

    return ecs_models.backend(call.account, call.region)


def ec2(call: ApiCall) -> Any:
    from ecslab.world.moto_adapter import ec2_models

    return ec2_models.backend(call.account, call.region)


def elbv2(call: ApiCall) -> Any:
    from ecslab.world.moto_adapter import elbv2_models

    return elbv2_models.backend(call.account, call.region)


def ecr(call: ApiCall) -> Any:
    from ecslab.world.moto_adapter import ecr_models

    return ecr_models.backend(call.account, call.region)


def task_definition(call: ApiCall, reference: str | None) -> Any:
    """The task definition a family, ``family:revision`` or ARN names, if it exists."""
    if not reference:
        return None
    try:
        return ecs(call).describe_task_definition(reference)
    except Exception:  # moto raises its own not-found error; let moto answer with it
        return None


def service(call: ApiCall, cluster: str | None, name: str | None) -> Any:
    """The service ``name`` in ``cluster`` (default cluster when omitted), if it exists."""
    if not name:
        return None
    try:
        return ecs(call)._get_service(cluster or "default", name)
    except Exception:
        return None


def subnet(call: ApiCall, subnet_id: str) -> Any:
    try:
        return ec2(call).get_subnet(subnet_id)
    except Exception:
        return None


def target_group(call: ApiCall, arn: str) -> Any:
    return elbv2(call).target_groups.get(arn)


def load_balancer(call: ApiCall, arn: str) -> Any:
    return elbv2(call).load_balancers.get(arn)


def listener(call: ApiCall, arn: str) -> Any:
    for balancer in elbv2(call).load_balancers.values():
        if arn in balancer.listeners:
            return balancer.listeners[arn]
    return None
