"""What the network decides, seen through plain boto3: task start paths and ALB traffic.

Sources per scenario: Fargate task networking and platform 1.4.0 migration pages (egress),
the ECR VPC endpoints page (ecr.api, ecr.dkr, the S3 gateway), the ALB security-group pages
and the ALB troubleshooting page (timeouts, 504)."""

from __future__ import annotations

from typing import Any

from world_scenarios import register, web_stack

from ecslab.lab import Lab
from tests.test_validation_ecr import push

ECR_AUTH = (
    "ResourceInitializationError: unable to pull secrets or registry auth: The task cannot "
    "pull registry auth from Amazon ECR: There is a connection issue between the task and "
    "Amazon ECR."
)


def _ecr_image(lab: Lab) -> str:
    """An image pushed to ECR (a tag the world knows)."""
    lab.client("ecr").create_repository(repositoryName="web")
    push(lab, "web", "v1", "a" * 64)
    return f"{lab.account_id}.dkr.ecr.{lab.region}.amazonaws.com/web:v1"


def _run(lab: Lab, subnet: str, groups: list[str] | None = None, public: bool = False) -> str:
    ecs = lab.client("ecs")
    ecs.create_cluster(clusterName="demo")
    awsvpc: dict[str, Any] = {"subnets": [subnet]}
    if groups:
        awsvpc["securityGroups"] = groups
    if public:
        awsvpc["assignPublicIp"] = "ENABLED"
    return ecs.run_task(
        cluster="demo",
        taskDefinition="web",
        launchType="FARGATE",
        networkConfiguration={"awsvpcConfiguration": awsvpc},
    )["tasks"][0]["taskArn"]


def _task(lab: Lab, arn: str) -> dict[str, Any]:
    return lab.client("ecs").describe_tasks(cluster="demo", tasks=[arn])["tasks"][0]


def _default_subnet(lab: Lab) -> str:
    subnets = lab.client("ec2").describe_subnets()["Subnets"]
    return sorted(subnets, key=lambda s: s["AvailabilityZone"])[0]["SubnetId"]


def _private_vpc(lab: Lab) -> tuple[str, str, str]:
    """A VPC with DNS hostnames on, a private subnet and its own route table (local only)."""
    ec2 = lab.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1a")
    table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.associate_route_table(RouteTableId=table, SubnetId=subnet["Subnet"]["SubnetId"])
    return vpc, subnet["Subnet"]["SubnetId"], table


def test_a_task_without_public_ip_in_a_public_subnet_cannot_reach_ecr(lab: Lab) -> None:
    """assignPublicIp defaults to DISABLED: after ~4.5 min PENDING, TaskFailedToStart."""
    register(lab, image=_ecr_image(lab))
    arn = _run(lab, _default_subnet(lab))
    lab.advance(200)
    assert _task(lab, arn)["lastStatus"] == "PENDING"
    lab.advance(100)
    task = _task(lab, arn)
    assert task["stopCode"] == "TaskFailedToStart"
    assert task["stoppedReason"].startswith(ECR_AUTH)
    assert task["stoppedReason"].endswith(":443: i/o timeout")
    assert "startedAt" not in task


def test_a_task_with_a_public_ip_and_an_internet_gateway_route_starts(lab: Lab) -> None:
    """Public subnet + assignPublicIp ENABLED: the image pulls and the task runs."""
    register(lab, image=_ecr_image(lab))
    arn = _run(lab, _default_subnet(lab), public=True)
    lab.advance(60)
    assert _task(lab, arn)["lastStatus"] == "RUNNING"


def test_a_docker_hub_image_needs_the_internet(lab: Lab) -> None:
    """Without a public IP, Docker Hub's registry times out (endpoints do not serve it)."""
    register(lab)
    arn = _run(lab, _default_subnet(lab))
    lab.advance(300)
    reason = _task(lab, arn)["stoppedReason"]
    assert reason.startswith("CannotPullContainerError: pull image manifest has been retried")
    assert "registry-1.docker.io" in reason and reason.endswith("i/o timeout")


def test_a_task_group_without_outbound_443_cannot_start(lab: Lab) -> None:
    """The task's group must allow outbound HTTPS, even with a public IP."""
    ec2 = lab.client("ec2")
    vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    group = ec2.create_security_group(GroupName="closed", Description="c", VpcId=vpc)["GroupId"]
    ec2.revoke_security_group_egress(
        GroupId=group,
        IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    register(lab, image=_ecr_image(lab))
    arn = _run(lab, _default_subnet(lab), [group], public=True)
    lab.advance(300)
    assert _task(lab, arn)["stoppedReason"].startswith(ECR_AUTH)


def test_a_private_subnet_behind_an_available_nat_gateway_starts(lab: Lab) -> None:
    """Route 0.0.0.0/0 to a NAT gateway in a public subnet: the task reaches ECR and S3."""
    ec2 = lab.client("ec2")
    default_vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    private = ec2.create_subnet(
        VpcId=default_vpc, CidrBlock="172.31.96.0/20", AvailabilityZone="us-east-1a"
    )["Subnet"]["SubnetId"]
    table = ec2.create_route_table(VpcId=default_vpc)["RouteTable"]["RouteTableId"]
    ec2.associate_route_table(RouteTableId=table, SubnetId=private)
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=_default_subnet(lab), AllocationId=allocation)
    nat_id = nat["NatGateway"]["NatGatewayId"]
    ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat_id)
    lab.advance(120)  # the NAT gateway is available
    register(lab, image=_ecr_image(lab))
    arn = _run(lab, private)
    lab.advance(60)
    assert _task(lab, arn)["lastStatus"] == "RUNNING"


def _endpoint(lab: Lab, vpc: str, subnet: str, service: str) -> None:
    lab.client("ec2").create_vpc_endpoint(
        VpcId=vpc,
        ServiceName=f"com.amazonaws.us-east-1.{service}",
        VpcEndpointType="Interface",
        SubnetIds=[subnet],
    )


def test_a_private_subnet_with_the_three_endpoints_starts(lab: Lab) -> None:
    """ecr.api, ecr.dkr (default group: admits the task, also in it) and the S3 gateway."""
    vpc, subnet, table = _private_vpc(lab)
    for service in ("ecr.api", "ecr.dkr"):
        _endpoint(lab, vpc, subnet, service)
    lab.client("ec2").create_vpc_endpoint(
        VpcId=vpc, ServiceName="com.amazonaws.us-east-1.s3", RouteTableIds=[table]
    )
    register(lab, image=_ecr_image(lab))
    arn = _run(lab, subnet)
    lab.advance(60)
    assert _task(lab, arn)["lastStatus"] == "RUNNING"


def test_without_the_s3_gateway_the_layers_time_out(lab: Lab) -> None:
    """ECR's endpoints alone: auth and manifest pass, the layers (S3) time out."""
    vpc, subnet, _ = _private_vpc(lab)
    for service in ("ecr.api", "ecr.dkr"):
        _endpoint(lab, vpc, subnet, service)
    register(lab, image=_ecr_image(lab))
    arn = _run(lab, subnet)
    lab.advance(300)
    reason = _task(lab, arn)["stoppedReason"]
    assert reason.startswith("CannotPullContainerError: The task cannot pull")
    assert "httpReadSeeker: failed open" in reason


def test_without_a_logs_endpoint_awslogs_times_out_first(lab: Lab) -> None:
    """Endpoints for ECR and S3 but not Logs: the logger's message (it comes before layers)."""
    vpc, subnet, _ = _private_vpc(lab)
    for service in ("ecr.api", "ecr.dkr"):
        _endpoint(lab, vpc, subnet, service)
    logs = {
        "logDriver": "awslogs",
        "options": {
            "awslogs-group": "/ecs/web",
            "awslogs-region": "us-east-1",
            "awslogs-stream-prefix": "web",
            "awslogs-create-group": "true",
        },
    }
    register(lab, image=_ecr_image(lab), logConfiguration=logs)
    arn = _run(lab, subnet)
    lab.advance(300)
    assert _task(lab, arn)["stoppedReason"].startswith(
        "ResourceInitializationError: failed to validate logger args: The task cannot find the "
        "Amazon CloudWatch log group"
    )


def test_the_service_event_says_why_a_task_could_not_start(lab: Lab) -> None:
    """`(service X) was unable to place a task. Reason: <the stoppedReason>.`"""
    stack = web_stack(lab, desired=1)
    ecs = lab.client("ecs")
    ecs.update_service(
        cluster="demo",
        service="web",
        forceNewDeployment=True,
        networkConfiguration={
            "awsvpcConfiguration": {
                "subnets": stack.subnets,
                "securityGroups": [stack.task_security_group],
            }
        },
    )
    lab.advance(600)
    placed = [m for m in stack.messages() if "was unable to place a task" in m]
    assert placed and placed[0].startswith("(service web) was unable to place a task. Reason: ")
    assert "registry-1.docker.io" in placed[0]


def test_the_two_group_design_serves_requests(lab: Lab) -> None:
    """ALB group admits 80 from anywhere, task group admits 80 from the ALB's group: 200."""
    web_stack(lab, desired=1)
    lab.wait_stable("demo", "web")
    assert lab.request("/").status == 200


def test_an_alb_group_without_port_80_times_out(lab: Lab) -> None:
    """The client's SYN is dropped: no HTTP status at all, and the result says so."""
    stack = web_stack(lab, desired=1)
    lab.wait_stable("demo", "web")
    lab.client("ec2").revoke_security_group_ingress(
        GroupId=stack.alb_security_group,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 80,
                "ToPort": 80,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            }
        ],
    )
    answer = lab.request("/")
    assert answer.status is None and answer.error.startswith("connection timed out")
    assert repr(answer).startswith("<GET / → no answer: connection timed out")


def test_no_listener_on_the_port_is_refused(lab: Lab) -> None:
    """The group admits the port but nothing listens: connection refused, at once."""
    stack = web_stack(lab, desired=1)
    lab.client("ec2").authorize_security_group_ingress(
        GroupId=stack.alb_security_group,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 8080,
                "ToPort": 8080,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            }
        ],
    )
    answer = lab.request("http://web:8080/")
    assert answer.status is None and answer.error.startswith("connection refused")


def test_a_task_group_that_does_not_admit_the_alb_makes_targets_time_out(lab: Lab) -> None:
    """Task group without the ALB's group: Target.Timeout, the event, then ECS stops the task."""
    ec2 = lab.client("ec2")
    stack = web_stack(lab, desired=1)
    lab.wait_stable("demo", "web")
    rules = ec2.describe_security_group_rules(
        Filters=[{"Name": "group-id", "Values": [stack.task_security_group]}]
    )["SecurityGroupRules"]
    ec2.revoke_security_group_ingress(
        GroupId=stack.task_security_group,
        SecurityGroupRuleIds=[r["SecurityGroupRuleId"] for r in rules if not r["IsEgress"]],
    )
    answer = lab.request("/")  # still healthy for now: the ALB's connect times out
    assert answer.status == 504
    lab.advance(120)
    assert any(
        m.startswith("(service web) (port 80) is unhealthy in (target-group ")
        and m.endswith("due to (reason Request timed out).")
        for m in stack.messages()
    )
    stopped = stack.tasks("STOPPED")
    assert stopped and stopped[0]["stoppedReason"].startswith(
        "Task failed ELB health checks in (target-group "
    )


def test_an_internal_alb_is_not_reachable_from_the_internet(lab: Lab) -> None:
    """Internal nodes have only private addresses: a client from the internet times out."""
    ec2, elbv2 = lab.client("ec2"), lab.client("elbv2")
    subnets = sorted(ec2.describe_subnets()["Subnets"], key=lambda s: s["AvailabilityZone"])
    stack_groups = web_stack(lab, desired=0)
    balancer = elbv2.create_load_balancer(
        Name="inside",
        Subnets=[s["SubnetId"] for s in subnets[:2]],
        Scheme="internal",
        SecurityGroups=[stack_groups.alb_security_group],
    )["LoadBalancers"][0]
    elbv2.create_listener(
        LoadBalancerArn=balancer["LoadBalancerArn"],
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}],
    )
    answer = lab.request(f"http://{balancer['DNSName']}/")
    assert answer.status is None and "no public IP" in answer.error
