"""Every answer of the course's world conforms to botocore's output shapes.

The walk: catch_up to the capstone, a secret and a task reading it, a rolling deployment, a
deployment the circuit breaker rolls back, a deletion; after each stage, the describe and list
calls of every service the course uses. Every answer is checked as boto3 received it (see
``answer_shapes``): enum values from the model, required members present, and no member outside
the shape in the raw body.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from answer_shapes import ShapeRecorder

from ecslab.course.catch_up import catch_up
from ecslab.lab import Lab

pytestmark = pytest.mark.timeout(600)


def _look_everywhere(lab: Lab) -> None:
    """The describe and list calls a learner (or a tool) makes of the course's world."""
    ecs, elbv2, ec2 = lab.client("ecs"), lab.client("elbv2"), lab.client("ec2")
    ecs.list_clusters()
    ecs.describe_clusters(clusters=["course"], include=["SETTINGS", "STATISTICS"])
    arns = ecs.list_services(cluster="course")["serviceArns"]
    if arns:
        ecs.describe_services(cluster="course", services=arns, include=["TAGS"])
    for arn in arns:
        found = ecs.list_service_deployments(cluster="course", service=arn)["serviceDeployments"]
        if found:
            ecs.describe_service_deployments(
                serviceDeploymentArns=[d["serviceDeploymentArn"] for d in found]
            )
    for status in ("RUNNING", "STOPPED"):
        tasks = ecs.list_tasks(cluster="course", desiredStatus=status)["taskArns"]
        if tasks:
            ecs.describe_tasks(cluster="course", tasks=tasks, include=["TAGS"])
    for arn in ecs.list_task_definitions()["taskDefinitionArns"]:
        ecs.describe_task_definition(taskDefinition=arn, include=["TAGS"])
    ecs.list_task_definition_families()
    balancers = elbv2.describe_load_balancers()["LoadBalancers"]
    for balancer in balancers:
        elbv2.describe_load_balancer_attributes(LoadBalancerArn=balancer["LoadBalancerArn"])
        for listener in elbv2.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])[
            "Listeners"
        ]:
            elbv2.describe_rules(ListenerArn=listener["ListenerArn"])
    for group in elbv2.describe_target_groups()["TargetGroups"]:
        elbv2.describe_target_health(TargetGroupArn=group["TargetGroupArn"])
        elbv2.describe_target_group_attributes(TargetGroupArn=group["TargetGroupArn"])
    if balancers:
        elbv2.describe_tags(ResourceArns=[b["LoadBalancerArn"] for b in balancers])
    ec2.describe_vpcs()
    ec2.describe_subnets()
    ec2.describe_security_groups()
    ec2.describe_network_interfaces()
    ecr = lab.client("ecr")
    for repository in ecr.describe_repositories()["repositories"]:
        ecr.describe_images(repositoryName=repository["repositoryName"])
        ecr.list_images(repositoryName=repository["repositoryName"])
    logs = lab.client("logs")
    for group in logs.describe_log_groups()["logGroups"]:
        streams = logs.describe_log_streams(logGroupName=group["logGroupName"])["logStreams"]
        for stream in streams[:3]:
            logs.get_log_events(
                logGroupName=group["logGroupName"], logStreamName=stream["logStreamName"]
            )
    secrets = lab.client("secretsmanager")
    for secret in secrets.list_secrets()["SecretList"]:
        secrets.describe_secret(SecretId=secret["ARN"])
        secrets.get_secret_value(SecretId=secret["ARN"])
        secrets.list_secret_version_ids(SecretId=secret["ARN"])
    iam = lab.client("iam")
    for role in iam.list_roles()["Roles"]:
        iam.get_role(RoleName=role["RoleName"])
        iam.list_attached_role_policies(RoleName=role["RoleName"])
    lab.client("sts").get_caller_identity()


def _walk(lab: Lab) -> None:
    built = catch_up(lab, "09_capstone")
    secrets = lab.client("secretsmanager")
    secrets.create_secret(Name="course/api/secret-key", SecretString="not-in-the-image")
    secrets.put_secret_value(SecretId="course/api/secret-key", SecretString="rotated")
    lab.client("ssm").put_parameter(Name="/course/greeting", Value="Hello", Type="String")
    lab.client("ssm").get_parameter(Name="/course/greeting")
    _look_everywhere(lab)
    ecs = lab.client("ecs")
    # A rolling deployment: a new revision of web.
    web = ecs.describe_task_definition(taskDefinition="web")["taskDefinition"]
    keep = ("family", "containerDefinitions", "cpu", "memory", "networkMode", "executionRoleArn")
    second = ecs.register_task_definition(
        **{k: web[k] for k in keep if k in web}, requiresCompatibilities=["FARGATE"]
    )["taskDefinition"]["taskDefinitionArn"]
    ecs.update_service(
        cluster="course",
        service="web",
        taskDefinition=second,
        deploymentConfiguration={"deploymentCircuitBreaker": {"enable": True, "rollback": True}},
    )
    lab.advance(20)
    _look_everywhere(lab)
    lab.wait_stable("course", "web")
    # A rollback: an image tag that is not in ECR.
    broken = dict(web["containerDefinitions"][0])
    broken["image"] = built.images["web"].rsplit(":", 1)[0] + ":missing"
    third = ecs.register_task_definition(
        **{k: web[k] for k in keep if k in web and k != "containerDefinitions"},
        containerDefinitions=[broken],
        requiresCompatibilities=["FARGATE"],
    )["taskDefinition"]["taskDefinitionArn"]
    ecs.update_service(cluster="course", service="web", taskDefinition=third)
    lab.advance(300)
    _look_everywhere(lab)
    lab.wait_stable("course", "web")
    # A deletion.
    ecs.update_service(cluster="course", service="api", desiredCount=0)
    ecs.delete_service(cluster="course", service="api")
    lab.advance(5)
    _look_everywhere(lab)
    ecs.describe_services(cluster="course", services=["api"])
    lab.advance(600)
    _look_everywhere(lab)
    ecs.describe_services(cluster="course", services=["api"])


def test_every_answer_of_the_course_world_conforms_to_botocores_shapes() -> None:
    recorder = ShapeRecorder()
    with Lab() as lab:
        recorder.attach(lab._backend.session._session)  # type: ignore[attr-defined]
        default: Any = boto3.DEFAULT_SESSION
        if default is not None:
            recorder.attach(default._session)
        _walk(lab)
    print(f"{sum(recorder.answers.values())} answers, {recorder.checks} checks")
    assert sum(recorder.answers.values()) > 250 and len(recorder.answers) > 40
    assert sorted(set(recorder.problems)) == []


def test_the_shape_check_finds_what_does_not_conform() -> None:
    """The check itself: an unknown member, a value outside an enum, a missing required member,
    in JSON and in query-protocol XML."""
    from types import SimpleNamespace

    import botocore.session

    session = botocore.session.get_session()
    ecs = session.get_service_model("ecs").operation_model("DescribeServices")
    elbv2 = session.get_service_model("elbv2").operation_model("DescribeTargetHealth")
    recorder = ShapeRecorder()
    raw = b'{"services": [{"serviceName": "web", "launchType": "MOON", "extra": 1}]}'
    parsed = {"services": [{"serviceName": "web", "launchType": "MOON"}]}
    recorder._after_call(SimpleNamespace(status_code=200, content=raw), parsed, ecs)
    xml = (
        b"<DescribeTargetHealthResponse><DescribeTargetHealthResult><TargetHealthDescriptions>"
        b"<member><Target><Port>80</Port></Target><TargetHealth><State>sleepy</State>"
        b"</TargetHealth><Bogus/></member></TargetHealthDescriptions>"
        b"</DescribeTargetHealthResult></DescribeTargetHealthResponse>"
    )
    health = {
        "TargetHealthDescriptions": [{"Target": {"Port": 80}, "TargetHealth": {"State": "x"}}]
    }
    recorder._after_call(SimpleNamespace(status_code=200, content=xml), health, elbv2)
    assert recorder.problems == [
        "ecs.DescribeServices.services[0].launchType: 'MOON' is not one of LaunchType's values",
        "ecs.DescribeServices.services[0].extra: not a member of Service (raw answer)",
        "elbv2.DescribeTargetHealth.TargetHealthDescriptions[0].Target: required member Id "
        "(TargetDescription) missing",
        "elbv2.DescribeTargetHealth.TargetHealthDescriptions[0].TargetHealth.State: 'x' is not "
        "one of TargetHealthStateEnum's values",
        "elbv2.DescribeTargetHealth.TargetHealthDescriptions[0].Bogus: not a member of "
        "TargetHealthDescription (raw answer)",
    ]
