"""The execution role gets the managed policy plus reading only the lab's own secrets."""

from __future__ import annotations

import json
from fnmatch import fnmatchcase

from ecslab.account.policies import (
    ECS_TASKS_TRUST_POLICY,
    EXECUTION_MANAGED_POLICY_ARN,
    execution_role_policies,
    lab_execution_role_policies,
)
from ecslab.lab import Lab


def _statements(lab: str = "ecslab") -> list[dict]:
    policies = execution_role_policies(lab, "us-east-1", "123456789012")
    return policies.inline[f"{lab}-read-secrets"]["Statement"]


def test_the_inline_policy_allows_only_reading_secrets_and_parameters() -> None:
    """Two actions, nothing else: GetSecretValue and GetParameters."""
    assert sorted(s["Action"] for s in _statements()) == [
        "secretsmanager:GetSecretValue",
        "ssm:GetParameters",
    ]


def test_no_statement_allows_every_resource() -> None:
    """Least privilege: never Resource "*" in what the course writes itself."""
    for statement in _statements():
        assert "*" not in statement["Resource"]
        assert all(":ecslab/" in r or "/ecslab/" in r for r in statement["Resource"])


def test_the_managed_policy_is_attached_by_arn() -> None:
    """ECR pull and CloudWatch Logs come from AWS's managed policy."""
    policies = execution_role_policies("ecslab", "us-east-1", "123456789012")
    assert list(policies.managed) == [EXECUTION_MANAGED_POLICY_ARN]
    assert policies.trust == ECS_TASKS_TRUST_POLICY


def test_the_pattern_covers_the_labs_secrets_and_no_one_elses(lab: Lab) -> None:
    """ecslab/db-password matches (with AWS's random suffix); another name does not."""
    secrets = lab.client("secretsmanager")
    ours = secrets.create_secret(Name="ecslab/db-password", SecretString="x" * 12)["ARN"]
    theirs = secrets.create_secret(Name="payroll/db-password", SecretString="y" * 12)["ARN"]
    pattern = lab_execution_role_policies(lab).inline["ecslab-read-secrets"]["Statement"][0][
        "Resource"
    ][0]
    assert fnmatchcase(ours, pattern)
    assert not fnmatchcase(theirs, pattern)


def test_exact_arns_scope_it_tighter_still() -> None:
    """Given the secrets' ARNs, the policy names exactly those."""
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecslab/db-password-AbCdEf"
    policies = execution_role_policies("ecslab", "us-east-1", "123456789012", secret_arns=[arn])
    assert policies.inline["ecslab-read-secrets"]["Statement"][0]["Resource"] == [arn]


def test_the_role_can_be_created_with_these_documents(lab: Lab) -> None:
    """IAM accepts the trust policy and the inline policy as written."""
    policies = lab_execution_role_policies(lab)
    iam = lab.client("iam")
    iam.create_role(RoleName=policies.role, AssumeRolePolicyDocument=json.dumps(policies.trust))
    for name, document in policies.inline.items():
        iam.put_role_policy(
            RoleName=policies.role, PolicyName=name, PolicyDocument=json.dumps(document)
        )
    assert iam.list_role_policies(RoleName=policies.role)["PolicyNames"] == ["ecslab-read-secrets"]


def test_the_learner_sees_the_documents() -> None:
    """Printed, the role shows its trust, managed and inline policies as JSON."""
    text = str(execution_role_policies("ecslab", "us-east-1", "123456789012"))
    assert "Role ecslab-execution" in text
    assert f"Managed policy {EXECUTION_MANAGED_POLICY_ARN}:" in text
    assert '"Action": "secretsmanager:GetSecretValue"' in text
