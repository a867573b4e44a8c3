"""A world for the views' tests and benchmarks, built through plain boto3 calls.

The course's shape: one ALB whose listener sends ``/api/*`` to the api service and everything
else to the web service, each service on Fargate with its own task definition, ECR image and
target group; the api's task definition reads a database password from Secrets Manager.
Tasks the simulated world has not started for a service are started with ``run_task`` in the
service's group; all of them are registered by IP, as ECS would (registering twice is a no-op).
"""

from __future__ import annotations

from typing import Any

ROLE = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"


def build_network(client: Any) -> dict[str, Any]:
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    # As in a default VPC; moto also needs it to name a Fargate task's network interface.
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=zone)["Subnet"][
            "SubnetId"
        ]
        for i, zone in enumerate(("us-east-1a", "us-east-1b"))
    ]
    # An internet-facing ALB needs its VPC's internet gateway, and the default route to it makes
    # the subnets public (https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html).
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc)
    main = ec2.describe_route_tables(
        Filters=[
            {"Name": "vpc-id", "Values": [vpc]},
            {"Name": "association.main", "Values": ["true"]},
        ]
    )["RouteTables"][0]["RouteTableId"]
    ec2.create_route(RouteTableId=main, DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway)
    group = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    # The ALB and the tasks share the group: HTTP from anywhere, the containers' port from itself.
    ec2.authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 80,
                "ToPort": 80,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            },
            {
                "IpProtocol": "tcp",
                "FromPort": 8080,
                "ToPort": 8080,
                "UserIdGroupPairs": [{"GroupId": group}],
            },
        ],
    )
    return {"vpc": vpc, "subnets": subnets, "group": group}


def add_service(
    client: Any,
    network: dict[str, Any],
    name: str,
    *,
    cluster: str = "course",
    tasks: int = 2,
    target_group_arn: str | None = None,
    secret_arn: str | None = None,
    register: bool = True,
) -> list[str]:
    """Register a task definition, create the service and run ``tasks`` tasks in its group."""
    ecs = client("ecs")
    container: dict[str, Any] = {
        "name": name,
        "image": f"123456789012.dkr.ecr.us-east-1.amazonaws.com/{name}:v1",
        "memory": 512,  # moto sums container memory when it runs a task
        "portMappings": [{"containerPort": 8080}],
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": {"awslogs-group": f"/ecs/{name}", "awslogs-region": "us-east-1"},
        },
    }
    if secret_arn:
        container["secrets"] = [{"name": "DB_PASSWORD", "valueFrom": secret_arn}]
    definition = ecs.register_task_definition(
        family=name,
        networkMode="awsvpc",
        requiresCompatibilities=["FARGATE"],
        cpu="256",
        memory="512",
        executionRoleArn=ROLE,
        containerDefinitions=[container],
    )["taskDefinition"]["taskDefinitionArn"]
    network_configuration = {
        "awsvpcConfiguration": {
            "subnets": network["subnets"],
            "securityGroups": [network["group"]],
            "assignPublicIp": "ENABLED",
        }
    }
    service: dict[str, Any] = {
        "cluster": cluster,
        "serviceName": name,
        "taskDefinition": definition,
        "desiredCount": tasks,
        "launchType": "FARGATE",
        "networkConfiguration": network_configuration,
    }
    if target_group_arn:
        service["loadBalancers"] = [
            {"targetGroupArn": target_group_arn, "containerName": name, "containerPort": 8080}
        ]
    ecs.create_service(**service)
    # The simulated world may already have started the service's tasks; start only the rest.
    already = _tasks_in_group(ecs, cluster, f"service:{name}")
    arns: list[str] = []
    while len(arns) < tasks - len(already):
        started = ecs.run_task(
            cluster=cluster,
            taskDefinition=definition,
            count=min(10, tasks - len(already) - len(arns)),
            launchType="FARGATE",
            group=f"service:{name}",
            networkConfiguration=network_configuration,
        )["tasks"]
        arns.extend(t["taskArn"] for t in started)
    everything = already + arns
    if target_group_arn and register and everything:
        described = []
        for start in range(0, len(everything), 100):
            batch = everything[start : start + 100]
            described += ecs.describe_tasks(cluster=cluster, tasks=batch)["tasks"]
        ips = [
            d["value"]
            for t in described
            for a in t["attachments"]
            for d in a["details"]
            if d["name"] == "privateIPv4Address"
        ]
        client("elbv2").register_targets(
            TargetGroupArn=target_group_arn, Targets=[{"Id": ip, "Port": 8080} for ip in ips]
        )
    return everything


def _tasks_in_group(ecs: Any, cluster: str, group: str) -> list[str]:
    listed = ecs.list_tasks(cluster=cluster, desiredStatus="RUNNING")["taskArns"]
    found = []
    for start in range(0, len(listed), 100):
        described = ecs.describe_tasks(cluster=cluster, tasks=listed[start : start + 100])
        found += [t["taskArn"] for t in described["tasks"] if t.get("group") == group]
    return found


def target_group(client: Any, network: dict[str, Any], name: str) -> str:
    return client("elbv2").create_target_group(
        Name=name, Protocol="HTTP", Port=8080, VpcId=network["vpc"], TargetType="ip"
    )["TargetGroups"][0]["TargetGroupArn"]


def build_course_world(client: Any, *, tasks_per_service: int = 2) -> dict[str, Any]:
    """The two-service world of the course. Returns the ARNs a test wants to look at."""
    network = build_network(client)
    ecs, elbv2, ecr = client("ecs"), client("elbv2"), client("ecr")
    ecs.create_cluster(clusterName="course")
    for name in ("web", "api"):
        ecr.create_repository(repositoryName=name)
        ecr.put_image(
            repositoryName=name,
            imageManifest=f'{{"schemaVersion": 2, "config": {{"digest": "{name}"}}}}',
            imageManifestMediaType="application/vnd.docker.distribution.manifest.v2+json",
            imageTag="v1",
        )
    secret = client("secretsmanager").create_secret(Name="prod/db-password", SecretString="s3cret")
    alb = elbv2.create_load_balancer(
        Name="course-alb", Subnets=network["subnets"], SecurityGroups=[network["group"]]
    )["LoadBalancers"][0]["LoadBalancerArn"]
    web_tg = target_group(client, network, "web-tg")
    api_tg = target_group(client, network, "api-tg")
    listener = elbv2.create_listener(
        LoadBalancerArn=alb,
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": web_tg}],
    )["Listeners"][0]["ListenerArn"]
    rule = elbv2.create_rule(
        ListenerArn=listener,
        Priority=10,
        Conditions=[{"Field": "path-pattern", "Values": ["/api/*"]}],
        Actions=[{"Type": "forward", "TargetGroupArn": api_tg}],
    )["Rules"][0]["RuleArn"]
    web_tasks = add_service(
        client, network, "web", tasks=tasks_per_service, target_group_arn=web_tg
    )
    api_tasks = add_service(
        client,
        network,
        "api",
        tasks=tasks_per_service,
        target_group_arn=api_tg,
        secret_arn=secret["ARN"],
    )
    return {
        "network": network,
        "alb": alb,
        "listener": listener,
        "api_rule": rule,
        "web_tg": web_tg,
        "api_tg": api_tg,
        "web_tasks": web_tasks,
        "api_tasks": api_tasks,
        "secret": secret["ARN"],
    }


def settle(client: Any, rounds: int = 10) -> None:
    """Read the account until two reads agree. moto moves a task it started on its own one step
    through its lifecycle at each DescribeTasks; the simulated world may hold tasks still."""
    from ecslab.views.graph import build
    from ecslab.views.inventory import Inventory

    inventory = Inventory(client)
    previous = build(inventory.snapshot())
    for _ in range(rounds):
        current = build(inventory.snapshot())
        if current == previous:
            return
        previous = current
    raise AssertionError(f"the account still changed after {rounds} reads")
