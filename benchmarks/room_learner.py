"""What every learner of the room benchmark (``bench_server_room.py``) does once caught up:
a rolling deployment of ``api`` to a new task definition revision, waited on until stable.

Imported by the learners' own processes and by the threads mode's driver (both find it on
``PYTHONPATH``), so the two modes make the same requests.
"""

from __future__ import annotations

from typing import Any

#: What RegisterTaskDefinition takes back from DescribeTaskDefinition's answer.
KEEP = (
    "family",
    "containerDefinitions",
    "cpu",
    "memory",
    "networkMode",
    "requiresCompatibilities",
    "executionRoleArn",
    "taskRoleArn",
)


def roll_api(lab: Any) -> None:
    """Register ``api``'s next revision, update the service to it and wait until it is stable."""
    ecs = lab.client("ecs")
    family = ecs.describe_task_definition(taskDefinition="api")["taskDefinition"]
    revision = ecs.register_task_definition(**{k: family[k] for k in KEEP if k in family})
    arn = revision["taskDefinition"]["taskDefinitionArn"]
    ecs.update_service(cluster="course", service="api", taskDefinition=arn)
    lab.wait_stable("course", "api")
