"""IAM policy documents are JSON (validation.iam).

Source: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from ecslab.lab import Lab
from tests.validation_calls import aws_error

TRUST = json.dumps(
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


@pytest.fixture
def iam(lab: Lab) -> Any:
    return lab.client("iam")


@pytest.mark.parametrize("document", ["not json", "{'Version': '2012-10-17'}", "{"])
def test_policy_document_is_json_rejects_a_trust_policy(iam: Any, document: str) -> None:
    """A trust policy that is not JSON: MalformedPolicyDocument, where the role was created."""
    assert aws_error(
        lambda: iam.create_role(RoleName="task", AssumeRolePolicyDocument=document)
    ) == ("MalformedPolicyDocument", "This policy contains invalid Json")
    assert [r["RoleName"] for r in iam.list_roles()["Roles"]] == []


def test_policy_document_is_json_rejects_an_inline_policy(iam: Any) -> None:
    """An inline policy and a new trust policy are held to the same rule."""
    iam.create_role(RoleName="task", AssumeRolePolicyDocument=TRUST)
    code, _ = aws_error(
        lambda: iam.put_role_policy(RoleName="task", PolicyName="p", PolicyDocument="nope")
    )
    assert code == "MalformedPolicyDocument"
    code, _ = aws_error(lambda: iam.update_assume_role_policy(RoleName="task", PolicyDocument="{"))
    assert code == "MalformedPolicyDocument"


def test_policy_document_is_json_accepts(iam: Any) -> None:
    """A JSON trust policy creates the role."""
    role = iam.create_role(RoleName="task", AssumeRolePolicyDocument=TRUST)["Role"]
    assert role["RoleName"] == "task"
