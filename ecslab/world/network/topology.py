"""A read-only picture of one account's network in one region: what reachability needs.

What AWS does: a subnet uses the route table associated with it, or else its VPC's *main* route
table; the most specific route whose destination holds an address wins, ``local`` covering the
VPC's own range. A route to an internet gateway only leads out if that gateway is attached to
the VPC; a route to a NAT gateway only while that gateway is ``available``. A gateway endpoint
(S3) adds a prefix-list route to the route tables it is associated with.
Sources: https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html,
https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html,
https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html,
https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html

Differs from AWS: IPv4 only; no network ACLs (AWS's default ones allow everything), no peering,
transit gateways or egress-only gateways.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any

from ecslab.world.network.security_groups import Group

ANYWHERE = ipaddress.IPv4Network("0.0.0.0/0")


@dataclass(frozen=True)
class Route:
    """One route: a destination range and where it leads (``local``, ``igw-...``, ``nat-...``)."""

    destination: ipaddress.IPv4Network
    target: str


@dataclass(frozen=True)
class Subnet:
    id: str
    vpc: str
    zone: str
    cidr: ipaddress.IPv4Network
    route_table: str  # the associated table, else the VPC's main one
    map_public_ip: bool = False


@dataclass(frozen=True)
class Vpc:
    id: str
    cidr: ipaddress.IPv4Network
    internet_gateway: str | None = None  # the attached gateway, if any
    dns_support: bool = True
    dns_hostnames: bool = False
    default_group: str | None = None


@dataclass(frozen=True)
class NatGateway:
    id: str
    subnet: str
    state: str


@dataclass(frozen=True)
class Endpoint:
    """A VPC endpoint: an interface one has addresses and groups, a gateway one route tables."""

    id: str
    vpc: str
    service: str  # the short name: "ecr.api", "s3", ...
    kind: str  # "Interface" or "Gateway"
    state: str = "available"
    private_dns: bool = False
    subnets: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    route_tables: tuple[str, ...] = ()


@dataclass(frozen=True)
class Topology:
    """Every VPC, subnet, route table, group, NAT gateway and endpoint of one account/region.

    A picture never changes once read (a change to the network makes a new one), so what is
    derived from it alone is kept in ``memo`` for the picture's life: health checks and task
    starts ask the same routes and rules again and again."""

    vpcs: dict[str, Vpc] = field(default_factory=dict)
    subnets: dict[str, Subnet] = field(default_factory=dict)
    route_tables: dict[str, tuple[Route, ...]] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    nat_gateways: dict[str, NatGateway] = field(default_factory=dict)
    endpoints: tuple[Endpoint, ...] = ()
    memo: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def route(self, subnet_id: str, address: ipaddress.IPv4Address) -> str | None:
        """Where the subnet's route table sends ``address`` (longest prefix), or ``None``."""
        key = ("route", subnet_id, address)
        if key not in self.memo:
            self.memo[key] = self._route(subnet_id, address)
        return self.memo[key]  # type: ignore[no-any-return]

    def _route(self, subnet_id: str, address: ipaddress.IPv4Address) -> str | None:
        subnet = self.subnets.get(subnet_id)
        if subnet is None:
            return None
        best: Route | None = None
        for route in self.route_tables.get(subnet.route_table, ()):
            if address in route.destination and (
                best is None or route.destination.prefixlen > best.destination.prefixlen
            ):
                best = route
        return best.target if best else None

    def leads_out(self, subnet_id: str, target: str | None) -> bool:
        """Whether ``target`` is the internet gateway attached to the subnet's VPC."""
        subnet = self.subnets.get(subnet_id)
        vpc = self.vpcs.get(subnet.vpc) if subnet else None
        return bool(target and vpc and vpc.internet_gateway == target)

    def public_subnet(self, subnet_id: str) -> bool:
        """A public subnet: its route to the internet goes to the VPC's internet gateway."""
        return self.leads_out(subnet_id, self.route(subnet_id, _SOME_INTERNET_ADDRESS))

    def endpoint(self, vpc: str, service: str) -> Endpoint | None:
        """An available endpoint for ``service`` in ``vpc`` (the first by id), or ``None``."""
        for each in self.endpoints:
            if each.vpc == vpc and each.service == service and each.state == "available":
                return each
        return None


#: An address on the internet (TEST-NET-3, RFC 5737), for "does this subnet route out?".
_SOME_INTERNET_ADDRESS = ipaddress.IPv4Address("203.0.113.1")
