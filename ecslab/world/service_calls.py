"""From ECS service API calls to the world's service records, and service tasks into moto.

What AWS does: ``create_service`` and ``update_service`` carry the settings the scheduler works
with: ``desiredCount``, the task definition, ``networkConfiguration`` (the subnets tasks are
spread over), ``loadBalancers`` (where tasks are registered), ``deploymentConfiguration``
(``minimumHealthyPercent``, ``maximumPercent``, ``deploymentCircuitBreaker``) and
``healthCheckGracePeriodSeconds``. Tasks are spread over the service's Availability Zones.
Sources: botocore's ECS model (``CreateServiceRequest``, ``UpdateServiceRequest``) and
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement-strategies.html
(services spread tasks across Availability Zones by default).

Differs from AWS: only Fargate services start tasks.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from ecslab.semantics.arns import service_key
from ecslab.world import service_events
from ecslab.world.deployments import BOUNDED_PERCENT, ServiceRecord
from ecslab.world.moto_adapter import ec2_models, ecs_models

if TYPE_CHECKING:
    from ecslab.world.runtime import Runtime

FARGATE_PROVIDERS = ("FARGATE", "FARGATE_SPOT")


def key_of(call: Any) -> tuple[str, str, str, str]:
    service = call.response.get("service", {})
    cluster = str(service.get("clusterArn", "default"))
    return service_key(call.account, call.region, cluster, str(service.get("serviceName", "")))


def _fargate(params: dict[str, Any], launch_type: str | None) -> bool:
    strategy = params.get("capacityProviderStrategy") or []
    return launch_type == "FARGATE" or any(
        s.get("capacityProvider") in FARGATE_PROVIDERS for s in strategy
    )


def _apply_settings(record: ServiceRecord, params: dict[str, Any]) -> None:
    if params.get("desiredCount") is not None:
        record.desired_count = int(params["desiredCount"])
    network = (params.get("networkConfiguration") or {}).get("awsvpcConfiguration")
    if network:
        record.subnets = list(network.get("subnets") or [])
        record.security_groups = list(network.get("securityGroups") or [])
        record.assign_public_ip = network.get("assignPublicIp") or "DISABLED"
    if params.get("loadBalancers") is not None:
        record.load_balancers = list(params["loadBalancers"])
    config = params.get("deploymentConfiguration") or {}
    if config.get("minimumHealthyPercent") is not None:
        record.minimum_percent = int(config["minimumHealthyPercent"])
    if config.get("maximumPercent") is not None:
        record.maximum_percent = int(config["maximumPercent"])
    breaker = config.get("deploymentCircuitBreaker")
    if breaker is not None:
        record.circuit_breaker = bool(breaker.get("enable"))
        record.rollback = bool(breaker.get("rollback"))
        threshold = breaker.get("thresholdConfiguration") or {}
        record.threshold_type = str(threshold.get("type") or BOUNDED_PERCENT)
        record.threshold_value = int(threshold.get("value", 50))
        reset = breaker.get("resetOnHealthyTask")
        record.reset_on_healthy_task = True if reset is None else bool(reset)
        record.breaker_options = {
            k: breaker[k] for k in ("resetOnHealthyTask", "thresholdConfiguration") if k in breaker
        }
    if params.get("healthCheckGracePeriodSeconds") is not None:
        record.grace_seconds = float(params["healthCheckGracePeriodSeconds"])


def mirror_settings(record: ServiceRecord, key: tuple[str, str, str, str]) -> None:
    """Show the service's deployment settings on moto's record (moto keeps none of them)."""
    settings = ecs_models.ServiceSettings(
        deployment_configuration={
            "maximumPercent": record.maximum_percent,
            "minimumHealthyPercent": record.minimum_percent,
            "deploymentCircuitBreaker": {
                "enable": record.circuit_breaker,
                "rollback": record.rollback,
                **record.breaker_options,
            },
        },
        health_check_grace_period_seconds=int(record.grace_seconds),
        load_balancers=record.load_balancers,
    )
    ecs_models.show_service_settings(key, settings)


def service_from_call(call: Any) -> ServiceRecord:
    """A new service record from a successful ``create_service``."""
    params, answer = call.params, call.response.get("service", {})
    key = key_of(call)
    launch_type = params.get("launchType")
    record = ServiceRecord(
        account=call.account,
        region=call.region,
        cluster=key[2],
        name=key[3],
        arn=str(answer.get("serviceArn", "")),
        desired_count=0,
        launch_type=(launch_type or "FARGATE") if _fargate(params, launch_type) else "EC2",
    )
    _apply_settings(record, params)
    mirror_settings(record, key)
    return record


def network_of(record: ServiceRecord) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """The service's subnets, security groups and ``assignPublicIp``: its tasks' network."""
    return (tuple(record.subnets), tuple(record.security_groups), record.assign_public_ip)


def apply_update(record: ServiceRecord, params: dict[str, Any]) -> None:
    """Apply the settings of an ``update_service`` (the deployment is the caller's affair)."""
    _apply_settings(record, params)


class _Spread:
    """Where the service's next task goes: the subnet in the Availability Zone with the fewest
    of its live tasks (the first such subnet on a tie). Counted once per batch of starts and
    kept up to date as each one is placed, rather than counted again for every task."""

    def __init__(self, runtime: Runtime, service: ServiceRecord) -> None:
        key = (service.account, service.region, service.cluster, service.name)
        self.zones = Counter(
            runtime.tasks[a].availability_zone
            for a in runtime.service_tasks.get(key, [])
            if a in runtime.tasks and runtime.tasks[a].live
        )
        self.subnets = [
            (ec2_models.subnet_zone(service.account, service.region, s), s) for s in service.subnets
        ]

    def next_subnet(self) -> str:
        index = min(range(len(self.subnets)), key=lambda i: (self.zones[self.subnets[i][0]], i))
        return self.subnets[index][1]

    def placed(self, record: Any) -> None:
        if record.live:
            self.zones[record.availability_zone] += 1


def start_tasks(runtime: Runtime, service: ServiceRecord, count: int) -> None:
    """Start ``count`` tasks of the service's PRIMARY deployment, spread over its zones."""
    key = (service.account, service.region, service.cluster, service.name)
    if service.launch_type == "EC2" or not service.subnets:
        if not service.stuck_announced:
            service.stuck_announced = True
            runtime.log(
                key,
                "unplaced",
                f"service {service.name} was unable to place a task because no container "
                "instance met all of its requirements.",
            )
        return
    if count <= 0:
        return
    primary = service.primary
    spread = _Spread(runtime, service)
    for _ in range(count):
        network = {
            "awsvpcConfiguration": {
                "subnets": [spread.next_subnet()],
                "securityGroups": service.security_groups,
                "assignPublicIp": service.assign_public_ip,
            }
        }
        arn = ecs_models.run_service_task(
            service.account,
            service.region,
            service.cluster,
            primary.task_definition,
            primary.id,
            network,
            f"service:{service.name}",
        )
        record = runtime.launch(
            arn, service.account, service.region, service.cluster, service, primary
        )
        if record is None:
            continue
        spread.placed(record)
        runtime.event(record, "started", service_events.started, record.id)
