"""Failures that come from a task's own configuration, each seen where AWS shows it, and fixed.

Every scenario is plain boto3: a realistic mistake in a task definition or a service, then
``describe_tasks``, the service's events, the target health and the awslogs stream, then the fix.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from typing import Any

from world_scenarios import apps_of, register, web_stack

from ecslab.lab import Lab
from ecslab.world.apps import GenericWebServer
from ecslab.world.image_platform import exec_format_error
from ecslab.world.throttle import FIRST_DELAY

AWSLOGS = {
    "logDriver": "awslogs",
    "options": {
        "awslogs-group": "/ecs/web",
        "awslogs-region": "us-east-1",
        "awslogs-stream-prefix": "ecs",
    },
}
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Principal": {"Service": "ecs-tasks.amazonaws.com"},
        }
    ],
}
EXECUTION_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
INDEX = "application/vnd.docker.distribution.manifest.list.v2+json"


def _sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def push_image(lab: Lab, repository: str, tag: str, architecture: str) -> tuple[str, str]:
    """``docker push`` of a one-platform image, as the ECR API sees it; (uri, manifest digest)."""
    ecr = lab.client("ecr")
    uri = ecr.describe_repositories(repositoryNames=[repository])["repositories"][0][
        "repositoryUri"
    ]
    config = json.dumps({"architecture": architecture, "os": "linux", "config": {}}).encode()
    upload = ecr.initiate_layer_upload(repositoryName=repository)["uploadId"]
    ecr.upload_layer_part(
        repositoryName=repository,
        uploadId=upload,
        partFirstByte=0,
        partLastByte=len(config) - 1,
        layerPartBlob=config,
    )
    ecr.complete_layer_upload(
        repositoryName=repository, uploadId=upload, layerDigests=[_sha(config)]
    )
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": MANIFEST,
            "config": {
                "mediaType": "application/vnd.docker.container.image.v1+json",
                "size": len(config),
                "digest": _sha(config),
            },
            "layers": [],
        }
    )
    answer = ecr.put_image(repositoryName=repository, imageManifest=manifest, imageTag=tag)
    return f"{uri}:{tag}", answer["image"]["imageId"]["imageDigest"]


def push_index(lab: Lab, repository: str, tag: str, architectures: list[str]) -> str:
    """``docker buildx build --push`` of an index (manifest list) of ``architectures``."""
    entries = []
    for architecture in architectures:
        _, digest = push_image(lab, repository, f"{tag}-{architecture}", architecture)
        entries.append(
            {
                "mediaType": MANIFEST,
                "size": 500,
                "digest": digest,
                "platform": {"architecture": architecture, "os": "linux"},
            }
        )
    index = json.dumps({"schemaVersion": 2, "mediaType": INDEX, "manifests": entries})
    ecr = lab.client("ecr")
    ecr.put_image(
        repositoryName=repository, imageManifest=index, imageTag=tag, imageManifestMediaType=INDEX
    )
    uri = ecr.describe_repositories(repositoryNames=[repository])["repositories"][0]
    return f"{uri['repositoryUri']}:{tag}"


def execution_role(lab: Lab, name: str = "web-execution", managed: bool = True) -> str:
    iam = lab.client("iam")
    arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
    if managed:
        iam.attach_role_policy(RoleName=name, PolicyArn=EXECUTION_POLICY)
    return arn


def log_messages(lab: Lab, task: dict[str, Any], group: str = "/ecs/web") -> list[str]:
    task_id = task["taskArn"].split("/")[-1]
    events = lab.client("logs").get_log_events(
        logGroupName=group, logStreamName=f"ecs/web/{task_id}"
    )
    return [e["message"] for e in events["events"]]


def update(lab: Lab, definition: str, **options: Any) -> None:
    lab.client("ecs").update_service(
        cluster="demo", service="web", taskDefinition=definition, **options
    )


# -- CPU architecture -----------------------------------------------------------------------------


def test_an_arm64_image_on_an_x86_64_task_dies_with_exec_format_error(lab: Lab) -> None:
    """Single-platform arm64 image, no runtimePlatform (X86_64): it pulls, starts, and exits 1
    with "exec format error" in its log (users' reports; the exit code is [UNVERIFIED])."""
    lab.client("ecr").create_repository(repositoryName="web")
    lab.client("logs").create_log_group(logGroupName="/ecs/web")
    image, _ = push_image(lab, "web", "laptop", "arm64")
    stack = web_stack(
        lab, desired=1, task_definition=register(lab, image=image, logConfiguration=AWSLOGS)
    )
    lab.advance(45)
    stopped = stack.tasks("STOPPED")[0]
    assert stopped["startedAt"] is not None  # it did reach RUNNING
    assert (stopped["stopCode"], stopped["stoppedReason"]) == (
        "EssentialContainerExited",
        "Essential container in task exited",
    )
    assert stopped["containers"][0]["exitCode"] == 1
    assert log_messages(lab, stopped) == [exec_format_error("/usr/local/bin/docker-entrypoint.sh")]
    assert not any("unable to consistently" in m for m in stack.messages())


def test_the_same_image_runs_on_an_arm64_task(lab: Lab) -> None:
    """runtimePlatform cpuArchitecture ARM64 matches the arm64 image: it runs."""
    lab.client("ecr").create_repository(repositoryName="web")
    image, _ = push_image(lab, "web", "laptop", "arm64")
    ecs = lab.client("ecs")
    arm = ecs.register_task_definition(
        family="web",
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        cpu="256",
        memory="512",
        runtimePlatform={"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},
        containerDefinitions=[
            {"name": "web", "image": image, "portMappings": [{"containerPort": 80}]}
        ],
    )["taskDefinition"]["taskDefinitionArn"]
    stack = web_stack(lab, desired=1, task_definition=arm)
    lab.wait_stable("demo", "web")
    assert stack.states() == ["healthy"]


def test_an_index_without_the_tasks_platform_fails_the_pull(lab: Lab) -> None:
    """An arm64-only manifest list on an X86_64 task: CannotPullContainerError ... 'linux/amd64',
    TaskFailedToStart (the stopCode is [UNVERIFIED]); an index with amd64 too runs."""
    lab.client("ecr").create_repository(repositoryName="web")
    only_arm = push_index(lab, "web", "buildx", ["arm64"])
    stack = web_stack(lab, desired=1, task_definition=register(lab, image=only_arm))
    lab.advance(30)
    (stopped,) = stack.tasks("STOPPED")
    assert stopped["stopCode"] == "TaskFailedToStart"
    assert stopped["stoppedReason"] == (
        "CannotPullContainerError: pull image manifest has been retried 7 time(s): "
        "image Manifest does not contain descriptor matching platform 'linux/amd64'"
    )
    assert stopped["containers"][0]["reason"] == stopped["stoppedReason"]
    assert stopped["startedAt"] is None if "startedAt" in stopped else True
    both = push_index(lab, "web", "multi", ["amd64", "arm64"])
    update(lab, register(lab, image=both))
    lab.wait_stable("demo", "web")


def test_a_put_image_without_a_readable_config_counts_as_amd64(lab: Lab) -> None:
    """A hand-written manifest whose config blob was never uploaded runs on X86_64."""
    ecr = lab.client("ecr")
    uri = ecr.create_repository(repositoryName="web")["repository"]["repositoryUri"]
    manifest = {
        "schemaVersion": 2,
        "mediaType": MANIFEST,
        "config": {"mediaType": "x", "size": 1, "digest": "sha256:" + "0" * 64},
        "layers": [],
    }
    ecr.put_image(repositoryName="web", imageManifest=json.dumps(manifest), imageTag="v1")
    web_stack(lab, desired=1, task_definition=register(lab, image=f"{uri}:v1"))
    lab.wait_stable("demo", "web")


# -- memory ---------------------------------------------------------------------------------------


def test_an_app_over_its_memory_hard_limit_is_killed_with_137(lab: Lab) -> None:
    """Container memory 128, the app needs 300 MiB: OutOfMemoryError, exit 137,
    EssentialContainerExited (the reason's case is [CONFLICT]: compared case-insensitively)."""
    apps_of(lab).register("example/big:1", GenericWebServer(memory_mib=300))
    small = register(lab, image="example/big:1", memory=128)
    stack = web_stack(lab, desired=1, task_definition=small)
    lab.advance(60)
    stopped = stack.tasks("STOPPED")[0]
    container = stopped["containers"][0]
    assert container["exitCode"] == 137
    assert container["reason"].lower() == "outofmemoryerror: container killed due to memory usage"
    assert (stopped["stopCode"], stopped["stoppedReason"]) == (
        "EssentialContainerExited",
        "Essential container in task exited",
    )
    update(lab, register(lab, image="example/big:1", memory=512))
    lab.wait_stable("demo", "web")


def test_memory_reservation_never_kills(lab: Lab) -> None:
    """memoryReservation is a soft limit: only the hard limit (here the task's 512) kills."""
    apps_of(lab).register("example/big:1", GenericWebServer(memory_mib=300))
    stack = web_stack(
        lab, desired=1, task_definition=register(lab, image="example/big:1", memoryReservation=128)
    )
    lab.wait_stable("demo", "web")
    assert stack.tasks("STOPPED") == []


# -- awslogs --------------------------------------------------------------------------------------


def test_a_missing_log_group_is_a_resource_initialization_error(lab: Lab) -> None:
    """Group missing, no awslogs-create-group: AWS's Fargate wording, TaskFailedToStart, the same
    text in the service's "unable to place a task" event; creating the group fixes it."""
    role = execution_role(lab)
    stack = web_stack(
        lab, desired=1, task_definition=register(lab, execution_role=role, logConfiguration=AWSLOGS)
    )
    lab.advance(30)
    (stopped,) = stack.tasks("STOPPED")
    reason = (
        "ResourceInitializationError: failed to validate logger args: create stream has been "
        "retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: "
        "The specified log group does not exist. : exit status 1"
    )
    assert (stopped["stopCode"], stopped["stoppedReason"]) == ("TaskFailedToStart", reason)
    assert f"(service web) was unable to place a task. Reason: {reason}." in stack.messages()
    lab.client("logs").create_log_group(logGroupName="/ecs/web")
    lab.wait_stable("demo", "web")


def test_create_group_needs_create_log_group_on_the_execution_role(lab: Lab) -> None:
    """awslogs-create-group "true" with only AWS's managed execution policy: AccessDenied for
    logs:CreateLogGroup on the group, as the role's assumed session."""
    role = execution_role(lab)
    options = AWSLOGS | {"options": AWSLOGS["options"] | {"awslogs-create-group": "true"}}
    stack = web_stack(
        lab, desired=1, task_definition=register(lab, execution_role=role, logConfiguration=options)
    )
    lab.advance(30)
    reason = stack.tasks("STOPPED")[0]["stoppedReason"]
    task_id = stack.tasks("STOPPED")[0]["taskArn"].split("/")[-1]
    assert reason.startswith(
        "ResourceInitializationError: failed to validate logger args: create stream has been "
        "retried 1 times: failed to create Cloudwatch log group: AccessDeniedException: User: "
        f"arn:aws:sts::123456789012:assumed-role/web-execution/{task_id} is not authorized to "
        "perform: logs:CreateLogGroup on resource: "
        "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/web:log-stream: because no "
        "identity-based policy allows the logs:CreateLogGroup action status code: 400"
    )
    assert reason.endswith(": exit status 1")
    create_group = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "logs:CreateLogGroup", "Resource": "*"}],
    }
    lab.client("iam").put_role_policy(
        RoleName="web-execution", PolicyName="create-group", PolicyDocument=json.dumps(create_group)
    )
    lab.wait_stable("demo", "web")
    assert "/ecs/web" in [
        g["logGroupName"] for g in lab.client("logs").describe_log_groups()["logGroups"]
    ]


def test_an_execution_role_without_create_log_stream_cannot_start_the_task(lab: Lab) -> None:
    """A role with no logs permission: AccessDenied for logs:CreateLogStream on the stream ARN
    (prefix/container/task-id); attaching AWS's managed policy fixes it."""
    role = execution_role(lab, managed=False)
    lab.client("logs").create_log_group(logGroupName="/ecs/web")
    stack = web_stack(
        lab, desired=1, task_definition=register(lab, execution_role=role, logConfiguration=AWSLOGS)
    )
    lab.advance(30)
    stopped = stack.tasks("STOPPED")[0]
    task_id = stopped["taskArn"].split("/")[-1]
    assert stopped["stopCode"] == "TaskFailedToStart"
    assert (
        "failed to create Cloudwatch log stream: AccessDeniedException: User: "
        f"arn:aws:sts::123456789012:assumed-role/web-execution/{task_id} is not authorized to "
        "perform: logs:CreateLogStream on resource: arn:aws:logs:us-east-1:123456789012:"
        f"log-group:/ecs/web:log-stream:ecs/web/{task_id} because no identity-based policy"
    ) in stopped["stoppedReason"]
    lab.client("iam").attach_role_policy(RoleName="web-execution", PolicyArn=EXECUTION_POLICY)
    lab.wait_stable("demo", "web")


# -- start time and grace period ------------------------------------------------------------------


def test_a_slow_starter_without_grace_period_is_killed_again_and_again(lab: Lab) -> None:
    """An app that needs 90 s to start, grace 0: unhealthy, "Task failed ELB health checks",
    replaced, and never steady. A grace period long enough for the start and the target's five
    passing checks after it (90 + 5 x 30 s: 300 s) lets it become healthy."""
    apps_of(lab).register("example/slow:1", GenericWebServer(startup_seconds=90))
    stack = web_stack(
        lab,
        desired=1,
        deregistration_delay=0,
        task_definition=register(lab, image="example/slow:1"),
    )
    lab.advance(300)
    stopped = stack.tasks("STOPPED")
    assert stopped and all(
        t["stoppedReason"]
        == f"Task failed ELB health checks in (target-group {stack.target_group})"
        for t in stopped
    )
    assert any("due to (reason Health checks failed)." in m for m in stack.messages())
    update(lab, stack.task_definition, healthCheckGracePeriodSeconds=300, forceNewDeployment=True)
    lab.wait_stable("demo", "web")
    assert stack.states() == ["healthy"]


# -- the port the app listens on ------------------------------------------------------------------


def test_an_app_on_another_port_fails_health_checks_with_failed_health_checks(lab: Lab) -> None:
    """The process binds 8080, portMappings and the target group say 80: the ELB's connection is
    refused, Target.FailedHealthChecks, the ALB answers 502; mapping the app's port fixes it."""
    apps_of(lab).register("example/8080:1", GenericWebServer(listen_port=8080))
    stack = web_stack(
        lab,
        desired=1,
        service_options={"healthCheckGracePeriodSeconds": 600},
        task_definition=register(lab, image="example/8080:1"),
    )
    lab.advance(120)
    (target,) = stack.health()
    assert target["TargetHealth"] == {
        "State": "unhealthy",
        "Reason": "Target.FailedHealthChecks",
        "Description": "Health checks failed",
    }
    assert lab.request("/").status == 502
    update(lab, register(lab), healthCheckGracePeriodSeconds=0)  # an image that binds 80
    lab.wait_stable("demo", "web")
    assert [t["TargetHealth"]["State"] for t in stack.health()] == ["healthy"]


# -- an essential container that exits ------------------------------------------------------------


class CrashesWithout(GenericWebServer):
    """An app that exits 1 when DATABASE_URL is not set."""

    def exit_code(self, environment: Any) -> int | None:
        return None if environment.get("DATABASE_URL") else 1


def test_an_app_that_crashes_on_a_bad_setting_is_restarted_without_throttle(lab: Lab) -> None:
    """Exit 1 after RUNNING: Essential container in task exited, has stopped / has started
    again; no throttle, since the tasks reached RUNNING (service-throttle-logic.html)."""
    apps_of(lab).register("example/crash:1", CrashesWithout())
    stack = web_stack(
        lab,
        desired=1,
        with_load_balancer=False,
        task_definition=register(lab, image="example/crash:1"),
    )
    lab.advance(200)
    stopped = stack.tasks("STOPPED")
    assert len(stopped) >= 3
    assert {(t["stopCode"], t["containers"][0]["exitCode"]) for t in stopped} == {
        ("EssentialContainerExited", 1)
    }
    messages = stack.messages()
    assert any("has stopped 1 running tasks" in m for m in messages)
    assert not any("unable to consistently start tasks" in m for m in messages)
    env = [{"name": "DATABASE_URL", "value": "postgres://db/app"}]
    update(lab, register(lab, image="example/crash:1", environment=env))
    lab.wait_stable("demo", "web")


def test_tasks_that_never_run_throttle_the_service_and_back_off(lab: Lab) -> None:
    """A tag nobody pushed, no circuit breaker: after repeated failed starts the service logs
    "is unable to consistently start tasks successfully." and waits longer between tries;
    a new task definition ends the throttle at once. (The steps of the back-off are
    [UNVERIFIED]: only the documented maximum, 15 minutes, is AWS's.)"""
    uri = lab.client("ecr").create_repository(repositoryName="web")["repository"]["repositoryUri"]
    stack = web_stack(lab, desired=1, task_definition=register(lab, image=f"{uri}:missing"))
    lab.advance(600)
    messages = stack.messages()
    throttled = [m for m in messages if "unable to consistently start tasks successfully" in m]
    assert throttled[0] == (
        "(service web) is unable to consistently start tasks successfully. For more "
        "information, see the Troubleshooting section of the Amazon ECS Developer Guide."
    )
    starts = sorted(t["createdAt"] for t in stack.tasks("STOPPED"))
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(starts)]
    assert gaps[-1] > gaps[0] and gaps[-1] >= FIRST_DELAY
    lab.client("ecr").put_image(
        repositoryName="web",
        imageTag="v1",
        imageManifest=json.dumps(
            {
                "schemaVersion": 2,
                "mediaType": MANIFEST,
                "config": {"mediaType": "x", "size": 1, "digest": "sha256:" + "1" * 64},
                "layers": [],
            }
        ),
    )
    update(lab, register(lab, image=f"{uri}:v1"))
    lab.advance(60)
    assert stack.describe()["runningCount"] == 1


# -- container health checks ----------------------------------------------------------------------

CURL_HEALTH = {"command": ["CMD-SHELL", "curl -f http://localhost/health || exit 1"]}


class HealthAt(GenericWebServer):
    """A web server that answers 200 only on ``path`` (404 elsewhere)."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def answer(self, method: str, path: str, headers: Any, environment: Any) -> Any:
        from ecslab.world.apps import HttpAnswer

        return HttpAnswer(200 if path == self.path else 404, "")


def test_container_health_check_defaults_and_task_health_status(lab: Lab) -> None:
    """healthCheck with only a command: interval 30, retries 3; a passing check makes the
    container and the task HEALTHY."""
    apps_of(lab).register("example/h:1", HealthAt("/health"))
    stack = web_stack(
        lab,
        desired=1,
        with_load_balancer=False,
        task_definition=register(lab, image="example/h:1", healthCheck=CURL_HEALTH),
    )
    lab.advance(30 + 25)  # started at 30 s; first check 30 s later
    (task,) = stack.tasks()
    assert task["healthStatus"] == "UNKNOWN"
    lab.advance(10)
    (task,) = stack.tasks()
    assert (task["healthStatus"], task["containers"][0]["healthStatus"]) == ("HEALTHY", "HEALTHY")


def test_a_failing_container_health_check_stops_a_service_task(lab: Lab) -> None:
    """A command asking a path the app does not serve: UNHEALTHY after 3 failures, 30 s apart;
    "Task failed container health checks", the event, and a replacement; RunTask keeps its."""
    apps_of(lab).register("example/h:1", HealthAt("/healthz"))
    definition = register(lab, image="example/h:1", healthCheck=CURL_HEALTH)
    stack = web_stack(lab, desired=1, with_load_balancer=False, task_definition=definition)
    lab.advance(30 + 89)
    assert stack.tasks("STOPPED") == []
    lab.advance(2)
    (stopped,) = stack.tasks("STOPPED")
    assert stopped["stoppedReason"] == "Task failed container health checks"
    assert stopped["healthStatus"] == "UNHEALTHY"
    task_id = stopped["taskArn"].split("/")[-1]
    assert f"(service web) (task {task_id}) failed container health checks." in stack.messages()
    right = {"command": ["CMD-SHELL", "curl -f http://localhost/healthz || exit 1"]}
    update(lab, register(lab, image="example/h:1", healthCheck=right))
    lab.wait_stable("demo", "web")
    assert [t["healthStatus"] for t in stack.tasks()] == ["HEALTHY"]
    ecs = lab.client("ecs")
    alone = ecs.run_task(
        cluster="demo",
        taskDefinition=definition,
        launchType="FARGATE",
        networkConfiguration={
            "awsvpcConfiguration": {"subnets": stack.subnets, "assignPublicIp": "ENABLED"}
        },
    )
    lab.advance(300)
    (kept,) = ecs.describe_tasks(cluster="demo", tasks=[alone["tasks"][0]["taskArn"]])["tasks"]
    assert (kept["lastStatus"], kept["healthStatus"]) == ("RUNNING", "UNHEALTHY")


def test_the_grace_period_suppresses_container_health_failures(lab: Lab) -> None:
    """Within healthCheckGracePeriodSeconds an UNHEALTHY container is not stopped."""
    apps_of(lab).register("example/h:1", HealthAt("/healthz"))
    stack = web_stack(
        lab,
        desired=1,
        service_options={"healthCheckGracePeriodSeconds": 600},
        task_definition=register(lab, image="example/h:1", healthCheck=CURL_HEALTH),
    )
    lab.advance(300)
    assert stack.tasks("STOPPED") == []
    assert stack.tasks()[0]["healthStatus"] == "UNHEALTHY"


def test_a_replacement_for_an_unhealthy_task_says_so(lab: Lab) -> None:
    """The start event of a task replacing one stopped by health checks ends with "Amazon ECS
    replaced 1 tasks due to an unhealthy status." (as users report it)."""
    apps_of(lab).register("example/8080:1", GenericWebServer(listen_port=8080))
    stack = web_stack(lab, desired=1, task_definition=register(lab, image="example/8080:1"))
    lab.advance(200)
    replaced = [m for m in stack.messages() if m.endswith("due to an unhealthy status.")]
    assert replaced and replaced[0].startswith("(service web) has started 1 tasks: (task ")
    assert replaced[0].endswith("). Amazon ECS replaced 1 tasks due to an unhealthy status.")
