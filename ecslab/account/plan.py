"""``lab.plan()``: what a lesson (or the whole course) will create, and what it costs per hour.

The lessons' resources are data (``course_plan.json``), priced with the price table, so a learner
on a real account sees the bill before a cell creates anything.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from ecslab.account.estimate import CostLine, Estimate, fargate_line, simple_line
from ecslab.account.pricing import PriceTable, load_prices
from ecslab.account.tags import DEFAULT_LAB_NAME, prefixed
from ecslab.errors import ConfigurationError


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


def planned_items(lesson: str | int | None = None) -> list[dict[str, Any]]:
    """The resources of one lesson, or of the whole course (each once, at its largest)."""
    lessons = _lessons()
    if lesson is not None:
        return list(lessons[lesson_key(lesson)]["creates"])
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for key in sorted(lessons):
        for item in lessons[key]["creates"]:
            seen = merged.get((item["kind"], item["name"]))
            if seen is None or item.get("tasks", 0) > seen.get("tasks", 0):
                merged[(item["kind"], item["name"])] = item
    return list(merged.values())


def course_plan(
    lesson: str | int | None = None,
    *,
    lab: str = DEFAULT_LAB_NAME,
    region: str = "us-east-1",
    prices: PriceTable | None = None,
) -> Estimate:
    """The plan of ``lesson`` (or of the whole course, at its peak) as a priced estimate."""
    prices = prices or load_prices()
    lines: list[CostLine] = []
    used: list[str] = []
    for item in planned_items(lesson):
        name = item["name"] if item["name"].startswith("/") else prefixed(item["name"], lab)
        if item["kind"] == "fargate-service":
            line, keys = fargate_line(
                prices, "ecs-service", name, item["tasks"], item["cpu"], item["memory"],
                item.get("architecture", "X86_64"),
            )
            if item.get("note"):
                line = CostLine(line.kind, line.name, line.hourly, f"{line.basis}; {item['note']}")
        else:
            line, keys = simple_line(prices, item["kind"], name)
        lines.append(line)
        used += keys
    if lesson is None:
        title = "The whole course creates (at its peak):"
    else:
        key = lesson_key(lesson)
        title = f"Lesson {key} ({_lessons()[key]['title']}) creates:"
    return Estimate(title, lines, prices, used, region)
