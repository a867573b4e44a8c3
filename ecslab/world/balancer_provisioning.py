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

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ecslab.world.call_handlers import Registrar
    from ecslab.world.moto_hooks import ApiCall
    from ecslab.world.world import World

#: Seconds a new load balancer stays ``provisioning`` (plausible: "a few minutes").
PROVISIONING_SECONDS = 120.0


class BalancerProvisioning:
    """Keeps each new load balancer ``provisioning`` until the clock reaches its ready time."""

    def register_calls(self, calls: Registrar) -> None:
        """After moto: CreateLoadBalancer."""
        calls.after("elbv2", "CreateLoadBalancer", self.hold)

    def hold(self, world: World, call: ApiCall) -> None:
        if call.status != 200:
            return
        from ecslab.world.moto_adapter import elbv2_models

        ready_at = world.clock.now + PROVISIONING_SECONDS
        elbv2_models.hold_provisioning(
            call.account,
            call.region,
            str(call.params.get("Name")),
            lambda: world.clock.now >= ready_at,
        )
