"""The two task-definition steps of the workflow, done the way their GitHub Actions do them.

* ``render`` is aws-actions/amazon-ecs-render-task-definition: read the JSON file, set the
  named container's ``image`` (and, when given, its environment variables), write the result;
  an unknown container name fails the step
  (https://github.com/aws-actions/amazon-ecs-render-task-definition).
* ``registrable`` is what aws-actions/amazon-ecs-deploy-task-definition does before
  RegisterTaskDefinition: it drops the read-only fields a ``describe-task-definition`` output
  carries (https://github.com/aws-actions/amazon-ecs-deploy-task-definition, index.js,
  IGNORED_TASK_DEFINITION_ATTRIBUTES).

``for_account`` points the example's files at the lab: they name account ``123456789012`` and
region ``us-east-1``, the values a learner replaces with their own.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any

from ecslab.errors import ConfigurationError

EXAMPLE_ACCOUNT = "123456789012"
EXAMPLE_REGION = "us-east-1"

#: Fields of a described task definition that RegisterTaskDefinition does not take.
READ_ONLY_FIELDS = (
    "compatibilities",
    "taskDefinitionArn",
    "requiresAttributes",
    "revision",
    "status",
    "registeredAt",
    "deregisteredAt",
    "registeredBy",
)


def load(text: str | bytes) -> dict[str, Any]:
    try:
        return json.loads(text)
    except ValueError as error:
        raise ConfigurationError(f"The task definition file is not valid JSON: {error}") from None


def for_account(task_definition: Mapping[str, Any], account: str, region: str) -> dict[str, Any]:
    """The example's task definition with the lab's account and region in its ARNs."""
    text = json.dumps(task_definition)
    text = text.replace(f":{EXAMPLE_ACCOUNT}:", f":{account}:")
    text = text.replace(f'"{EXAMPLE_REGION}"', f'"{region}"')
    return json.loads(text)


def render(
    task_definition: Mapping[str, Any],
    container_name: str,
    image: str,
    environment_variables: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The task definition with ``container_name`` running ``image``."""
    rendered = copy.deepcopy(dict(task_definition))
    containers = rendered.get("containerDefinitions")
    if not isinstance(containers, list):
        raise ConfigurationError(
            "Invalid task definition format: containerDefinitions section "
            "is not present or is not an array"
        )
    matches = [c for c in containers if c.get("name") == container_name]
    if not matches:
        raise ConfigurationError(
            "Invalid task definition: Could not find container definition with matching name"
        )
    container = matches[0]
    container["image"] = image
    for name, value in (environment_variables or {}).items():
        environment = container.setdefault("environment", [])
        existing = [item for item in environment if item.get("name") == name]
        if existing:
            existing[0]["value"] = value
        else:
            environment.append({"name": name, "value": value})
    return rendered


def registrable(task_definition: Mapping[str, Any]) -> dict[str, Any]:
    """The fields RegisterTaskDefinition accepts."""
    return {k: v for k, v in task_definition.items() if k not in READ_ONLY_FIELDS}
