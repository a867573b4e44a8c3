"""The one question every network consequence asks: can this open TCP port P on that one?

What AWS does (Appendix of decision rules, from the VPC and ALB guides): a new TCP connection
from S to D on port P opens only if

1. there is a way: inside one VPC the ``local`` route always joins two interfaces; to the
   internet the source's subnet must route ``0.0.0.0/0`` to an *attached* internet gateway and
   the source must have a public address ("Instances in the private subnet can't communicate
   with the internet over the internet gateway, even if they have public IP addresses"), or
   route it to an ``available`` NAT gateway that itself sits in such a public subnet; from the
   internet the destination must have a public address in a public subnet;
2. an *outbound* rule of one of S's groups matches D (its address, or one of its groups when D
   is inside the VPC) on P;
3. an *inbound* rule of one of D's groups matches S the same way (a group reference matches only
   private addresses, so a client on the internet matches address ranges only).

Replies pass (groups are stateful). A blocked connection is dropped silently: the client waits
and times out; it is never refused.
Sources: https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html,
https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html,
https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-scenarios.html,
https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/security-group-connection-tracking.html

:func:`reach` is pure: it reads a :class:`~.topology.Topology` and two endpoints, and answers
with a :class:`Verdict`. It runs on every health check, so it does no I/O and no parsing.

Differs from AWS: no network ACLs (the default ones allow all), no connection tracking of
existing flows (a rule change applies to the next connection at once).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from ecslab.world.network.security_groups import Rule, admits
from ecslab.world.network.topology import Topology

NO_ROUTE = "no route"
NO_PUBLIC_IP = "no public IP"
BLOCKED = "blocked"


@dataclass(frozen=True)
class Interface:
    """A network interface in a subnet: a task's, an ALB node's, or an interface endpoint's."""

    id: str
    ip: ipaddress.IPv4Address
    subnet: str
    vpc: str
    groups: frozenset[str]
    public: bool = False


@dataclass(frozen=True)
class Internet:
    """An address out on the internet: a client, or an AWS service's public endpoint."""

    ip: ipaddress.IPv4Address
    name: str = "the internet"


#: A client on the internet (an address from TEST-NET-3, RFC 5737).
CLIENT = Internet(ipaddress.IPv4Address("203.0.113.10"), "a client on the internet")

Node = Interface | Internet


@dataclass(frozen=True)
class Verdict:
    """Whether the connection opens; if not, why (``kind``) in one sentence (``detail``)."""

    allowed: bool
    kind: str = ""
    detail: str = ""
    #: The groups whose rules dropped the connection, when ``kind`` is "blocked".
    groups: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.allowed

    def __str__(self) -> str:
        return "allowed" if self.allowed else f"{self.kind}: {self.detail}"


OPEN = Verdict(True)


def _rules(topology: Topology, groups: frozenset[str], outbound: bool) -> tuple[Rule, ...]:
    key = ("rules", groups, outbound)
    found = topology.memo.get(key)
    if found is None:
        rules: list[Rule] = []
        for group_id in sorted(groups):
            group = topology.groups.get(group_id)
            if group is not None:
                rules.extend(group.outbound if outbound else group.inbound)
        found = topology.memo[key] = tuple(rules)
    return found  # type: ignore[no-any-return]


def _way_out(topology: Topology, source: Interface, address: ipaddress.IPv4Address) -> Verdict:
    target = topology.route(source.subnet, address)
    if target is None or target == "local":
        return Verdict(False, NO_ROUTE, f"subnet {source.subnet} has no route to {address}")
    if target.startswith("igw-"):
        if not topology.leads_out(source.subnet, target):
            return Verdict(False, NO_ROUTE, f"{target} is not attached to {source.vpc}")
        if not source.public:
            return Verdict(
                False,
                NO_PUBLIC_IP,
                f"{source.id} has no public IP, so {target} cannot carry its traffic",
            )
        return OPEN
    if target.startswith("nat-"):
        nat = topology.nat_gateways.get(target)
        if nat is None or nat.state != "available":
            state = nat.state if nat else "deleted"
            return Verdict(False, NO_ROUTE, f"the route goes to {target}, which is {state}")
        if not topology.public_subnet(nat.subnet):
            return Verdict(
                False, NO_ROUTE, f"{target} is in {nat.subnet}, which has no internet gateway route"
            )
        return OPEN
    return Verdict(False, NO_ROUTE, f"the route to {address} goes to {target}, not out")


def groups_allow(
    topology: Topology,
    source: Node,
    destination: Node,
    port: int,
) -> Verdict:
    if isinstance(source, Interface):
        peer = destination.groups if isinstance(destination, Interface) else frozenset()
        if not admits(_rules(topology, source.groups, True), port, destination.ip, peer):
            groups = tuple(sorted(source.groups))
            return Verdict(
                False,
                BLOCKED,
                f"no outbound rule of {', '.join(groups)} allows TCP {port} to {destination.ip}",
                groups,
            )
    if isinstance(destination, Interface):
        peer = source.groups if isinstance(source, Interface) else frozenset()
        if not admits(_rules(topology, destination.groups, False), port, source.ip, peer):
            groups = tuple(sorted(destination.groups))
            return Verdict(
                False,
                BLOCKED,
                f"no inbound rule of {', '.join(groups)} allows TCP {port} from {source.ip}",
                groups,
            )
    return OPEN


def reach(topology: Topology, source: Node, destination: Node, port: int) -> Verdict:
    """Whether ``source`` can open TCP ``port`` on ``destination`` (see the module docstring)."""
    if isinstance(source, Internet) and isinstance(destination, Internet):
        return OPEN  # the internet is not the world's business
    if isinstance(destination, Internet):
        assert isinstance(source, Interface)
        way = _way_out(topology, source, destination.ip)
    elif isinstance(source, Internet):
        if not destination.public:
            way = Verdict(False, NO_PUBLIC_IP, f"{destination.id} has no public IP")
        elif not topology.public_subnet(destination.subnet):
            way = Verdict(
                False, NO_ROUTE, f"{destination.subnet} has no route to an internet gateway"
            )
        else:
            way = OPEN
    elif source.vpc != destination.vpc:
        way = Verdict(False, NO_ROUTE, f"{source.vpc} and {destination.vpc} are not connected")
    else:
        way = OPEN
    return way if not way else groups_allow(topology, source, destination, port)
