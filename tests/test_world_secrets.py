"""Secrets at task start: missing ones and unreadable ones fail the task in AWS's words."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from world_scenarios import apps_of, register, web_stack

from ecslab.lab import Lab
from ecslab.world.apps import HttpAnswer

PREFIX = (
    "ResourceInitializationError: unable to pull secrets or registry auth: "
    "execution resource retrieval failed: "
)


@dataclass
class EchoSecret:
    """An app whose page shows whether DB_PASSWORD arrived (its length, never its value)."""

    startup_seconds: float = 1.0

    def answer(
        self, method: str, path: str, headers: Mapping[str, str], environment: Mapping[str, str]
    ) -> HttpAnswer:
        return HttpAnswer(200, f"password length {len(environment.get('DB_PASSWORD', ''))}")

    def exit_code(self, environment: Mapping[str, str]) -> int | None:
        return None


def _execution_role(lab: Lab, actions: list[str]) -> str:
    iam = lab.client("iam")
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    role = iam.create_role(RoleName="exec", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    if actions:
        policy = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}],
        }
        iam.put_role_policy(
            RoleName="exec", PolicyName="secrets", PolicyDocument=json.dumps(policy)
        )
    return role["Arn"]


def _secret_task(lab: Lab, value_from: str, actions: list[str]) -> str:
    return register(
        lab,
        execution_role=_execution_role(lab, actions),
        secrets=[{"name": "DB_PASSWORD", "valueFrom": value_from}],
    )


def _stopped(lab: Lab, stack) -> dict:
    lab.advance(30)
    return stack.tasks("STOPPED")[0]


def test_a_missing_secret_fails_the_task_with_resource_initialization_error(lab: Lab) -> None:
    """A valueFrom naming a deleted secret: TaskFailedToStart, ResourceNotFoundException."""
    secrets = lab.client("secretsmanager")
    arn = secrets.create_secret(Name="db", SecretString="hunter2")["ARN"]
    lab.faults.delete_secret(arn)
    stack = web_stack(
        lab,
        desired=1,
        task_definition=_secret_task(lab, arn, ["secretsmanager:GetSecretValue"]),
    )
    task = _stopped(lab, stack)
    assert task["stopCode"] == "TaskFailedToStart"
    assert task["stoppedReason"] == (
        PREFIX + "unable to retrieve secret from asm: service call has been retried 1 time(s): "
        f"failed to fetch secret {arn} from secrets manager: "
        "ResourceNotFoundException: Secrets Manager can't find the specified secret."
    )
    assert stack.describe()["runningCount"] == 0


def test_an_execution_role_without_get_secret_value_fails_the_task(lab: Lab) -> None:
    """The execution role, not the task role, must allow secretsmanager:GetSecretValue."""
    arn = lab.client("secretsmanager").create_secret(Name="db", SecretString="x")["ARN"]
    stack = web_stack(lab, desired=1, task_definition=_secret_task(lab, arn, []))
    reason = _stopped(lab, stack)["stoppedReason"]
    assert reason.startswith(PREFIX + "unable to retrieve secret from asm")
    assert "AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/exec/" in reason
    assert (
        f"is not authorized to perform: secretsmanager:GetSecretValue on resource: {arn}" in reason
    )


def test_a_missing_ssm_parameter_fails_the_task(lab: Lab) -> None:
    """SSM: "invalid ssm parameters: <name>"."""
    stack = web_stack(
        lab,
        desired=1,
        task_definition=_secret_task(lab, "/prod/db-password", ["ssm:GetParameters"]),
    )
    assert _stopped(lab, stack)["stoppedReason"] == (
        PREFIX + "unable to retrieve secrets from ssm: service call has been retried 1 time(s): "
        "invalid ssm parameters: /prod/db-password"
    )


def test_an_execution_role_without_ssm_get_parameters_fails_the_task(lab: Lab) -> None:
    """The role must allow ssm:GetParameters on the parameter."""
    lab.client("ssm").put_parameter(Name="/prod/db", Value="x", Type="SecureString")
    stack = web_stack(lab, desired=1, task_definition=_secret_task(lab, "/prod/db", []))
    reason = _stopped(lab, stack)["stoppedReason"]
    assert "is not authorized to perform: ssm:GetParameters on resource: " in reason
    assert "arn:aws:ssm:us-east-1:123456789012:parameter/prod/db" in reason


def test_resolved_secrets_become_the_container_environment(lab: Lab) -> None:
    """A readable secret (whole or one JSON key) reaches the app as an environment variable."""
    secrets = lab.client("secretsmanager")
    arn = secrets.create_secret(Name="db", SecretString=json.dumps({"password": "hunter2"}))["ARN"]
    apps_of(lab).register("nginx:1.27", EchoSecret())
    stack = web_stack(
        lab,
        desired=1,
        task_definition=_secret_task(lab, f"{arn}:password::", ["secretsmanager:GetSecretValue"]),
    )
    lab.wait_stable("demo", "web")
    assert lab.request("/").body == "password length 7"
    described = stack.tasks()[0]
    assert "hunter2" not in repr(described)


def test_a_secure_string_parameter_arrives_decrypted(lab: Lab) -> None:
    """ECS fetches SSM parameters WithDecryption=true: the app sees the plain value."""
    lab.client("ssm").put_parameter(Name="/prod/db", Value="hunter2", Type="SecureString")
    apps_of(lab).register("nginx:1.27", EchoSecret())
    web_stack(lab, desired=1, task_definition=_secret_task(lab, "/prod/db", ["ssm:GetParameters"]))
    lab.wait_stable("demo", "web")
    assert lab.request("/").body == "password length 7"


def test_a_mistyped_secret_arn_stops_the_task_with_a_reason_not_a_crash() -> None:
    """``arn:aws:secretmanager:...`` (one letter short) is neither service's ARN: the task stops
    with the SSM failure ECS reports, and ``lab.advance`` returns."""
    from ecslab.course.catch_up import catch_up
    from ecslab.lab import Lab

    with Lab() as lab:
        done = catch_up(lab, "04_services")
        ecs = lab.client("ecs")
        family = ecs.describe_task_definition(taskDefinition="api")["taskDefinition"]
        typo = "arn:aws:secretmanager:us-east-1:123456789012:secret:db"
        family["containerDefinitions"][0]["secrets"] = [{"name": "DB", "valueFrom": typo}]
        keep = ("family", "containerDefinitions", "cpu", "memory", "networkMode")
        keep += ("requiresCompatibilities", "executionRoleArn")
        arn = ecs.register_task_definition(**{k: family[k] for k in keep if k in family})[
            "taskDefinition"
        ]["taskDefinitionArn"]
        task = ecs.run_task(
            cluster="course",
            taskDefinition=arn,
            launchType="FARGATE",
            networkConfiguration=done.network(),
        )["tasks"][0]["taskArn"]
        lab.advance(120)
        stopped = ecs.describe_tasks(cluster="course", tasks=[task])["tasks"][0]
        assert stopped["lastStatus"] == "STOPPED"
        assert f"invalid ssm parameters: {typo}" in stopped["stoppedReason"]
