"""What the workflow deploys into, made once before the first run (by hand, or by Terraform).

The workflow only builds, pushes, registers and updates; the cluster, the repositories, the load
balancer, the secret and the services must exist. ``create_stage`` makes them in the lab with
plain boto3 calls, as the example app's README lists them:

* ECR repositories ``ecslab-backend`` and ``ecslab-frontend``; an ECS cluster ``ecslab``;
* the backend's secret: an SSM SecureString ``/ecslab/backend/secret-key``, and a task
  execution role allowed to read it (ECS resolves ``secrets`` with the execution role:
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-ssm-paramstore.html);
* CloudWatch log groups for the awslogs driver;
* two security groups: the load balancer's admits HTTP (TCP 80) from anywhere; the tasks' admits
  each container port only from members of the load balancer's group (see
  :func:`create_security_groups`);
* an internet-facing ALB in two public subnets of the default VPC, in its own group, a listener on
  port 80 whose default action forwards to the frontend's target group and whose rule ``/api/*``
  forwards to the backend's; target groups of type ``ip`` (awsvpc tasks register by IP), checking
  ``/health`` and Streamlit's ``/_stcore/health``.

The services themselves are created by :func:`ecslab.pipeline.rehearsal.prepare`, with the
first images, since a service needs a task definition to start from.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ecslab.account.policies import EXECUTION_MANAGED_POLICY

CLUSTER = "ecslab"
SERVICES = ("backend", "frontend")
EXECUTION_ROLE = "ecslabTaskExecutionRole"
SECRET_PARAMETER = "/ecslab/backend/secret-key"
#: The rehearsal's secret value: a stand-in, never printed by ecslab.
REHEARSAL_SECRET = "rehearsal-only-secret-key"
PORTS = {"backend": 8000, "frontend": 8501}
HEALTH_PATHS = {"backend": "/health", "frontend": "/_stcore/health"}
#: The actions of AWS's managed AmazonECSTaskExecutionRolePolicy (pull from ECR, write logs),
#: granted inline together with the secret's read permission:
#: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html
EXECUTION_ACTIONS = EXECUTION_MANAGED_POLICY["Statement"][0]["Action"]


def repository(service: str) -> str:
    return f"ecslab-{service}"


def service_name(service: str) -> str:
    return f"ecslab-{service}"


@dataclass
class Stage:
    """The names and ARNs of what the workflow deploys into."""

    cluster: str = CLUSTER
    subnets: list[str] = field(default_factory=list)
    #: The tasks' groups (the services' ``networkConfiguration``).
    security_groups: list[str] = field(default_factory=list)
    alb_security_group: str = ""
    load_balancer_dns: str = ""
    target_groups: dict[str, str] = field(default_factory=dict)

    @property
    def backend_url(self) -> str:
        """Where the frontend finds the backend: through the load balancer."""
        return f"http://{self.load_balancer_dns}"


def create_stage(lab: Any) -> Stage:
    """Make everything the workflow expects to exist, in a fresh lab."""
    ecr, ecs, ec2, elbv2 = (lab.client(s) for s in ("ecr", "ecs", "ec2", "elbv2"))
    for service in SERVICES:
        ecr.create_repository(repositoryName=repository(service))
        lab.client("logs").create_log_group(logGroupName=f"/ecs/ecslab-{service}")
    ecs.create_cluster(clusterName=CLUSTER)
    _create_secret_and_role(lab)

    vpc, subnets = default_network(ec2)
    subnet_ids = subnets[:2]
    alb_group, task_group = create_security_groups(
        ec2, vpc=vpc, prefix="ecslab", ports=PORTS.values()
    )

    balancer, target_groups = create_path_routed_alb(
        elbv2,
        name="ecslab-alb",
        subnets=subnet_ids,
        security_group=alb_group,
        vpc=vpc,
        groups={f"ecslab-{s}": (PORTS[s], HEALTH_PATHS[s]) for s in SERVICES},
        api="ecslab-backend",
        default="ecslab-frontend",
    )
    return Stage(
        subnets=subnet_ids,
        security_groups=[task_group],
        alb_security_group=alb_group,
        load_balancer_dns=balancer["DNSName"],
        target_groups={s: target_groups[f"ecslab-{s}"] for s in SERVICES},
    )


def default_network(ec2: Any) -> tuple[str, list[str]]:
    """The default VPC and its default subnets ordered by Availability Zone: where the course's
    tasks and load balancers go.

    Default subnets are public: the default VPC's main route table sends ``0.0.0.0/0`` to its
    internet gateway (https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc.html). Its
    ``default`` security group is deliberately not used: it admits only its own members, so
    browsers could never reach a load balancer in it.
    """
    vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    subnets = ec2.describe_subnets(
        Filters=[
            {"Name": "vpc-id", "Values": [vpc]},
            {"Name": "default-for-az", "Values": ["true"]},
        ]
    )["Subnets"]
    ordered = [s["SubnetId"] for s in sorted(subnets, key=lambda s: s["AvailabilityZone"])]
    return vpc, ordered


def create_security_groups(
    ec2: Any, *, vpc: str, prefix: str, ports: Iterable[int]
) -> tuple[str, str]:
    """The two groups of a load-balanced app, as the ALB guide recommends; returns their IDs
    (load balancer's, tasks').

    ``<prefix>-alb`` admits TCP 80 from ``0.0.0.0/0``: the listener's port, from the internet.
    ``<prefix>-tasks`` admits each of ``ports`` only from members of ``<prefix>-alb`` (a rule that
    names a group matches the private IPs of its members: the load balancer's nodes). Both keep the
    one outbound allow-all rule a new group starts with, so health checks leave the load balancer
    and the tasks reach ECR, CloudWatch Logs and SSM on 443.
    https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html
    https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
    """
    alb = ec2.create_security_group(
        GroupName=f"{prefix}-alb",
        Description="Load balancer: HTTP from anywhere",
        VpcId=vpc,
    )["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=alb,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 80,
                "ToPort": 80,
                "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "HTTP from the internet"}],
            }
        ],
    )
    tasks = ec2.create_security_group(
        GroupName=f"{prefix}-tasks",
        Description="Tasks: container ports from the load balancer only",
        VpcId=vpc,
    )["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=tasks,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": port,
                "ToPort": port,
                "UserIdGroupPairs": [{"GroupId": alb, "Description": "from the load balancer"}],
            }
            for port in ports
        ],
    )
    return alb, tasks


def create_path_routed_alb(
    elbv2: Any,
    *,
    name: str,
    subnets: list[str],
    security_group: str,
    vpc: str,
    groups: dict[str, tuple[int, str]],
    api: str,
    default: str,
) -> tuple[dict[str, Any], dict[str, str]]:
    """The two-service front door, in plain boto3: an internet-facing ALB in two zones, a target
    group of type ``ip`` per entry of ``groups`` (name → port and health path), a listener on
    port 80 forwarding to ``default``, and a rule sending ``/api/*`` to ``api``.

    Returns the load balancer and the target groups' ARNs by name.
    """
    balancer = elbv2.create_load_balancer(
        Name=name, Subnets=subnets, SecurityGroups=[security_group], Scheme="internet-facing"
    )["LoadBalancers"][0]
    arns = {
        group: elbv2.create_target_group(
            Name=group,
            Protocol="HTTP",
            Port=port,
            VpcId=vpc,
            TargetType="ip",
            HealthCheckPath=health_path,
        )["TargetGroups"][0]["TargetGroupArn"]
        for group, (port, health_path) in groups.items()
    }
    listener = elbv2.create_listener(
        LoadBalancerArn=balancer["LoadBalancerArn"],
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": arns[default]}],
    )["Listeners"][0]
    elbv2.create_rule(
        ListenerArn=listener["ListenerArn"],
        Priority=10,
        Conditions=[{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api/*"]}}],
        Actions=[{"Type": "forward", "TargetGroupArn": arns[api]}],
    )
    return balancer, arns


def _create_secret_and_role(lab: Any) -> None:
    ssm, iam = lab.client("ssm"), lab.client("iam")
    ssm.put_parameter(Name=SECRET_PARAMETER, Value=REHEARSAL_SECRET, Type="SecureString")
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    iam.create_role(RoleName=EXECUTION_ROLE, AssumeRolePolicyDocument=json.dumps(trust))
    arn = f"arn:aws:ssm:{lab.region}:{lab.account_id}:parameter{SECRET_PARAMETER}"
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": EXECUTION_ACTIONS, "Resource": "*"},
            {"Effect": "Allow", "Action": "ssm:GetParameters", "Resource": arn},
        ],
    }
    iam.put_role_policy(
        RoleName=EXECUTION_ROLE, PolicyName="ecs-task-execution", PolicyDocument=json.dumps(policy)
    )
