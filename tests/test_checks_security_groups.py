"""check.security_groups explains what each group admits from whom, and names what would fail on
AWS (VPC user guide: security-group-rules.html; ALB guide: load-balancer-update-security-groups)."""

from __future__ import annotations

from typing import Any

import pytest

from ecslab.checks import security_groups
from ecslab.course.catch_up import CatchUp, catch_up
from ecslab.lab import Lab

#: The rule description catch_up gives (a revoke names the rule exactly).
FROM_ALB = {"Description": "from the load balancer"}


@pytest.fixture
def course(lab: Lab) -> CatchUp:
    """Both services behind the ALB, in the course's two groups."""
    return catch_up(lab, "06_cicd")


def _tcp(port: int, **source: Any) -> list[dict[str, Any]]:
    return [{"IpProtocol": "tcp", "FromPort": port, "ToPort": port, **source}]


def test_the_course_design_passes_and_says_who_may_open_what(lab: Lab, course: CatchUp) -> None:
    result = security_groups(lab)
    assert result.passed, result.text()
    assert result.found == (
        "course-alb (used by load balancer course-alb): admits TCP 80 from anywhere (0.0.0.0/0); "
        "may connect out: all traffic to anywhere (0.0.0.0/0)",
        "course-tasks (used by service api, service web): admits TCP 8000 and TCP 8501 from "
        "members of course-alb; may connect out: all traffic to anywhere (0.0.0.0/0)",
    )


def test_groups_are_found_by_name_or_id(lab: Lab, course: CatchUp) -> None:
    by_id = security_groups(lab, course.task_security_group)
    assert by_id.passed and by_id.title == "Security groups course-tasks"
    assert security_groups(lab, "course-alb").title == "Security groups course-alb"


def test_a_new_group_admits_nothing_and_may_connect_anywhere(lab: Lab) -> None:
    """CreateSecurityGroup: no inbound rule, one outbound rule to anywhere."""
    ec2 = lab.client("ec2")
    vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    ec2.create_security_group(GroupName="hello", Description="hello", VpcId=vpc)
    result = security_groups(lab, "hello", lesson="02_ecs_fargate")
    assert result.passed
    assert result.found == (
        "hello: admits nothing: nobody can open a connection to it; may connect out: all traffic "
        "to anywhere (0.0.0.0/0)",
    )


def test_an_alb_group_without_port_80_from_anywhere_means_browsers_time_out(
    lab: Lab, course: CatchUp
) -> None:
    lab.client("ec2").revoke_security_group_ingress(
        GroupId=course.alb_security_group,
        IpPermissions=_tcp(80, IpRanges=[{"CidrIp": "0.0.0.0/0"}]),
    )
    result = security_groups(lab)
    assert not result.passed
    assert result.missing == (
        "Load balancer course-alb's groups do not admit TCP 80 from anywhere (0.0.0.0/0): "
        "browsers get no answer, the connection times out.",
    )


def test_a_task_group_that_does_not_admit_the_alb_means_target_timeouts(
    lab: Lab, course: CatchUp
) -> None:
    pair = {"UserIdGroupPairs": [{"GroupId": course.alb_security_group, **FROM_ALB}]}
    lab.client("ec2").revoke_security_group_ingress(
        GroupId=course.task_security_group, IpPermissions=_tcp(8000, **pair)
    )
    (missing,) = security_groups(lab).missing
    assert missing.startswith("Service api's tasks do not admit TCP 8000 from the load balancer")
    assert "(Target.Timeout)" in missing


def test_the_alb_admitted_by_its_subnets_addresses_counts(lab: Lab, course: CatchUp) -> None:
    """A CIDR rule holding the ALB's subnets admits its nodes as well as a group reference."""
    ec2 = lab.client("ec2")
    pair = {"UserIdGroupPairs": [{"GroupId": course.alb_security_group, **FROM_ALB}]}
    ec2.revoke_security_group_ingress(
        GroupId=course.task_security_group, IpPermissions=_tcp(8000, **pair)
    )
    cidr = ec2.describe_vpcs(VpcIds=[course.vpc])["Vpcs"][0]["CidrBlock"]
    ec2.authorize_security_group_ingress(
        GroupId=course.task_security_group, IpPermissions=_tcp(8000, IpRanges=[{"CidrIp": cidr}])
    )
    assert security_groups(lab).passed


def test_a_container_port_open_to_the_internet_is_named(lab: Lab, course: CatchUp) -> None:
    """AWS Config vpc-sg-open-only-to-authorized-ports (80 and 443 by Security Hub's default)."""
    lab.client("ec2").authorize_security_group_ingress(
        GroupId=course.task_security_group,
        IpPermissions=_tcp(8000, IpRanges=[{"CidrIp": "0.0.0.0/0"}]),
    )
    (missing,) = security_groups(lab).missing
    assert missing.startswith("course-tasks admits TCP 8000 from anywhere on the internet.")


def test_tasks_without_outbound_443_cannot_pull_their_image(lab: Lab, course: CatchUp) -> None:
    ec2 = lab.client("ec2")
    ec2.revoke_security_group_egress(
        GroupId=course.task_security_group,
        IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    missing = security_groups(lab, "course-tasks").missing
    assert "Service api's tasks may not connect out on TCP 443" in missing[0]
    assert "cannot reach ECR" in missing[0]


def test_an_alb_that_may_not_connect_out_to_the_tasks_is_named(lab: Lab, course: CatchUp) -> None:
    lab.client("ec2").revoke_security_group_egress(
        GroupId=course.alb_security_group,
        IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    missing = security_groups(lab, "course-tasks").missing
    assert missing == (
        "Load balancer course-alb's groups may not connect out to service api's tasks on TCP 8000.",
        "Load balancer course-alb's groups may not connect out to service web's tasks on TCP 8501.",
    )


def test_the_default_group_on_tasks_is_named(lab: Lab, course: CatchUp) -> None:
    ec2, ecs = lab.client("ec2"), lab.client("ecs")
    default = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["default"]}])[
        "SecurityGroups"
    ][0]["GroupId"]
    network = course.network()
    network["awsvpcConfiguration"]["securityGroups"] = [default]
    ecs.update_service(cluster="course", service="api", networkConfiguration=network)
    missing = security_groups(lab, "default").missing
    assert missing[0].startswith("default is the VPC's default group: it admits only its own")


def test_an_unknown_group_is_named(lab: Lab) -> None:
    result = security_groups(lab, "nope")
    assert result.missing == (
        "There is no security group 'nope': ec2.describe_security_groups() lists them.",
    )


def test_it_only_reads(lab: Lab, course: CatchUp) -> None:
    """Describe and list calls only, so it is safe on a real account."""
    calls: list[str] = []

    class Recording:
        def client(self, service: str) -> Any:
            client = lab.client(service)
            client.meta.events.register("before-call", lambda model, **_: calls.append(model.name))
            return client

    security_groups(Recording())
    assert calls and all(c.startswith(("Describe", "List")) for c in calls), calls
