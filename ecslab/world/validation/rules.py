"""The one register of everything the simulated AWS enforces, so a reader can list it.

A *rule* is one small named function that looks at a call before moto stores anything. It either
rejects the call with AWS's error (``kind="rejects"``) or fills in what AWS fills in, in place,
so that moto stores what AWS would (``kind="fills in"``). Each rule's docstring says what AWS
does in one line, then cites its AWS source; ``ecslab rules`` prints them all.

Rules register themselves with the :func:`rule` decorator when their area's module is imported;
:func:`all_rules` imports every area in the order the rules run.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from ecslab.world.moto_hooks import ApiCall

#: The areas, in the order their rules run for a call that several areas check.
AREAS = (
    "ecslab.world.validation.fargate_sizes",
    "ecslab.world.validation.task_definitions",
    "ecslab.world.validation.ecs_lookups",
    "ecslab.world.validation.secrets",
    "ecslab.world.validation.services",
    "ecslab.world.validation.load_balancers",
    "ecslab.world.validation.target_groups",
    "ecslab.world.validation.ecr",
    "ecslab.world.validation.network",
    "ecslab.world.validation.group_ids",
    "ecslab.world.validation.ec2_filters",
    "ecslab.world.validation.limits",
    "ecslab.world.validation.iam",
    "ecslab.world.validation.model_constraints",
)

Check = Callable[[ApiCall], None]


@dataclass(frozen=True)
class Rule:
    """One thing the simulated AWS enforces (or fills in) for some API actions."""

    name: str
    service: str  # boto3's service name: "ecs", "elbv2", "ecr", "ec2", "iam"
    actions: tuple[str, ...]
    kind: str  # "rejects" or "fills in"
    source: str  # the AWS page or botocore model the behaviour comes from
    check: Check

    @property
    def summary(self) -> str:
        """The first line of the rule's docstring: what AWS does."""
        doc = (self.check.__doc__ or "").strip()
        return doc.splitlines()[0] if doc else self.name


_REGISTERED: list[Rule] = []


def rule(
    service: str, *actions: str, source: str, kind: str = "rejects"
) -> Callable[[Check], Check]:
    """Register the decorated function as a rule for ``service``'s ``actions``."""

    def register(check: Check) -> Check:
        _REGISTERED.append(Rule(check.__name__, service, tuple(actions), kind, source, check))
        return check

    return register


def all_rules() -> list[Rule]:
    """Every rule of the simulated AWS, in the order they run."""
    for area in AREAS:
        importlib.import_module(area)
    order = {area: index for index, area in enumerate(AREAS)}
    return sorted(_REGISTERED, key=lambda r: order.get(r.check.__module__, len(order)))


def rules_by_call() -> dict[tuple[str, str], tuple[Rule, ...]]:
    """The rules for each ``(service, action)``, in order: one dictionary look-up per call."""
    table: dict[tuple[str, str], list[Rule]] = {}
    for each in all_rules():
        for action in each.actions:
            table.setdefault((each.service, action), []).append(each)
    return {key: tuple(rules) for key, rules in table.items()}
