"""What exists now that carries a lab's tag: one finder per kind of resource.

Each finder lists the resources of one kind with that service's own list and tag calls (IAM's
``ListRoles`` does not return tags, so roles are asked one by one with ``ListRoleTags``), and keeps
those tagged ``ecslab:lab=<name>``. Nothing untagged is ever returned, so nothing untagged is ever
deleted. The Resource Groups Tagging API is not used: it does not cover IAM roles and policies
(https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/supported-services.html).

The finders are listed in :data:`KINDS` in the order teardown deletes them: what depends on a
resource goes before it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from ecslab.account.tags import is_lab_resource

Clients = Callable[[str], Any]


def cached(clients: Clients) -> Clients:
    """``clients`` making each service's client once (creating a boto3 client takes ~30 ms)."""
    if getattr(clients, "is_cached", False):
        return clients
    made: dict[str, Any] = {}

    def client(service: str) -> Any:
        if service not in made:
            made[service] = clients(service)
        return made[service]

    client.is_cached = True  # type: ignore[attr-defined]
    return client


@dataclass(frozen=True)
class Resource:
    """One tagged resource: its kind (``"ecs-service"``, ...), identifier and readable name."""

    kind: str
    id: str
    name: str
    detail: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


def is_gone(error: ClientError) -> bool:
    """True when AWS says the resource is not there (deleted meanwhile)."""
    code = error.response.get("Error", {}).get("Code", "")
    return "NotFound" in code or code in {
        "NoSuchEntity",
        "ResourceNotFoundException",
        "ParameterNotFound",
        "InvalidGroup.NotFound",
        "RepositoryNotFoundException",
        "ClusterNotFoundException",
        "ServiceNotFoundException",
    }


def _pages(client: Any, operation: str, key: str, **kwargs: Any) -> Iterator[Any]:
    for page in client.get_paginator(operation).paginate(**kwargs):
        yield from page.get(key, [])


# -- ECS -----------------------------------------------------------------------------------------


def _clusters(clients: Clients) -> list[dict[str, Any]]:
    ecs = clients("ecs")
    arns = list(_pages(ecs, "list_clusters", "clusterArns"))
    found = []
    for start in range(0, len(arns), 100):  # DescribeClusters takes up to 100 clusters
        found += ecs.describe_clusters(clusters=arns[start : start + 100], include=["TAGS"])[
            "clusters"
        ]
    return found


def ecs_services(clients: Clients, lab: str) -> list[Resource]:
    """ACTIVE services: a DRAINING one is already being deleted (ECS stops its tasks, then marks
    it INACTIVE), and a tagged cluster's deletion waits for it to finish."""
    ecs = clients("ecs")
    found = []
    for cluster in _clusters(clients):
        arns = list(_pages(ecs, "list_services", "serviceArns", cluster=cluster["clusterArn"]))
        for start in range(0, len(arns), 10):  # DescribeServices takes up to 10 services
            described = ecs.describe_services(
                cluster=cluster["clusterArn"], services=arns[start : start + 10], include=["TAGS"]
            )["services"]
            found += [
                Resource("ecs-service", s["serviceArn"], s["serviceName"], s)
                for s in described
                if s.get("status") == "ACTIVE" and is_lab_resource(s.get("tags"), lab)
            ]
    return found


def ecs_tasks(clients: Clients, lab: str) -> list[Resource]:
    """Tasks started on their own (RunTask) with the lab's tags."""
    ecs = clients("ecs")
    found = []
    for cluster in _clusters(clients):
        arns = list(_pages(ecs, "list_tasks", "taskArns", cluster=cluster["clusterArn"]))
        for start in range(0, len(arns), 100):
            described = ecs.describe_tasks(
                cluster=cluster["clusterArn"], tasks=arns[start : start + 100], include=["TAGS"]
            )["tasks"]
            found += [
                Resource("ecs-task", t["taskArn"], t["taskArn"].rsplit("/", 1)[-1], t)
                for t in described
                if t.get("lastStatus") != "STOPPED" and is_lab_resource(t.get("tags"), lab)
            ]
    return found


def ecs_clusters(clients: Clients, lab: str) -> list[Resource]:
    return [
        Resource("ecs-cluster", c["clusterArn"], c["clusterName"], c)
        for c in _clusters(clients)
        if c.get("status") != "INACTIVE" and is_lab_resource(c.get("tags"), lab)
    ]


def ecs_task_definitions(clients: Clients, lab: str) -> list[Resource]:
    """Active task definition revisions (deregistered ones are INACTIVE and cost nothing)."""
    ecs = clients("ecs")
    found = []
    for arn in _pages(ecs, "list_task_definitions", "taskDefinitionArns", status="ACTIVE"):
        try:
            answer = ecs.describe_task_definition(taskDefinition=arn, include=["TAGS"])
        except ClientError as error:
            if is_gone(error) or error.response["Error"]["Code"] == "ClientException":
                continue
            raise
        if is_lab_resource(answer.get("tags"), lab):
            family = answer["taskDefinition"]
            name = f"{family['family']}:{family['revision']}"
            found.append(Resource("ecs-task-definition", arn, name, family))
    return found


# -- ECR -----------------------------------------------------------------------------------------


def ecr_repositories(clients: Clients, lab: str) -> list[Resource]:
    ecr = clients("ecr")
    found = []
    for repository in _pages(ecr, "describe_repositories", "repositories"):
        tags = ecr.list_tags_for_resource(resourceArn=repository["repositoryArn"]).get("tags")
        if is_lab_resource(tags, lab):
            found.append(
                Resource(
                    "ecr-repository",
                    repository["repositoryArn"],
                    repository["repositoryName"],
                    repository,
                )
            )
    return found


# -- ELBv2 ---------------------------------------------------------------------------------------


def _elbv2_tagged(clients: Clients, arns: list[str], lab: str) -> set[str]:
    elbv2 = clients("elbv2")
    tagged = set()
    for start in range(0, len(arns), 20):  # DescribeTags takes up to 20 ARNs
        for description in elbv2.describe_tags(ResourceArns=arns[start : start + 20])[
            "TagDescriptions"
        ]:
            if is_lab_resource(description.get("Tags"), lab):
                tagged.add(description["ResourceArn"])
    return tagged


def load_balancers(clients: Clients, lab: str) -> list[Resource]:
    balancers = list(_pages(clients("elbv2"), "describe_load_balancers", "LoadBalancers"))
    tagged = _elbv2_tagged(clients, [b["LoadBalancerArn"] for b in balancers], lab)
    return [
        Resource("load-balancer", b["LoadBalancerArn"], b["LoadBalancerName"], b)
        for b in balancers
        if b["LoadBalancerArn"] in tagged
    ]


def _balancer_of(arn: str) -> str:
    """The load balancer's name in a listener or rule ARN (``.../app/<name>/<id>/...``)."""
    parts = arn.split(":")[-1].split("/")
    return parts[2] if len(parts) > 2 else arn


def _listener_name(listener: dict[str, Any]) -> str:
    where = _balancer_of(listener["ListenerArn"])
    return f"{where} {listener['Protocol']}:{listener['Port']}"


def _rule_name(rule: dict[str, Any]) -> str:
    return f"{_balancer_of(rule['RuleArn'])} priority {rule['Priority']}"


def listeners(clients: Clients, lab: str) -> list[Resource]:
    """Tagged listeners, on any load balancer (their rules go with them)."""
    elbv2 = clients("elbv2")
    found: list[dict[str, Any]] = []
    for balancer in _pages(elbv2, "describe_load_balancers", "LoadBalancers"):
        found += _pages(
            elbv2, "describe_listeners", "Listeners", LoadBalancerArn=balancer["LoadBalancerArn"]
        )
    tagged = _elbv2_tagged(clients, [item["ListenerArn"] for item in found], lab)
    return [
        Resource("listener", item["ListenerArn"], _listener_name(item), item)
        for item in found
        if item["ListenerArn"] in tagged
    ]


def listener_rules(clients: Clients, lab: str) -> list[Resource]:
    """Tagged non-default rules (a listener's default rule goes with the listener)."""
    elbv2 = clients("elbv2")
    found: list[dict[str, Any]] = []
    for balancer in _pages(elbv2, "describe_load_balancers", "LoadBalancers"):
        for listener in _pages(
            elbv2, "describe_listeners", "Listeners", LoadBalancerArn=balancer["LoadBalancerArn"]
        ):
            rules = elbv2.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"]
            found += [r for r in rules if not r.get("IsDefault")]
    tagged = _elbv2_tagged(clients, [r["RuleArn"] for r in found], lab)
    return [
        Resource("listener-rule", r["RuleArn"], _rule_name(r), r)
        for r in found
        if r["RuleArn"] in tagged
    ]


def target_groups(clients: Clients, lab: str) -> list[Resource]:
    groups = list(_pages(clients("elbv2"), "describe_target_groups", "TargetGroups"))
    tagged = _elbv2_tagged(clients, [g["TargetGroupArn"] for g in groups], lab)
    return [
        Resource("target-group", g["TargetGroupArn"], g["TargetGroupName"], g)
        for g in groups
        if g["TargetGroupArn"] in tagged
    ]


# -- Secrets Manager, SSM, CloudWatch Logs -------------------------------------------------------


def secrets(clients: Clients, lab: str) -> list[Resource]:
    """Secrets (ListSecrets returns their tags; never their values)."""
    return [
        Resource("secret", s["ARN"], s["Name"], s)
        for s in _pages(clients("secretsmanager"), "list_secrets", "SecretList")
        if is_lab_resource(s.get("Tags"), lab)
    ]


def parameters(clients: Clients, lab: str) -> list[Resource]:
    ssm = clients("ssm")
    found = []
    for parameter in _pages(ssm, "describe_parameters", "Parameters"):
        try:
            tags = ssm.list_tags_for_resource(
                ResourceType="Parameter", ResourceId=parameter["Name"]
            )
        except ClientError as error:
            if is_gone(error) or error.response["Error"]["Code"] == "InvalidResourceId":
                continue
            raise
        if is_lab_resource(tags.get("TagList"), lab):
            found.append(Resource("parameter", parameter["Name"], parameter["Name"], parameter))
    return found


def log_groups(clients: Clients, lab: str) -> list[Resource]:
    logs = clients("logs")
    found = []
    for group in _pages(logs, "describe_log_groups", "logGroups"):
        try:
            tags = logs.list_tags_log_group(logGroupName=group["logGroupName"]).get("tags")
        except ClientError as error:
            if is_gone(error):
                continue
            raise
        if is_lab_resource(tags, lab):
            found.append(Resource("log-group", group["logGroupName"], group["logGroupName"], group))
    return found


# -- IAM (global) and EC2 ------------------------------------------------------------------------


def iam_roles(clients: Clients, lab: str) -> list[Resource]:
    iam = clients("iam")
    found = []
    for role in _pages(iam, "list_roles", "Roles"):
        if role.get("Path", "/").startswith("/aws-service-role/"):
            continue  # service-linked roles belong to AWS services, never to a lab
        try:
            tags = list(_pages(iam, "list_role_tags", "Tags", RoleName=role["RoleName"]))
        except ClientError as error:
            if is_gone(error):
                continue
            raise
        if is_lab_resource(tags, lab):
            found.append(Resource("iam-role", role["Arn"], role["RoleName"], role))
    return found


def iam_policies(clients: Clients, lab: str) -> list[Resource]:
    iam = clients("iam")
    found = []
    for policy in _pages(iam, "list_policies", "Policies", Scope="Local"):
        try:
            tags = list(_pages(iam, "list_policy_tags", "Tags", PolicyArn=policy["Arn"]))
        except ClientError as error:
            if is_gone(error):
                continue
            raise
        if is_lab_resource(tags, lab):
            found.append(Resource("iam-policy", policy["Arn"], policy["PolicyName"], policy))
    return found


def security_groups(clients: Clients, lab: str) -> list[Resource]:
    groups = _pages(
        clients("ec2"),
        "describe_security_groups",
        "SecurityGroups",
        Filters=[{"Name": "tag:ecslab:lab", "Values": [lab]}],
    )
    return [
        Resource("security-group", g["GroupId"], g.get("GroupName", g["GroupId"]), g)
        for g in groups
        if is_lab_resource(g.get("Tags"), lab)  # checked again: never trust a filter alone
    ]


def nat_gateways(clients: Clients, lab: str) -> list[Resource]:
    """NAT gateways not yet deleted: each bills by the hour, with its Elastic IP."""
    gateways = _pages(
        clients("ec2"),
        "describe_nat_gateways",
        "NatGateways",
        Filter=[{"Name": "tag:ecslab:lab", "Values": [lab]}],
    )
    return [
        Resource("nat-gateway", g["NatGatewayId"], g["NatGatewayId"], g)
        for g in gateways
        if is_lab_resource(g.get("Tags"), lab) and g.get("State") not in ("deleting", "deleted")
    ]


def elastic_ips(clients: Clients, lab: str) -> list[Resource]:
    """Elastic IPs (a NAT gateway's): billed by the hour until released."""
    addresses = clients("ec2").describe_addresses(
        Filters=[{"Name": "tag:ecslab:lab", "Values": [lab]}]
    )["Addresses"]
    return [
        Resource("elastic-ip", a["AllocationId"], a.get("PublicIp", a["AllocationId"]), a)
        for a in addresses
        if is_lab_resource(a.get("Tags"), lab)
    ]


#: Every kind, in teardown order: dependents first.
KINDS: list[tuple[str, Callable[[Clients, str], list[Resource]]]] = [
    ("ecs-service", ecs_services),
    ("ecs-task", ecs_tasks),
    ("listener-rule", listener_rules),
    ("listener", listeners),
    ("load-balancer", load_balancers),
    ("target-group", target_groups),
    ("nat-gateway", nat_gateways),
    ("elastic-ip", elastic_ips),
    ("ecs-cluster", ecs_clusters),
    ("ecs-task-definition", ecs_task_definitions),
    ("ecr-repository", ecr_repositories),
    ("secret", secrets),
    ("parameter", parameters),
    ("log-group", log_groups),
    ("iam-role", iam_roles),
    ("iam-policy", iam_policies),
    ("security-group", security_groups),
]


def inventory(clients: Clients, lab: str, kinds: Iterable[str] | None = None) -> list[Resource]:
    """Everything that carries ``ecslab:lab=<lab>`` now (of ``kinds``, if given), in teardown
    order."""
    wanted = None if kinds is None else set(kinds)
    found: list[Resource] = []
    clients = cached(clients)
    for kind, finder in KINDS:
        if wanted is None or kind in wanted:
            found += finder(clients, lab)
    return found
