"""AWS managed policies can be attached, as on AWS, without loading all of them up front."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from ecslab.lab import Lab

EXECUTION_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"


def test_the_execution_role_policy_attaches_and_reads_as_on_aws(lab: Lab) -> None:
    """task_execution_IAM_role.html: the managed policy grants ECR pulls and CloudWatch logs."""
    iam = lab.client("iam")
    iam.create_role(RoleName="exec", AssumeRolePolicyDocument="{}")
    iam.attach_role_policy(RoleName="exec", PolicyArn=EXECUTION_POLICY)
    attached = iam.list_attached_role_policies(RoleName="exec")["AttachedPolicies"]
    assert attached == [
        {"PolicyName": "AmazonECSTaskExecutionRolePolicy", "PolicyArn": EXECUTION_POLICY}
    ]
    version = iam.get_policy_version(PolicyArn=EXECUTION_POLICY, VersionId="v1")["PolicyVersion"]
    actions = version["Document"]["Statement"][0]["Action"]
    assert "ecr:GetAuthorizationToken" in actions and "logs:PutLogEvents" in actions


def test_an_unknown_managed_policy_is_still_refused(lab: Lab) -> None:
    iam = lab.client("iam")
    iam.create_role(RoleName="exec", AssumeRolePolicyDocument="{}")
    with pytest.raises(ClientError, match="NoSuchEntity"):
        iam.attach_role_policy(RoleName="exec", PolicyArn="arn:aws:iam::aws:policy/NoSuchPolicy")
