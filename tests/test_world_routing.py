"""Requests through the simulated ALB: rules by priority, then a healthy target, then the app."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

import pytest
from world_scenarios import apps_of, register, web_stack

from ecslab.errors import NoLoadBalancer
from ecslab.lab import Lab
from ecslab.semantics.listener_rules import Request, condition_matches
from ecslab.world.apps import HttpAnswer


@dataclass
class Named:
    """An app that says its name and the path it got."""

    name: str
    startup_seconds: float = 1.0

    def answer(
        self, method: str, path: str, headers: Mapping[str, str], environment: Mapping[str, str]
    ) -> HttpAnswer:
        return HttpAnswer(200, f"{self.name} {path}")

    def exit_code(self, environment: Mapping[str, str]) -> int | None:
        return None


def _path(*values: str) -> dict:
    return {"Field": "path-pattern", "PathPatternConfig": {"Values": list(values)}}


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("/api/*", "/api/users", True),
        ("/api/*", "/API/users", False),  # case sensitive
        ("/api/*", "/api", False),
        ("/img/?.png", "/img/a.png", True),
        ("/img/?.png", "/img/ab.png", False),
        ("/search", "/search?q=x", True),  # the query string is not part of the path
    ],
)
def test_path_patterns_are_case_sensitive_wildcards_on_the_path_only(
    pattern: str, path: str, expected: bool
) -> None:
    """path-pattern: * and ?, case sensitive, compared to the path only (elbv2 model)."""
    assert condition_matches(_path(pattern), Request.parse(path)) is expected


def test_host_headers_match_case_insensitively() -> None:
    """host-header: case insensitive, with wildcards."""
    condition = {"Field": "host-header", "HostHeaderConfig": {"Values": ["*.Example.com"]}}
    assert condition_matches(condition, Request.parse("/", host="API.example.COM"))
    assert not condition_matches(condition, Request.parse("/", host="example.org"))


def test_http_header_and_query_string_conditions() -> None:
    """http-header by name and value; query-string by key and value."""
    header = {
        "Field": "http-header",
        "HttpHeaderConfig": {"HttpHeaderName": "X-Beta", "Values": ["yes"]},
    }
    query = {
        "Field": "query-string",
        "QueryStringConfig": {"Values": [{"Key": "version", "Value": "2"}]},
    }
    assert condition_matches(header, Request.parse("/", headers={"x-beta": "yes"}))
    assert not condition_matches(header, Request.parse("/"))
    assert condition_matches(query, Request.parse("/?version=2&x=1"))
    assert not condition_matches(query, Request.parse("/?version=3"))


def _two_services(lab: Lab) -> tuple[object, str]:
    """web (default rule) and api (rule priority 10, /api/*) behind one listener."""
    apps_of(lab).register("nginx:1.27", Named("web"))
    apps_of(lab).register("api:1", Named("api"))
    stack = web_stack(lab, desired=2)
    elbv2, ecs = lab.client("elbv2"), lab.client("ecs")
    vpc = lab.client("ec2").describe_subnets()["Subnets"][0]["VpcId"]
    api_group = elbv2.create_target_group(
        Name="api", Protocol="HTTP", Port=80, VpcId=vpc, TargetType="ip"
    )["TargetGroups"][0]["TargetGroupArn"]
    rule = elbv2.create_rule(
        ListenerArn=stack.listener,
        Priority=10,
        Conditions=[_path("/api/*")],
        Actions=[{"Type": "forward", "TargetGroupArn": api_group}],
    )["Rules"][0]["RuleArn"]
    definition = ecs.register_task_definition(
        family="api",
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        cpu="256",
        memory="512",
        containerDefinitions=[
            {"name": "api", "image": "api:1", "portMappings": [{"containerPort": 80}]}
        ],
    )["taskDefinition"]["taskDefinitionArn"]
    ecs.create_service(
        cluster="demo",
        serviceName="api",
        taskDefinition=definition,
        desiredCount=1,
        launchType="FARGATE",
        networkConfiguration={
            "awsvpcConfiguration": {
                "subnets": stack.subnets,
                "securityGroups": [stack.task_security_group],
                "assignPublicIp": "ENABLED",
            }
        },
        loadBalancers=[{"targetGroupArn": api_group, "containerName": "api", "containerPort": 80}],
    )
    lab.wait_stable("demo", "web")
    lab.wait_stable("demo", "api")
    return stack, rule


def test_requests_route_by_rule_to_the_right_service(lab: Lab) -> None:
    """/api/* goes to the api service by its rule; everything else falls to the default rule."""
    stack, api_rule = _two_services(lab)
    api = lab.request("/api/users?page=2")
    assert (api.status, api.body, api.rule_arn) == (200, "api /api/users?page=2", api_rule)
    assert api.rule_priority == "10"
    web = lab.request("/API/users")
    assert web.body == "web /API/users"
    assert web.target_group_arn == stack.target_group
    assert web.rule_arn and web.rule_arn != api_rule
    assert lab.last_request is web


def test_healthy_targets_take_turns(lab: Lab) -> None:
    """Round robin: two requests reach the two targets of the group."""
    stack = web_stack(lab, desired=2)
    lab.wait_stable("demo", "web")
    targets = [lab.request("/").target_id for _ in range(4)]
    assert len(set(targets)) == 2 and targets[0] == targets[2]
    assert set(targets) == {d["Target"]["Id"] for d in stack.health()}


def test_a_group_with_no_targets_answers_503(lab: Lab) -> None:
    """With no registered target, the load balancer itself answers 503."""
    web_stack(lab, desired=0)
    answer = lab.request("/")
    assert (answer.status, answer.target_id) == (503, None)


def test_all_unhealthy_targets_still_get_requests(lab: Lab) -> None:
    """Fail open: when every target is unhealthy the load balancer uses them all."""
    web_stack(lab, desired=1, service_options={"healthCheckGracePeriodSeconds": 3600})
    lab.wait_stable("demo", "web")
    lab.faults.fail_health_checks("web", "demo", status=500)
    lab.advance(90)
    answer = lab.request("/")
    assert (answer.status, answer.body) == (200, "OK")


def test_a_fixed_response_rule_answers_without_a_target(lab: Lab) -> None:
    """fixed-response: the rule's own status and body."""
    stack = web_stack(lab, desired=0)
    lab.client("elbv2").create_rule(
        ListenerArn=stack.listener,
        Priority=5,
        Conditions=[_path("/maintenance")],
        Actions=[
            {
                "Type": "fixed-response",
                "FixedResponseConfig": {
                    "StatusCode": "503",
                    "MessageBody": "back soon",
                    "ContentType": "text/plain",
                },
            }
        ],
    )
    assert (lab.request("/maintenance").status, lab.last_request.body) == (503, "back soon")


def test_the_result_prints_the_way_the_request_went(lab: Lab) -> None:
    """A stable one-line text: method, URL, status, rule, target group, target, body."""
    web_stack(lab, desired=1)
    lab.wait_stable("demo", "web")
    text = repr(lab.request("/hello"))
    assert text.startswith("<GET /hello → 200 via default rule, target group web, target 172.31.")
    assert text.endswith(": 'OK'>")
    rules = lab.client("elbv2").describe_rules(ListenerArn=lab.last_request.listener_arn)["Rules"]
    assert lab.last_request.rule_arn == rules[0]["RuleArn"]


def test_the_default_rule_arn_repeats_run_to_run() -> None:
    """moto names the default rule after a Python object id; the world gives it a stable one."""

    def default_rule() -> str:
        with Lab() as lab:
            stack = web_stack(lab, desired=0)
            rules = lab.client("elbv2").describe_rules(ListenerArn=stack.listener)["Rules"]
            return rules[0]["RuleArn"]

    assert default_rule() == default_rule()


def test_a_running_task_keeps_the_image_it_started_with(lab: Lab) -> None:
    """Pushing a new image to the same tag changes nothing until tasks are replaced."""
    ecr = lab.client("ecr")
    uri = ecr.create_repository(repositoryName="web")["repository"]["repositoryUri"]

    def push(digit: str) -> dict:
        return ecr.put_image(
            repositoryName="web",
            imageTag="live",
            imageManifest=json.dumps(
                {
                    "schemaVersion": 2,
                    "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                    "config": {"digest": f"sha256:{digit * 64}"},
                    "layers": [],
                }
            ),
            imageDigest=f"sha256:{digit * 64}",
        )

    first = push("1")
    apps_of(lab).register(first["image"]["imageId"]["imageDigest"], Named("v1"))
    stack = web_stack(lab, desired=1, task_definition=register(lab, image=f"{uri}:live"))
    lab.wait_stable("demo", "web")
    second = push("2")
    apps_of(lab).register(second["image"]["imageId"]["imageDigest"], Named("v2"))
    assert lab.request("/").body == "v1 /"
    lab.client("ecs").update_service(cluster="demo", service="web", forceNewDeployment=True)
    lab.wait_stable("demo", "web")
    assert lab.request("/").body == "v2 /"
    digest = stack.tasks()[0]["containers"][0]["imageDigest"]
    assert digest == second["image"]["imageId"]["imageDigest"]


def test_a_request_with_no_load_balancer_is_one_sentence(lab: Lab) -> None:
    """lab.request before any ALB exists: NoLoadBalancer (a LookupError, as it always was)."""
    with pytest.raises(NoLoadBalancer, match=r"create one with elbv2\.create_load") as raised:
        lab.request("/")
    assert isinstance(raised.value, LookupError)
