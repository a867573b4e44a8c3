"""The network: security-group rules, VPC endpoints, internet-facing ALBs, a task's subnets.

What AWS does (botocore's EC2, ELBv2 and ECS models; messages as users have pasted AWS's raw
answers, cited per rule): a rule's protocol is ``tcp``, ``udp``, ``icmp``, ``icmpv6``, ``-1`` or a
number 0-255; TCP and UDP rules need both ports, each 0-65535; an IPv4 range must be a CIDR
block. An endpoint names a service that exists, of a type that service offers; private DNS
needs the VPC's ``enableDnsSupport`` and ``enableDnsHostnames``; an interface endpoint without
groups gets the VPC's default group. An internet-facing load balancer needs an internet gateway
attached to its VPC. RunTask and CreateService name subnets that exist.

Sources: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html,
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html,
https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html,
https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html

Differs from AWS: the endpoint services offered are the ones a container course meets
(:data:`INTERFACE_SERVICES`, :data:`GATEWAY_SERVICES`); AWS offers many more. A port range whose
first port is above its last is refused in words of the world's choosing (AWS's exact message
was not found).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from ecslab.world.moto_hooks import ApiCall, AwsError
from ecslab.world.validation import state
from ecslab.world.validation.rules import rule

SOURCE_PERMISSION = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html"
SOURCE_ENDPOINT = (
    "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html"
)
SOURCE_BALANCER = (
    "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/"
    "API_CreateLoadBalancer.html"
)
SOURCE_AWSVPC = (
    "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html"
)
RULE_CALLS = (
    "AuthorizeSecurityGroupIngress",
    "AuthorizeSecurityGroupEgress",
    "RevokeSecurityGroupIngress",
    "RevokeSecurityGroupEgress",
)
#: Interface endpoint services (short names) the world offers in every region.
INTERFACE_SERVICES = frozenset(
    {
        "ecr.api",
        "ecr.dkr",
        "logs",
        "secretsmanager",
        "ssm",
        "ssmmessages",
        "ec2messages",
        "sts",
        "kms",
        "ecs",
        "ecs-agent",
        "ecs-telemetry",
        "elasticloadbalancing",
        "monitoring",
        "ec2",
        "s3",
    }
)
#: Gateway endpoint services: only S3 and DynamoDB offer them.
GATEWAY_SERVICES = frozenset({"s3", "dynamodb"})
_PROTOCOLS = {"tcp", "udp", "icmp", "icmpv6", "-1"}


def _invalid(message: str) -> AwsError:
    return AwsError("InvalidParameterValue", message)


def _check_permission(permission: dict[str, Any]) -> None:
    protocol = str(permission.get("IpProtocol", "")).lower()
    # "Invalid value 'all' for IP protocol. Unknown protocol." (terraform-provider-aws#1793).
    if protocol not in _PROTOCOLS and not (protocol.isdigit() and 0 <= int(protocol) <= 255):
        raise _invalid(
            f"Invalid value '{permission.get('IpProtocol')}' for IP protocol. Unknown protocol."
        )
    if protocol in ("tcp", "udp", "6", "17"):
        low, high = permission.get("FromPort"), permission.get("ToPort")
        if low is None or high is None:
            # aws/aws-sdk-go-v2#1203, raw EC2 answer.
            raise _invalid(
                "Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange."
            )
        for end, port in (("from", low), ("to", high)):
            if not 0 <= int(port) <= 65535:
                # "TCP/UDP port (-1) out of range" (boto/boto3#336); the from/to form is the
                # one other pastes show (aws/aws-cli#1066).
                raise AwsError(
                    "InvalidPermission.Malformed", f"TCP/UDP ({end}) port ({port}) out of range"
                )
        if int(low) > int(high):
            raise _invalid(f"Invalid TCP/UDP port range ({low}-{high})")  # wording plausible
    for ranges in permission.get("IpRanges") or []:
        cidr = str(ranges.get("CidrIp", ""))
        try:
            ipaddress.IPv4Network(cidr, strict=False)
            if "/" not in cidr:
                raise ValueError(cidr)
        except ValueError:
            # "CIDR block ::/0 is malformed" (aws/aws-cli#2846, hashicorp/terraform#14382).
            raise _invalid(f"CIDR block {cidr} is malformed") from None


@rule("ec2", *RULE_CALLS, source=SOURCE_PERMISSION)
def security_group_rules_are_well_formed(call: ApiCall) -> None:
    """A rule's protocol, ports and CIDR block are ones AWS accepts, else AWS's error."""
    permissions = list(call.params.get("IpPermissions") or [])
    if call.params.get("IpProtocol") is not None or call.params.get("CidrIp"):
        permissions.append(
            {
                "IpProtocol": call.params.get("IpProtocol", "-1"),
                "FromPort": call.params.get("FromPort"),
                "ToPort": call.params.get("ToPort"),
                "IpRanges": [{"CidrIp": call.params["CidrIp"]}]
                if call.params.get("CidrIp")
                else [],
            }
        )
    for permission in permissions:
        _check_permission(permission)


def _short(service_name: str, region: str) -> str | None:
    prefix = f"com.amazonaws.{region}."
    return service_name[len(prefix) :] if service_name.startswith(prefix) else None


@rule("ec2", "CreateVpcEndpoint", source=SOURCE_ENDPOINT)
def endpoint_service_exists(call: ApiCall) -> None:
    """The service must exist in the region and offer the endpoint type asked for."""
    name = str(call.params.get("ServiceName", ""))
    kind = str(call.params.get("VpcEndpointType") or "Gateway")  # the model's default
    short = _short(name, call.region)
    offered = INTERFACE_SERVICES if kind == "Interface" else GATEWAY_SERVICES
    if short is None or short not in INTERFACE_SERVICES | GATEWAY_SERVICES:
        # Raw answers in terraform-aws-modules and many deploy logs.
        raise AwsError("InvalidServiceName", f"The Vpc Endpoint Service '{name}' does not exist")
    if short not in offered:
        raise AwsError(
            "InvalidServiceName",
            f"The Vpc Endpoint Service '{name}' does not support the endpoint type '{kind}'.",
        )


@rule("ec2", "CreateVpcEndpoint", source=SOURCE_ENDPOINT)
def private_dns_needs_vpc_dns(call: ApiCall) -> None:
    """An interface endpoint's private DNS (on by default) needs both VPC DNS attributes."""
    if str(call.params.get("VpcEndpointType") or "Gateway") != "Interface":
        return
    if call.params.get("PrivateDnsEnabled") is False:
        return
    vpc = state.vpc(call, str(call.params.get("VpcId", "")))
    if vpc is None:
        return  # moto answers InvalidVpcId.NotFound
    if not (vpc.enable_dns_support and vpc.enable_dns_hostnames):
        # Raw answer quoted in user reports of CreateVpcEndpoint.
        raise AwsError(
            "InvalidParameter",
            "Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC "
            f"attributes set to true for {vpc.id}",
        )


@rule("ec2", "CreateVpcEndpoint", source=SOURCE_ENDPOINT, kind="fills in")
def interface_endpoints_default_to_the_vpcs_group(call: ApiCall) -> None:
    """An interface endpoint without SecurityGroupIds gets the VPC's default security group."""
    if str(call.params.get("VpcEndpointType") or "Gateway") != "Interface":
        return
    if call.params.get("SecurityGroupIds"):
        return
    group = state.default_group(call, str(call.params.get("VpcId", "")))
    if group is not None:
        call.params["SecurityGroupIds"] = [group]


@rule("elbv2", "CreateLoadBalancer", source=SOURCE_BALANCER)
def internet_facing_needs_an_internet_gateway(call: ApiCall) -> None:
    """An internet-facing load balancer's VPC must have an internet gateway attached."""
    if str(call.params.get("Scheme") or "internet-facing") != "internet-facing":
        return
    subnet_ids = list(call.params.get("Subnets") or [])
    subnet_ids += [m.get("SubnetId") for m in call.params.get("SubnetMappings") or []]
    subnet = next((s for i in subnet_ids if (s := state.subnet(call, str(i))) is not None), None)
    if subnet is None:
        return
    if not state.gateway_attached(call, subnet.vpc_id):
        # openshift/installer#1110, raw ELB answer.
        raise AwsError("InvalidSubnet", f"VPC {subnet.vpc_id} has no internet gateway")


@rule("ecs", "RunTask", "CreateService", "UpdateService", source=SOURCE_AWSVPC)
def task_subnets_exist(call: ApiCall) -> None:
    """Every subnet of an awsvpc configuration exists, else ECS says which one does not."""
    awsvpc = (call.params.get("networkConfiguration") or {}).get("awsvpcConfiguration")
    if not isinstance(awsvpc, dict):
        return
    subnets = [str(s) for s in awsvpc.get("subnets") or []]
    for subnet in subnets:
        if state.subnet(call, subnet) is None:
            # CloudFormation and CLI pastes of ECS's answer, e.g. "Error retrieving subnet
            # information for [subnet-...]: The subnet ID '...' does not exist (ErrorCode: ...".
            raise AwsError(
                "InvalidParameterException",
                f"Error retrieving subnet information for [{', '.join(subnets)}]: The subnet "
                f"ID '{subnet}' does not exist (ErrorCode: InvalidSubnetID.NotFound)",
            )
