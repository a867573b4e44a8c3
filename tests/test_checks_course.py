"""The checks of lessons 00, 02 and 05: a right and a wrong resource each."""

from __future__ import annotations

import pytest

from ecslab.checks.clusters import cluster, running_task
from ecslab.checks.routes import route
from ecslab.course.catch_up import catch_up
from ecslab.lab import Lab


@pytest.fixture(autouse=True)
def _progress_file(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECSLAB_PROGRESS_FILE", str(tmp_path / "progress.json"))


def test_cluster_check(lab: Lab) -> None:
    lab.client("ecs").create_cluster(clusterName="course")
    wrong = cluster(lab, "sandbox")
    assert not wrong and "no active cluster named 'sandbox'" in wrong.text()
    assert "The clusters there: course." in wrong.text()
    lab.client("ecs").create_cluster(clusterName="sandbox")
    assert cluster(lab, "sandbox")


def test_running_task_check_waits_for_running_and_the_subnet(lab: Lab) -> None:
    course = catch_up(lab, "04_services")
    ecs = lab.client("ecs")
    assert "Start one with ecs.run_task" in running_task(lab, "course", "api").text()
    ecs.run_task(
        cluster="course",
        taskDefinition="api",
        launchType="FARGATE",
        networkConfiguration=course.network(subnets=1),
    )
    assert not running_task(lab, "course", "api")  # still provisioning
    lab.advance(120)
    assert running_task(lab, "course", "api")
    elsewhere = running_task(lab, "course", "api", subnet=course.subnets[1])
    assert not elsewhere and "not in" in elsewhere.text()


def test_route_check_follows_the_rules_by_priority(lab: Lab) -> None:
    catch_up(lab, "06_cicd")  # the ALB: /api/* → api, everything else → web
    assert route(lab, "/api/hello", target_group="api")
    assert route(lab, "/", target_group="web")
    wrong = route(lab, "/health", target_group="api")
    assert not wrong and "The default rule sends /health to 'web'" in wrong.text()
    assert not route(lab, "/API/hello", target_group="api")  # case-sensitive, as on AWS


def test_route_check_says_when_the_learners_rule_misses_the_path(lab: Lab) -> None:
    course = catch_up(lab, "06_cicd")
    elbv2 = lab.client("elbv2")
    balancer = elbv2.describe_load_balancers(Names=["course-alb"])["LoadBalancers"][0]
    listener = elbv2.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"][0]
    elbv2.create_rule(
        ListenerArn=listener["ListenerArn"],
        Priority=5,
        Conditions=[{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/Health"]}}],
        Actions=[{"Type": "forward", "TargetGroupArn": course.target_groups["api"]}],
    )
    wrong = route(lab, "/health", target_group="api")
    assert not wrong
    assert (
        "The rule of priority 5 forwards to 'api', but its path-pattern ['/Health'] does not "
        "match /health" in wrong.text()
    )
