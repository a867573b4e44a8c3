"""An hourly cost estimate, line by line, with the prices it used and where they come from.

Shared by ``lab.plan()`` (what will exist) and ``lab.cost()`` (what exists). Resources without a
line price (a cluster, a task definition, a repository's first storage) show as not priced:
they are free or cost cents a month, and the table says which prices it has.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ecslab.account.pricing import HOURS_PER_MONTH, PriceTable


@dataclass(frozen=True)
class CostLine:
    """One resource (or several alike) and what it costs per hour, or None when not priced."""

    kind: str
    name: str
    hourly: float | None
    basis: str = ""


@dataclass
class Estimate:
    title: str
    lines: list[CostLine]
    prices: PriceTable
    used: list[str] = field(default_factory=list)  # price keys the estimate relied on
    region: str = "us-east-1"
    #: Where the prices' sources are listed instead, when this estimate does not list them (the
    #: course shows the long block once, not in every lesson); "" lists them here.
    sources_elsewhere: str = ""

    @property
    def hourly(self) -> float:
        """Estimated USD per hour for everything priced."""
        return sum(line.hourly or 0.0 for line in self.lines)

    @property
    def daily(self) -> float:
        return self.hourly * 24

    @property
    def monthly(self) -> float:
        return self.hourly * HOURS_PER_MONTH

    def lines_text(self) -> list[str]:
        out = [self.title]
        width = max([len(f"{line.kind} {line.name}") for line in self.lines] + [10])
        for line in self.lines:
            label = f"{line.kind} {line.name}".ljust(width)
            cost = "not priced" if line.hourly is None else f"${line.hourly:.4f}/h"
            basis = f"  ({line.basis})" if line.basis else ""
            out.append(f"  {label}  {cost}{basis}")
        if not self.lines:
            out.append("  nothing")
        out.append(
            f"Estimated total: ${self.hourly:.4f} per hour, ${self.daily:.2f} per day, "
            f"${self.monthly:.2f} per month if left running."
        )
        note = f"Prices: {self.prices.region} On-Demand, {self.prices.currency}"
        if self.region != self.prices.region:
            note += f" (your region {self.region} may differ)"
        if self.sources_elsewhere:
            out.append(f"{note}; free tiers not deducted. Sources: {self.sources_elsewhere}.")
            return out
        out.append(note + "; free tiers not deducted. Sources:")
        out += [f"  {line}" for line in self.prices.sources(sorted(set(self.used)))]
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines_text())

    def __repr__(self) -> str:
        return str(self)


def fargate_line(
    prices: PriceTable, kind: str, name: str, tasks: int, cpu: int, memory: int, arch: str
) -> tuple[CostLine, list[str]]:
    """``tasks`` Fargate tasks of ``cpu`` units and ``memory`` MiB."""
    vcpu, gb = cpu / 1024, memory / 1024
    hourly = tasks * prices.fargate_hourly(vcpu, gb, arch)
    suffix = "arm64" if arch.upper() == "ARM64" else "x86"
    basis = f"{tasks} × {vcpu:g} vCPU + {gb:g} GB, {suffix}"
    return CostLine(kind, name, hourly, basis), [
        f"fargate-vcpu-hour-{suffix}",
        f"fargate-gb-hour-{suffix}",
    ]


def public_ipv4_line(
    prices: PriceTable, name: str, count: int, why: str
) -> tuple[CostLine, list[str]]:
    """``count`` public IPv4 addresses, each billed by the hour since 2024-02-01 whether in use
    or idle: a task's with ``assignPublicIp`` ENABLED, an internet-facing ALB's nodes (one per
    zone at least), a NAT gateway's Elastic IP."""
    hourly = count * prices["public-ipv4-hour"].usd
    return CostLine("public-ipv4", name, hourly, f"{count} × address, {why}"), ["public-ipv4-hour"]


def simple_line(prices: PriceTable, kind: str, name: str) -> tuple[CostLine, list[str]]:
    """A load balancer, a NAT gateway, a secret, or something the table does not price."""
    if kind == "nat-gateway":
        basis = "hourly; data processed not estimated"
        return CostLine(kind, name, prices["nat-gateway-hour"].usd, basis), ["nat-gateway-hour"]
    if kind == "load-balancer":
        basis = "hourly + 1 LCU assumed"
        return CostLine(kind, name, prices.alb_hourly(), basis), ["alb-hour", "alb-lcu-hour"]
    if kind == "secret":
        return CostLine(kind, name, prices.secret_hourly(), "per month / 730"), ["secret-month"]
    return CostLine(kind, name, None), []
