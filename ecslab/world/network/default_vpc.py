"""The behaviour that makes moto's VPCs look and change as AWS's do.

What AWS does:

* the default VPC has an internet gateway attached and its main route table sends
  ``0.0.0.0/0`` to it, so its default subnets are public
  (https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc.html);
* every VPC's ``default`` security group admits all traffic from its own members and allows all
  outbound (https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html);
* an interface endpoint has a network interface in each subnet it names, with an address from
  that subnet (https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html);
* a NAT gateway is ``pending`` while AWS builds it, then ``available``, or ``failed`` with
  ``Gateway.NotAttached`` / ``Network vpc-... has no Internet gateway attached`` when its VPC
  has no internet gateway (botocore's EC2 model, ``NatGateway.FailureCode``/``FailureMessage``;
  https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-troubleshooting.html).

Moto gives the default VPC no internet gateway and only a ``local`` route, its default groups
no inbound rule, an endpoint's interfaces addresses from anywhere in 10.0.0.0/8, and makes every
NAT gateway ``available`` at once; this behaviour corrects
each of these, once per VPC or gateway, without drawing from moto's seeded identifiers (so
the IDs a lesson sees do not shift).

Differs from AWS: an endpoint's interfaces take the highest free addresses of their subnets
(AWS picks any free one; tasks take the lowest here); a NAT gateway takes
:data:`NAT_PENDING_SECONDS` (plausible; AWS says only that it takes a few minutes); a failed one
stays listed (AWS deletes it after about an hour).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ecslab.world.call_handlers import ANY
from ecslab.world.network.topology import Topology
from ecslab.world.network.topology_cache import TopologyCache

if TYPE_CHECKING:
    from ecslab.world.call_handlers import Registrar
    from ecslab.world.moto_adapter.ec2_models import NewNatGateway
    from ecslab.world.moto_hooks import ApiCall
    from ecslab.world.world import World

NAT_PENDING_SECONDS = 60.0
#: Calls after which a target that was healthy may no longer be reachable.
RULE_CHANGES = frozenset(
    {
        "RevokeSecurityGroupIngress",
        "RevokeSecurityGroupEgress",
        "ModifySecurityGroupRules",
        "DeleteRoute",
        "ReplaceRoute",
        "ModifyNetworkInterfaceAttribute",
        "DetachInternetGateway",
        "SetSecurityGroups",
    }
)
#: Of those, ELBv2's (a load balancer's groups); the others are EC2's.
ELBV2_RULE_CHANGES = frozenset({"SetSecurityGroups"})


class NetworkShape:
    """World behaviour: default VPCs with their gateway, self-admitting default groups, NATs."""

    def __init__(self) -> None:
        self._shaped: set[str] = set()  # VPC, group and NAT gateway ids already corrected
        #: Moves whenever the world itself changes the network (a NAT gateway's state).
        self.generation = 0
        self.pictures = TopologyCache()
        #: Verdicts already reached for the current pictures (health checks repeat them).
        self.verdicts: dict[Any, Any] = {}
        self._verdicts_for: Any = None

    def topology(self, world: World, account: str, region: str) -> Topology:
        """The network of ``account``/``region`` as it stands (read again only after a change)."""
        return self.pictures.get(account, region, self.key(world))

    def key(self, world: World) -> tuple[int, int]:
        """Changes whenever the network may have: a changing call, or a NAT gateway's state."""
        key = (world.changes, self.generation)
        if key != self._verdicts_for:
            self.verdicts.clear()
            self._verdicts_for = key
        return key

    def reset(self, world: World) -> None:
        self.__init__()  # type: ignore[misc]

    def register_calls(self, calls: Registrar) -> None:
        """Before every call: correct what moto made since. After a call that may cut a path:
        check healthy targets again; after every EC2 call: correct what it made."""
        calls.before(ANY, ANY, self.shape_before)
        calls.after("ec2", sorted(RULE_CHANGES - ELBV2_RULE_CHANGES), self.rearm)
        calls.after("elbv2", sorted(ELBV2_RULE_CHANGES), self.rearm)
        calls.after("ec2", ANY, self.shape_after)

    def shape_before(self, world: World, call: ApiCall) -> None:
        if call.service == "ec2":
            from ecslab.world.moto_adapter import ec2_models

            ec2_models.ensure_backend(call.account, call.region)  # made by this call anyway
        self.shape(world, call.account, call.region)

    def rearm(self, world: World, call: ApiCall) -> None:
        from ecslab.world import targets
        from ecslab.world.runtime import runtime_of

        targets.rearm(runtime_of(world))  # healthy targets are checked again

    def shape_after(self, world: World, call: ApiCall) -> None:
        built = self.shape(world, call.account, call.region)
        if call.action == "CreateNatGateway" and built:
            call.answer = {"NatGateway": built[-1]}  # moto answered "available" already

    def shape(self, world: World, account: str, region: str) -> list[object]:
        """Correct whatever moto made since the last look (each thing once); new NAT gateways
        become ``pending`` and are built on the clock. Returns moto's records of the new NAT
        gateways, for the call's answer."""
        from ecslab.world.moto_adapter import ec2_models

        built = ec2_models.correct_new_records(account, region, self._shaped)
        for nat in built:
            self._build(world, account, region, nat)
        return [ec2_models.nat_gateway_record(account, region, nat.id) for nat in built]

    def _build(self, world: World, account: str, region: str, nat: NewNatGateway) -> None:
        from ecslab.world.moto_adapter import ec2_models

        self.generation += 1

        def done() -> None:
            if ec2_models.nat_gateway_state(account, region, nat.id) != "pending":
                return
            if nat.gateway_attached:
                ec2_models.set_nat_gateway_state(account, region, nat.id, "available")
            else:
                failure = (
                    "Gateway.NotAttached",
                    f"Network {nat.vpc_id} has no Internet gateway attached",
                )
                ec2_models.set_nat_gateway_state(account, region, nat.id, "failed", failure)
            self.generation += 1

        world.clock.schedule(NAT_PENDING_SECONDS, done)


def shape_of(world: World) -> NetworkShape:
    """The world's :class:`NetworkShape` (added when the world was built without one)."""
    found = next((b for b in world.behaviours if isinstance(b, NetworkShape)), None)
    return found if found is not None else world.add(NetworkShape())
