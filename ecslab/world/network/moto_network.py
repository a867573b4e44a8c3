"""Reads one account's network out of moto's EC2 records into a :class:`~.topology.Topology`.

This is the only module of the network package that knows moto's attribute names
(``route_tables``, ``ingress_rules``, ``nat_gateways``, ``vpc_end_points``, ...). Reading is the
slow part of a reachability question, so :func:`topology` keeps one picture per account and
region until a changing call or a NAT gateway's state change makes it stale.

Differs from AWS: nothing of its own; it only copies what moto stores.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from ecslab.world.network.security_groups import Group, Rule
from ecslab.world.network.topology import Endpoint, NatGateway, Route, Subnet, Topology, Vpc


def ec2(account: str, region: str) -> Any:
    from ecslab.world.moto_adapter import ec2_models

    return ec2_models.backend(account, region)


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


def read(account: str, region: str) -> Topology:
    """The network of ``account`` in ``region`` as moto holds it now."""
    backend = ec2(account, region)
    attached = {
        gateway.vpc.id: gateway.id
        for gateway in backend.internet_gateways.values()
        if gateway.vpc is not None
    }
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
    vpcs = {
        vpc.id: Vpc(
            vpc.id,
            ipaddress.IPv4Network(vpc.cidr_block),
            attached.get(vpc.id),
            bool(vpc.enable_dns_support),
            bool(vpc.enable_dns_hostnames),
            defaults.get(vpc.id),
        )
        for vpc in backend.vpcs.values()
    }
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
    subnets = {
        subnet.id: Subnet(
            subnet.id,
            subnet.vpc_id,
            subnet.availability_zone,
            ipaddress.IPv4Network(subnet.cidr_block),
            associated.get(subnet.id) or main.get(subnet.vpc_id, ""),
            bool(subnet.map_public_ip_on_launch),
        )
        for by_zone in backend.subnets.values()
        for subnet in by_zone.values()
    }
    nats = {
        nat.id: NatGateway(nat.id, nat.subnet_id, str(nat.state))
        for nat in backend.nat_gateways.values()
    }
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
    return Topology(vpcs, subnets, tables, groups, nats, tuple(endpoints))


class TopologyCache:
    """One picture per account and region, read again when the world's ``generation`` moves."""

    def __init__(self) -> None:
        self._pictures: dict[tuple[str, str], tuple[Any, Topology]] = {}

    def get(self, account: str, region: str, generation: Any) -> Topology:
        key = (account, region)
        found = self._pictures.get(key)
        if found is not None and found[0] == generation:
            return found[1]
        picture = read(account, region)
        self._pictures[key] = (generation, picture)
        return picture

    def clear(self) -> None:
        self._pictures.clear()
