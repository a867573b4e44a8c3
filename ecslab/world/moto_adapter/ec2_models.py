"""moto's EC2 (``moto.ec2``): VPCs, subnets, route tables, gateways, network interfaces.

The only module that knows the attribute names of moto's EC2 records (``route_tables``,
``ingress_rules``, ``nat_gateways``, ``vpc_end_points``, ``enis``, ...). The world asks it for
a :class:`~ecslab.world.network.topology.Topology` of one account's network, has it correct
what moto made differently from AWS (the default VPC's gateway, the default group's rule, an
endpoint's addresses), and has it place and remove a task's network interface.
"""

from __future__ import annotations

import ipaddress
import socket
import struct
from dataclasses import dataclass
from typing import Any

from ecslab.semantics.service_models import shared_by_new_sessions

with shared_by_new_sessions():  # its region table makes three botocore sessions
    from moto.ec2.models import EC2Backend, ec2_backends
    from moto.ec2.models.elastic_network_interfaces import NetworkInterface
    from moto.ec2.models.internet_gateways import InternetGateway
    from moto.ec2.utils import generate_dns_from_ip

from ecslab.world.moto_adapter.core import backend_of, keeping_draws
from ecslab.world.network.security_groups import Group, Rule
from ecslab.world.network.topology import Endpoint, NatGateway, Route, Subnet, Topology, Vpc
from ecslab.world.patches import PATCHES

__all__ = [
    "NetworkInterface",
    "NewNatGateway",
    "PlacedInterface",
    "SubnetInfo",
    "VpcDns",
    "backend",
    "correct_new_records",
    "default_group_of",
    "delete_interface",
    "ensure_backend",
    "gateway_attached",
    "generate_dns_from_ip",
    "group_exists",
    "leave_out_sample_images",
    "nat_gateway_record",
    "nat_gateway_state",
    "place_interface",
    "read_topology",
    "set_nat_gateway_state",
    "subnet",
    "subnet_zone",
    "vpc_dns",
]

#: AWS keeps the first four addresses and the last of every subnet for itself.
_RESERVED_LOW = 4


def backend(account: str, region: str) -> EC2Backend:
    """The account's EC2 in ``region`` (moto makes it, with its default VPC, on first use)."""
    return backend_of(ec2_backends, account, region)


def _backend_if_made(account: str, region: str) -> EC2Backend | None:
    if account not in ec2_backends or region not in ec2_backends[account]:
        return None
    return ec2_backends[account][region]


def ensure_backend(account: str, region: str) -> None:
    """Have moto make the account's EC2 in ``region`` now (with its default VPC)."""
    backend(account, region)


# -- reading the network --------------------------------------------------------------------------


def _rules(moto_rules: list[Any]) -> tuple[Rule, ...]:
    rules = []
    for each in moto_rules:
        cidr = (each.ip_range or {}).get("CidrIp")
        group = (each.source_group or {}).get("GroupId")
        rules.append(
            Rule.of(
                str(each.ip_protocol),
                None if each.from_port is None else int(each.from_port),
                None if each.to_port is None else int(each.to_port),
                [cidr] if cidr else [],
                [group] if group else [],
            )
        )
    return tuple(rules)


def _target(route: Any) -> str:
    if route.local:
        return "local"
    for attribute in ("gateway", "nat_gateway", "interface", "vpc_pcx", "transit_gateway"):
        value = getattr(route, attribute)  # every one is set by moto's Route (maybe None)
        if value is not None:
            return str(getattr(value, "id", value))
    return str(route.vpc_endpoint_id or "blackhole")


def service_short_name(service_name: str) -> str:
    """``com.amazonaws.us-east-1.ecr.api`` → ``ecr.api``."""
    parts = service_name.split(".")
    return ".".join(parts[3:]) if service_name.startswith("com.amazonaws.") else service_name


def _groups(backend: EC2Backend) -> tuple[dict[str, Group], dict[str, str]]:
    groups: dict[str, Group] = {}
    defaults: dict[str, str] = {}
    for vpc_id, by_id in backend.groups.items():
        for group in by_id.values():
            groups[group.id] = Group(
                group.id,
                group.name,
                str(vpc_id),
                _rules(group.ingress_rules),
                _rules(group.egress_rules),
            )
            if group.name == "default":
                defaults[str(vpc_id)] = group.id
    return groups, defaults


def _route_tables(backend: EC2Backend) -> tuple[dict[str, tuple[Route, ...]], dict[str, str]]:
    """Each table's routes, and the table each subnet uses (its own, else its VPC's main)."""
    tables: dict[str, tuple[Route, ...]] = {}
    main: dict[str, str] = {}
    associated: dict[str, str] = {}
    for table in backend.route_tables.values():
        tables[table.id] = tuple(
            Route(ipaddress.IPv4Network(r.destination_cidr_block), _target(r))
            for r in table.routes
            if r.destination_cidr_block
        )
        if table.main_association_id:
            main[table.vpc_id] = table.id
        for subnet_id in table._associations.values():
            associated[subnet_id] = table.id
    uses = {
        subnet.id: associated.get(subnet.id) or main.get(subnet.vpc_id, "")
        for by_zone in backend.subnets.values()
        for subnet in by_zone.values()
    }
    return tables, uses


def _endpoints(backend: EC2Backend, defaults: dict[str, str]) -> tuple[Endpoint, ...]:
    endpoints = []
    for endpoint in sorted(backend.vpc_end_points.values(), key=lambda e: e.id):
        addresses = []
        for eni_id in endpoint.network_interface_ids or []:
            eni = backend.enis.get(eni_id)
            if eni is not None and eni.private_ip_address:
                addresses.append(str(eni.private_ip_address))
        endpoints.append(
            Endpoint(
                endpoint.id,
                endpoint.vpc_id,
                service_short_name(endpoint.service_name),
                str(endpoint.vpc_endpoint_type or "Gateway"),
                str(endpoint.state),
                bool(endpoint.private_dns_enabled),
                tuple(endpoint.subnet_ids or ()),
                tuple(addresses),
                tuple(endpoint.security_group_ids or ())
                or tuple([defaults[endpoint.vpc_id]] if endpoint.vpc_id in defaults else []),
                tuple(endpoint.route_table_ids or ()),
            )
        )
    return tuple(endpoints)


def read_topology(account: str, region: str) -> Topology:
    """The network of ``account`` in ``region`` as moto holds it now."""
    backend_ = backend(account, region)
    attached = {
        gateway.vpc.id: gateway.id
        for gateway in backend_.internet_gateways.values()
        if gateway.vpc is not None
    }
    groups, defaults = _groups(backend_)
    vpcs = {
        vpc.id: Vpc(
            vpc.id,
            ipaddress.IPv4Network(vpc.cidr_block),
            attached.get(vpc.id),
            bool(vpc.enable_dns_support),
            bool(vpc.enable_dns_hostnames),
            defaults.get(vpc.id),
        )
        for vpc in backend_.vpcs.values()
    }
    tables, uses = _route_tables(backend_)
    subnets = {
        subnet.id: Subnet(
            subnet.id,
            subnet.vpc_id,
            subnet.availability_zone,
            ipaddress.IPv4Network(subnet.cidr_block),
            uses[subnet.id],
            bool(subnet.map_public_ip_on_launch),
        )
        for by_zone in backend_.subnets.values()
        for subnet in by_zone.values()
    }
    nats = {
        nat.id: NatGateway(nat.id, nat.subnet_id, str(nat.state))
        for nat in backend_.nat_gateways.values()
    }
    return Topology(vpcs, subnets, tables, groups, nats, _endpoints(backend_, defaults))


def subnet_zone(account: str, region: str, subnet_id: str) -> str:
    """The availability zone of a subnet that exists (moto raises its own error otherwise)."""
    return str(backend(account, region).get_subnet(subnet_id).availability_zone)


# -- what moto makes differently from AWS --------------------------------------------------------


@dataclass(frozen=True)
class NewNatGateway:
    """A NAT gateway moto has just made (and the world now makes ``pending``)."""

    id: str
    vpc_id: str
    #: Whether an internet gateway is attached to its VPC (else building it fails).
    gateway_attached: bool


def correct_new_records(account: str, region: str, seen: set[str]) -> list[NewNatGateway]:
    """Correct whatever moto made since the last look, each thing once (its id is added to
    ``seen``): the default VPC gets its internet gateway and route, a ``default`` group its
    self-admitting rule, an interface endpoint's interfaces addresses of their subnets, a NAT
    gateway the state ``pending``. Returns the new NAT gateways. Draws none of moto's IDs."""
    found = _backend_if_made(account, region)
    built: list[NewNatGateway] = []
    if found is None:
        return built
    with keeping_draws():
        for vpc in list(found.vpcs.values()):
            if vpc.id not in seen:
                seen.add(vpc.id)
                if vpc.is_default:
                    _attach_gateway(found, vpc)
            for group in list(found.groups.get(vpc.id, {}).values()):
                if group.name == "default" and group.id not in seen:
                    seen.add(group.id)
                    _admit_members(found, group)
        for endpoint in list(found.vpc_end_points.values()):
            if endpoint.id not in seen:
                seen.add(endpoint.id)
                _place_endpoint(found, endpoint)
        for nat in list(found.nat_gateways.values()):
            if nat.id not in seen:
                seen.add(nat.id)
                attached = any(
                    g.vpc is not None and g.vpc.id == nat.vpc_id
                    for g in found.internet_gateways.values()
                )
                nat.state = "pending"
                built.append(NewNatGateway(nat.id, nat.vpc_id, attached))
    return built


def nat_gateway_state(account: str, region: str, nat_id: str) -> str | None:
    nat = backend(account, region).nat_gateways.get(nat_id)
    return None if nat is None else str(nat.state)


def set_nat_gateway_state(
    account: str, region: str, nat_id: str, state: str, failure: tuple[str, str] | None = None
) -> None:
    """Set a NAT gateway's state, and its ``FailureCode``/``FailureMessage`` when it failed."""
    nat = backend(account, region).nat_gateways[nat_id]
    nat.state = state
    if failure is not None:
        nat.failure_code, nat.failure_message = failure


def nat_gateway_record(account: str, region: str, nat_id: str) -> object:
    """moto's record of the NAT gateway, for a call's answer to serialise (never read)."""
    return backend(account, region).nat_gateways[nat_id]


def _attach_gateway(backend: EC2Backend, vpc: Any) -> None:
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


def _place_endpoint(backend: EC2Backend, endpoint: Any) -> None:
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


def _admit_members(backend: EC2Backend, group: Any) -> None:
    if group.ingress_rules:
        return
    rules, _ = backend.authorize_security_group_ingress(
        group.id, "-1", None, None, [], source_groups=[{"GroupId": group.id}], vpc_id=group.vpc_id
    )
    for rule in rules:
        rule.id = "sgr-" + group.id.removeprefix("sg-")


# -- a task's network interface -------------------------------------------------------------------


@dataclass(frozen=True)
class PlacedInterface:
    """Where a task's network interface now is: its address, DNS name and zone."""

    ip: str
    dns_name: str
    availability_zone: str


def place_interface(account: str, region: str, eni_id: str, subnet_id: str) -> PlacedInterface:
    """Give the network interface ``eni_id`` the lowest free address of its subnet (moto draws
    one from anywhere in 10.0.0.0/8)."""
    backend_ = backend(account, region)
    subnet = backend_.get_subnet(subnet_id)
    eni = backend_.enis.get(eni_id)
    network = ipaddress.ip_network(subnet.cidr_block)
    used = {
        e.private_ip_address
        for e in backend_.enis.values()
        if e is not eni and getattr(e.subnet, "id", None) == subnet_id
    }
    candidate = int(network.network_address) + _RESERVED_LOW
    while (ip := socket.inet_ntoa(struct.pack("!I", candidate))) in used:
        candidate += 1
    dns = f"ip-{ip.replace('.', '-')}." + (
        "ec2.internal" if region == "us-east-1" else f"{region}.compute.internal"
    )
    if eni is not None:
        eni.subnet = subnet
        eni.private_ip_address = ip
        eni.private_dns_name = dns
        eni.private_ip_addresses = [
            {"Primary": True, "PrivateIpAddress": ip, "PrivateDnsName": dns}
        ]
    return PlacedInterface(ip, dns, str(subnet.availability_zone))


def delete_interface(account: str, region: str, eni_id: str) -> None:
    """Delete the network interface, if it still exists."""
    backend_ = backend(account, region)
    if eni_id in backend_.enis:
        backend_.delete_network_interface(eni_id)


# -- what validation compares a call with ---------------------------------------------------------


@dataclass(frozen=True)
class SubnetInfo:
    id: str
    vpc_id: str
    availability_zone: str


def subnet(account: str, region: str, subnet_id: str) -> SubnetInfo | None:
    try:
        found = backend(account, region).get_subnet(subnet_id)
    except Exception:  # moto's InvalidSubnetID.NotFound
        return None
    return SubnetInfo(found.id, found.vpc_id, found.availability_zone)


def default_group_of(account: str, region: str, vpc_id: str) -> str | None:
    """The id of the VPC's ``default`` security group, if the VPC has one."""
    group = backend(account, region).get_default_security_group(vpc_id)
    return None if group is None else str(group.id)


def group_exists(account: str, region: str, group_id: str) -> bool:
    return backend(account, region).get_security_group_from_id(group_id) is not None


@dataclass(frozen=True)
class VpcDns:
    """A VPC's two DNS attributes."""

    id: str
    enable_dns_support: bool
    enable_dns_hostnames: bool


def vpc_dns(account: str, region: str, vpc_id: str) -> VpcDns | None:
    vpc = backend(account, region).vpcs.get(vpc_id)
    if vpc is None:
        return None
    return VpcDns(vpc.id, bool(vpc.enable_dns_support), bool(vpc.enable_dns_hostnames))


def gateway_attached(account: str, region: str, vpc_id: str) -> bool:
    """Whether an internet gateway is attached to the VPC."""
    return any(
        g.vpc is not None and g.vpc.id == vpc_id
        for g in backend(account, region).internet_gateways.values()
    )


#: moto's documented setting: "false" makes EC2 backends without its sample AMIs.
SAMPLE_IMAGES_SETTING = "MOTO_EC2_LOAD_DEFAULT_AMIS"


def leave_out_sample_images() -> None:
    """Accounts made from now on (until the world's patches are undone) list none of moto's
    sample AMIs.

    moto makes every account's EC2 with about 1,300 sample images (Amazon Linux, ECS-optimized),
    each with a volume and a snapshot: about 55 ms of CPU per account on the desktop, paid by a
    workshop server for each learner on their first call, and 0.5 s of each lesson's first cell
    in the browser edition (Chromium, ``cProfile``). The course runs no EC2 instances and never
    lists images, so the simulated world leaves them out everywhere (through moto's own
    setting, read when a backend is made): the same accounts, with the same IDs, in process, on
    the server and in the browser. Differs from AWS: ``ec2.describe_images()`` lists only the
    account's own images, not Amazon's public ones."""
    import os

    before = os.environ.get(SAMPLE_IMAGES_SETTING)
    os.environ[SAMPLE_IMAGES_SETTING] = "false"

    def undo() -> None:
        if before is None:
            os.environ.pop(SAMPLE_IMAGES_SETTING, None)
        else:
            os.environ[SAMPLE_IMAGES_SETTING] = before

    PATCHES.on_undo(undo, f"{SAMPLE_IMAGES_SETTING}: accounts made with moto's sample images")
