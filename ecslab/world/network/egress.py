"""What a Fargate task can reach as it starts: ECR's API and registry, S3, Logs, secrets.

What AWS does (platform version 1.4.0): all of a task's start-up traffic leaves through its own
network interface. Each AWS service is reached either over the internet (a public subnet whose
route goes to the internet gateway *and* a public IP, or a route to an available NAT gateway in
a public subnet) or through a VPC endpoint for it: an interface endpoint (``ecr.api``,
``ecr.dkr``, ``logs``, ``secretsmanager``, ``ssm``) with private DNS, whose groups admit the
task on 443; for the image layers, the ``s3`` gateway endpoint associated with the task
subnet's route table. The task's own groups must allow it out on 443 either way. Images from
other registries (Docker Hub) are only reachable over the internet.
Sources: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html,
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/platform-version-migration.html,
https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html,
https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html

Differs from AWS: an interface endpoint serves tasks in every zone of its VPC (AWS places its
addresses in the subnets it names; which zones a task may use it from is not documented).
The public addresses AWS's services resolve to are ones users have seen in their errors.
"""

from __future__ import annotations

import ipaddress

from ecslab.world.network.reachability import (
    Interface,
    Internet,
    Verdict,
    groups_allow,
    reach,
)
from ecslab.world.network.topology import Topology

HTTPS = 443
#: A public address of each service, as the i/o time-outs users pasted show them.
PUBLIC_ADDRESSES = {
    "ecr.api": "44.213.79.104",
    "ecr.dkr": "44.213.79.10",
    "s3": "16.15.180.104",
    "logs": "52.46.137.11",
    "secretsmanager": "52.94.225.140",
    "ssm": "52.46.141.205",
    "docker.io": "98.85.153.80",
}


_PUBLIC = {
    service: Internet(ipaddress.IPv4Address(address), service)
    for service, address in PUBLIC_ADDRESSES.items()
}


def public_address(service: str) -> Internet:
    return _PUBLIC[service]


def path_to(net: Topology, task: Interface, service: str) -> tuple[Verdict, str]:
    """Whether the task reaches ``service`` on 443, and the address it dials (for messages)."""
    vpc = net.vpcs.get(task.vpc)
    subnet = net.subnets.get(task.subnet)
    if service == "s3" and subnet is not None:
        gateway = next(
            (
                e
                for e in net.endpoints
                if e.vpc == task.vpc
                and e.service == "s3"
                and e.kind == "Gateway"
                and subnet.route_table in e.route_tables
            ),
            None,
        )
        if gateway is not None:  # the prefix-list route; the group still sees S3's address
            address = public_address("s3")
            return groups_allow(net, task, address, HTTPS), str(address.ip)
    endpoint = net.endpoint(task.vpc, service) if service != "docker.io" else None
    if (
        endpoint is not None
        and endpoint.kind == "Interface"
        and endpoint.private_dns
        and vpc is not None
        and vpc.dns_support
        and vpc.dns_hostnames
    ):
        into = endpoint.subnets[0] if endpoint.subnets else task.subnet
        address = endpoint.addresses[0] if endpoint.addresses else str(task.ip)
        interface = Interface(
            endpoint.id,
            ipaddress.IPv4Address(address),
            into,
            endpoint.vpc,
            frozenset(endpoint.groups),
        )
        return reach(net, task, interface, HTTPS), address
    address = public_address(service)
    return reach(net, task, address, HTTPS), str(address.ip)


def reachable(net: Topology, task: Interface, service: str) -> bool:
    return bool(path_to(net, task, service)[0])
