"""A change to the network after the world has answered a question still changes the answer.

The world keeps its picture of the network, the routes and rules it derived from it, each
task's start-up verdicts and each target's reachability until a call may have changed them
(see :mod:`ecslab.world.network.default_vpc`); these scenarios change a route, a group, an
endpoint or the ALB's groups after a first answer and check that the next one follows.
Sources: the Fargate task networking page (a task's egress), the ECR VPC endpoints page, the
ALB security-group page (a target must admit the load balancer's groups)."""

from __future__ import annotations

from typing import Any

from test_world_network_consequences import _endpoint, _private_vpc, _run, _task
from world_scenarios import register, web_stack

from ecslab.lab import Lab
from tests.test_validation_ecr import push

PULL_TIMEOUT = "CannotPullContainerError: pull image manifest has been retried"
ECR_AUTH = "ResourceInitializationError: unable to pull secrets or registry auth: The task cannot "


def _ecr_image(lab: Lab) -> str:
    lab.client("ecr").create_repository(repositoryName="web")
    push(lab, "web", "v1", "a" * 64)
    return f"{lab.account_id}.dkr.ecr.{lab.region}.amazonaws.com/web:v1"


def _default_vpc_subnet(lab: Lab) -> tuple[str, str]:
    subnets = lab.client("ec2").describe_subnets()["Subnets"]
    first = sorted(subnets, key=lambda s: s["AvailabilityZone"])[0]
    return first["VpcId"], first["SubnetId"]


def _main_table(lab: Lab, vpc: str) -> str:
    tables = lab.client("ec2").describe_route_tables(
        Filters=[
            {"Name": "vpc-id", "Values": [vpc]},
            {"Name": "association.main", "Values": ["true"]},
        ]
    )["RouteTables"]
    return str(tables[0]["RouteTableId"])


def test_a_route_deleted_after_a_task_started_stops_the_next_task(lab: Lab) -> None:
    """The first task pulls over the internet gateway; without the route the next one cannot."""
    vpc, subnet = _default_vpc_subnet(lab)
    register(lab)
    first = _run(lab, subnet, public=True)
    lab.advance(60)
    assert _task(lab, first)["lastStatus"] == "RUNNING"
    lab.client("ec2").delete_route(
        RouteTableId=_main_table(lab, vpc), DestinationCidrBlock="0.0.0.0/0"
    )
    second = _run(lab, subnet, public=True)
    lab.advance(300)
    assert _task(lab, second)["stoppedReason"].startswith(PULL_TIMEOUT)
    assert _task(lab, first)["lastStatus"] == "RUNNING"  # it started before the change


def test_a_group_whose_egress_is_revoked_after_a_task_started_stops_the_next_task(lab: Lab) -> None:
    """Same subnet, same group, same public IP setting: the group's new rules decide."""
    ec2 = lab.client("ec2")
    vpc, subnet = _default_vpc_subnet(lab)
    group = ec2.create_security_group(GroupName="tasks", Description="t", VpcId=vpc)["GroupId"]
    register(lab)
    first = _run(lab, subnet, [group], public=True)
    lab.advance(60)
    assert _task(lab, first)["lastStatus"] == "RUNNING"
    ec2.revoke_security_group_egress(
        GroupId=group,
        IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    second = _run(lab, subnet, [group], public=True)
    lab.advance(300)
    assert _task(lab, second)["stoppedReason"].startswith(PULL_TIMEOUT)


def test_an_s3_gateway_added_after_a_task_failed_lets_the_next_task_start(lab: Lab) -> None:
    """Without the S3 gateway the layers time out; once it is there, the next task runs."""
    vpc, subnet, table = _private_vpc(lab)
    for service in ("ecr.api", "ecr.dkr"):
        _endpoint(lab, vpc, subnet, service)
    register(lab, image=_ecr_image(lab))
    first = _run(lab, subnet)
    lab.advance(300)
    assert "httpReadSeeker: failed open" in _task(lab, first)["stoppedReason"]
    lab.client("ec2").create_vpc_endpoint(
        VpcId=vpc, ServiceName="com.amazonaws.us-east-1.s3", RouteTableIds=[table]
    )
    second = _run(lab, subnet)
    lab.advance(60)
    assert _task(lab, second)["lastStatus"] == "RUNNING"


def test_an_endpoint_deleted_after_a_task_started_stops_the_next_task(lab: Lab) -> None:
    """The registry-auth endpoint is gone: the next task in the private subnet cannot auth."""
    ec2 = lab.client("ec2")
    vpc, subnet, table = _private_vpc(lab)
    for service in ("ecr.api", "ecr.dkr"):
        _endpoint(lab, vpc, subnet, service)
    ec2.create_vpc_endpoint(
        VpcId=vpc, ServiceName="com.amazonaws.us-east-1.s3", RouteTableIds=[table]
    )
    register(lab, image=_ecr_image(lab))
    first = _run(lab, subnet)
    lab.advance(60)
    assert _task(lab, first)["lastStatus"] == "RUNNING"
    endpoints = ec2.describe_vpc_endpoints()["VpcEndpoints"]
    api = [e["VpcEndpointId"] for e in endpoints if e["ServiceName"].endswith(".ecr.api")]
    ec2.delete_vpc_endpoints(VpcEndpointIds=api)
    second = _run(lab, subnet)
    lab.advance(300)
    assert _task(lab, second)["stoppedReason"].startswith(ECR_AUTH + "pull registry auth")


def test_an_endpoint_group_admitting_one_address_admits_only_that_task(lab: Lab) -> None:
    """Two tasks started together in one subnet and group: the endpoint's group admits the
    first address only, so only that task reaches ECR (the other's verdict is its own)."""
    ec2 = lab.client("ec2")
    vpc, subnet, table = _private_vpc(lab)
    guard = ec2.create_security_group(GroupName="endpoints", Description="e", VpcId=vpc)
    ec2.authorize_security_group_ingress(
        GroupId=guard["GroupId"],
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "IpRanges": [{"CidrIp": "10.0.1.4/32"}],
            }
        ],
    )
    for service in ("ecr.api", "ecr.dkr"):
        ec2.create_vpc_endpoint(
            VpcId=vpc,
            ServiceName=f"com.amazonaws.us-east-1.{service}",
            VpcEndpointType="Interface",
            SubnetIds=[subnet],
            SecurityGroupIds=[guard["GroupId"]],
        )
    ec2.create_vpc_endpoint(
        VpcId=vpc, ServiceName="com.amazonaws.us-east-1.s3", RouteTableIds=[table]
    )
    register(lab, image=_ecr_image(lab))
    ecs = lab.client("ecs")
    ecs.create_cluster(clusterName="demo")
    arns = [
        t["taskArn"]
        for t in ecs.run_task(
            cluster="demo",
            taskDefinition="web",
            launchType="FARGATE",
            count=2,
            networkConfiguration={"awsvpcConfiguration": {"subnets": [subnet]}},
        )["tasks"]
    ]
    lab.advance(300)
    fates: dict[str, Any] = {}
    for arn in arns:
        task = _task(lab, arn)
        details = {d["name"]: d["value"] for d in task["attachments"][0]["details"]}
        fates[details["privateIPv4Address"]] = task
    assert sorted(fates) == ["10.0.1.4", "10.0.1.5"]
    assert fates["10.0.1.4"]["lastStatus"] == "RUNNING"
    assert fates["10.0.1.5"]["stoppedReason"].startswith(ECR_AUTH + "pull registry auth")


def test_an_alb_moved_to_a_group_the_tasks_do_not_admit_cannot_reach_them(lab: Lab) -> None:
    """The task group admits the ALB's old group only: forwarded requests now time out (504)
    and the health checks that follow fail with Target.Timeout."""
    ec2, elbv2 = lab.client("ec2"), lab.client("elbv2")
    stack = web_stack(lab, desired=1)
    lab.wait_stable("demo", "web")
    assert lab.request("/").status == 200
    vpc = _default_vpc_subnet(lab)[0]
    moved = ec2.create_security_group(GroupName="moved", Description="m", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=moved,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 80,
                "ToPort": 80,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            }
        ],
    )
    balancer = elbv2.describe_load_balancers(Names=["web"])["LoadBalancers"][0]
    elbv2.set_security_groups(LoadBalancerArn=balancer["LoadBalancerArn"], SecurityGroups=[moved])
    assert lab.request("/").status == 504
    lab.advance(120)
    assert any(m.endswith("due to (reason Request timed out).") for m in stack.messages())
