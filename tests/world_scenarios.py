"""Building blocks for the running-world scenarios: a web service behind an ALB, made with boto3."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ecslab.lab import Lab
from ecslab.pipeline.stage import create_security_groups


@dataclass
class WebStack:
    """What :func:`web_stack` made: the names and ARNs a scenario needs."""

    lab: Lab
    cluster: str
    service: str
    task_definition: str
    target_group: str
    listener: str
    load_balancer: str
    subnets: list[str]
    alb_security_group: str = ""
    task_security_group: str = ""

    def describe(self) -> dict[str, Any]:
        ecs = self.lab.client("ecs")
        return ecs.describe_services(cluster=self.cluster, services=[self.service])["services"][0]

    def health(self) -> list[dict[str, Any]]:
        elbv2 = self.lab.client("elbv2")
        found = elbv2.describe_target_health(TargetGroupArn=self.target_group)
        return found["TargetHealthDescriptions"]

    def states(self) -> list[str]:
        return sorted(d["TargetHealth"]["State"] for d in self.health())

    def tasks(self, desired: str = "RUNNING") -> list[dict[str, Any]]:
        ecs = self.lab.client("ecs")
        arns = ecs.list_tasks(cluster=self.cluster, serviceName=self.service, desiredStatus=desired)
        if not arns["taskArns"]:
            return []
        return ecs.describe_tasks(cluster=self.cluster, tasks=arns["taskArns"])["tasks"]

    def messages(self) -> list[str]:
        """Service events, oldest first."""
        return [e["message"] for e in reversed(self.describe()["events"])]


def register(
    lab: Lab,
    family: str = "web",
    image: str = "nginx:1.27",
    execution_role: str | None = None,
    **container: Any,
) -> str:
    """A small Fargate task definition with one web container on port 80; its ARN."""
    ecs = lab.client("ecs")
    role = {"executionRoleArn": execution_role} if execution_role else {}
    definition = {"name": "web", "image": image, "portMappings": [{"containerPort": 80}]}
    answer = ecs.register_task_definition(
        family=family,
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        cpu="256",
        memory="512",
        containerDefinitions=[definition | container],
        **role,
    )
    return answer["taskDefinition"]["taskDefinitionArn"]


def web_stack(
    lab: Lab,
    *,
    desired: int = 2,
    health_path: str = "/",
    deregistration_delay: int | None = None,
    service_options: dict[str, Any] | None = None,
    task_definition: str | None = None,
    with_load_balancer: bool = True,
) -> WebStack:
    """A cluster, an ALB with an ip target group, and a Fargate service of ``desired`` tasks."""
    ec2, elbv2, ecs = lab.client("ec2"), lab.client("elbv2"), lab.client("ecs")
    subnets = sorted(ec2.describe_subnets()["Subnets"], key=lambda s: s["AvailabilityZone"])
    subnet_ids = [s["SubnetId"] for s in subnets[:2]]
    vpc = subnets[0]["VpcId"]
    alb_group, task_group = create_security_groups(ec2, vpc=vpc, prefix="web", ports=[80])
    balancer = elbv2.create_load_balancer(
        Name="web", Subnets=subnet_ids, SecurityGroups=[alb_group]
    )["LoadBalancers"][0]
    group = elbv2.create_target_group(
        Name="web",
        Protocol="HTTP",
        Port=80,
        VpcId=vpc,
        TargetType="ip",
        HealthCheckPath=health_path,
    )["TargetGroups"][0]
    if deregistration_delay is not None:
        elbv2.modify_target_group_attributes(
            TargetGroupArn=group["TargetGroupArn"],
            Attributes=[
                {"Key": "deregistration_delay.timeout_seconds", "Value": str(deregistration_delay)}
            ],
        )
    listener = elbv2.create_listener(
        LoadBalancerArn=balancer["LoadBalancerArn"],
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": group["TargetGroupArn"]}],
    )["Listeners"][0]
    ecs.create_cluster(clusterName="demo")
    definition = task_definition or register(lab)
    options: dict[str, Any] = {
        "cluster": "demo",
        "serviceName": "web",
        "taskDefinition": definition,
        "desiredCount": desired,
        "launchType": "FARGATE",
        "networkConfiguration": {
            "awsvpcConfiguration": {
                "subnets": subnet_ids,
                "securityGroups": [task_group],
                "assignPublicIp": "ENABLED",
            }
        },
    }
    if with_load_balancer:
        options["loadBalancers"] = [
            {"targetGroupArn": group["TargetGroupArn"], "containerName": "web", "containerPort": 80}
        ]
    ecs.create_service(**options | (service_options or {}))
    return WebStack(
        lab,
        "demo",
        "web",
        definition,
        group["TargetGroupArn"],
        listener["ListenerArn"],
        balancer["LoadBalancerArn"],
        subnet_ids,
        alb_group,
        task_group,
    )


def apps_of(lab: Lab) -> Any:
    """The in-process world's app registry, where a scenario gives an image its behaviour."""
    return lab._backend.world.apps  # type: ignore[attr-defined]
