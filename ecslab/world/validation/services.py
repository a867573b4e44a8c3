"""Running tasks and services: network configuration, launch types, load balancers, names.

What AWS does at RunTask, CreateService and UpdateService (botocore's ECS model,
``NetworkConfiguration``, ``AwsVpcConfiguration``, ``CreateServiceRequest.loadBalancers``):
a task definition in ``awsvpc`` mode needs a ``networkConfiguration`` and other modes refuse one;
``launchType`` FARGATE needs a task definition that requires FARGATE; "If you don't specify a
security group, the default security group for the VPC is used"; awsvpc services need target
groups of type ``ip``, and a load balancer must name a container and container port the task
definition has; a service name is unique in its cluster.

Sources: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html,
https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html,
https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html.

Differs from AWS: the default security group is written into the call, so DescribeServices and
DescribeTasks show it where AWS may echo the request without it. A repeated identical
CreateService is rejected; AWS answers it with the existing service. A task definition is
FARGATE-compatible only when it requires FARGATE (AWS may also find a plain awsvpc task
definition compatible).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ecslab.world.moto_hooks import ApiCall, AwsError
from ecslab.world.validation import state
from ecslab.world.validation.rules import rule

if TYPE_CHECKING:
    from ecslab.world.moto_adapter.ecs_models import Service, TaskDefinition

RUN_OR_SERVE = ("RunTask", "CreateService", "UpdateService")
SOURCE_NETWORK = (
    "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html"
)
SOURCE_SERVICE = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html"
SOURCE_RUN = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html"
FARGATE_PROVIDERS = ("FARGATE", "FARGATE_SPOT")


def _existing_service(call: ApiCall) -> Service | None:
    if call.action != "UpdateService":
        return None
    return state.service(call, call.params.get("cluster"), call.params.get("service"))


def _task_definition(call: ApiCall) -> TaskDefinition | None:
    """The task definition the call runs: named in the call, or the updated service's."""
    reference = call.params.get("taskDefinition")
    if not reference:
        service = _existing_service(call)
        reference = service.task_definition if service else None
    return state.task_definition(call, reference)


def _network_configuration(call: ApiCall) -> Any:
    given = call.params.get("networkConfiguration")
    if given or call.action != "UpdateService":
        return given
    service = _existing_service(call)
    return service.network_configuration if service else None


def _uses_fargate(call: ApiCall) -> bool:
    strategy = call.params.get("capacityProviderStrategy") or []
    if any(item.get("capacityProvider") in FARGATE_PROVIDERS for item in strategy):
        return True
    launch_type = call.params.get("launchType")
    if launch_type is None and call.action == "UpdateService":
        service = _existing_service(call)
        launch_type = service.launch_type if service else None
    return launch_type == "FARGATE"


@rule("ecs", *RUN_OR_SERVE, source=SOURCE_RUN)
def fargate_needs_a_fargate_task_definition(call: ApiCall) -> None:
    """Launch type FARGATE needs a task definition that requires FARGATE."""
    # Message: oranmoshai/ecsServiceRestart#2 (a raw UpdateService answer).
    definition = _task_definition(call)
    if definition is None or not _uses_fargate(call):
        return
    if "FARGATE" not in (definition.requires_compatibilities or []):
        raise AwsError(
            "InvalidParameterException", "Task definition does not support launch_type FARGATE."
        )


@rule("ecs", *RUN_OR_SERVE, source=SOURCE_NETWORK)
def awsvpc_needs_network_configuration(call: ApiCall) -> None:
    """A task definition in awsvpc mode needs a networkConfiguration."""
    # Message: PasseiDireto/gh-runner-task-action#8, metaps/genova#122 (raw RunTask answers).
    definition = _task_definition(call)
    if definition is None or definition.network_mode != "awsvpc":
        return
    if not _network_configuration(call):
        raise AwsError(
            "InvalidParameterException",
            "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
        )


@rule("ecs", *RUN_OR_SERVE, source=SOURCE_NETWORK)
def network_configuration_only_for_awsvpc(call: ApiCall) -> None:
    """A task definition in another mode than awsvpc refuses a networkConfiguration."""
    # Message as printed from a raw API answer in muya/amazon-ecs-run-task#7, backticks and all.
    # [CONFLICT] another report quotes it without the backticks; the verbatim one is kept.
    definition = _task_definition(call)
    if definition is None or definition.network_mode == "awsvpc":
        return
    if call.params.get("networkConfiguration"):
        raise AwsError(
            "InvalidParameterException",
            "Network Configuration is not valid for the given `networkMode` of this task "
            "definition.",
        )


@rule("ecs", *RUN_OR_SERVE, source=SOURCE_NETWORK, kind="fills in")
def security_groups_default_to_the_vpcs(call: ApiCall) -> None:
    """Without securityGroups, the default security group of the subnets' VPC is used."""
    awsvpc = (call.params.get("networkConfiguration") or {}).get("awsvpcConfiguration")
    if not isinstance(awsvpc, dict) or awsvpc.get("securityGroups"):
        return
    subnets = awsvpc.get("subnets") or []
    subnet = state.subnet(call, subnets[0]) if subnets else None
    if subnet is None:
        return  # moto answers with AWS's error for a missing subnet
    group = state.default_group(call, subnet.vpc_id)
    if group is not None:
        awsvpc["securityGroups"] = [group]


@rule("ecs", "CreateService", "UpdateService", source=SOURCE_SERVICE)
def target_type_matches_network_mode(call: ApiCall) -> None:
    """awsvpc services need target groups of type ip; bridge and host ones, not ip."""
    # Messages: riboseinc/terraform-aws-ecs-gitlab#5 (instance with awsvpc) and
    # hashicorp/terraform#24266 (ip with bridge), both raw CreateService answers.
    definition = _task_definition(call)
    if definition is None:
        return
    mode = definition.network_mode
    for balancer in call.params.get("loadBalancers") or []:
        arn = balancer.get("targetGroupArn")
        group = state.target_group(call, arn) if arn else None
        if group is None:
            continue
        if (mode == "awsvpc") != (group.target_type == "ip"):
            raise AwsError(
                "InvalidParameterException",
                f"The provided target group {arn} has target type {group.target_type}, which is "
                f"incompatible with the {mode} network mode specified in the task definition.",
            )


@rule("ecs", "CreateService", "UpdateService", source=SOURCE_SERVICE)
def load_balancer_names_a_container_port(call: ApiCall) -> None:
    """A service's load balancer must name a container and containerPort of the task definition."""
    # Message from raw CreateService/UpdateService answers quoted in many deployment notes
    # ("The container web did not have a container port 5000 defined."). A container name that
    # is not in the task definition: "The container {name} does not exist in the task
    # definition." (quoted from AWS's answer in a deployment tool's README).
    definition = _task_definition(call)
    if definition is None:
        return
    ports: dict[str, set[Any]] = {}
    for container in definition.container_definitions:
        mappings = container.get("portMappings") or []
        ports[container.get("name")] = {m.get("containerPort") for m in mappings}
    for balancer in call.params.get("loadBalancers") or []:
        name, port = balancer.get("containerName"), balancer.get("containerPort")
        if name not in ports:
            raise AwsError(
                "InvalidParameterException",
                f"The container {name} does not exist in the task definition.",
            )
        if port not in ports.get(name, set()):
            raise AwsError(
                "InvalidParameterException",
                f"The container {name} did not have a container port {port} defined.",
            )


@rule("ecs", "CreateService", source=SOURCE_SERVICE)
def service_name_unique_in_cluster(call: ApiCall) -> None:
    """A service name may be used once per cluster while the service is active."""
    # Message: the answer AWS gives when a service of that name exists ("Creation of service was
    # not idempotent.", widely quoted from Terraform and SDK users).
    existing = state.service(call, call.params.get("cluster"), call.params.get("serviceName"))
    if existing is not None and existing.status == "ACTIVE":
        raise AwsError("InvalidParameterException", "Creation of service was not idempotent.")
    if existing is not None and existing.status == "DRAINING":
        # DeleteService API reference: a same-name service "in either ACTIVE or DRAINING status"
        # is refused; AWS's wording as users quote it (ewilde/faas-fargate#13).
        raise AwsError(
            "InvalidParameterException", "Unable to Start a service that is still Draining."
        )


SOURCE_DEPLOYMENT = (
    "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html"
)


@rule("ecs", "CreateService", "UpdateService", source=SOURCE_DEPLOYMENT)
def maximum_percent_at_least_minimum_healthy_percent(call: ApiCall) -> None:
    """A deployment's maximumPercent is at least its minimumHealthyPercent."""
    # maximumPercent is "an upper limit" and minimumHealthyPercent "a lower limit" on the same
    # desiredCount; a REPLICA service defaults to 100 and 200. [UNVERIFIED] AWS's wording (no
    # raw answer found); it follows ECS's answer for a daemon's maximumPercent ("The daemon
    # scheduling strategy does not support values above 100 for maximumPercent on a deployment
    # configuration.", aws/aws-cdk#2209). Tests assert the code only.
    # An UpdateService that gives one of the two keeps the service's other value, which the
    # call does not show: it is checked only when it gives both.
    given = call.params.get("deploymentConfiguration") or {}
    keys = ("minimumHealthyPercent", "maximumPercent")
    if not isinstance(given, dict) or not given:
        return
    if call.action == "UpdateService" and not all(key in given for key in keys):
        return
    daemon = call.params.get("schedulingStrategy") == "DAEMON"
    defaults = dict(zip(keys, (0, 100) if daemon else (100, 200), strict=True))
    minimum, maximum = (given.get(key, defaults[key]) for key in keys)
    if isinstance(minimum, int) and isinstance(maximum, int) and maximum < minimum:
        raise AwsError(
            "InvalidParameterException",
            f"The maximumPercent value ({maximum}) must be greater than or equal to the "
            f"minimumHealthyPercent value ({minimum}) of the deployment configuration.",
        )


def _container_health_check(call: ApiCall) -> bool:
    definition = _task_definition(call)
    containers = (definition.container_definitions if definition else None) or []
    return any(isinstance(c, dict) and c.get("healthCheck") for c in containers)


@rule("ecs", "CreateService", "UpdateService", source=SOURCE_SERVICE)
def health_check_grace_period_needs_a_health_check(call: ApiCall) -> None:
    """healthCheckGracePeriodSeconds is refused for a service with no load balancer."""
    # Message: raw CreateService/UpdateService answers (hashicorp/terraform-provider-aws#31104,
    # aws/copilot-cli#4011, aws-cloudformation/cfn-lint#3612, 2022-2024). [CONFLICT] botocore
    # 1.44.8 says the period also covers VPC Lattice and container health checks ("If you do not
    # use any of the health checks, then healthCheckGracePeriodSeconds is unused"), so a service
    # whose task definition has a container health check is let through.
    if call.params.get("healthCheckGracePeriodSeconds") is None:
        return
    balancers = call.params.get("loadBalancers")
    if balancers is None:
        existing = _existing_service(call)
        balancers = existing.load_balancers if existing is not None else None
    if balancers or _container_health_check(call):
        return
    raise AwsError(
        "InvalidParameterException",
        "Health check grace period is only valid for services configured to use load balancers",
    )
