"""Check where a request goes through the learner's ALB (lesson 05), from the listener's rules.

AWS: "Rules are evaluated in priority order, from the lowest value to the highest value. The
default rule is evaluated last." A path-pattern is case-sensitive, matches the path only, with
``*`` and ``?`` wildcards (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/
listener-rules.html, botocore's ``elbv2`` model ``PathPatternConditionConfig``).

The check reads the rules through ``elbv2.describe_rules`` and evaluates them with the simulated
ALB's own matching (:mod:`ecslab.semantics.listener_rules`, pure functions over boto3-shaped
conditions), so it answers the same on a real account as on the simulated ones.
"""

from __future__ import annotations

from typing import Any

from ecslab.checks.result import CheckResult, recorded
from ecslab.semantics.listener_rules import (
    Request,
    condition_matches,
    forward_target_group,
    priority_order,
)


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
    ordered = sorted(rules, key=lambda r: priority_order(r["Priority"], r["IsDefault"]))
    request = Request.parse(path)
    for rule in ordered:
        if not all(condition_matches(c, request) for c in rule.get("Conditions") or []):
            continue
        forward = [a for a in rule["Actions"] if a["Type"] == "forward"]
        chosen = names.get(forward_target_group(forward[0]) or "", "?") if forward else "?"
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
        yours = _unmatched_rule(ordered, names, target_group, request, path)
        problems = (yours, missing) if yours else (missing,)
        return recorded(CheckResult(title, False, missing=problems, where=where), lesson, title)
    missing = f"No rule matches {path}."
    yours = _unmatched_rule(ordered, names, target_group, request, path)
    problems = (yours, missing) if yours else (missing,)
    return recorded(CheckResult(title, False, missing=problems, where=where), lesson, title)


def _unmatched_rule(
    rules: list[dict[str, Any]], names: dict[str, str], target_group: str, request: Any, path: str
) -> str:
    """A sentence when a rule forwards to ``target_group`` but its conditions miss ``path``:
    most often the learner's own rule, with a pattern that is almost right."""
    for rule in rules:
        if rule["IsDefault"]:
            continue
        forward = [a for a in rule["Actions"] if a["Type"] == "forward"]
        if not forward or names.get(forward_target_group(forward[0]) or "") != target_group:
            continue
        conditions = rule.get("Conditions") or []
        if all(condition_matches(c, request) for c in conditions):
            continue
        patterns = [
            value
            for c in conditions
            if c.get("Field") == "path-pattern"
            for value in (c.get("PathPatternConfig") or {}).get("Values") or c.get("Values") or []
        ]
        shown = f"path-pattern {patterns}" if patterns else "conditions"
        return (
            f"The rule of priority {rule['Priority']} forwards to '{target_group}', but its "
            f"{shown} does not match {path}: a pattern must match the whole path, "
            "case-sensitively (* for any characters, ? for one)."
        )
    return ""
