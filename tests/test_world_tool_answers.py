"""What deployment tools read from the simulated AWS, as they read it from AWS: plain boto3.

Each test names the AWS page or botocore model that says what the answer is. The tools
themselves (the AWS CLI, ecs-deploy, the JavaScript SDK) are driven in ``test_clients_*.py``.
"""

from __future__ import annotations

import botocore.session
import pytest
from botocore.exceptions import ClientError
from world_scenarios import register, web_stack

from ecslab.lab import Lab

BREAKER_ONLY = {"deploymentCircuitBreaker": {"enable": True, "rollback": False}}


def _waiter_acceptors(service: str, name: str) -> list[dict]:
    model = botocore.session.get_session().get_waiter_model(service)
    return model.get_waiter(name).acceptors


def test_a_deregistered_target_is_unused_not_registered_so_the_deregistered_waiter_returns(
    lab: Lab,
) -> None:
    """ELBv2 API reference, TargetHealth: Target.NotRegistered is "unused"; botocore's
    TargetDeregistered waiter succeeds on exactly that state."""
    stack = web_stack(lab, desired=1, deregistration_delay=5)
    lab.wait_stable("demo", "web")
    (target,) = [d["Target"] for d in stack.health()]
    lab.client("ecs").update_service(cluster="demo", service="web", desiredCount=0)
    lab.advance(120)
    elbv2 = lab.client("elbv2")
    (health,) = elbv2.describe_target_health(TargetGroupArn=stack.target_group, Targets=[target])[
        "TargetHealthDescriptions"
    ]
    assert health["TargetHealth"] == {
        "State": "unused",
        "Reason": "Target.NotRegistered",
        "Description": "Target is not registered to the target group",
    }
    success = [a for a in _waiter_acceptors("elbv2", "TargetDeregistered") if a.state == "success"]
    assert any(a.expected == "unused" for a in success)
    elbv2.get_waiter("target_deregistered").wait(
        TargetGroupArn=stack.target_group, Targets=[target], WaiterConfig={"Delay": 0}
    )
    assert stack.health() == []  # no longer listed when no targets are named


def test_create_service_answers_with_the_deployment_configuration_defaults(lab: Lab) -> None:
    """botocore's ECS examples-1.json (CreateService): the answer is the whole service, with
    deploymentConfiguration 200/100 and the breaker off, healthCheckGracePeriodSeconds 0."""
    ecs = lab.client("ecs")
    web_stack(lab, desired=1)
    definition = register(lab, family="other")
    subnets = [s["SubnetId"] for s in lab.client("ec2").describe_subnets()["Subnets"]][:1]
    service = ecs.create_service(
        cluster="demo",
        serviceName="other",
        taskDefinition="other",
        desiredCount=1,
        launchType="FARGATE",
        networkConfiguration={
            "awsvpcConfiguration": {"subnets": subnets, "assignPublicIp": "ENABLED"}
        },
    )["service"]
    assert service["deploymentConfiguration"] == {
        "maximumPercent": 200,
        "minimumHealthyPercent": 100,
        "deploymentCircuitBreaker": {"enable": False, "rollback": False},
    }
    assert service["healthCheckGracePeriodSeconds"] == 0
    assert service["taskDefinition"] == definition
    assert (
        service["createdAt"]
        == lab.client("ecs").describe_services(cluster="demo", services=["other"])["services"][0][
            "createdAt"
        ]
    )
    assert service["deployments"][0]["taskDefinition"] == definition


def test_update_service_answers_with_the_task_definition_arn(lab: Lab) -> None:
    """UpdateService API reference: the answer's taskDefinition is the ARN, even when the call
    named family:revision."""
    web_stack(lab, desired=1)
    second = register(lab, image="nginx:1.28")
    answer = lab.client("ecs").update_service(cluster="demo", service="web", taskDefinition="web:2")
    assert answer["service"]["taskDefinition"] == second
    assert answer["service"]["deployments"][0]["taskDefinition"] == second


def test_a_deleted_service_drains_then_turns_inactive_and_its_name_waits(lab: Lab) -> None:
    """DeleteService API reference: ACTIVE → DRAINING while tasks run, INACTIVE once every task
    is STOPPING or STOPPED; not listed once deleted; a same-name create is refused while it
    drains."""
    stack = web_stack(lab, desired=2, deregistration_delay=30)
    lab.wait_stable("demo", "web")
    ecs = lab.client("ecs")
    answer = ecs.delete_service(cluster="demo", service="web", force=True)["service"]
    assert answer["status"] == "DRAINING"
    assert ecs.list_services(cluster="demo")["serviceArns"] == []
    lab.advance(1)
    assert stack.describe()["status"] == "DRAINING"
    with pytest.raises(ClientError) as refused:
        ecs.create_service(
            cluster="demo",
            serviceName="web",
            taskDefinition=stack.task_definition,
            desiredCount=1,
            launchType="FARGATE",
            networkConfiguration={
                "awsvpcConfiguration": {"subnets": stack.subnets, "assignPublicIp": "ENABLED"}
            },
        )
    assert refused.value.response["Error"] == {
        "Code": "InvalidParameterException",
        "Message": "Unable to Start a service that is still Draining.",
    }
    seen = []
    for _ in range(60):
        lab.advance(1)
        states = {t["lastStatus"] for t in stack.tasks("STOPPED")}
        status = stack.describe()["status"]
        seen.append(status)
        if status == "INACTIVE":
            assert states <= {"STOPPING", "DEPROVISIONING", "STOPPED"}
            break
        assert states - {"STOPPING", "DEPROVISIONING", "STOPPED"}
    assert seen[-1] == "INACTIVE" and seen.count("DRAINING") >= 25  # the 30 s drain
    lab.client("ecs").get_waiter("services_inactive").wait(
        cluster="demo", services=["web"], WaiterConfig={"Delay": 0}
    )


def test_a_failed_deployment_without_rollback_logs_no_min_max_event(lab: Lab) -> None:
    """DeploymentCircuitBreaker API reference: a failed deployment "transitions to a FAILED
    state and stops launching new tasks"; that is no min/max deadlock."""
    repository = lab.client("ecr").create_repository(repositoryName="web")["repository"][
        "repositoryUri"
    ]
    stack = web_stack(lab, desired=1, service_options={"deploymentConfiguration": BREAKER_ONLY})
    lab.wait_stable("demo", "web")
    broken = register(lab, image=f"{repository}:missing")
    lab.client("ecs").update_service(cluster="demo", service="web", taskDefinition=broken)
    lab.advance(900)
    assert stack.describe()["deployments"][0]["rolloutState"] == "FAILED"
    messages = stack.messages()
    assert any("deployment failed: tasks failed to start." in m for m in messages)
    assert not any("unable to stop or start tasks" in m for m in messages)


@pytest.mark.parametrize(
    ("kind", "value", "failures"), [("COUNT", 5, 5), ("BOUNDED_PERCENT", 50, 3)]
)
def test_the_breaker_threshold_configuration_is_honoured_and_echoed(
    lab: Lab, kind: str, value: int, failures: int
) -> None:
    """botocore's ECS model, ThresholdConfiguration: COUNT uses value itself as the threshold;
    the answer shows the breaker as configured."""
    breaker = BREAKER_ONLY["deploymentCircuitBreaker"] | {
        "resetOnHealthyTask": False,
        "thresholdConfiguration": {"type": kind, "value": value},
    }
    repository = lab.client("ecr").create_repository(repositoryName="web")["repository"][
        "repositoryUri"
    ]
    stack = web_stack(
        lab,
        desired=1,
        service_options={"deploymentConfiguration": {"deploymentCircuitBreaker": breaker}},
    )
    assert stack.describe()["deploymentConfiguration"]["deploymentCircuitBreaker"] == breaker
    lab.wait_stable("demo", "web")
    broken = register(lab, image=f"{repository}:missing")
    lab.client("ecs").update_service(cluster="demo", service="web", taskDefinition=broken)
    lab.advance(1800)
    primary = stack.describe()["deployments"][0]
    assert (primary["rolloutState"], primary["failedTasks"]) == ("FAILED", failures)


def test_a_new_load_balancer_provisions_before_it_is_active(lab: Lab) -> None:
    """API_LoadBalancerState: provisioning, then active; botocore's LoadBalancerAvailable
    waiter waits for it (the in-process lab's waiters move the virtual clock)."""
    from ecslab.world.balancer_provisioning import PROVISIONING_SECONDS

    elbv2 = lab.client("elbv2")
    subnets = [s["SubnetId"] for s in lab.client("ec2").describe_subnets()["Subnets"]][:2]
    created = elbv2.create_load_balancer(Name="lb", Subnets=subnets)["LoadBalancers"][0]
    arn = created["LoadBalancerArn"]
    assert created["State"] == {"Code": "provisioning"}

    def state() -> str:
        return elbv2.describe_load_balancers(LoadBalancerArns=[arn])["LoadBalancers"][0]["State"][
            "Code"
        ]

    assert state() == "provisioning"
    lab.advance(PROVISIONING_SECONDS - 1)
    assert state() == "provisioning"
    elbv2.get_waiter("load_balancer_available").wait(LoadBalancerArns=[arn])
    assert state() == "active"


def test_service_deployments_are_listed_and_described(lab: Lab) -> None:
    """botocore's ECS model, ListServiceDeployments / DescribeServiceDeployments: one service
    deployment per deployment, SUCCESSFUL once completed, the service's current one named."""
    stack = web_stack(lab, desired=1)
    lab.wait_stable("demo", "web")
    ecs = lab.client("ecs")
    second = register(lab, image="nginx:1.28")
    ecs.update_service(cluster="demo", service="web", taskDefinition=second)
    (newest, first) = ecs.list_service_deployments(cluster="demo", service="web")[
        "serviceDeployments"
    ]
    assert (newest["status"], first["status"]) == ("IN_PROGRESS", "SUCCESSFUL")
    assert stack.describe()["currentServiceDeployment"] == newest["serviceDeploymentArn"]
    assert newest["serviceDeploymentArn"].startswith(
        "arn:aws:ecs:us-east-1:123456789012:service-deployment/demo/web/"
    )
    lab.wait_stable("demo", "web")
    described = ecs.describe_service_deployments(
        serviceDeploymentArns=[newest["serviceDeploymentArn"], "arn:aws:ecs:x"]
    )
    (deployment,) = described["serviceDeployments"]
    assert deployment["status"] == "SUCCESSFUL" and "finishedAt" in deployment
    assert deployment["targetServiceRevision"]["runningTaskCount"] == 1
    assert [s["arn"] for s in deployment["sourceServiceRevisions"]] == [
        first["targetServiceRevisionArn"]
    ]
    assert described["failures"] == [{"arn": "arn:aws:ecs:x", "reason": "MISSING"}]
    with pytest.raises(ClientError, match=r"Service not found\."):
        ecs.list_service_deployments(cluster="demo", service="nope")


def test_a_rolled_back_service_deployment_says_so(lab: Lab) -> None:
    """ServiceDeploymentStatus: a breaker failure with rollback is ROLLBACK_IN_PROGRESS, then
    ROLLBACK_SUCCESSFUL once the previous revision is back."""
    repository = lab.client("ecr").create_repository(repositoryName="web")["repository"][
        "repositoryUri"
    ]
    breaker = {"deploymentCircuitBreaker": {"enable": True, "rollback": True}}
    web_stack(lab, desired=1, service_options={"deploymentConfiguration": breaker})
    lab.wait_stable("demo", "web")
    broken = register(lab, image=f"{repository}:missing")
    ecs = lab.client("ecs")
    ecs.update_service(cluster="demo", service="web", taskDefinition=broken)
    lab.advance(600)
    lab.wait_stable("demo", "web")
    (newest, _) = ecs.list_service_deployments(cluster="demo", service="web")["serviceDeployments"]
    (described,) = ecs.describe_service_deployments(
        serviceDeploymentArns=[newest["serviceDeploymentArn"]]
    )["serviceDeployments"]
    assert described["status"] == "ROLLBACK_SUCCESSFUL"
    assert described["deploymentCircuitBreaker"]["status"] == "TRIGGERED"
    assert (
        described["rollback"]["reason"] == "ECS deployment circuit breaker: tasks failed to start."
    )


def test_a_task_lists_every_container_under_its_own_arn(lab: Lab) -> None:
    """ECS API reference, Container: containerArn is container/<cluster>/<task id>/<uuid>,
    taskArn the task's; DescribeTasks lists each container; a RUNNING task has pullStoppedAt."""
    sidecar = {"name": "sidecar", "image": "busybox:1.36", "essential": False}
    definition = register(lab)
    family = lab.client("ecs").describe_task_definition(taskDefinition=definition)
    containers = family["taskDefinition"]["containerDefinitions"] + [sidecar]
    two = lab.client("ecs").register_task_definition(
        family="two",
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        cpu="256",
        memory="512",
        containerDefinitions=containers,
    )["taskDefinition"]["taskDefinitionArn"]
    stack = web_stack(lab, desired=1, task_definition=two)
    lab.wait_stable("demo", "web")
    (task,) = stack.tasks()
    task_id = task["taskArn"].split("/")[-1]
    assert [c["name"] for c in task["containers"]] == ["web", "sidecar"]
    for container in task["containers"]:
        assert container["taskArn"] == task["taskArn"]
        prefix = f"arn:aws:ecs:us-east-1:123456789012:container/demo/{task_id}/"
        assert container["containerArn"].startswith(prefix)
    assert task["pullStartedAt"] < task["pullStoppedAt"] <= task["startedAt"]
    assert task["attachments"][0]["status"] == "ATTACHED"


def test_a_stopping_task_detaches_its_network_interface(lab: Lab) -> None:
    """ECS API reference, Attachment.status: ... ATTACHED, DETACHING, DETACHED, DELETED."""
    stack = web_stack(lab, desired=1, with_load_balancer=False)
    lab.wait_stable("demo", "web")
    (task,) = stack.tasks()
    lab.client("ecs").stop_task(cluster="demo", task=task["taskArn"])
    seen = set()
    for _ in range(120):
        lab.advance(1)
        (now,) = lab.client("ecs").describe_tasks(cluster="demo", tasks=[task["taskArn"]])["tasks"]
        seen.add(now["attachments"][0]["status"])
    model = botocore.session.get_session().get_service_model("ecs")
    documented = model.shape_for("Attachment").members["status"].documentation
    assert seen <= {"ATTACHED", "DETACHING", "DELETED"} and "DETACHING" in seen
    assert all(status in documented for status in seen)


def test_secret_stages_go_by_their_names_in_the_raw_answers(lab: Lab) -> None:
    """botocore's secretsmanager model: DescribeSecret has VersionIdsToStages, a ListSecrets
    entry SecretVersionsToStages, and neither the other."""
    import json

    secrets = lab.client("secretsmanager")
    raw: dict[str, dict] = {}
    secrets.meta.events.register(
        "after-call",
        lambda http_response, model, **_: raw.__setitem__(
            model.name, json.loads(http_response.content)
        ),
    )
    secrets.create_secret(Name="db", SecretString="s3cret")
    assert "VersionIdsToStages" in secrets.describe_secret(SecretId="db")
    assert "SecretVersionsToStages" not in raw["DescribeSecret"]
    assert "SecretVersionsToStages" in secrets.list_secrets()["SecretList"][0]
    assert "VersionIdsToStages" not in raw["ListSecrets"]["SecretList"][0]


def test_a_missing_log_stream_is_named_as_the_missing_thing(lab: Lab) -> None:
    """botocore's logs model, GetLogEvents: ResourceNotFoundException for the stream."""
    logs = lab.client("logs")
    logs.create_log_group(logGroupName="/ecs/web")
    with pytest.raises(ClientError) as missing:
        logs.get_log_events(logGroupName="/ecs/web", logStreamName="ecs/web/none")
    assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert missing.value.response["Error"]["Message"] == "The specified log stream does not exist."
    with pytest.raises(ClientError, match=r"The specified log group does not exist\."):
        logs.get_log_events(logGroupName="/ecs/none", logStreamName="ecs/web/none")


def test_an_arn_of_another_account_is_denied_not_answered_with_ones_own(lab: Lab) -> None:
    """IAM's troubleshoot_access-denied: another account's resource needs a policy allowing the
    caller; ECS clusters have none, so AWS denies instead of finding a cluster of that name."""
    ecs = lab.client("ecs")
    ecs.create_cluster(clusterName="demo")
    with pytest.raises(ClientError) as denied:
        ecs.describe_clusters(clusters=["arn:aws:ecs:us-east-1:999999999999:cluster/demo"])
    error = denied.value.response["Error"]
    assert error["Code"] == "AccessDeniedException"
    assert "arn:aws:ecs:us-east-1:999999999999:cluster/demo" in error["Message"]
    own = ecs.describe_clusters(clusters=["arn:aws:ecs:us-east-1:123456789012:cluster/demo"])
    assert own["clusters"][0]["clusterName"] == "demo"


def test_the_servers_date_header_is_the_virtual_clock() -> None:
    """An answer's HTTP Date is when AWS answered; on ecslab server that is the learner's
    virtual clock (clients such as the JavaScript SDK correct their clock skew from it)."""
    import json
    import urllib.request
    from datetime import datetime
    from email.utils import parsedate_to_datetime

    import boto3
    from server_fixture import running_server

    from ecslab.aws_env import settings

    with running_server() as url:
        found = settings(url, "Ada", "us-east-1")
        key = found["AWS_ACCESS_KEY_ID"]
        day = json.dumps({"key": key, "seconds": 86400}).encode()
        urllib.request.urlopen(urllib.request.Request(f"{url}/_ecslab/advance", data=day)).close()
        ecs = boto3.client(
            "ecs",
            endpoint_url=url,
            region_name="us-east-1",
            aws_access_key_id=key,
            aws_secret_access_key=found["AWS_SECRET_ACCESS_KEY"],
        )
        answered = ecs.list_clusters()["ResponseMetadata"]["HTTPHeaders"]["date"]
        with urllib.request.urlopen(f"{url}/_ecslab/status?key={key}") as status:
            virtual = json.loads(status.read())["time"]
    gap = datetime.fromisoformat(virtual) - parsedate_to_datetime(answered)
    assert 0 <= gap.total_seconds() < 5
