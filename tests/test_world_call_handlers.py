"""The world's one table of which behaviour handles which API call, and in what order."""

from __future__ import annotations

from typing import Any

import pytest

from ecslab.world.call_handlers import AFTER, ANY, BEFORE, CallHandlers, Registrar
from ecslab.world.validation.rules import rules_by_call
from ecslab.world.world import World

#: Every handler of the standard world but validation's, in the order they run:
#: (phase, service, action, behaviour, handler).
STANDARD = [
    ("before", "*", "*", "NetworkShape", "shape_before"),
    ("after", "ec2", "DeleteRoute", "NetworkShape", "rearm"),
    ("after", "ec2", "DetachInternetGateway", "NetworkShape", "rearm"),
    ("after", "ec2", "ModifyNetworkInterfaceAttribute", "NetworkShape", "rearm"),
    ("after", "ec2", "ModifySecurityGroupRules", "NetworkShape", "rearm"),
    ("after", "ec2", "ReplaceRoute", "NetworkShape", "rearm"),
    ("after", "ec2", "RevokeSecurityGroupEgress", "NetworkShape", "rearm"),
    ("after", "ec2", "RevokeSecurityGroupIngress", "NetworkShape", "rearm"),
    ("after", "elbv2", "SetSecurityGroups", "NetworkShape", "rearm"),
    ("after", "ec2", "*", "NetworkShape", "shape_after"),
    ("before", "ecs", "*", "MotoAnswers", "foreign_arns"),
    ("before", "elbv2", "*", "MotoAnswers", "foreign_arns"),
    ("before", "ecr", "*", "MotoAnswers", "foreign_arns"),
    ("before", "logs", "*", "MotoAnswers", "foreign_arns"),
    ("before", "secretsmanager", "*", "MotoAnswers", "foreign_arns"),
    ("before", "logs", "GetLogEvents", "MotoAnswers", "log_stream_exists"),
    ("after", "secretsmanager", "DescribeSecret", "MotoAnswers", "secret_answers"),
    ("after", "secretsmanager", "ListSecrets", "MotoAnswers", "secret_answers"),
    ("before", "elbv2", "CreateLoadBalancer", "Elbv2Idempotency", "repeat"),
    ("before", "elbv2", "CreateTargetGroup", "Elbv2Idempotency", "repeat"),
    ("before", "elbv2", "CreateListener", "Elbv2Idempotency", "repeat"),
    ("after", "elbv2", "CreateLoadBalancer", "BalancerProvisioning", "hold"),
    ("before", "iam", "*", "ManagedPolicies", "load"),
    ("after", "ecr", "UploadLayerPart", "ImageBlobs", "keep"),
    ("after", "ecr", "CompleteLayerUpload", "ImageBlobs", "keep"),
    ("before", "ecs", "ListServiceDeployments", "Runtime", "_answer_service_deployments"),
    ("before", "ecs", "DescribeServiceDeployments", "Runtime", "_answer_service_deployments"),
    ("before", "ecs", "UpdateService", "Runtime", "_deploy_before_update"),
    ("after", "elbv2", "ModifyTargetGroup", "Runtime", "_rearm_targets"),
    ("after", "elbv2", "ModifyTargetGroupAttributes", "Runtime", "_rearm_targets"),
    ("after", "elbv2", "CreateListener", "Runtime", "_stable_default_rules"),
    ("after", "ecs", "CreateService", "Runtime", "_create_service"),
    ("after", "ecs", "UpdateService", "Runtime", "_update_service"),
    ("after", "ecs", "DeleteService", "Runtime", "_delete_service"),
    ("after", "ecs", "ListServices", "Runtime", "_list_services"),
    ("after", "ecs", "RunTask", "Runtime", "_run_task"),
    ("after", "ecs", "StopTask", "Runtime", "_stop_task"),
]


def _rows(world: World) -> list[tuple[str, str, str, str, str]]:
    return [(r.phase, r.service, r.action, r.owner, r.name) for r in world.calls.rows()]


def test_the_standard_world_lists_every_handler_of_every_behaviour_in_order() -> None:
    """Validation's come first, one per checked call; then the list above."""
    rows = _rows(World())
    checked = list(rules_by_call())
    validation = [("before", s, a, "Validation", "check") for s, a in checked]
    assert rows[: len(validation)] == validation
    assert len(validation) > 40
    assert rows[len(validation) :] == STANDARD


def test_every_behaviour_of_the_standard_world_registers_some_handler() -> None:
    world = World()
    owners = {r.owner for r in world.calls.rows()}
    assert owners == {type(b).__name__ for b in world.behaviours}


def test_a_call_gets_the_matching_handlers_in_registration_order_wildcards_included() -> None:
    """(ecs, RunTask) runs what was registered for it, for ecs/ANY and for ANY/ANY, in the
    order they were registered, not grouped by how specific they are."""
    table = CallHandlers()
    ran: list[str] = []

    def handler(name: str) -> Any:
        def handle(world: Any, call: Any) -> None:
            ran.append(name)

        handle.__name__ = name
        return handle

    first, second = Registrar(table, "First"), Registrar(table, "Second")
    first.before("ecs", "RunTask", handler("exact"))
    first.before(ANY, ANY, handler("everything"))
    second.before("ecs", ANY, handler("all of ecs"))
    second.before("elbv2", "RunTask", handler("other service"))
    second.after("ecs", "RunTask", handler("after"))
    for each in table.for_call(BEFORE, "ecs", "RunTask"):
        each.handle(None, None)  # type: ignore[arg-type]
    assert ran == ["exact", "everything", "all of ecs"]
    assert [h.name for h in table.for_call(AFTER, "ecs", "RunTask")] == ["after"]
    assert [h.name for h in table.for_call(BEFORE, "iam", "GetRole")] == ["everything"]


def test_a_handler_registered_later_is_seen_by_a_kind_of_call_already_looked_up() -> None:
    table = CallHandlers()
    assert table.for_call(BEFORE, "ecs", "RunTask") == ()
    Registrar(table, "Late").before("ecs", "RunTask", lambda world, call: None)
    assert len(table.for_call(BEFORE, "ecs", "RunTask")) == 1


def test_a_phase_other_than_before_or_after_is_refused_in_one_sentence() -> None:
    with pytest.raises(ValueError, match="runs 'before' or 'after' moto"):
        CallHandlers().register("during", "ecs", "RunTask", lambda w, c: None, "X")
