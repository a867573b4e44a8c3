"""Prices as data: each with its source and date, read from ``prices.json`` beside this module.

The numbers are third-party reproductions of AWS's pricing pages (each entry says which, and
when), for us-east-1 On-Demand; estimates built on them say so. Fargate bills vCPU and memory per
second with a one-minute minimum (https://aws.amazon.com/fargate/pricing/); an ALB bills each hour
or partial hour plus the LCUs it uses in that hour
(https://aws.amazon.com/elasticloadbalancing/pricing/).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

HOURS_PER_MONTH = 730  # AWS's pricing pages convert monthly prices with 730 hours
#: What a lab's lightly used ALB is assumed to consume: an upper bound for a few learners'
#: requests (one LCU is 25 new connections/s, 3,000 active connections/min, 1 GB/h or 1,000 rule
#: evaluations/s). The choice is ours, not AWS's.
ASSUMED_LCU = 1.0


@dataclass(frozen=True)
class Price:
    key: str
    usd: float
    unit: str
    item: str
    source: str
    as_of: str
    check: str


@dataclass(frozen=True)
class PriceTable:
    region: str
    currency: str
    prices: dict[str, Price]

    def __getitem__(self, key: str) -> Price:
        return self.prices[key]

    def fargate_hourly(self, vcpu: float, memory_gb: float, architecture: str = "X86_64") -> float:
        """USD per hour for one Fargate task of ``vcpu`` vCPU and ``memory_gb`` GB."""
        suffix = "arm64" if architecture.upper() == "ARM64" else "x86"
        return (
            vcpu * self[f"fargate-vcpu-hour-{suffix}"].usd
            + memory_gb * self[f"fargate-gb-hour-{suffix}"].usd
        )

    def alb_hourly(self, lcu: float = ASSUMED_LCU) -> float:
        """USD per hour for one ALB using ``lcu`` LCUs."""
        return self["alb-hour"].usd + lcu * self["alb-lcu-hour"].usd

    def secret_hourly(self) -> float:
        return self["secret-month"].usd / HOURS_PER_MONTH

    def sources(self, keys: list[str] | None = None) -> list[str]:
        """One line per price: what, how much, from where and when."""
        chosen = keys if keys is not None else sorted(self.prices)
        return [
            f"{p.item}: ${p.usd:g} per {p.unit} ({p.source}; as of {p.as_of}; check {p.check})"
            for p in (self[k] for k in chosen)
        ]


def load_prices(path: Path | None = None) -> PriceTable:
    """The price table from ``path``, or the one shipped with ecslab."""
    if path is None:
        return _shipped()
    return _parse(json.loads(Path(path).read_text()))


@cache
def _shipped() -> PriceTable:
    text = resources.files("ecslab.account").joinpath("prices.json").read_text()
    return _parse(json.loads(text))


def _parse(data: dict) -> PriceTable:
    prices = {key: Price(key=key, **entry) for key, entry in data["prices"].items()}
    return PriceTable(region=data["region"], currency=data["currency"], prices=prices)
