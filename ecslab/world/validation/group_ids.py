"""Security group ids: every call that names a group names one that exists, else AWS's error.

What AWS does: a group id that does not exist is refused by the call that names it, each
service in its own words (raw answers users pasted, cited per rule):

* EC2: ``InvalidGroup.NotFound``, "The security group 'sg-...' does not exist";
* ECS (RunTask, CreateService, UpdateService): ``InvalidParameterException``, "Error retrieving
  security group information for [sg-...]: The security group 'sg-...' does not exist
  (ErrorCode: InvalidGroup.NotFound)";
* ELBv2 (CreateLoadBalancer, SetSecurityGroups): ``InvalidSecurityGroup``, EC2's answer as
  ELB's own Java client words it.

Sources: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
(``InvalidGroup.NotFound``),
https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html,
https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html
(``InvalidSecurityGroup``: "The specified security group does not exist.")

Differs from AWS: where several ids are unknown, the first is named (AWS's choice is not
documented). CreateVpcEndpoint and the network-interface calls get EC2's general wording; no
paste of their own answer was found (plausible).
"""

from __future__ import annotations

import uuid
from typing import Any

from ecslab.world.moto_hooks import ApiCall, AwsError
from ecslab.world.validation import state
from ecslab.world.validation.rules import rule

SOURCE_EC2 = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html"
SOURCE_AWSVPC = (
    "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html"
)
SOURCE_BALANCER = (
    "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/"
    "API_CreateLoadBalancer.html"
)
#: EC2 calls that take a list of group ids, and the parameter that holds it.
EC2_GROUP_LISTS = {
    "DescribeSecurityGroups": "GroupIds",
    "CreateVpcEndpoint": "SecurityGroupIds",
    "ModifyVpcEndpoint": "AddSecurityGroupIds",
    "CreateNetworkInterface": "Groups",
    "ModifyNetworkInterfaceAttribute": "Groups",
}


def _unknown(call: ApiCall, groups: Any) -> str | None:
    """The first id of ``groups`` that names no security group, or ``None``."""
    for group in groups or []:
        if not state.group_exists(call, str(group)):
            return str(group)
    return None


def _not_found(group: str) -> str:
    return f"The security group '{group}' does not exist"


@rule("ec2", *EC2_GROUP_LISTS, source=SOURCE_EC2)
def ec2_group_ids_exist(call: ApiCall) -> None:
    """Every group id an EC2 call names exists, else InvalidGroup.NotFound naming it."""
    # DescribeSecurityGroups: many pasted CLI answers, e.g. "An error occurred
    # (InvalidGroup.NotFound) when calling the DescribeSecurityGroups operation: The security
    # group 'sg-02b31fdeef63dde30' does not exist" (moto words the ids as a Python set).
    missing = _unknown(call, call.params.get(EC2_GROUP_LISTS[call.action]))
    if missing is not None:
        raise AwsError("InvalidGroup.NotFound", _not_found(missing))


@rule("ecs", "RunTask", "CreateService", "UpdateService", source=SOURCE_AWSVPC)
def task_security_groups_exist(call: ApiCall) -> None:
    """Every security group of an awsvpc configuration exists, else ECS says which does not."""
    awsvpc = (call.params.get("networkConfiguration") or {}).get("awsvpcConfiguration")
    if not isinstance(awsvpc, dict):
        return
    groups = [str(g) for g in awsvpc.get("securityGroups") or []]
    missing = _unknown(call, groups)
    if missing is not None:
        # "InvalidParameterException: Error retrieving security group information for
        # [sg-01607c94e2d82ca08]: The security group 'sg-01607c94e2d82ca08' does not exist", a
        # pasted RunTask answer; the "(ErrorCode: ...)" tail as ECS gives it for subnets.
        raise AwsError(
            "InvalidParameterException",
            f"Error retrieving security group information for [{', '.join(groups)}]: "
            f"{_not_found(missing)} (ErrorCode: InvalidGroup.NotFound)",
        )


@rule("elbv2", "CreateLoadBalancer", "SetSecurityGroups", source=SOURCE_BALANCER)
def load_balancer_security_groups_exist(call: ApiCall) -> None:
    """A load balancer's security groups exist, else InvalidSecurityGroup with EC2's answer."""
    missing = _unknown(call, call.params.get("SecurityGroups"))
    if missing is not None:
        # kubernetes-sigs/aws-load-balancer-controller#2371, a raw ELBv2 answer: "The security
        # group 'sg-005646f2913a5dbe4' does not exist (Service: AmazonEC2; Status Code: 400;
        # Error Code: InvalidGroup.NotFound; Request ID: ...; Proxy: null)". The request id is
        # derived from the group, so the answer repeats.
        request = uuid.uuid5(uuid.NAMESPACE_URL, f"ecslab:{call.account}:{missing}")
        raise AwsError(
            "InvalidSecurityGroup",
            f"{_not_found(missing)} (Service: AmazonEC2; Status Code: 400; Error Code: "
            f"InvalidGroup.NotFound; Request ID: {request}; Proxy: null)",
        )
