"""Check where a request goes through the learner's ALB (lesson 05), from the listener's rules.

AWS: "Rules are evaluated in priority order, from the lowest value to the highest value. The
default rule is evaluated last." A path-pattern is case-sensitive, matches the path only, with
``*`` and ``?`` wildcards (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/
listener-rules.html, botocore's ``elbv2`` model ``PathPatternConditionConfig``).

The check reads the rules through ``elbv2.describe_rules`` and evaluates them itself, so it works
on a real account as on the simulated ones; it considers path-pattern conditions only.
"""

from __future__ import annotations

import fnmatch
import re
from typing import Any

from ecslab.checks.result import CheckResult, recorded


def _matches(pattern: str, path: str) -> bool:
    return re.fullmatch(fnmatch.translate(pattern).replace("(?s:", "(?s-i:", 1), path) is not None


def _path_only(rule: dict[str, Any]) -> list[str] | None:
    """The rule's path patterns, or ``None`` when it has conditions the check does not read."""
    patterns: list[str] = []
    for condition in rule.get("Conditions", []):
        if condition.get("Field") != "path-pattern":
            return None
        config = condition.get("PathPatternConfig", {}).get("Values") or condition.get("Values", [])
        patterns += config
    return patterns


def route(
    lab: Any,
    path: str,
    *,
    target_group: str,
    load_balancer: str | None = None,
    lesson: str = "05_alb",
) -> CheckResult:
    """A request for ``path`` is forwarded to target group ``target_group`` (by name)."""
    elbv2 = lab.client("elbv2")
    title = f"Requests for {path} go to target group '{target_group}'"
    where = "elbv2.describe_rules(ListenerArn=...)['Rules']"
    balancers = elbv2.describe_load_balancers()["LoadBalancers"]
    if load_balancer:
        balancers = [b for b in balancers if b["LoadBalancerName"] == load_balancer]
    listeners = [
        listener
        for balancer in balancers
        for listener in elbv2.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])[
            "Listeners"
        ]
    ]
    if not listeners:
        missing = "There is no listener yet: create one with elbv2.create_listener(...)."
        return recorded(CheckResult(title, False, missing=(missing,), where=where), lesson, title)
    names = {
        group["TargetGroupArn"]: group["TargetGroupName"]
        for group in elbv2.describe_target_groups()["TargetGroups"]
    }
    rules = elbv2.describe_rules(ListenerArn=listeners[0]["ListenerArn"])["Rules"]
    ordered = sorted(
        rules, key=lambda r: (r["IsDefault"], int(r["Priority"]) if r["Priority"].isdigit() else 0)
    )
    for rule in ordered:
        patterns = _path_only(rule)
        if patterns is None or not (rule["IsDefault"] or any(_matches(p, path) for p in patterns)):
            continue
        forward = [a for a in rule["Actions"] if a["Type"] == "forward"]
        chosen = names.get(forward[0].get("TargetGroupArn", ""), "?") if forward else "?"
        which = (
            "the default rule" if rule["IsDefault"] else f"the rule of priority {rule['Priority']}"
        )
        if chosen == target_group:
            return recorded(
                CheckResult(title, True, found=(f"{which} sends it there",)), lesson, title
            )
        missing = (
            f"{which.capitalize()} sends {path} to '{chosen}' first. Add a rule with a lower "
            f"priority number whose path-pattern matches {path} exactly (patterns are "
            "case-sensitive; * matches any characters)."
        )
        return recorded(CheckResult(title, False, missing=(missing,), where=where), lesson, title)
    missing = f"No rule matches {path}."
    return recorded(CheckResult(title, False, missing=(missing,), where=where), lesson, title)
