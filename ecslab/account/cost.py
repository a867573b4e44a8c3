"""``lab.cost()``: what the lab's tagged resources cost now, estimated from the price table.

Fargate is priced from each tagged service's task definition (cpu, memory, architecture) at the
larger of its desired and running counts, and from standalone tagged tasks; a tagged ALB at its
hourly price plus one assumed LCU; a secret at its monthly price over 730 hours. Everything else
the course creates is free or costs cents a month and is left out (``lab.teardown(dry_run=True)``
lists everything).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ecslab.account.estimate import CostLine, Estimate, fargate_line, simple_line
from ecslab.account.inventory import Clients, Resource, cached, inventory
from ecslab.account.pricing import PriceTable, load_prices

if TYPE_CHECKING:
    from ecslab.lab import Lab


#: What the price table prices; listing only these keeps lab.cost() quick on a real account.
PRICED_KINDS = ("ecs-service", "ecs-task", "load-balancer", "secret")


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
    title = f"Resources tagged ecslab:lab={lab} now:"
    return Estimate(title, lines, prices, used, region)


def _size(ecs: Any, task_definition: str) -> tuple[int, int, str]:
    """(cpu units, memory MiB, architecture) of a task definition."""
    described = ecs.describe_task_definition(taskDefinition=task_definition)["taskDefinition"]
    architecture = (described.get("runtimePlatform") or {}).get("cpuArchitecture", "X86_64")
    return int(described.get("cpu") or 0), int(described.get("memory") or 0), architecture
