"""Names, counts and quotas that AWS bounds, so one call cannot ask the world for the impossible.

What AWS does (botocore's ECS model and the ECS API reference):

* ``CreateCluster.clusterName``: "Up to 255 letters (uppercase and lowercase), numbers,
  underscores, and hyphens are allowed."
  (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html);
* ``CreateService.serviceName``, ``RegisterTaskDefinition.family`` and a container's ``name``:
  the same 255 letters, numbers, underscores and hyphens
  (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html,
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html,
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html);
* ``RunTask.count``: "The number of instantiations of the specified task to place on your
  cluster. You can specify up to 10 tasks for each call."
  (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html);
* a service's ``desiredCount`` is zero or more, and a service runs at most 5,000 tasks ("Tasks
  per service", not adjustable:
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html);
* a service's load balancer's target group must already belong to a load balancer (a listener
  or rule forwards to it): ``InvalidParameterException: The target group with targetGroupArn
  ... does not have an associated load balancer.`` (the answer Terraform's and CloudFormation's
  users quote; Terraform retries on it).

Differs from AWS: the messages for a bad cluster, service, family or container name, a bad
count and a desired count out of range are the API reference's constraint in AWS's error code
(AWS's exact wording was not found); the target-group message is AWS's.
"""

from __future__ import annotations

import re

from ecslab.world.moto_hooks import ApiCall, AwsError
from ecslab.world.validation import state
from ecslab.world.validation.rules import rule

SOURCE_CLUSTER = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html"
SOURCE_RUN = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html"
SOURCE_QUOTAS = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html"
SOURCE_SERVICE = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html"
SOURCE_CONTAINER = (
    "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html"
)
SOURCE_FAMILY = (
    "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html"
)
#: "Tasks per service": the most tasks one service may run (not adjustable).
TASKS_PER_SERVICE = 5000
#: RunTask's ``count``: "You can specify up to 10 tasks for each call."
RUN_TASK_MAX = 10
#: Cluster, service and family names: "Up to 255 letters (uppercase and lowercase), numbers,
#: underscores, and hyphens are allowed."
_ECS_NAME = re.compile(r"[A-Za-z0-9_-]{1,255}")
_ALLOWED = (
    "up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed."
)


def _invalid(message: str) -> AwsError:
    return AwsError("InvalidParameterException", message)


@rule("ecs", "CreateCluster", source=SOURCE_CLUSTER)
def cluster_name_letters_numbers_underscores_hyphens(call: ApiCall) -> None:
    """A cluster name is up to 255 letters, numbers, underscores and hyphens."""
    name = call.params.get("clusterName")
    if name is not None and not (isinstance(name, str) and _ECS_NAME.fullmatch(name)):
        raise _invalid(f"Invalid cluster name: {_ALLOWED}")


@rule("ecs", "CreateService", source=SOURCE_SERVICE)
def service_name_letters_numbers_underscores_hyphens(call: ApiCall) -> None:
    """A service name is up to 255 letters, numbers, underscores and hyphens."""
    name = call.params.get("serviceName")
    if name is not None and not (isinstance(name, str) and _ECS_NAME.fullmatch(name)):
        raise _invalid(f"Invalid service name: {_ALLOWED}")


@rule("ecs", "RegisterTaskDefinition", source=SOURCE_CONTAINER)
def container_name_letters_numbers_underscores_hyphens(call: ApiCall) -> None:
    """A container name is up to 255 letters, numbers, underscores and hyphens."""
    for container in call.params.get("containerDefinitions") or []:
        name = container.get("name") if isinstance(container, dict) else None
        if name is not None and not (isinstance(name, str) and _ECS_NAME.fullmatch(name)):
            raise AwsError("ClientException", f"Invalid container name: {_ALLOWED}")


@rule("ecs", "RegisterTaskDefinition", source=SOURCE_FAMILY)
def family_letters_numbers_underscores_hyphens(call: ApiCall) -> None:
    """A task definition family is up to 255 letters, numbers, underscores and hyphens."""
    # RegisterTaskDefinition answers a bad request with ClientException (its other answers).
    name = call.params.get("family")
    if name is not None and not (isinstance(name, str) and _ECS_NAME.fullmatch(name)):
        raise AwsError("ClientException", f"Invalid family name: {_ALLOWED}")


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@rule("ecs", "RunTask", source=SOURCE_RUN)
def run_task_count_one_to_ten(call: ApiCall) -> None:
    """RunTask starts 1 to 10 tasks per call."""
    if "count" not in call.params:
        return
    count = _whole(call.params["count"])
    if count is None or not 1 <= count <= RUN_TASK_MAX:
        raise _invalid(
            f"count must be between 1 and {RUN_TASK_MAX}: you can specify up to "
            f"{RUN_TASK_MAX} tasks for each call."
        )


@rule("ecs", "CreateService", "UpdateService", source=SOURCE_QUOTAS)
def desired_count_within_the_tasks_per_service_quota(call: ApiCall) -> None:
    """A service's desiredCount is 0 up to the 5,000 tasks a service may run."""
    if call.params.get("desiredCount") is None:
        return
    count = _whole(call.params["desiredCount"])
    if count is None or count < 0:
        raise _invalid("desiredCount must be zero or more.")
    if count > TASKS_PER_SERVICE:
        raise _invalid(
            f"desiredCount {count} exceeds the limit of {TASKS_PER_SERVICE} tasks per service."
        )


@rule("ecs", "CreateService", "UpdateService", source=SOURCE_SERVICE)
def target_group_belongs_to_a_load_balancer(call: ApiCall) -> None:
    """A service's target group must be attached to a load balancer (by a listener or rule)."""
    for balancer in call.params.get("loadBalancers") or []:
        arn = balancer.get("targetGroupArn") if isinstance(balancer, dict) else None
        group = state.target_group(call, arn) if isinstance(arn, str) else None
        if group is not None and not group.load_balancer_arns:
            raise _invalid(
                f"The target group with targetGroupArn {arn} does not have an associated "
                "load balancer."
            )
