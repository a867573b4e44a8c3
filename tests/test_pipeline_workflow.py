"""The example app's GitHub Actions workflow: actionlint-clean, and the rehearsal's twin."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from ecslab.pipeline import STEPS
from ecslab.pipeline import stage as stage_module
from ecslab.pipeline.source import EXAMPLE_APP

WORKFLOW = EXAMPLE_APP / ".github" / "workflows" / "deploy.yml"
REPOSITORY_ROOT = Path(__file__).resolve().parents[1]


def _actionlint() -> str:
    beside_python = Path(sys.executable).with_name("actionlint")
    found = str(beside_python) if beside_python.exists() else shutil.which("actionlint")
    if not found:
        pytest.fail("actionlint is missing: pip install -e '.[dev]' installs it")
    return found


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    return yaml.safe_load(WORKFLOW.read_text())


def _deploy_steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return workflow["jobs"]["deploy"]["steps"]


def test_actionlint_passes_on_the_workflow() -> None:
    """actionlint finds nothing: syntax, expressions, action inputs, runner runtimes."""
    done = subprocess.run(
        [_actionlint(), "-no-color", str(WORKFLOW)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_workflow_is_not_one_of_this_repositorys_own() -> None:
    """It lives with the example app: GitHub runs only .github/workflows at a repository's root."""
    assert WORKFLOW.relative_to(REPOSITORY_ROOT).parts[:2] == ("examples", "app")


def test_the_workflow_assumes_a_role_through_oidc_with_no_stored_keys(workflow: dict) -> None:
    """id-token: write and role-to-assume; no access key appears anywhere."""
    assert workflow["permissions"]["id-token"] == "write"
    credentials = next(
        s for s in _deploy_steps(workflow) if "configure-aws-credentials" in s.get("uses", "")
    )
    assert "role-to-assume" in credentials["with"]
    assert "aws-access-key-id" not in WORKFLOW.read_text()


def test_the_deploy_job_uses_the_four_aws_actions_in_order(workflow: dict) -> None:
    """credentials → ECR login → render → deploy, each pinned to a major version."""
    uses = [s["uses"].split("@")[0] for s in _deploy_steps(workflow) if "uses" in s]
    assert uses == [
        "actions/checkout",
        "aws-actions/configure-aws-credentials",
        "aws-actions/amazon-ecr-login",
        "aws-actions/amazon-ecs-render-task-definition",
        "aws-actions/amazon-ecs-deploy-task-definition",
    ]


def test_images_are_tagged_with_the_commit_sha_and_the_deploy_waits(workflow: dict) -> None:
    """The image tag is github.sha; the deploy step waits for service stability."""
    steps = {s["name"]: s for s in _deploy_steps(workflow)}
    assert steps[STEPS[3]]["env"]["IMAGE_TAG"] == "${{ github.sha }}"
    assert steps[STEPS[5]]["with"]["wait-for-service-stability"] is True


def test_the_rehearsal_runs_the_workflows_steps_by_their_names(workflow: dict) -> None:
    """ecslab.pipeline narrates the same six steps, in the same order, as the deploy job."""
    assert tuple(s["name"] for s in _deploy_steps(workflow)) == STEPS


def test_the_workflow_and_the_rehearsal_name_the_same_resources(workflow: dict) -> None:
    """Cluster, repositories, services and task-definition files agree with the stage."""
    deploy = workflow["jobs"]["deploy"]
    assert workflow["env"]["ECS_CLUSTER"] == stage_module.CLUSTER
    services = [entry["service"] for entry in deploy["strategy"]["matrix"]["include"]]
    assert tuple(services) == stage_module.SERVICES
    for service in services:

        def expand(value: str, service: str = service) -> str:
            return value.replace("${{ matrix.service }}", service)

        assert expand(deploy["env"]["ECR_REPOSITORY"]) == stage_module.repository(service)
        assert expand(deploy["env"]["ECS_SERVICE"]) == stage_module.service_name(service)
        assert (EXAMPLE_APP / expand(deploy["env"]["TASK_DEFINITION"])).is_file()
