"""``lab.plan()``: what a lesson (or the whole course) will create, and what it costs per hour.

The lessons' resources are data (``course_plan.json``), priced with the price table, so a learner
on a real account sees the bill before a cell creates anything.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from ecslab.account.estimate import (
    CostLine,
    Estimate,
    fargate_line,
    public_ipv4_line,
    simple_line,
)
from ecslab.account.pricing import PriceTable, load_prices
from ecslab.account.tags import DEFAULT_LAB_NAME
from ecslab.errors import ConfigurationError

#: Plan kinds that run Fargate tasks → the inventory kind they appear as.
FARGATE_KINDS = {"fargate-service": "ecs-service", "fargate-task": "ecs-task"}


@cache
def _lessons() -> dict[str, Any]:
    text = resources.files("ecslab.account").joinpath("course_plan.json").read_text()
    return json.loads(text)["lessons"]


def lesson_key(lesson: str | int) -> str:
    """``7``, ``"7"``, ``"07"`` or ``"07_secrets"`` → ``"07"``."""
    digits = ""
    for character in str(lesson):
        if not character.isdigit():
            break
        digits += character
    key = f"{int(digits):02d}" if digits else str(lesson)
    if key not in _lessons():
        raise ConfigurationError(
            f"No lesson {lesson!r} in the course plan. Lessons: {', '.join(sorted(_lessons()))}."
        )
    return key


def planned_items(
    lesson: str | int | None = None, lab: str = DEFAULT_LAB_NAME
) -> list[dict[str, Any]]:
    """The resources of one lesson, or of the whole course (each once, at its largest), with
    ``{lab}`` in names replaced by the lab's name."""
    lessons = _lessons()
    keys = [lesson_key(lesson)] if lesson is not None else sorted(lessons)
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for key in keys:
        for item in lessons[key]["creates"]:
            named = {**item, "name": item["name"].replace("{lab}", lab)}
            seen = merged.get((named["kind"], named["name"]))
            if seen is None or named.get("tasks", 0) > seen.get("tasks", 0):
                merged[(named["kind"], named["name"])] = named
    return list(merged.values())


def course_plan(
    lesson: str | int | None = None,
    *,
    lab: str = DEFAULT_LAB_NAME,
    region: str = "us-east-1",
    prices: PriceTable | None = None,
) -> Estimate:
    """The plan of ``lesson`` (or of the whole course) as a priced estimate.

    The whole course is the bound for a learner who never tears down: every lesson's resources
    at once, each at its largest.
    """
    prices = prices or load_prices()
    lines: list[CostLine] = []
    used: list[str] = []
    for item in planned_items(lesson, lab):
        name = item["name"]
        if item["kind"] in FARGATE_KINDS:
            line, keys = fargate_line(
                prices,
                FARGATE_KINDS[item["kind"]],
                name,
                item["tasks"],
                item["cpu"],
                item["memory"],
                item.get("architecture", "X86_64"),
            )
            if item.get("note"):
                line = CostLine(line.kind, line.name, line.hourly, f"{line.basis}; {item['note']}")
        else:
            line, keys = simple_line(prices, item["kind"], name)
        lines.append(line)
        used += keys
        addresses = _public_addresses(item)
        if addresses:
            line, keys = public_ipv4_line(prices, name, *addresses)
            lines.append(line)
            used += keys
    elsewhere = ""
    if lesson is None:
        title = "The whole course creates (all of it, if no lesson is torn down):"
    else:
        key = lesson_key(lesson)
        title = f"Lesson {key} ({_lessons()[key]['title']}) creates:"
        first = first_priced_lesson()
        if key != first:
            elsewhere = (
                f"listed once, in lesson {first}'s plan (lab.plan({first!r})) and by lab.plan()"
            )
    return Estimate(title, lines, prices, used, region, sources_elsewhere=elsewhere)


def first_priced_lesson() -> str:
    """The first lesson whose plan has a price: the one that lists the prices' sources."""
    for key in sorted(_lessons()):
        if any(
            i["kind"] in FARGATE_KINDS or i["kind"] == "load-balancer"
            for i in _lessons()[key]["creates"]
        ):
            return key
    return ""


def _public_addresses(item: dict[str, Any]) -> tuple[int, str] | None:
    """How many public IPv4 addresses a planned resource holds, and why.

    The course's tasks ask for one each (``assignPublicIp`` ENABLED, ``"public_ip": false`` in
    the plan when not); an internet-facing ALB has a node with a public address in each of its
    zones (``"zones"``, 2 by default; more when it scales); a NAT gateway has its Elastic IP.
    """
    kind = item["kind"]
    if kind in FARGATE_KINDS and item.get("public_ip", True):
        return item["tasks"], "assignPublicIp ENABLED, one per task"
    if kind == "load-balancer" and item.get("scheme", "internet-facing") == "internet-facing":
        return item.get("zones", 2), "internet-facing, one node per zone at least"
    if kind == "nat-gateway":
        return 1, "the NAT gateway's Elastic IP"
    return None
