"""Rendering and registering the example's task definitions, as the two GitHub Actions do."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecslab.errors import ConfigurationError
from ecslab.pipeline import taskdef
from ecslab.pipeline.source import EXAMPLE_APP

BACKEND = taskdef.load((EXAMPLE_APP / "backend" / "task-definition.json").read_text())


def test_render_sets_the_named_containers_image_and_nothing_else() -> None:
    """The render action swaps one container's image; the file itself is left alone."""
    rendered = taskdef.render(BACKEND, "backend", "registry/ecslab-backend:abc")
    assert rendered["containerDefinitions"][0]["image"] == "registry/ecslab-backend:abc"
    assert BACKEND["containerDefinitions"][0]["image"] == "replaced-by-the-render-step"
    assert {k: v for k, v in rendered.items() if k != "containerDefinitions"} == {
        k: v for k, v in BACKEND.items() if k != "containerDefinitions"
    }


def test_render_adds_or_replaces_environment_variables() -> None:
    """environment-variables: a new name is appended, a known one replaced."""
    rendered = taskdef.render(BACKEND, "backend", "img", {"GREETING": "Hej", "MODE": "prod"})
    assert rendered["containerDefinitions"][0]["environment"] == [
        {"name": "GREETING", "value": "Hej"},
        {"name": "MODE", "value": "prod"},
    ]


def test_render_fails_on_an_unknown_container_with_the_actions_message() -> None:
    """A container name that is not in the file fails the step."""
    with pytest.raises(ConfigurationError, match="Could not find container definition"):
        taskdef.render(BACKEND, "web", "img")


def test_registrable_drops_what_describe_task_definition_adds() -> None:
    """revision, status, ARNs and dates never go back into RegisterTaskDefinition."""
    described = {**BACKEND, "revision": 3, "status": "ACTIVE", "taskDefinitionArn": "arn"}
    assert taskdef.registrable(described) == BACKEND


def test_for_account_points_arns_and_log_region_at_the_lab() -> None:
    """The example's account and region are placeholders for the learner's own."""
    moved = taskdef.for_account(BACKEND, "111122223333", "eu-west-1")
    assert moved["executionRoleArn"] == "arn:aws:iam::111122223333:role/ecslabTaskExecutionRole"
    options = moved["containerDefinitions"][0]["logConfiguration"]["options"]
    assert options["awslogs-region"] == "eu-west-1"


def test_the_secret_is_injected_by_name_never_written_in_the_file() -> None:
    """SECRET_KEY arrives from SSM through secrets; no plain environment value holds it."""
    container = BACKEND["containerDefinitions"][0]
    assert container["secrets"] == [
        {"name": "SECRET_KEY", "valueFrom": "/ecslab/backend/secret-key"}
    ]
    assert "SECRET_KEY" not in {item["name"] for item in container["environment"]}


def test_both_files_are_for_fargate() -> None:
    """awsvpc, FARGATE, a valid CPU/memory pair, an execution role."""
    for service in ("backend", "frontend"):
        file = taskdef.load(Path(EXAMPLE_APP, service, "task-definition.json").read_text())
        assert file["networkMode"] == "awsvpc"
        assert file["requiresCompatibilities"] == ["FARGATE"]
        assert (file["cpu"], file["memory"]) == ("256", "512")
        assert file["executionRoleArn"].endswith(":role/ecslabTaskExecutionRole")
