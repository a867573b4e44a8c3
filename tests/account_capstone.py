"""The capstone's resources, created with plain boto3 (the lab tags them), for the account tests."""

from __future__ import annotations

import json
from typing import Any

from ecslab.account.course_secrets import DATABASE_PASSWORD
from ecslab.account.tagged_resources import cached

TRUST_ECS_TASKS = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


def build_capstone(client: Any, prefix: str = "ecslab") -> dict[str, str]:
    """Cluster, task definition, service behind an ALB, ECR repository, secret, parameter, role.

    ``client`` is ``lab.client``; returns the identifiers a test may want to check.
    """
    client = cached(client)
    ec2 = client("ec2")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]
    subnets = [
        s["SubnetId"]
        for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])[
            "Subnets"
        ]
    ][:2]
    group = ec2.create_security_group(
        GroupName=f"{prefix}-alb", Description="capstone ALB", VpcId=vpc["VpcId"]
    )["GroupId"]

    iam = client("iam")
    role = iam.create_role(RoleName=f"{prefix}-execution", AssumeRolePolicyDocument=TRUST_ECS_TASKS)
    client("logs").create_log_group(logGroupName=f"/ecs/{prefix}-api")
    secret = client("secretsmanager").create_secret(
        Name=f"{prefix}/db-password", SecretString=DATABASE_PASSWORD
    )
    client("ssm").put_parameter(Name=f"/{prefix}/greeting", Value="hello", Type="String")
    repository = client("ecr").create_repository(repositoryName=f"{prefix}-api")["repository"]

    ecs = client("ecs")
    cluster = ecs.create_cluster(clusterName=f"{prefix}-cluster")["cluster"]
    task_definition = ecs.register_task_definition(
        family=f"{prefix}-api",
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        cpu="256",
        memory="512",
        executionRoleArn=role["Role"]["Arn"],
        containerDefinitions=[
            {
                "name": "api",
                "image": f"{repository['repositoryUri']}:v1",
                "portMappings": [{"containerPort": 8000}],
                "secrets": [{"name": "DB_PASSWORD", "valueFrom": secret["ARN"]}],
            }
        ],
    )["taskDefinition"]

    elbv2 = client("elbv2")
    balancer = elbv2.create_load_balancer(
        Name=f"{prefix}-alb", Subnets=subnets, SecurityGroups=[group], Type="application"
    )["LoadBalancers"][0]
    target_group = elbv2.create_target_group(
        Name=f"{prefix}-api", Protocol="HTTP", Port=8000, VpcId=vpc["VpcId"], TargetType="ip"
    )["TargetGroups"][0]
    listener = elbv2.create_listener(
        LoadBalancerArn=balancer["LoadBalancerArn"],
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": target_group["TargetGroupArn"]}],
    )["Listeners"][0]
    rule = elbv2.create_rule(
        ListenerArn=listener["ListenerArn"],
        Priority=10,
        Conditions=[{"Field": "path-pattern", "Values": ["/api/*"]}],
        Actions=[{"Type": "forward", "TargetGroupArn": target_group["TargetGroupArn"]}],
    )["Rules"][0]
    service = ecs.create_service(
        cluster=cluster["clusterArn"],
        serviceName=f"{prefix}-api",
        taskDefinition=task_definition["taskDefinitionArn"],
        desiredCount=2,
        launchType="FARGATE",
        networkConfiguration={
            "awsvpcConfiguration": {
                "subnets": subnets,
                "securityGroups": [group],
                "assignPublicIp": "ENABLED",
            }
        },
        loadBalancers=[
            {
                "targetGroupArn": target_group["TargetGroupArn"],
                "containerName": "api",
                "containerPort": 8000,
            }
        ],
    )["service"]
    return {
        "cluster": cluster["clusterArn"],
        "service": service["serviceArn"],
        "load_balancer": balancer["LoadBalancerArn"],
        "listener": listener["ListenerArn"],
        "rule": rule["RuleArn"],
        "target_group": target_group["TargetGroupArn"],
        "security_group": group,
        "subnets": ",".join(subnets),
        "vpc": vpc["VpcId"],
    }
