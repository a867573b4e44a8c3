"""The network's bad input gets AWS's answer: rules, endpoints, internet-facing ALBs, subnets."""

from __future__ import annotations

from typing import Any

import pytest

from ecslab.lab import Lab
from tests.validation_calls import aws_error

OPEN_80 = {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}


def _new_vpc(lab: Lab, zones: int = 1) -> tuple[str, list[str]]:
    ec2 = lab.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(
            VpcId=vpc, CidrBlock=f"10.0.{n + 1}.0/24", AvailabilityZone=f"us-east-1{'ab'[n]}"
        )["Subnet"]["SubnetId"]
        for n in range(zones)
    ]
    return vpc, subnets


def _default_group(lab: Lab) -> str:
    groups = lab.client("ec2").describe_security_groups(GroupNames=["default"])
    return groups["SecurityGroups"][0]["GroupId"]


def _authorize(lab: Lab, permission: dict[str, Any]) -> Any:
    return lab.client("ec2").authorize_security_group_ingress(
        GroupId=_default_group(lab), IpPermissions=[permission]
    )


@pytest.mark.parametrize(
    ("permission", "code", "message"),
    [
        (
            OPEN_80 | {"IpRanges": [{"CidrIp": "1.2.3.0/33"}]},
            "InvalidParameterValue",
            "CIDR block 1.2.3.0/33 is malformed",
        ),
        (
            OPEN_80 | {"IpProtocol": "all"},
            "InvalidParameterValue",
            "Invalid value 'all' for IP protocol. Unknown protocol.",
        ),
        (
            OPEN_80 | {"ToPort": 70000},
            "InvalidPermission.Malformed",
            "TCP/UDP (to) port (70000) out of range",
        ),
        (
            {"IpProtocol": "tcp", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
            "InvalidParameterValue",
            "Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange.",
        ),
    ],
)
def test_security_group_rules_are_well_formed_rejects_malformed_rules(
    lab: Lab, permission: dict[str, Any], code: str, message: str
) -> None:
    """IpPermission: protocol, ports and CIDR as AWS accepts them, else AWS's error."""
    assert aws_error(lambda: _authorize(lab, permission)) == (code, message)


def test_security_group_rules_are_well_formed_rejects_a_reversed_port_range(lab: Lab) -> None:
    """From above to is refused (the code is AWS's; the wording is the world's own)."""
    code, _ = aws_error(lambda: _authorize(lab, OPEN_80 | {"FromPort": 90}))
    assert code == "InvalidParameterValue"


@pytest.mark.parametrize(
    "permission",
    [
        OPEN_80,
        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "10.0.0.0/16"}]},
        {
            "IpProtocol": "6",
            "FromPort": 8000,
            "ToPort": 8501,
            "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
        },
    ],
)
def test_security_group_rules_are_well_formed_accepts_valid_rules(
    lab: Lab, permission: dict[str, Any]
) -> None:
    """tcp with both ports, -1 without ports, a protocol number: accepted."""
    _authorize(lab, permission)


def test_an_unknown_group_id_gets_awss_answer(lab: Lab) -> None:
    """InvalidGroup.NotFound, as AWS words it (moto's own answer, kept)."""
    answer = aws_error(
        lambda: lab.client("ec2").authorize_security_group_ingress(
            GroupId="sg-0123456789abcdef0", IpPermissions=[OPEN_80]
        )
    )
    assert answer == (
        "InvalidGroup.NotFound",
        "The security group 'sg-0123456789abcdef0' does not exist",
    )


def _endpoint(lab: Lab, service: str, **extra: Any) -> dict[str, Any]:
    ec2 = lab.client("ec2")
    subnet = ec2.describe_subnets()["Subnets"][0]
    params = {"VpcId": subnet["VpcId"], "ServiceName": f"com.amazonaws.us-east-1.{service}"}
    if extra.pop("interface", True):
        params |= {"VpcEndpointType": "Interface", "SubnetIds": [subnet["SubnetId"]]}
    return ec2.create_vpc_endpoint(**params | extra)["VpcEndpoint"]


def test_endpoint_service_exists_rejects_a_service_that_does_not_exist(lab: Lab) -> None:
    """CreateVpcEndpoint: InvalidServiceName, as AWS answers."""
    name = "com.amazonaws.us-east-1.ecr"
    assert aws_error(lambda: _endpoint(lab, "ecr")) == (
        "InvalidServiceName",
        f"The Vpc Endpoint Service '{name}' does not exist",
    )


def test_endpoint_service_exists_rejects_a_gateway_for_an_interface_service(lab: Lab) -> None:
    """Only S3 and DynamoDB offer gateway endpoints (the type's default)."""
    code, message = aws_error(lambda: _endpoint(lab, "logs", interface=False))
    assert code == "InvalidServiceName"
    assert message.endswith("does not support the endpoint type 'Gateway'.")


def test_endpoint_service_exists_accepts_ecrs_and_s3s(lab: Lab) -> None:
    """ecr.api, ecr.dkr, logs, secretsmanager, ssm as interfaces; s3 as a gateway."""
    for service in ("ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm"):
        assert _endpoint(lab, service)["VpcEndpointType"] == "Interface"
    assert _endpoint(lab, "s3", interface=False)["ServiceName"].endswith(".s3")


def test_private_dns_needs_vpc_dns_rejects_a_vpc_without_dns_hostnames(lab: Lab) -> None:
    """A new VPC has enableDnsHostnames false: private DNS (the default) is refused."""
    vpc, subnets = _new_vpc(lab)
    answer = aws_error(
        lambda: lab.client("ec2").create_vpc_endpoint(
            VpcId=vpc,
            ServiceName="com.amazonaws.us-east-1.ecr.api",
            VpcEndpointType="Interface",
            SubnetIds=subnets,
        )
    )
    assert answer == (
        "InvalidParameter",
        "Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC "
        f"attributes set to true for {vpc}",
    )


def test_private_dns_needs_vpc_dns_accepts_it_once_both_are_on(lab: Lab) -> None:
    """ModifyVpcAttribute enableDnsHostnames, then the endpoint is created."""
    ec2 = lab.client("ec2")
    vpc, subnets = _new_vpc(lab)
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    endpoint = ec2.create_vpc_endpoint(
        VpcId=vpc,
        ServiceName="com.amazonaws.us-east-1.ecr.api",
        VpcEndpointType="Interface",
        SubnetIds=subnets,
    )["VpcEndpoint"]
    assert endpoint["PrivateDnsEnabled"] is True


def test_interface_endpoints_default_to_the_vpcs_group(lab: Lab) -> None:
    """CreateVpcEndpoint.SecurityGroupIds: "we use the default security group for the VPC"."""
    assert [g["GroupName"] for g in _endpoint(lab, "logs")["Groups"]] == ["default"]


def test_internet_facing_needs_an_internet_gateway_rejects_a_vpc_without_one(lab: Lab) -> None:
    """CreateLoadBalancer: InvalidSubnet "VPC ... has no internet gateway"."""
    vpc, subnets = _new_vpc(lab, zones=2)
    answer = aws_error(
        lambda: lab.client("elbv2").create_load_balancer(Name="web", Subnets=subnets)
    )
    assert answer == ("InvalidSubnet", f"VPC {vpc} has no internet gateway")


def test_internet_facing_needs_an_internet_gateway_accepts_internal_or_attached(lab: Lab) -> None:
    """An internal ALB needs no gateway; after AttachInternetGateway, internet-facing works."""
    ec2, elbv2 = lab.client("ec2"), lab.client("elbv2")
    vpc, subnets = _new_vpc(lab, zones=2)
    elbv2.create_load_balancer(Name="inside", Subnets=subnets, Scheme="internal")
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc)
    elbv2.create_load_balancer(Name="outside", Subnets=subnets)


def _run_in(lab: Lab, subnet: str) -> Any:
    ecs = lab.client("ecs")
    ecs.create_cluster(clusterName="demo")
    ecs.register_task_definition(
        family="web",
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        cpu="256",
        memory="512",
        containerDefinitions=[{"name": "web", "image": "nginx:1.27"}],
    )
    return ecs.run_task(
        cluster="demo",
        taskDefinition="web",
        launchType="FARGATE",
        networkConfiguration={"awsvpcConfiguration": {"subnets": [subnet]}},
    )


def test_task_subnets_exist_rejects_an_unknown_subnet(lab: Lab) -> None:
    """RunTask names a subnet that does not exist: ECS's error, not a crash inside moto."""
    code, message = aws_error(lambda: _run_in(lab, "subnet-0000aaaa"))
    assert code == "InvalidParameterException"
    assert message.startswith(
        "Error retrieving subnet information for [subnet-0000aaaa]: "
        "The subnet ID 'subnet-0000aaaa' does not exist"
    )


def test_task_subnets_exist_accepts_a_default_subnet(lab: Lab) -> None:
    """A default subnet exists: the task is started."""
    subnet = lab.client("ec2").describe_subnets()["Subnets"][0]["SubnetId"]
    assert _run_in(lab, subnet)["tasks"]
