"""``lab.cost()``: what the lab's tagged resources cost now, estimated from the price table.

Fargate is priced from each tagged service's task definition (cpu, memory, architecture) at the
larger of its desired and running counts, and from standalone tagged tasks; a tagged ALB at its
hourly price plus one assumed LCU; a NAT gateway at its hourly price (data processed not
estimated); a secret at its monthly price over 730 hours. Public IPv4 addresses are billed by the
hour since 2024-02-01 (https://aws.amazon.com/vpc/pricing/), so each is counted: one per task of
a service whose ``assignPublicIp`` is ENABLED, one per standalone task whose network interface
has one (``ec2.describe_network_interfaces``: ``Association.PublicIp``), one per zone of an
internet-facing ALB, and a NAT gateway's Elastic IPs. Everything else the course creates is free
or costs cents a month and is left out (``lab.teardown(dry_run=True)`` lists everything).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from ecslab.account.estimate import (
    CostLine,
    Estimate,
    fargate_line,
    public_ipv4_line,
    simple_line,
)
from ecslab.account.pricing import PriceTable, load_prices
from ecslab.account.tagged_resources import Clients, Resource, cached, inventory

if TYPE_CHECKING:
    from ecslab.lab import Lab


#: What the price table prices; listing only these keeps lab.cost() quick on a real account.
PRICED_KINDS = ("ecs-service", "ecs-task", "load-balancer", "nat-gateway", "secret")


def estimate_cost(lab: Lab, prices: PriceTable | None = None) -> Estimate:
    """The hourly cost of everything carrying ``lab``'s tag now."""
    clients = cached(lab.client)
    priced = inventory(clients, lab.name, PRICED_KINDS)
    return cost_of(priced, clients, prices, lab.name, lab.region)


def cost_of(
    resources: list[Resource],
    clients: Clients,
    prices: PriceTable | None = None,
    lab: str = "ecslab",
    region: str = "us-east-1",
) -> Estimate:
    prices = prices or load_prices()
    lines: list[CostLine] = []
    used: list[str] = []
    for resource in resources:
        if resource.kind == "ecs-service":
            detail = resource.detail
            tasks = max(detail.get("desiredCount", 0), detail.get("runningCount", 0))
            size = _size(clients("ecs"), resource.detail["taskDefinition"])
            line, keys = fargate_line(prices, resource.kind, resource.name, tasks, *size)
        elif resource.kind == "ecs-task":
            size = _size(clients("ecs"), resource.detail["taskDefinitionArn"])
            line, keys = fargate_line(prices, resource.kind, resource.name, 1, *size)
        else:
            line, keys = simple_line(prices, resource.kind, resource.name)
        lines.append(line)
        used += keys
        addresses = _public_addresses(resource, clients)
        if addresses:
            line, keys = public_ipv4_line(prices, resource.name, *addresses)
            lines.append(line)
            used += keys
    title = f"Resources tagged ecslab:lab={lab} now:"
    return Estimate(title, lines, prices, used, region)


def _size(ecs: Any, task_definition: str) -> tuple[int, int, str]:
    """(cpu units, memory MiB, architecture) of a task definition."""
    described = ecs.describe_task_definition(taskDefinition=task_definition)["taskDefinition"]
    architecture = (described.get("runtimePlatform") or {}).get("cpuArchitecture", "X86_64")
    return int(described.get("cpu") or 0), int(described.get("memory") or 0), architecture


def _public_addresses(resource: Resource, clients: Clients) -> tuple[int, str] | None:
    """How many public IPv4 addresses ``resource`` holds now, and why; None for none."""
    detail = resource.detail
    if resource.kind == "ecs-service":
        network = (detail.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}
        tasks = max(detail.get("desiredCount", 0), detail.get("runningCount", 0))
        if network.get("assignPublicIp") == "ENABLED" and tasks:
            return tasks, "assignPublicIp ENABLED, one per task"
    elif resource.kind == "ecs-task" and _task_public_ip(detail, clients("ec2")):
        return 1, "its network interface has a public IP"
    elif resource.kind == "load-balancer" and detail.get("Scheme", "internet-facing") == (
        "internet-facing"  # the default (botocore's elbv2 model), when a describe omits it
    ):
        zones = len(detail.get("AvailabilityZones") or []) or 2
        return zones, "internet-facing, one node per zone at least"
    elif resource.kind == "nat-gateway":
        count = len(detail.get("NatGatewayAddresses") or []) or 1
        return count, "the NAT gateway's Elastic IP"
    return None


def _task_public_ip(task: dict[str, Any], ec2: Any) -> bool:
    """A standalone task's network interface, read from EC2, has a public IPv4 address."""
    interfaces = [
        detail["value"]
        for attachment in task.get("attachments", [])
        for detail in attachment.get("details", [])
        if detail.get("name") == "networkInterfaceId"
    ]
    if not interfaces:
        return False
    try:
        described = ec2.describe_network_interfaces(NetworkInterfaceIds=interfaces)
    except ClientError:  # the interface is already gone (the task is stopping)
        return False
    return any((i.get("Association") or {}).get("PublicIp") for i in described["NetworkInterfaces"])
