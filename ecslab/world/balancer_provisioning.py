"""A new load balancer is ``provisioning`` for a while before it is ``active``.

What AWS does: ``CreateLoadBalancer`` answers with ``State.Code`` ``provisioning``; the load
balancer turns ``active`` once it is "fully set up and ready to route traffic", which takes a few
minutes, and botocore's ``LoadBalancerAvailable`` waiter polls ``describe_load_balancers`` until
then. Sources: botocore's elbv2 model (``LoadBalancerStateEnum``) and waiter model
(``LoadBalancerAvailable``), https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancerState.html

Differs from AWS: provisioning takes a fixed :data:`PROVISIONING_SECONDS` of the virtual clock
(AWS publishes no figure), and the simulated load balancer routes requests meanwhile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ecslab.world import moto_state

if TYPE_CHECKING:
    from ecslab.world.world import World

#: Seconds a new load balancer stays ``provisioning`` (plausible: "a few minutes").
PROVISIONING_SECONDS = 120.0


class BalancerProvisioning:
    """Keeps each new load balancer ``provisioning`` until the clock reaches its ready time."""

    def after_call(self, world: World, call: Any) -> None:
        if call.service != "elbv2" or call.action != "CreateLoadBalancer" or call.status != 200:
            return
        name = call.params.get("Name")
        backend = moto_state.elbv2(call.account, call.region)
        for balancer in backend.load_balancers.values():
            if balancer.name == name and not hasattr(balancer, "ecslab_ready_at"):
                _provision(world, balancer)


def _provision(world: World, balancer: Any) -> None:
    """moto turns a balancer ``active`` on its first describe; this one waits for the clock."""
    balancer.ecslab_ready_at = world.clock.now + PROVISIONING_SECONDS
    balancer.state = "provisioning"

    def activate() -> None:
        if balancer.state == "provisioning" and world.clock.now >= balancer.ecslab_ready_at:
            balancer.state = "active"

    balancer.activate = activate
