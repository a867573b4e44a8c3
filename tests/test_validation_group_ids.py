"""Unknown security group ids get AWS's answer in every call that names groups.

EC2: InvalidGroup.NotFound (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html);
ECS: InvalidParameterException naming the group
(https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html);
ELBv2: InvalidSecurityGroup
(https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html).
"""

from __future__ import annotations

from typing import Any

import pytest
from world_scenarios import register

from ecslab.lab import Lab
from tests.validation_calls import aws_error

UNKNOWN = "sg-0123456789abcdef0"
NOT_FOUND = ("InvalidGroup.NotFound", f"The security group '{UNKNOWN}' does not exist")
#: Calls that take group ids and answer as moto already does (kept; checked here all the same).
MOTO_ANSWERS = {
    "DeleteSecurityGroup": lambda ec2, _: ec2.delete_security_group(GroupId=UNKNOWN),
    "RevokeSecurityGroupIngress": lambda ec2, _: ec2.revoke_security_group_ingress(
        GroupId=UNKNOWN, IpProtocol="tcp", FromPort=80, ToPort=80, CidrIp="0.0.0.0/0"
    ),
    "AuthorizeSecurityGroupEgress": lambda ec2, _: ec2.authorize_security_group_egress(
        GroupId=UNKNOWN,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            }
        ],
    ),
    "a rule naming an unknown group": lambda ec2, known: ec2.authorize_security_group_ingress(
        GroupId=known,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 80,
                "ToPort": 80,
                "UserIdGroupPairs": [{"GroupId": UNKNOWN}],
            }
        ],
    ),
}


def _network(lab: Lab) -> tuple[str, list[str], str]:
    """The default VPC, two of its subnets in two zones, and a group that exists."""
    ec2 = lab.client("ec2")
    subnets = sorted(ec2.describe_subnets()["Subnets"], key=lambda s: s["AvailabilityZone"])
    vpc = subnets[0]["VpcId"]
    known = ec2.create_security_group(GroupName="known", Description="k", VpcId=vpc)["GroupId"]
    return vpc, [s["SubnetId"] for s in subnets[:2]], known


@pytest.mark.parametrize("call", sorted(MOTO_ANSWERS))
def test_other_group_calls_answer_invalid_group_not_found(lab: Lab, call: str) -> None:
    _, _, known = _network(lab)
    assert aws_error(lambda: MOTO_ANSWERS[call](lab.client("ec2"), known)) == NOT_FOUND


def _ec2_calls(lab: Lab, vpc: str, subnets: list[str], groups: list[str]) -> dict[str, Any]:
    ec2 = lab.client("ec2")
    return {
        "DescribeSecurityGroups": lambda: ec2.describe_security_groups(GroupIds=groups),
        "CreateVpcEndpoint": lambda: ec2.create_vpc_endpoint(
            VpcId=vpc,
            ServiceName="com.amazonaws.us-east-1.logs",
            VpcEndpointType="Interface",
            SubnetIds=subnets[:1],
            SecurityGroupIds=groups,
        ),
        "CreateNetworkInterface": lambda: ec2.create_network_interface(
            SubnetId=subnets[0], Groups=groups
        ),
    }


@pytest.mark.parametrize(
    "call", ["DescribeSecurityGroups", "CreateVpcEndpoint", "CreateNetworkInterface"]
)
def test_ec2_group_ids_exist_rejects_an_unknown_group(lab: Lab, call: str) -> None:
    """DescribeSecurityGroups' wording is AWS's as pasted (moto's names a Python set); the
    endpoint and interface calls use the same wording, plausibly (no paste of theirs found)."""
    vpc, subnets, known = _network(lab)
    answer = aws_error(_ec2_calls(lab, vpc, subnets, [known, UNKNOWN])[call])
    assert answer == NOT_FOUND


@pytest.mark.parametrize(
    "call", ["DescribeSecurityGroups", "CreateVpcEndpoint", "CreateNetworkInterface"]
)
def test_ec2_group_ids_exist_accepts_known_groups(lab: Lab, call: str) -> None:
    vpc, subnets, known = _network(lab)
    assert (
        _ec2_calls(lab, vpc, subnets, [known])[call]()["ResponseMetadata"]["HTTPStatusCode"] == 200
    )


def test_ec2_group_ids_exist_rejects_an_unknown_group_on_an_interface(lab: Lab) -> None:
    """ModifyNetworkInterfaceAttribute, the call that moves an interface to other groups."""
    _, subnets, known = _network(lab)
    ec2 = lab.client("ec2")
    eni = ec2.create_network_interface(SubnetId=subnets[0], Groups=[known])["NetworkInterface"]
    answer = aws_error(
        lambda: ec2.modify_network_interface_attribute(
            NetworkInterfaceId=eni["NetworkInterfaceId"], Groups=[UNKNOWN]
        )
    )
    assert answer == NOT_FOUND


def _awsvpc(subnets: list[str], groups: list[str]) -> dict[str, Any]:
    return {
        "awsvpcConfiguration": {
            "subnets": subnets,
            "securityGroups": groups,
            "assignPublicIp": "ENABLED",
        }
    }


def _ecs_calls(lab: Lab, subnets: list[str], groups: list[str]) -> dict[str, Any]:
    ecs = lab.client("ecs")
    ecs.create_cluster(clusterName="demo")
    register(lab)
    network = _awsvpc(subnets, groups)
    common = {"cluster": "demo", "taskDefinition": "web", "launchType": "FARGATE"}
    return {
        "RunTask": lambda: ecs.run_task(**common, networkConfiguration=network),
        "CreateService": lambda: ecs.create_service(
            **common, serviceName="web", desiredCount=1, networkConfiguration=network
        ),
    }


@pytest.mark.parametrize("call", ["RunTask", "CreateService"])
def test_task_security_groups_exist_rejects_an_unknown_group(lab: Lab, call: str) -> None:
    _, subnets, known = _network(lab)
    answer = aws_error(_ecs_calls(lab, subnets, [known, UNKNOWN])[call])
    assert answer == (
        "InvalidParameterException",
        f"Error retrieving security group information for [{known}, {UNKNOWN}]: The security "
        f"group '{UNKNOWN}' does not exist (ErrorCode: InvalidGroup.NotFound)",
    )


def test_task_security_groups_exist_rejects_an_unknown_group_in_an_update(lab: Lab) -> None:
    _, subnets, known = _network(lab)
    _ecs_calls(lab, subnets, [known])["CreateService"]()
    answer = aws_error(
        lambda: lab.client("ecs").update_service(
            cluster="demo", service="web", networkConfiguration=_awsvpc(subnets, [UNKNOWN])
        )
    )
    assert answer[0] == "InvalidParameterException"
    assert f"The security group '{UNKNOWN}' does not exist" in answer[1]


@pytest.mark.parametrize("call", ["RunTask", "CreateService"])
def test_task_security_groups_exist_accepts_known_groups(lab: Lab, call: str) -> None:
    _, subnets, known = _network(lab)
    assert _ecs_calls(lab, subnets, [known])[call]()["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_load_balancer_security_groups_exist_rejects_an_unknown_group(lab: Lab) -> None:
    """CreateLoadBalancer and SetSecurityGroups: InvalidSecurityGroup with EC2's answer inside."""
    _, subnets, known = _network(lab)
    elbv2 = lab.client("elbv2")
    created = aws_error(
        lambda: elbv2.create_load_balancer(Name="web", Subnets=subnets, SecurityGroups=[UNKNOWN])
    )
    balancer = elbv2.create_load_balancer(Name="web", Subnets=subnets, SecurityGroups=[known])
    arn = balancer["LoadBalancers"][0]["LoadBalancerArn"]
    moved = aws_error(
        lambda: elbv2.set_security_groups(LoadBalancerArn=arn, SecurityGroups=[UNKNOWN])
    )
    assert created == moved
    assert created[0] == "InvalidSecurityGroup"
    assert created[1].startswith(
        f"The security group '{UNKNOWN}' does not exist (Service: AmazonEC2; Status Code: 400; "
        "Error Code: InvalidGroup.NotFound; Request ID: "
    )


def test_load_balancer_security_groups_exist_accepts_known_groups(lab: Lab) -> None:
    _, subnets, known = _network(lab)
    elbv2 = lab.client("elbv2")
    balancer = elbv2.create_load_balancer(Name="web", Subnets=subnets, SecurityGroups=[known])
    assert balancer["LoadBalancers"][0]["SecurityGroups"] == [known]
