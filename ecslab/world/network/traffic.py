"""Who the world's tasks and load balancers are on the network, and what their traffic meets.

What AWS does: a Fargate task has one network interface in one of its subnets, with the
service's (or RunTask's) security groups and a public IP only when ``assignPublicIp`` is
``ENABLED`` (the subnet's ``MapPublicIpOnLaunch`` is not used). An Application Load Balancer
has a node with an interface in each of its subnets carrying the load balancer's groups; its
health checks and forwarded requests come from those nodes' private addresses; the nodes of an
internet-facing load balancer have public addresses, an internal one's only private ones.
Sources: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html,
https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html,
https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html,
https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html

Differs from AWS: each load balancer node's address is the subnet's eleventh (AWS picks any
free one); a target counts as reachable only when every node reaches it (AWS's nodes check
independently and the documentation does not say how their verdicts combine).
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from ecslab.world.network.default_vpc import shape_of
from ecslab.world.network.reachability import CLIENT, OPEN, Interface, Verdict, reach
from ecslab.world.network.topology import Topology

if TYPE_CHECKING:
    from ecslab.world.moto_adapter.elbv2_models import Balancer
    from ecslab.world.world import World

NODE_HOST = 10


def topology(world: World, account: str, region: str) -> Topology:
    return shape_of(world).topology(world, account, region)


def task_interface(net: Topology, record: Any) -> Interface | None:
    """The task's network interface, or ``None`` before it has one."""
    groups = tuple(record.security_groups)
    key = ("task", record.arn, record.ip, record.subnet, groups, record.public_ip)
    if key in net.memo:
        return net.memo[key]  # type: ignore[no-any-return]
    subnet = net.subnets.get(record.subnet)
    interface = None
    if subnet is not None and record.ip:
        interface = Interface(
            record.arn,
            ipaddress.IPv4Address(record.ip),
            subnet.id,
            subnet.vpc,
            frozenset(groups),
            record.public_ip,
        )
    net.memo[key] = interface
    return interface


def balancer_groups(net: Topology, balancer: Balancer, vpc: str) -> frozenset[str]:
    """The load balancer's groups; the VPC's default group when it was created without any."""
    groups = list(balancer.security_groups or [])
    if not groups and net.vpcs.get(vpc) and net.vpcs[vpc].default_group:
        groups = [net.vpcs[vpc].default_group]
    return frozenset(groups)


def balancer_nodes(net: Topology, balancer: Balancer) -> list[Interface]:
    """One node interface per subnet of the load balancer (its subnets, groups and scheme
    change only by calls, which make a new picture)."""
    key = ("nodes", balancer.arn)
    if key not in net.memo:
        net.memo[key] = _nodes(net, balancer)
    return list(net.memo[key])


def _nodes(net: Topology, balancer: Balancer) -> list[Interface]:
    nodes = []
    public = (balancer.scheme or "internet-facing") == "internet-facing"
    for subnet_ref in balancer.subnets or []:
        subnet = net.subnets.get(subnet_ref)
        if subnet is None:
            continue
        nodes.append(
            Interface(
                f"{balancer.name}-node-{subnet.zone}",
                subnet.cidr.network_address + NODE_HOST,
                subnet.id,
                subnet.vpc,
                balancer_groups(net, balancer, subnet.vpc),
                public,
            )
        )
    return nodes


def balancer_reaches(world: World, balancer: Balancer, record: Any, port: int) -> Verdict:
    """Whether every node of ``balancer`` can open ``port`` on the task (cached per change)."""
    shape = shape_of(world)
    net = shape.topology(world, record.account, record.region)
    key = ("target", balancer.arn, record.arn, port)
    found = shape.verdicts.get(key)
    if found is not None:
        return found
    task = task_interface(net, record)
    verdict = OPEN
    if task is not None:
        for node in balancer_nodes(net, balancer):
            verdict = reach(net, node, task, port)
            if not verdict:
                break
    shape.verdicts[key] = verdict
    return verdict


def client_reaches(
    world: World, account: str, region: str, balancer: Balancer, port: int
) -> Verdict:
    """Whether a client on the internet can open ``port`` on the load balancer.

    An internal load balancer's nodes have no public address, so the answer is no."""
    net = topology(world, account, region)
    verdict: Verdict = OPEN
    for node in balancer_nodes(net, balancer):
        verdict = reach(net, CLIENT, node, port)
        if verdict:
            return verdict
    return verdict
