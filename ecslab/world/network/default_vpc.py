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

import contextlib
import ipaddress
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ecslab.world.network.moto_network import TopologyCache
from ecslab.world.network.topology import Topology

if TYPE_CHECKING:
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


@contextlib.contextmanager
def _no_draws() -> Iterator[None]:
    """moto's identifier generator is left where it was (the world's own objects draw none)."""
    from ecslab.world.moto_adapter.core import mock_random

    state = mock_random.getstate()
    try:
        yield
    finally:
        mock_random.setstate(state)


def _backend_if_made(account: str, region: str) -> Any | None:
    from ecslab.world.moto_adapter import ec2_models

    return ec2_models.backend_if_made(account, region)


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

    def before_call(self, world: World, call: Any) -> None:
        if call.service == "ec2":
            from ecslab.world.moto_adapter import ec2_models

            ec2_models.backend(call.account, call.region)  # made by this call anyway
        self.shape(world, call.account, call.region)

    def after_call(self, world: World, call: Any) -> None:
        if call.action in RULE_CHANGES:
            from ecslab.world import targets
            from ecslab.world.runtime import runtime_of

            targets.rearm(runtime_of(world))  # healthy targets are checked again
        if call.service != "ec2":
            return
        built = self.shape(world, call.account, call.region)
        if call.action == "CreateNatGateway" and built:
            call.answer = {"NatGateway": built[-1]}  # moto answered "available" already

    def shape(self, world: World, account: str, region: str) -> list[Any]:
        """Correct whatever moto made since the last look (each thing once); new NAT gateways."""
        backend = _backend_if_made(account, region)
        built: list[Any] = []
        if backend is None:
            return built
        with _no_draws():
            for vpc in list(backend.vpcs.values()):
                if vpc.id not in self._shaped:
                    self._shaped.add(vpc.id)
                    if vpc.is_default:
                        _attach_gateway(backend, vpc)
                for group in list(backend.groups.get(vpc.id, {}).values()):
                    if group.name == "default" and group.id not in self._shaped:
                        self._shaped.add(group.id)
                        _admit_members(backend, group)
            for endpoint in list(backend.vpc_end_points.values()):
                if endpoint.id not in self._shaped:
                    self._shaped.add(endpoint.id)
                    _place_endpoint(backend, endpoint)
            for nat in list(backend.nat_gateways.values()):
                if nat.id not in self._shaped:
                    self._shaped.add(nat.id)
                    self._build(world, backend, nat)
                    built.append(nat)
        return built

    def _build(self, world: World, backend: Any, nat: Any) -> None:
        attached = any(
            g.vpc is not None and g.vpc.id == nat.vpc_id for g in backend.internet_gateways.values()
        )
        nat.state = "pending"
        self.generation += 1

        def done() -> None:
            if nat.state != "pending":
                return
            if attached:
                nat.state = "available"
            else:
                nat.state = "failed"
                nat.failure_code = "Gateway.NotAttached"
                nat.failure_message = f"Network {nat.vpc_id} has no Internet gateway attached"
            self.generation += 1

        world.clock.schedule(NAT_PENDING_SECONDS, done)


def _attach_gateway(backend: Any, vpc: Any) -> None:
    from ecslab.world.moto_adapter.ec2_models import InternetGateway

    gateway = InternetGateway(backend)
    gateway.id = "igw-" + vpc.id.removeprefix("vpc-")
    gateway.vpc = vpc
    backend.internet_gateways[gateway.id] = gateway
    main = next(
        (t for t in backend.route_tables.values() if t.vpc_id == vpc.id and t.main_association_id),
        None,
    )
    if main is not None and not any(r.destination_cidr_block == "0.0.0.0/0" for r in main.routes):
        backend.create_route(main.id, "0.0.0.0/0", gateway_id=gateway.id)


def _place_endpoint(backend: Any, endpoint: Any) -> None:
    """Each of the endpoint's interfaces gets the highest free address of its own subnet."""
    for eni_id in endpoint.network_interface_ids or []:
        eni = backend.enis.get(eni_id)
        subnet = getattr(eni, "subnet", None)
        if eni is None or subnet is None:
            continue
        network = ipaddress.IPv4Network(subnet.cidr_block)
        used = {
            str(e.private_ip_address)
            for e in backend.enis.values()
            if e is not eni and getattr(e.subnet, "id", None) == subnet.id
        }
        # AWS keeps the last address of a subnet (its broadcast address) for itself.
        candidate = network.broadcast_address - 1
        while str(candidate) in used:
            candidate -= 1
        eni.private_ip_address = str(candidate)
        eni.private_ip_addresses = [{"Primary": True, "PrivateIpAddress": str(candidate)}]


def _admit_members(backend: Any, group: Any) -> None:
    if group.ingress_rules:
        return
    rules, _ = backend.authorize_security_group_ingress(
        group.id, "-1", None, None, [], source_groups=[{"GroupId": group.id}], vpc_id=group.vpc_id
    )
    for rule in rules:
        rule.id = "sgr-" + group.id.removeprefix("sg-")


def shape_of(world: World) -> NetworkShape:
    """The world's :class:`NetworkShape` (added when the world was built without one)."""
    found = next((b for b in world.behaviours if isinstance(b, NetworkShape)), None)
    return found if found is not None else world.add(NetworkShape())
