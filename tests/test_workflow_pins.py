"""The example workflow pins each action at its current major version (checked against each
action's releases: github.com/<action>/releases), so a learner who copies it gets a supported
runtime, and 06's note on the deploy action's rollback check (v2.6.2) holds for its @v2 pin."""

from __future__ import annotations

from pathlib import Path

import yaml

WORKFLOW = Path(__file__).resolve().parent.parent / "examples/app/.github/workflows/deploy.yml"
#: The current major of each action the workflow uses, with where that was read.
CURRENT = {
    "actions/checkout": "v6",  # https://github.com/actions/checkout/releases (v6.0.0, 2025-11)
    "actions/setup-python": "v6",  # https://github.com/actions/setup-python/releases
    "aws-actions/configure-aws-credentials": "v6",  # .../configure-aws-credentials/releases
    "aws-actions/amazon-ecr-login": "v2",  # https://github.com/aws-actions/amazon-ecr-login
    "aws-actions/amazon-ecs-render-task-definition": "v1",
    # v2.6.2 (April 2026, pull request #860) fails the step after a circuit-breaker rollback.
    "aws-actions/amazon-ecs-deploy-task-definition": "v2",
}


def test_every_action_is_pinned_at_its_current_major() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    used = [
        step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step
    ]
    assert len(used) >= 6
    for reference in used:
        action, version = reference.split("@")
        assert CURRENT[action] == version, (
            f"{action}@{version}: the current major is {CURRENT[action]}"
        )
