"""Validation: the simulated AWS says no where real AWS says no, and yes where moto crashes.

One module per area (``fargate_sizes``, ``task_definitions``, ``ecs_lookups``, ``secrets``,
``services``, ``load_balancers``, ``target_groups``, ``ecr``, ``network``, ``group_ids``,
``ec2_filters``, ``limits``, ``iam``) holds small named rules, each citing its AWS source;
:func:`all_rules` lists them (``ecslab rules`` prints them). :class:`Validation` is the world
behaviour that runs them before moto sees a call; :data:`MOTO_FIXES` lists the moto crashes on
valid input that are corrected at run time.
"""

from ecslab.world.moto_adapter.fixes import MOTO_FIXES, MotoFix
from ecslab.world.validation.behaviour import Validation
from ecslab.world.validation.rules import Rule, all_rules

__all__ = ["MOTO_FIXES", "MotoFix", "Rule", "Validation", "all_rules"]
