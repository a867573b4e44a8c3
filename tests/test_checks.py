"""Each exercise check against a right and a wrong resource, made with plain boto3 calls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import ecslab
from ecslab.checks import CheckResult, check
from ecslab.checks.ecs import cpu_units, memory_mib
from ecslab.lab import Lab
from tests.server_fixture import ecslab_server  # noqa: F401  (a pytest fixture)

ROLE = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"


@pytest.fixture(autouse=True)
def progress_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "progress.json"
    monkeypatch.setenv("ECSLAB_PROGRESS_FILE", str(path))
    return path


def fargate_api(lab: Lab, **changes: Any) -> None:
    """Register the exercise's task definition ``api``, with ``changes`` applied."""
    container: dict[str, Any] = {
        "name": "api",
        "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:v1",
        "portMappings": [{"containerPort": 8000, "protocol": "tcp"}],
    }
    container.update(changes.pop("container", {}))
    definition: dict[str, Any] = {
        "family": "api",
        "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc",
        "cpu": "512",
        "memory": "1024",
        "executionRoleArn": ROLE,
        "containerDefinitions": [container],
    }
    definition.update(changes)
    lab.client("ecs").register_task_definition(**definition)


# -- ECR repository -----------------------------------------------------------------------------


def test_repository_right(lab: Lab) -> None:
    """A repository 'api' with scan on push passes."""
    lab.client("ecr").create_repository(
        repositoryName="api", imageScanningConfiguration={"scanOnPush": True}
    )
    result = check.repository(lab, "api")
    assert result.passed
    assert result.text().startswith("✓ ECR repository 'api' with scan on push")


def test_repository_without_scan_on_push(lab: Lab) -> None:
    """Scan on push off: the answer says so and gives the call that turns it on."""
    lab.client("ecr").create_repository(repositoryName="api")
    result = check.repository(lab, "api")
    assert not result.passed
    assert "scan on push is off" in result.text()
    assert "put_image_scanning_configuration(repositoryName='api'" in result.text()


def test_repository_missing_points_at_a_near_name(lab: Lab) -> None:
    """A missing repository is named, with a near miss pointed out."""
    lab.client("ecr").create_repository(repositoryName="apl")
    result = check.repository(lab, "api")
    assert "There is no repository named 'api' in us-east-1 yet." in result.text()
    assert "There is one named 'apl'" in result.text()


# -- task definition ----------------------------------------------------------------------------


def test_task_definition_right(lab: Lab) -> None:
    """0.5 vCPU / 1 GB on Fargate with port 8000 passes, whichever units were registered."""
    fargate_api(lab, cpu="0.5 vCPU", memory="1 GB")
    result = check.task_definition(lab, "api", cpu=512, memory=1024, port=8000)
    assert result.passed, result.text()
    assert "cpu 512 units (0.5 vCPU)" in result.text()


def test_task_definition_wrong_size_and_port(lab: Lab) -> None:
    """The latest revision is judged; each wrong setting gets its own sentence."""
    fargate_api(lab)
    fargate_api(lab, cpu="1024", memory="2048", container={"portMappings": [{"containerPort": 80}]})
    result = check.task_definition(lab, "api")
    assert not result.passed
    assert "registered as api:2" in result.text()
    assert (
        "cpu 1024 units (1 vCPU); the exercise wants 0.5 vCPU, which is cpu='512'" in result.text()
    )
    assert "memory 2048 MiB; 1 GB is memory='1024'" in result.text()
    assert "No container maps port 8000 (the port mappings are [80])" in result.text()


def test_task_definition_not_for_fargate(lab: Lab) -> None:
    """A bridge-mode EC2 definition is told about requiresCompatibilities and awsvpc."""
    lab.client("ecs").register_task_definition(
        family="api",
        containerDefinitions=[
            {
                "name": "api",
                "image": "api:v1",
                "memory": 1024,
                "portMappings": [{"containerPort": 8000}],
            }
        ],
    )
    text = check.task_definition(lab, "api").text()
    assert "It is not marked for Fargate" in text
    assert "Fargate tasks need networkMode='awsvpc'" in text
    assert "It sets no task-level cpu" in text


def test_task_definition_missing(lab: Lab) -> None:
    result = check.task_definition(lab, "api")
    assert "There is no task definition family 'api' in us-east-1 yet." in result.text()


@pytest.mark.parametrize(
    ("cpu", "memory", "units", "mib"),
    [("512", "1024", 512, 1024), ("0.5 vCPU", "1 GB", 512, 1024), ("1 vcpu", "2GB", 1024, 2048)],
)
def test_units_as_aws_accepts_them(cpu: str, memory: str, units: int, mib: int) -> None:
    """CPU units or vCPU strings, MiB or GB strings (RegisterTaskDefinition's cpu/memory)."""
    assert (cpu_units(cpu), memory_mib(memory)) == (units, mib)


# -- secret through valueFrom -------------------------------------------------------------------


def test_secret_right(lab: Lab) -> None:
    """A secret referenced with valueFrom, which exists, with an execution role: passes."""
    arn = lab.client("secretsmanager").create_secret(Name="db-password", SecretString="s3cret")[
        "ARN"
    ]
    fargate_api(lab, container={"secrets": [{"name": "DB_PASSWORD", "valueFrom": arn}]})
    result = check.secret(lab, "api", "DB_PASSWORD")
    assert result.passed, result.text()
    assert "s3cret" not in result.text()


def test_secret_as_plain_environment(lab: Lab) -> None:
    """A password in environment is explained: readable by anyone who can describe it."""
    fargate_api(lab, container={"environment": [{"name": "DB_PASSWORD", "value": "s3cret"}]})
    result = check.secret(lab, "api", "DB_PASSWORD")
    assert not result.passed
    assert "sets DB_PASSWORD as a plain environment variable" in result.text()
    assert "s3cret" not in result.text()


def test_secret_pointing_at_nothing(lab: Lab) -> None:
    """valueFrom naming a parameter that does not exist is caught before a task fails on it."""
    fargate_api(
        lab, container={"secrets": [{"name": "DB_PASSWORD", "valueFrom": "/course/db-password"}]}
    )
    result = check.secret(lab, "api", "DB_PASSWORD")
    assert "the SSM parameter /course/db-password, which does not exist" in result.text()
    lab.client("ssm").put_parameter(Name="/course/db-password", Value="x", Type="SecureString")
    assert check.secret(lab, "api", "DB_PASSWORD").passed


# -- service with 2 running tasks behind the target group -----------------------------------------


def build_service(lab: Lab, *, desired: int, attach: bool = True) -> str:
    """VPC, ALB, target group (ip), listener, cluster and service ``api``; the group's ARN."""
    ec2, elbv2, ecs = lab.client("ec2"), lab.client("elbv2"), lab.client("ecs")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=zone)["Subnet"][
            "SubnetId"
        ]
        for i, zone in enumerate(("us-east-1a", "us-east-1b"))
    ]
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc)
    table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway)
    for subnet in subnets:
        ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)
    group = ec2.create_security_group(GroupName="api", Description="api", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(  # the ALB and the tasks share it: 8000 from itself
        GroupId=group,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 8000,
                "ToPort": 8000,
                "UserIdGroupPairs": [{"GroupId": group}],
            }
        ],
    )
    alb = elbv2.create_load_balancer(Name="course", Subnets=subnets, SecurityGroups=[group])
    target_group = elbv2.create_target_group(
        Name="api", Protocol="HTTP", Port=8000, VpcId=vpc, TargetType="ip", HealthCheckPath="/"
    )["TargetGroups"][0]["TargetGroupArn"]
    elbv2.create_listener(
        LoadBalancerArn=alb["LoadBalancers"][0]["LoadBalancerArn"],
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": target_group}],
    )
    fargate_api(lab)
    ecs.create_cluster(clusterName="course")
    service: dict[str, Any] = {
        "cluster": "course",
        "serviceName": "api",
        "taskDefinition": "api",
        "desiredCount": desired,
        "launchType": "FARGATE",
        "networkConfiguration": {
            "awsvpcConfiguration": {
                "subnets": subnets,
                "securityGroups": [group],
                "assignPublicIp": "ENABLED",
            }
        },
    }
    if attach:
        service["loadBalancers"] = [
            {"targetGroupArn": target_group, "containerName": "api", "containerPort": 8000}
        ]
    ecs.create_service(**service)
    return target_group


def test_service_with_too_few_tasks(lab: Lab) -> None:
    """desiredCount 1 where 2 are wanted: the answer gives the update_service call."""
    build_service(lab, desired=1)
    result = check.service(lab, "course", "api", running=2, target_group="api")
    assert not result.passed
    assert "Its desiredCount is 1; the exercise wants 2" in result.text()
    assert "desiredCount=2)" in result.text()


def test_service_not_behind_the_target_group(lab: Lab) -> None:
    """A service without loadBalancers is told how ECS would register its tasks."""
    build_service(lab, desired=2, attach=False)
    result = check.service(lab, "course", "api", running=2, target_group="api")
    assert "is not attached to target group 'api'" in result.text()


def test_service_missing_and_cluster_missing(lab: Lab) -> None:
    assert "There is no cluster named 'course'" in check.service(lab, "course", "api").text()
    lab.client("ecs").create_cluster(clusterName="course")
    assert "has no active service named 'api'" in check.service(lab, "course", "api").text()


def test_service_right(lab: Lab) -> None:
    """With the image in ECR, the world runs 2 tasks, healthy in the target group: passes."""
    ecr = lab.client("ecr")
    ecr.create_repository(repositoryName="api")
    ecr.put_image(
        repositoryName="api",
        imageManifest='{"schemaVersion": 2, "layers": []}',
        imageManifestMediaType="application/vnd.docker.distribution.manifest.v2+json",
        imageTag="v1",
    )
    build_service(lab, desired=2)
    lab.wait_stable("course", "api")
    result = check.service(lab, "course", "api", running=2, target_group="api")
    assert result.passed, result.text()
    assert "2 tasks running, as desired" in result.text()
    assert "2 healthy targets in the target group" in result.text()


def test_service_whose_tasks_cannot_start(lab: Lab) -> None:
    """The image was never pushed: 0 running, and the answer says where to read why."""
    build_service(lab, desired=2)
    lab.advance(300)
    result = check.service(lab, "course", "api", running=2, target_group="api")
    assert not result.passed
    assert "It wants 2 tasks but 0 are running" in result.text()
    assert "lab.wait_stable('course', 'api') waits for them" in result.text()
    assert "stoppedReason" in result.text()


# -- results and records --------------------------------------------------------------------------


def test_result_renders_as_text_and_html() -> None:
    """A result is truthy when passed and shows the same content in text and HTML."""
    result = CheckResult("Thing", False, ("one good",), ("one <missing>",), "over `there`")
    bundle = result._repr_mimebundle_()
    assert (
        bundle["text/plain"]
        == "✗ Thing: not yet.\n  ✓ one good\n  • one <missing>\n  Where to look: over `there`"
    )
    assert (
        "one &lt;missing&gt;" in bundle["text/html"] and "<code>there</code>" in bundle["text/html"]
    )
    assert not result and CheckResult("Thing", True)


def test_checks_are_recorded_in_progress(lab: Lab, progress_file: Path) -> None:
    """Each run lands in the progress file under the check's lesson."""
    check.repository(lab, "api")
    lab.client("ecr").create_repository(
        repositoryName="api", imageScanningConfiguration={"scanOnPush": True}
    )
    check.repository(lab, "api")
    from ecslab.progress import Progress

    (row,) = Progress(progress_file).rows()
    assert (row["lesson"], row["kind"], row["item"]) == ("01_ecr", "check", "repository api")
    assert (row["attempts"], row["correct"]) == (2, True)


def test_ecslab_check_is_the_catalogue() -> None:
    """ecslab.check lists the checks when shown."""
    assert ecslab.check is check
    assert "check.task_definition(lab, ...)" in repr(check)


@pytest.mark.server
def test_checks_answer_the_same_through_the_server_backend(ecslab_server: str) -> None:  # noqa: F811
    """Checks make only boto3 calls, so a lab on `ecslab server` gets the same answers."""
    with Lab(backend="server", endpoint_url=ecslab_server, learner="checks") as lab:
        assert "There is no repository named 'api'" in check.repository(lab, "api").text()
        lab.client("ecr").create_repository(
            repositoryName="api", imageScanningConfiguration={"scanOnPush": True}
        )
        assert check.repository(lab, "api").passed
        fargate_api(lab, container={"environment": [{"name": "DB_PASSWORD", "value": "x"}]})
        assert check.task_definition(lab, "api").passed
        assert "plain environment variable" in check.secret(lab, "api", "DB_PASSWORD").text()
        assert "There is no cluster named 'course'" in check.service(lab, "course", "api").text()


def test_the_catalogue_lists_every_check() -> None:
    assert check.names() == [
        "cluster",
        "repository",
        "running_task",
        "security_groups",
        "task_definition",
        "service",
        "route",
        "secret",
    ]
    assert all(f"check.{name}(lab, ...)" in repr(check) for name in check.names())
