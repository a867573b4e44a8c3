"""ELBv2's create calls are idempotent: the same settings again answer with what exists.

AWS (botocore's ``elbv2`` model, CreateLoadBalancer, CreateTargetGroup and CreateListener):
"This operation is idempotent, which means that it completes at most one time. If you attempt to
create multiple load balancers [target groups, listeners] with the same settings, each call
succeeds." With other settings, the name (or the listener's port) is taken:
``DuplicateLoadBalancerName`` "A load balancer with the specified name already exists.",
``DuplicateTargetGroupName`` "A target group with the specified name already exists.",
``DuplicateListener`` "A listener with the specified port already exists." (the exceptions'
documentation in the same model).

moto instead makes a second load balancer of the same name, refuses a second identical target
group, and adds a second listener on a port already taken, so re-running a notebook cell would
differ from AWS. This answers the repeat with
the existing resource before moto sees it.

Differs from AWS: "the same settings" compares the settings a lesson sets (subnets, scheme and
type; protocol, port, VPC, target type and health check path; protocol and default actions), not
every attribute.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecslab.world.moto_hooks import ApiCall, AwsError

if TYPE_CHECKING:
    from ecslab.world.call_handlers import Registrar
    from ecslab.world.world import World

DUPLICATE_LOAD_BALANCER = "A load balancer with the specified name already exists."
DUPLICATE_TARGET_GROUP = "A target group with the specified name already exists."
DUPLICATE_LISTENER = "A listener with the specified port already exists."


def _load_balancer(call: ApiCall) -> None:
    from ecslab.world.moto_adapter import elbv2_models

    params = call.params
    balancer = elbv2_models.balancer_named(call.account, call.region, str(params.get("Name")))
    if balancer is None:
        return
    same = (
        sorted(balancer.subnets) == sorted(params.get("Subnets") or [])
        and (balancer.scheme or "internet-facing") == params.get("Scheme", "internet-facing")
        and balancer.type == params.get("Type", "application")
    )
    if not same:
        raise AwsError("DuplicateLoadBalancerName", DUPLICATE_LOAD_BALANCER)
    call.answer = {"LoadBalancers": [elbv2_models.record(call.account, call.region, balancer.arn)]}


def _target_group(call: ApiCall) -> None:
    from ecslab.world.moto_adapter import elbv2_models

    params = call.params
    group = elbv2_models.target_group_named(call.account, call.region, str(params.get("Name")))
    if group is None:
        return
    same = (
        group.protocol == params.get("Protocol")
        and group.port == params.get("Port")
        and group.vpc_id == params.get("VpcId")
        and group.target_type == params.get("TargetType", "instance")
        and (params.get("HealthCheckPath") in (None, group.health_check_path))
    )
    if not same:
        raise AwsError("DuplicateTargetGroupName", DUPLICATE_TARGET_GROUP)
    call.answer = {"TargetGroups": [elbv2_models.record(call.account, call.region, group.arn)]}


def _listener(call: ApiCall) -> None:
    from ecslab.world.moto_adapter import elbv2_models

    params = call.params
    listener = elbv2_models.listener_on_port(
        call.account, call.region, str(params.get("LoadBalancerArn")), params.get("Port")
    )
    if listener is None:
        return  # a new port, or no such balancer (moto answers LoadBalancerNotFound)
    wanted = [a.get("TargetGroupArn") for a in params.get("DefaultActions") or []]
    actual = listener.default_target_groups
    if listener.protocol != (params.get("Protocol") or "").upper() or wanted != actual:
        raise AwsError("DuplicateListener", DUPLICATE_LISTENER)
    call.answer = {"Listeners": [elbv2_models.record(call.account, call.region, listener.arn)]}


_CHECKS = {
    "CreateLoadBalancer": _load_balancer,
    "CreateTargetGroup": _target_group,
    "CreateListener": _listener,
}


class Elbv2Idempotency:
    """A world behaviour: repeats of ELBv2's idempotent create calls answer as AWS does."""

    def register_calls(self, calls: Registrar) -> None:
        """Before moto: ELBv2's idempotent create calls."""
        calls.before("elbv2", list(_CHECKS), self.repeat)

    def repeat(self, world: World, call: ApiCall) -> None:
        _CHECKS[call.action](call)
