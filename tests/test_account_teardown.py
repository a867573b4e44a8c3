"""Teardown deletes everything carrying the lab's tag, in order, and nothing else."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from account_capstone import TRUST_ECS_TASKS, build_capstone
from botocore.exceptions import ClientError

from ecslab.account.tagged_resources import KINDS, inventory
from ecslab.account.teardown import FIRST_DELAY, MAX_DELAY, run_teardown, teardown
from ecslab.cli import main
from ecslab.lab import Lab


@pytest.fixture
def lab() -> Iterator[Lab]:
    with Lab(name="capstone") as opened:
        yield opened


@pytest.fixture
def sleeps(lab: Lab) -> list[float]:
    """The pauses teardown asked for (virtual: the lab's clock moves, no real sleep)."""
    return []


def _teardown(lab: Lab, sleeps: list[float], **kwargs: Any) -> Any:
    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        lab.advance(seconds)

    return teardown(lab, sleep=sleep, **kwargs)


def _outsider() -> boto3.Session:
    """A session the lab never registered its tagger on: what it creates is not the lab's."""
    return boto3.Session(region_name="us-east-1")


def _fail(lab: Lab, event: str, error: Callable[[], BaseException], times: int) -> list[int]:
    """Make the next ``times`` calls matching ``event`` raise ``error()``; returns a call count."""
    calls = [0]

    def handler(**_: Any) -> None:
        calls[0] += 1
        if calls[0] <= times:
            raise error()

    lab.session.events.register(event, handler)
    return calls


def _client_error(code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": f"simulated {code}"}}, "Delete")


def test_after_the_capstone_teardown_leaves_nothing_tagged(lab: Lab, sleeps: list[float]) -> None:
    """Every kind the capstone created is deleted and the final check finds nothing."""
    ids = build_capstone(lab.client, prefix="capstone")
    assert len(inventory(lab.client, "capstone")) == 13
    report = _teardown(lab, sleeps)
    assert report.clean, str(report)
    assert len(report.deleted) == 13
    assert inventory(lab.client, "capstone") == []
    elbv2 = lab.client("elbv2")
    assert elbv2.describe_load_balancers()["LoadBalancers"] == []
    assert lab.client("secretsmanager").list_secrets()["SecretList"] == []
    service = lab.client("ecs").describe_services(cluster=ids["cluster"], services=[ids["service"]])
    assert [s["status"] for s in service["services"]] in ([], ["INACTIVE"])


def test_the_order_puts_dependents_first(lab: Lab, sleeps: list[float]) -> None:
    """Services before clusters, listeners before balancers, groups last."""
    build_capstone(lab.client, prefix="capstone")
    kinds = [r.kind for r in _teardown(lab, sleeps).deleted]
    assert kinds.index("ecs-service") < kinds.index("ecs-cluster")
    assert kinds.index("listener-rule") < kinds.index("listener") < kinds.index("load-balancer")
    assert kinds.index("load-balancer") < kinds.index("target-group")
    assert kinds[-1] == "security-group"


def test_a_resource_created_outside_the_lab_survives(lab: Lab, sleeps: list[float]) -> None:
    """Untagged resources and another lab's resources are never touched."""
    build_capstone(lab.client, prefix="capstone")
    outside = _outsider()
    outside.client("ecr").create_repository(repositoryName="precious")
    outside.client("secretsmanager").create_secret(Name="precious", SecretString="keep-me-123")
    outside.client("iam").create_role(RoleName="precious", AssumeRolePolicyDocument=TRUST_ECS_TASKS)
    outside.client("ecs").create_cluster(
        clusterName="other-lab", tags=[{"key": "ecslab:lab", "value": "other"}]
    )
    assert _teardown(lab, sleeps).clean
    repositories = lab.client("ecr").describe_repositories()["repositories"]
    assert [r["repositoryName"] for r in repositories] == ["precious"]
    assert [s["Name"] for s in lab.client("secretsmanager").list_secrets()["SecretList"]] == [
        "precious"
    ]
    assert lab.client("iam").get_role(RoleName="precious")["Role"]["RoleName"] == "precious"
    clusters = lab.client("ecs").describe_clusters(clusters=["other-lab"])["clusters"]
    assert [c["status"] for c in clusters] == ["ACTIVE"]


def test_a_dry_run_lists_and_deletes_nothing(lab: Lab, sleeps: list[float]) -> None:
    """dry_run=True reports the plan; everything is still there afterwards."""
    build_capstone(lab.client, prefix="capstone")
    report = _teardown(lab, sleeps, dry_run=True)
    assert len(report.planned) == 13
    assert "13 resource(s) would be deleted" in str(report)
    assert len(inventory(lab.client, "capstone")) == 13


def test_teardown_twice_is_harmless(lab: Lab, sleeps: list[float]) -> None:
    """The second run finds nothing to do and says so."""
    build_capstone(lab.client, prefix="capstone")
    _teardown(lab, sleeps)
    again = _teardown(lab, sleeps)
    assert again.clean
    assert again.deleted == []
    assert "Nothing carrying ecslab:lab=capstone remains." in str(again)


def test_an_interrupted_teardown_resumes_cleanly(lab: Lab, sleeps: list[float]) -> None:
    """An error midway (after the listeners, at the load balancer) stops it; the rerun finishes."""
    build_capstone(lab.client, prefix="capstone")
    _fail(lab, "before-call.elastic-load-balancing-v2.DeleteLoadBalancer",
          lambda: ConnectionError("network lost"), times=1)
    with pytest.raises(ConnectionError) as stopped:
        _teardown(lab, sleeps)
    assert any("deleted listener capstone-alb HTTP:80" in note for note in stopped.value.__notes__)
    left = {r.kind for r in inventory(lab.client, "capstone")}
    assert "ecs-service" not in left and "load-balancer" in left
    report = _teardown(lab, sleeps)
    assert report.clean, str(report)
    assert inventory(lab.client, "capstone") == []


def test_an_interrupt_prints_what_is_done_and_what_is_not(
    lab: Lab, sleeps: list[float], capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C midway leaves a report: deleted so far, and what still carries the tag."""
    build_capstone(lab.client, prefix="capstone")
    _fail(lab, "before-call.secrets-manager.DeleteSecret", KeyboardInterrupt, times=1)
    with pytest.raises(KeyboardInterrupt):
        _teardown(lab, sleeps)
    printed = capsys.readouterr().out
    assert "Teardown of ecslab:lab=capstone (interrupted):" in printed
    assert "deleted ecr-repository capstone-api" in printed
    assert "NOT deleted secret capstone/db-password" in printed
    assert "Run the teardown again to finish" in printed
    assert _teardown(lab, sleeps).clean


def test_a_resource_slow_to_go_is_retried_with_backoff(lab: Lab, sleeps: list[float]) -> None:
    """A security group still in use (DependencyViolation) is retried after 2 s, then 4 s."""
    build_capstone(lab.client, prefix="capstone")
    calls = _fail(lab, "before-call.ec2.DeleteSecurityGroup",
                  lambda: _client_error("DependencyViolation"), times=2)
    report = _teardown(lab, sleeps)
    assert report.clean
    assert calls[0] == 3
    assert sleeps == [FIRST_DELAY, FIRST_DELAY * 2]


def test_what_cannot_go_is_reported_with_the_reason(lab: Lab, sleeps: list[float]) -> None:
    """When patience runs out, the report names the resource and AWS's answer."""
    build_capstone(lab.client, prefix="capstone")
    _fail(lab, "before-call.ec2.DeleteSecurityGroup",
          lambda: _client_error("DependencyViolation"), times=1000)
    report = _teardown(lab, sleeps, patience=60)
    assert not report.clean
    assert [r.kind for r in report.remaining] == ["security-group"]
    assert "NOT deleted security-group capstone-alb: DependencyViolation" in str(report)
    assert sum(sleeps) <= 60 + MAX_DELAY
    assert max(sleeps) <= MAX_DELAY


def test_an_access_denied_is_not_retried(lab: Lab, sleeps: list[float]) -> None:
    """Only "not yet" answers are worth waiting for; a refusal is reported at once."""
    build_capstone(lab.client, prefix="capstone")
    _fail(lab, "before-call.cloudwatch-logs.DeleteLogGroup",
          lambda: _client_error("AccessDeniedException"), times=1000)
    report = _teardown(lab, sleeps)
    assert sleeps == []
    assert [r.kind for r in report.remaining] == ["log-group"]


def test_roles_lose_their_policies_and_repositories_their_images(
    lab: Lab, sleeps: list[float]
) -> None:
    """A role with managed and inline policies, a lab policy, a repository with an image."""
    iam = lab.client("iam")
    iam.create_role(RoleName="capstone-task", AssumeRolePolicyDocument=TRUST_ECS_TASKS)
    document = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}
    ]})
    policy = iam.create_policy(PolicyName="capstone-read", PolicyDocument=document)["Policy"]
    iam.attach_role_policy(RoleName="capstone-task", PolicyArn=policy["Arn"])
    iam.put_role_policy(RoleName="capstone-task", PolicyName="inline", PolicyDocument=document)
    ecr = lab.client("ecr")
    ecr.create_repository(repositoryName="capstone-web")
    manifest = json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 2,
                   "digest": "sha256:" + "0" * 64},
        "layers": [],
    })
    ecr.put_image(repositoryName="capstone-web", imageManifest=manifest, imageTag="v1")
    report = _teardown(lab, sleeps)
    assert report.clean, str(report)
    assert {r.kind for r in report.deleted} == {"iam-role", "iam-policy", "ecr-repository"}
    assert iam.list_policies(Scope="Local")["Policies"] == []


def test_run_teardown_works_from_any_client_source(lab: Lab) -> None:
    """The CLI and lab.teardown share run_teardown over a plain client factory."""
    lab.client("logs").create_log_group(logGroupName="/capstone/x")
    report = run_teardown(lab.client, "capstone", sleep=lab.advance)
    assert [str(r) for r in report.deleted] == ["log-group /capstone/x"]


def test_the_cli_dry_run_on_an_empty_simulated_account(capsys: pytest.CaptureFixture[str]) -> None:
    """`ecslab teardown --backend moto --dry-run` lists nothing and exits 0."""
    assert main(["teardown", "--backend", "moto", "--lab", "capstone", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Teardown dry run for ecslab:lab=capstone: 0 resource(s) would be deleted." in out


def test_a_real_account_teardown_shows_its_steps_and_waits(lab: Lab) -> None:
    """With progress on, the bar counts the steps and each retry wait is written above it."""
    build_capstone(lab.client, prefix="capstone")
    _fail(lab, "before-call.ec2.DeleteSecurityGroup",
          lambda: _client_error("DependencyViolation"), times=1)
    out = io.StringIO()
    report = run_teardown(lab.client, "capstone", sleep=lab.advance, progress=True, file=out)
    assert report.clean
    shown = out.getvalue()
    assert "Tearing down ecslab:lab=capstone" in shown
    assert f"{len(KINDS)}/{len(KINDS)} steps" in shown
    assert "waiting 2 s for security-group capstone-alb: DependencyViolation" in shown


def test_a_simulated_teardown_shows_no_bar(lab: Lab, capsys: pytest.CaptureFixture[str]) -> None:
    """Notebook outputs stay deterministic: no bar unless asked for."""
    lab.client("logs").create_log_group(logGroupName="/capstone/y")
    lab.teardown()
    assert capsys.readouterr().err == ""


def test_a_resource_already_gone_counts_as_done(lab: Lab, sleeps: list[float]) -> None:
    """Deleted by someone else between the listing and the delete: reported, not an error."""
    lab.client("logs").create_log_group(logGroupName="/capstone/gone")
    _fail(lab, "before-call.cloudwatch-logs.DeleteLogGroup",
          lambda: _client_error("ResourceNotFoundException"), times=1)
    report = _teardown(lab, sleeps)
    assert [str(r) for r in report.already_gone] == ["log-group /capstone/gone"]
    assert "already gone log-group /capstone/gone" in str(report)


def test_standalone_tasks_are_stopped_before_their_cluster_goes(
    lab: Lab, sleeps: list[float]
) -> None:
    """RunTask tasks carry the lab's tags too; teardown stops them, then deletes the cluster."""
    ecs = lab.client("ecs")
    ecs.create_cluster(clusterName="capstone-tasks")
    ecs.register_task_definition(
        family="capstone-hello", requiresCompatibilities=["FARGATE"], networkMode="awsvpc",
        cpu="256", memory="512",
        containerDefinitions=[{"name": "hello", "image": "public.ecr.aws/nginx/nginx:1.27"}],
    )
    subnets = [s["SubnetId"] for s in lab.client("ec2").describe_subnets()["Subnets"]][:1]
    ecs.run_task(
        cluster="capstone-tasks", taskDefinition="capstone-hello", launchType="FARGATE",
        networkConfiguration={
            "awsvpcConfiguration": {"subnets": subnets, "assignPublicIp": "ENABLED"}
        },
    )
    assert [r.kind for r in inventory(lab.client, "capstone")].count("ecs-task") == 1
    report = _teardown(lab, sleeps)
    assert report.clean, str(report)
    kinds = [r.kind for r in report.deleted]
    assert kinds.index("ecs-task") < kinds.index("ecs-cluster")
