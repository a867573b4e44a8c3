"""catch_up rebuilds, with plain boto3, what the lessons before a given one built."""

from __future__ import annotations

import json

import pytest
from security_review import review

from ecslab.course.catch_up import catch_up
from ecslab.errors import ConfigurationError
from ecslab.lab import Lab


def test_lesson_00_starts_empty(lab: Lab) -> None:
    done = catch_up(lab, "00_big_picture")
    assert done.made == [] and "nothing: this lesson starts empty" in repr(done)
    assert lab.client("ecs").list_clusters()["clusterArns"] == []


def test_lesson_04_finds_images_cluster_and_task_definitions(lab: Lab) -> None:
    catch_up(lab, "04_services")
    ecs = lab.client("ecs")
    assert ecs.list_clusters()["clusterArns"][0].endswith("cluster/course")
    web = ecs.describe_task_definition(taskDefinition="web")["taskDefinition"]
    assert (web["cpu"], web["memory"]) == ("1024", "2048")  # as lesson 03's exercise registers it
    tags = [
        i["imageTags"]
        for i in lab.client("ecr").describe_images(repositoryName="api")["imageDetails"]
    ]
    assert tags == [["v1"]]
    assert ecs.list_services(cluster="course")["serviceArns"] == []


def test_lesson_07_finds_both_services_serving_through_the_alb(lab: Lab) -> None:
    """The backend's own code answers: the image pushed by catch_up runs the example app."""
    done = catch_up(lab, "07_secrets")
    answer = lab.request("/api/hello")
    assert answer.status == 200
    assert json.loads(answer.body) == {"message": "Hello from Fargate, world!", "version": "1.0.0"}
    assert lab.request("/").target_group_arn == done.target_groups["web"]


def test_an_unknown_lesson_is_named() -> None:
    with pytest.raises(ConfigurationError, match="No lesson '11_kubernetes'"):
        catch_up(None, "11_kubernetes")


# -- the network: two security groups, tasks with public IPs in public subnets ---------------------


def test_services_run_in_the_tasks_group_with_a_public_ip_in_public_subnets(lab: Lab) -> None:
    """Fargate gives a task a public IP only with assignPublicIp ENABLED (botocore's ecs model
    ``AwsVpcConfiguration.assignPublicIp``); the default subnets are public (VPC user guide,
    default-vpc.html)."""
    done = catch_up(lab, "07_secrets")
    ecs = lab.client("ecs")
    for service in ecs.describe_services(cluster="course", services=["api", "web"])["services"]:
        network = service["networkConfiguration"]["awsvpcConfiguration"]
        assert network["securityGroups"] == [done.task_security_group]
        assert network["assignPublicIp"] == "ENABLED"
        assert set(network["subnets"]) <= set(done.subnets)
    default_subnets = lab.client("ec2").describe_subnets(
        Filters=[{"Name": "default-for-az", "Values": ["true"]}]
    )["Subnets"]
    assert set(done.subnets) == {s["SubnetId"] for s in default_subnets}


def test_the_load_balancer_has_its_own_group_admitting_http_from_anywhere(lab: Lab) -> None:
    done = catch_up(lab, "06_cicd")
    balancer = lab.client("elbv2").describe_load_balancers(Names=["course-alb"])["LoadBalancers"][0]
    assert balancer["SecurityGroups"] == [done.alb_security_group]
    group = lab.client("ec2").describe_security_groups(GroupIds=[done.alb_security_group])
    (rule,) = group["SecurityGroups"][0]["IpPermissions"]
    assert (rule["IpProtocol"], rule["FromPort"], rule["ToPort"]) == ("tcp", 80, 80)
    assert [r["CidrIp"] for r in rule["IpRanges"]] == ["0.0.0.0/0"]


def test_the_tasks_group_admits_each_container_port_only_from_the_load_balancers(
    lab: Lab,
) -> None:
    """A rule naming a group matches its members' private IPs: the ALB's nodes (VPC user guide,
    security-group-rules.html, "Security group referencing")."""
    done = catch_up(lab, "04_services")
    group = lab.client("ec2").describe_security_groups(GroupIds=[done.task_security_group])
    rules = group["SecurityGroups"][0]["IpPermissions"]
    assert sorted((r["FromPort"], r["ToPort"]) for r in rules) == [(8000, 8000), (8501, 8501)]
    for rule in rules:
        assert rule["IpRanges"] == [] and rule["Ipv6Ranges"] == []
        assert [p["GroupId"] for p in rule["UserIdGroupPairs"]] == [done.alb_security_group]


def test_lessons_before_the_services_make_no_security_group(lab: Lab) -> None:
    done = catch_up(lab, "03_task_definitions")
    assert done.alb_security_group == done.task_security_group == ""
    names = [g["GroupName"] for g in lab.client("ec2").describe_security_groups()["SecurityGroups"]]
    assert names == ["default"]


def test_the_course_passes_a_security_group_review(lab: Lab) -> None:
    """The groups the course's ALB and services use, read back, pass AWS Config's
    open-only-to-authorized-ports and port-restriction rules and the ALB guide's advice."""
    catch_up(lab, "09_capstone")
    assert review(lab.client) == []


def test_the_review_fails_the_one_group_design_it_replaces(lab: Lab) -> None:
    """Everything in one group that admits the container ports from anywhere: three findings."""
    done = catch_up(lab, "05_alb")
    ec2, ecs = lab.client("ec2"), lab.client("ecs")
    default = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["default"]}])[
        "SecurityGroups"
    ][0]["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=default, IpProtocol="tcp", FromPort=8000, ToPort=8000, CidrIp="0.0.0.0/0"
    )
    elbv2 = lab.client("elbv2")
    target = elbv2.create_target_group(
        Name="api", Protocol="HTTP", Port=8000, VpcId=done.vpc, TargetType="ip"
    )["TargetGroups"][0]["TargetGroupArn"]
    balancer = elbv2.create_load_balancer(
        Name="one-group", Subnets=done.subnets[:2], SecurityGroups=[done.alb_security_group]
    )["LoadBalancers"][0]["LoadBalancerArn"]
    elbv2.create_listener(  # a service's target group must belong to a load balancer
        LoadBalancerArn=balancer,
        Protocol="HTTP",
        Port=8000,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": target}],
    )
    ecs.create_service(
        cluster="course",
        serviceName="api",
        taskDefinition="api",
        desiredCount=1,
        launchType="FARGATE",
        networkConfiguration={
            "awsvpcConfiguration": {
                "subnets": done.subnets[:2],
                "securityGroups": [default],
                "assignPublicIp": "ENABLED",
            }
        },
        loadBalancers=[{"targetGroupArn": target, "containerName": "api", "containerPort": 8000}],
    )
    findings = review(lab.client)
    assert any("default group" in f for f in findings)
    assert any("open to the world beyond TCP 80/443" in f for f in findings)
    assert any("does not admit port 8000 from the ALB's group" in f for f in findings)
