"""The least-privilege policies of the roles the course creates, to create them and to show them.

The task execution role is what ECS itself uses to start a task: pull the image from ECR, send
logs to CloudWatch, and read the secrets the task definition names in ``valueFrom``. It gets the
AWS managed ``AmazonECSTaskExecutionRolePolicy`` (ECR pull and CloudWatch Logs) and, inline, only
``secretsmanager:GetSecretValue`` on the lab's own secrets and ``ssm:GetParameters`` on the lab's
own parameters, never ``*``.

Sources:
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html (the role,
its trust policy and the managed policy);
https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonECSTaskExecutionRolePolicy.html
(the managed policy's statement); https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html
and ``secrets-envvar-ssm-paramstore.html`` (GetSecretValue / GetParameters on the referenced ARNs).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

EXECUTION_MANAGED_POLICY_ARN = (
    "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
)

#: The managed policy's document, as AWS publishes it, for showing; the role attaches it by ARN.
EXECUTION_MANAGED_POLICY: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": [
                "ecr:GetAuthorizationToken",
                "ecr:BatchCheckLayerAvailability",
                "ecr:GetDownloadUrlForLayer",
                "ecr:BatchGetImage",
                "logs:CreateLogStream",
                "logs:PutLogEvents",
            ],
            "Resource": "*",
        }
    ],
}

#: Who may assume the role: ECS tasks only.
ECS_TASKS_TRUST_POLICY: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "ecs-tasks.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


@dataclass(frozen=True)
class RolePolicies:
    """A role's trust policy, managed policies (by ARN) and inline policies (by name)."""

    role: str
    trust: dict[str, Any]
    managed: dict[str, dict[str, Any]]
    inline: dict[str, dict[str, Any]]

    def __str__(self) -> str:
        parts = [f"Role {self.role}", "Trust policy (who may assume it):", _dump(self.trust)]
        for arn, document in self.managed.items():
            parts += [f"Managed policy {arn}:", _dump(document)]
        for name, document in self.inline.items():
            parts += [f"Inline policy {name}:", _dump(document)]
        return "\n".join(parts)

    def __repr__(self) -> str:
        return str(self)


def _dump(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2)


def secrets_pattern(lab: str, region: str, account: str) -> str:
    """The ARN pattern of the lab's secrets: names ``<lab>/...`` (AWS appends ``-XXXXXX``)."""
    return f"arn:aws:secretsmanager:{region}:{account}:secret:{lab}/*"


def parameters_pattern(lab: str, region: str, account: str) -> str:
    """The ARN pattern of the lab's parameters: names ``/<lab>/...``."""
    return f"arn:aws:ssm:{region}:{account}:parameter/{lab}/*"


def execution_role_policies(
    lab: str,
    region: str,
    account: str,
    *,
    secret_arns: list[str] | None = None,
    parameter_arns: list[str] | None = None,
) -> RolePolicies:
    """The execution role of lab ``lab``: managed policy plus reading only the lab's secrets.

    Pass the exact ARNs to scope tighter still; by default the lab's name patterns are used.
    """
    statements: list[dict[str, Any]] = [
        {
            "Sid": "ReadTheLabsSecrets",
            "Effect": "Allow",
            "Action": "secretsmanager:GetSecretValue",
            "Resource": secret_arns or [secrets_pattern(lab, region, account)],
        },
        {
            "Sid": "ReadTheLabsParameters",
            "Effect": "Allow",
            "Action": "ssm:GetParameters",
            "Resource": parameter_arns or [parameters_pattern(lab, region, account)],
        },
    ]
    return RolePolicies(
        role=f"{lab}-execution",
        trust=ECS_TASKS_TRUST_POLICY,
        managed={EXECUTION_MANAGED_POLICY_ARN: EXECUTION_MANAGED_POLICY},
        inline={f"{lab}-read-secrets": {"Version": "2012-10-17", "Statement": statements}},
    )


def lab_execution_role_policies(lab: Any, **kwargs: Any) -> RolePolicies:
    """:func:`execution_role_policies` for an open ``Lab``."""
    return execution_role_policies(lab.name, lab.region, lab.account_id, **kwargs)
