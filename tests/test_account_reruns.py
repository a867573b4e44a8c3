"""A cell run twice: AWS's error stays as AWS gives it, with one sentence under it; a second
Lab() says in one line that it starts an empty account."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

import ecslab
from ecslab.account.reruns import explain, explanation
from ecslab.course.catch_up import catch_up
from ecslab.lab import REPLACED, Lab


def _second(call, **kwargs) -> ClientError:  # type: ignore[no-untyped-def]
    call(**kwargs)
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return raised.value


def test_create_service_twice_says_the_service_exists(lab: Lab) -> None:
    course = catch_up(lab, "04_services")
    ecs = lab.client("ecs")
    error = _second(
        ecs.create_service,
        cluster="course",
        serviceName="hello",
        taskDefinition="api",
        desiredCount=1,
        launchType="FARGATE",
        networkConfiguration=course.network(),
    )
    message = error.response["Error"]["Message"]
    assert message == "Creation of service was not idempotent."
    explain(error)
    explain(error)  # once, however often it is shown
    assert error.__notes__ == [explanation(error)]
    assert "The service already exists" in error.__notes__[0]
    assert "ecs.update_service" in error.__notes__[0]
    assert error.response["Error"]["Message"] == message  # AWS's words untouched


def test_other_creates_run_twice_are_explained(lab: Lab) -> None:
    calls = [
        (lab.client("ecr").create_repository, {"repositoryName": "api"}),
        (lab.client("logs").create_log_group, {"logGroupName": "/ecs/api"}),
        (lab.client("iam").create_role, {"RoleName": "r", "AssumeRolePolicyDocument": "{}"}),
        (lab.client("secretsmanager").create_secret, {"Name": "s", "SecretString": "v"}),
        (lab.client("ssm").put_parameter, {"Name": "/p", "Value": "v", "Type": "SecureString"}),
    ]
    for call, kwargs in calls:
        sentence = explanation(_second(call, **kwargs))
        assert "already exists (an earlier run of this cell created it)" in sentence, call


def test_an_unrelated_error_gets_no_sentence(lab: Lab) -> None:
    with pytest.raises(ClientError) as raised:
        lab.client("ecs").create_service(cluster="nowhere", serviceName="x", taskDefinition="y")
    assert explanation(raised.value) == ""
    assert explanation(ValueError("x")) == ""


def test_a_second_lab_says_it_starts_empty(capsys: pytest.CaptureFixture[str]) -> None:
    first = ecslab.Lab()
    try:
        assert REPLACED not in capsys.readouterr().out
        second = ecslab.Lab()
        assert capsys.readouterr().out.strip() == REPLACED
        second.close()
        ecslab.Lab().close()  # nothing open any more: nothing to say
        assert capsys.readouterr().out == ""
    finally:
        first.close()
