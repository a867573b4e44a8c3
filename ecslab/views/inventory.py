"""One snapshot of a lab's account, taken with the fewest API calls AWS's batch limits allow.

The snapshot reads what a learner builds in the course: ECR repositories and images; ECS
clusters, services with their deployments, tasks with their health, and the task definitions in
use; ALBs with their listeners, rules, target groups and registered targets; and what the task
definitions reference (secrets and parameters, task and execution roles, log groups).

It uses boto3 clients only, so it works the same on every backend, a real account included. Every
describe call is batched to the largest size its API accepts and every list call asks for its
largest page, so an account with hundreds of resources is read without throttling:

==========================  ======================================  ===============================
call                        limit (botocore service model)          calls for the whole account
==========================  ======================================  ===============================
ecr DescribeRepositories    maxResults ≤ 1000                       ⌈repositories / 1000⌉ (≥ 1)
ecr DescribeImages          maxResults ≤ 1000, one repository       per repository ⌈images / 1000⌉
ecs ListClusters            maxResults ≤ 100                        ⌈clusters / 100⌉ (≥ 1)
ecs DescribeClusters        ``clusters``: up to 100                 ⌈clusters / 100⌉
ecs ListServices            maxResults ≤ 100, one cluster           per cluster ⌈services / 100⌉
ecs DescribeServices        ``services``: up to 10, one cluster     per cluster ⌈services / 10⌉
ecs ListTasks               maxResults ≤ 100, one cluster           per cluster ⌈tasks / 100⌉
ecs DescribeTasks           ``tasks``: up to 100, one cluster       per cluster ⌈tasks / 100⌉
ecs DescribeTaskDefinition  one task definition                     one per revision in use (1)
elbv2 DescribeLoadBalancers PageSize ≤ 400                          ⌈load balancers / 400⌉ (≥ 1)
elbv2 DescribeListeners     PageSize ≤ 400, one load balancer       per load balancer
elbv2 DescribeRules         PageSize ≤ 400, one listener            per listener
elbv2 DescribeTargetGroups  PageSize ≤ 400                          ⌈target groups / 400⌉ (≥ 1)
elbv2 DescribeTargetHealth  one target group                        one per target group
ec2 DescribeVpcs            MaxResults ≤ 1000                       ⌈VPCs / 1000⌉ (≥ 1)
ec2 DescribeSubnets         MaxResults ≤ 1000                       ⌈subnets / 1000⌉ (≥ 1)
ec2 DescribeRouteTables     MaxResults ≤ 100                        ⌈route tables / 100⌉ (≥ 1)
ec2 DescribeSecurityGroups  MaxResults ≤ 1000                       ⌈groups / 1000⌉ (≥ 1)
==========================  ======================================  ===============================

(1) Only the first time an :class:`Inventory` meets a revision: a task definition's revision never
changes once registered (a change is a new revision), so the live diagram, which takes a snapshot
after every cell that changed something, asks for each revision once.

Sources: the ``DescribeServices``, ``DescribeTasks`` and ``DescribeClusters`` member docs and the
``maxResults``/``PageSize`` ranges in botocore's models (``ecs/2014-11-13``, ``elbv2/2015-12-01``,
``ecr/2015-09-21``, ``ec2/2016-11-15``);
https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServices.html.

The network is read the same way, so the picture shows where things are: each VPC, its subnets
(public when their route table, or the VPC's main one, sends ``0.0.0.0/0`` to an internet
gateway), the security groups with their inbound rules, the ALB's zones and groups, and each
task's subnet from its ``ElasticNetworkInterface`` attachment.

Secrets, parameters, roles and log groups are read from the task definitions that reference
them: no extra call, and no secret value is ever fetched. ``ListTasks`` asks for tasks whose
desired status is RUNNING (AWS's default), so a task that was told to stop leaves the picture.

:attr:`Inventory.calls` counts every request the clients sent, by operation, so tests and
benchmarks can hold the snapshot to the bound (:func:`call_bound`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ecslab.semantics.listener_rules import priority_order
from ecslab.views.snapshot import (
    Action,
    Cluster,
    ContainerDef,
    Deployment,
    Image,
    Listener,
    LoadBalancer,
    Permission,
    Repository,
    Rule,
    SecretRef,
    SecurityGroup,
    Service,
    ServiceLoadBalancer,
    Snapshot,
    Subnet,
    Target,
    TargetGroup,
    Task,
    TaskDefinition,
    Vpc,
)

#: The batch sizes and page sizes of the table above.
ECS_DESCRIBE_SERVICES_BATCH = 10
ECS_DESCRIBE_TASKS_BATCH = 100
ECS_DESCRIBE_CLUSTERS_BATCH = 100
ECS_LIST_PAGE = 100
ELBV2_PAGE = 400
ECR_PAGE = 1000
EC2_PAGE = 1000
EC2_ROUTE_TABLE_PAGE = 100

# -- taking it -------------------------------------------------------------------------------------


@dataclass
class Inventory:
    """Takes snapshots through a ``client(name)`` factory such as ``lab.client``.

    ``calls`` counts the requests sent by operation name (``"DescribeServices"``, ...); it is
    cleared at the start of each :meth:`snapshot`. Task definitions read once are kept: a
    revision never changes (AWS's ``RegisterTaskDefinition`` makes a new one for each change).
    """

    client_factory: Callable[[str], Any]
    region: str = ""
    calls: Counter[str] = field(default_factory=Counter)
    _clients: dict[str, Any] = field(default_factory=dict, repr=False)
    _task_definitions: dict[str, TaskDefinition] = field(default_factory=dict, repr=False)

    def client(self, service: str) -> Any:
        if service not in self._clients:
            made = self.client_factory(service)
            made.meta.events.register("before-call.*.*", self._count)
            self._clients[service] = made
            self.region = self.region or made.meta.region_name
        return self._clients[service]

    def _count(self, model: Any, **_: Any) -> None:
        self.calls[model.name] += 1

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())

    def snapshot(self) -> Snapshot:
        self.calls.clear()
        ecs = _EcsReader(self.client("ecs"))
        clusters = ecs.clusters()
        services: list[Service] = []
        tasks: list[Task] = []
        for cluster in clusters:
            services.extend(ecs.services(cluster.arn))
            tasks.extend(ecs.tasks(cluster.arn))
        in_use = sorted(
            {d.task_definition_arn for s in services for d in s.deployments}
            | {s.task_definition_arn for s in services if s.task_definition_arn}
            | {t.task_definition_arn for t in tasks}
        )
        for arn in in_use:
            if arn not in self._task_definitions:
                self._task_definitions[arn] = ecs.task_definition(arn)
        task_definitions = [self._task_definitions[arn] for arn in in_use]
        elb = _ElbReader(self.client("elbv2"))
        load_balancers = elb.load_balancers()
        listeners = [x for lb in load_balancers for x in elb.listeners(lb.arn)]
        rules = [x for listener in listeners for x in elb.rules(listener.arn)]
        vpcs, subnets, groups = _read_network(self.client("ec2"))
        return Snapshot(
            region=self.region,
            vpcs=vpcs,
            subnets=subnets,
            security_groups=groups,
            repositories=tuple(_read_repositories(self.client("ecr"))),
            clusters=tuple(clusters),
            services=tuple(sorted(services, key=lambda s: (s.cluster_arn, s.name))),
            tasks=tuple(sorted(tasks, key=lambda t: (t.cluster_arn, t.group or "", t.arn))),
            task_definitions=tuple(task_definitions),
            load_balancers=tuple(load_balancers),
            listeners=tuple(sorted(listeners, key=lambda x: (x.load_balancer_arn, x.port or 0))),
            rules=tuple(sorted(rules, key=lambda r: (r.listener_arn, priority_order(r.priority)))),
            target_groups=tuple(elb.target_groups()),
        )


def call_bound(snapshot: Snapshot) -> Counter[str]:
    """The fewest calls, by operation, that AWS's batch and page limits allow for ``snapshot``."""
    pages = lambda count, size: max(1, math.ceil(count / size))  # noqa: E731
    bound: Counter[str] = Counter()
    bound["DescribeRepositories"] = pages(len(snapshot.repositories), ECR_PAGE)
    for repository in snapshot.repositories:
        bound["DescribeImages"] += pages(len(repository.images), ECR_PAGE)
    bound["ListClusters"] = pages(len(snapshot.clusters), ECS_LIST_PAGE)
    if snapshot.clusters:
        bound["DescribeClusters"] = math.ceil(len(snapshot.clusters) / ECS_DESCRIBE_CLUSTERS_BATCH)
    for cluster in snapshot.clusters:
        services = sum(1 for s in snapshot.services if s.cluster_arn == cluster.arn)
        tasks = sum(1 for t in snapshot.tasks if t.cluster_arn == cluster.arn)
        bound["ListServices"] += pages(services, ECS_LIST_PAGE)
        bound["DescribeServices"] += math.ceil(services / ECS_DESCRIBE_SERVICES_BATCH)
        bound["ListTasks"] += pages(tasks, ECS_LIST_PAGE)
        bound["DescribeTasks"] += math.ceil(tasks / ECS_DESCRIBE_TASKS_BATCH)
    bound["DescribeTaskDefinition"] = len(snapshot.task_definitions)
    bound["DescribeLoadBalancers"] = pages(len(snapshot.load_balancers), ELBV2_PAGE)
    for lb in snapshot.load_balancers:
        listeners = sum(1 for x in snapshot.listeners if x.load_balancer_arn == lb.arn)
        bound["DescribeListeners"] += pages(listeners, ELBV2_PAGE)
    for listener in snapshot.listeners:
        rules = sum(1 for r in snapshot.rules if r.listener_arn == listener.arn)
        bound["DescribeRules"] += pages(rules, ELBV2_PAGE)
    bound["DescribeTargetGroups"] = pages(len(snapshot.target_groups), ELBV2_PAGE)
    bound["DescribeTargetHealth"] = len(snapshot.target_groups)
    bound["DescribeVpcs"] = pages(len(snapshot.vpcs), EC2_PAGE)
    bound["DescribeSubnets"] = pages(len(snapshot.subnets), EC2_PAGE)
    bound["DescribeRouteTables"] = pages(len(snapshot.vpcs), EC2_ROUTE_TABLE_PAGE)
    bound["DescribeSecurityGroups"] = pages(len(snapshot.security_groups), EC2_PAGE)
    return +bound  # drop the zeros


def snapshot(client_factory: Callable[[str], Any]) -> Snapshot:
    """A snapshot through ``client_factory`` (``lab.client`` or ``boto3.client``)."""
    return Inventory(client_factory).snapshot()


# -- the readers: one per service ------------------------------------------------------------------


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _pages(
    call: Callable[..., dict[str, Any]], key: str, token: str, next_token: str, **params: Any
) -> Iterator[Any]:
    """Every item of a paginated list, following ``next_token`` in each answer."""
    while True:
        answer = call(**params)
        yield from answer.get(key, [])
        marker = answer.get(next_token)
        if not marker:
            return
        params[token] = marker


class _EcsReader:
    def __init__(self, ecs: Any) -> None:
        self.ecs = ecs

    def clusters(self) -> list[Cluster]:
        arns = list(
            _pages(
                self.ecs.list_clusters,
                "clusterArns",
                "nextToken",
                "nextToken",
                maxResults=ECS_LIST_PAGE,
            )
        )
        clusters = []
        for batch in _chunks(arns, ECS_DESCRIBE_CLUSTERS_BATCH):
            for c in self.ecs.describe_clusters(clusters=batch)["clusters"]:
                clusters.append(Cluster(c["clusterArn"], c["clusterName"], c.get("status", "")))
        return sorted(clusters, key=lambda c: c.name)

    def services(self, cluster_arn: str) -> list[Service]:
        arns = list(
            _pages(
                self.ecs.list_services,
                "serviceArns",
                "nextToken",
                "nextToken",
                cluster=cluster_arn,
                maxResults=ECS_LIST_PAGE,
            )
        )
        found = []
        for batch in _chunks(arns, ECS_DESCRIBE_SERVICES_BATCH):
            for s in self.ecs.describe_services(cluster=cluster_arn, services=batch)["services"]:
                if s.get("status") != "INACTIVE":
                    found.append(_service(s, cluster_arn))
        return found

    def tasks(self, cluster_arn: str) -> list[Task]:
        arns = list(
            _pages(
                self.ecs.list_tasks,
                "taskArns",
                "nextToken",
                "nextToken",
                cluster=cluster_arn,
                desiredStatus="RUNNING",
                maxResults=ECS_LIST_PAGE,
            )
        )
        found = []
        for batch in _chunks(arns, ECS_DESCRIBE_TASKS_BATCH):
            for t in self.ecs.describe_tasks(cluster=cluster_arn, tasks=batch)["tasks"]:
                # A task told to stop, or stopped, has left the service (AWS lists it until then).
                if t.get("desiredStatus") == "RUNNING" and t.get("lastStatus") != "STOPPED":
                    found.append(_task(t, cluster_arn))
        return found

    def task_definition(self, arn: str) -> TaskDefinition:
        t = self.ecs.describe_task_definition(taskDefinition=arn)["taskDefinition"]
        containers = tuple(
            ContainerDef(
                name=c["name"],
                image=c.get("image", ""),
                secrets=tuple(SecretRef(s["name"], s["valueFrom"]) for s in c.get("secrets", [])),
                log_group=(c.get("logConfiguration") or {}).get("options", {}).get("awslogs-group"),
            )
            for c in t.get("containerDefinitions", [])
        )
        return TaskDefinition(
            arn=t["taskDefinitionArn"],
            family=t["family"],
            revision=int(t["revision"]),
            containers=containers,
            task_role_arn=t.get("taskRoleArn"),
            execution_role_arn=t.get("executionRoleArn"),
            compatibilities=tuple(sorted(t.get("requiresCompatibilities", []))),
        )


def _service(s: dict[str, Any], cluster_arn: str) -> Service:
    deployments = tuple(
        Deployment(
            id=d.get("id", ""),
            status=d.get("status", ""),
            task_definition_arn=d.get("taskDefinition", ""),
            desired=int(d.get("desiredCount", 0)),
            running=int(d.get("runningCount", 0)),
            pending=int(d.get("pendingCount", 0)),
            rollout_state=d.get("rolloutState"),
        )
        for d in s.get("deployments", [])
    )
    return Service(
        arn=s["serviceArn"],
        name=s["serviceName"],
        cluster_arn=s.get("clusterArn", cluster_arn),
        status=s.get("status", ""),
        desired=int(s.get("desiredCount", 0)),
        running=int(s.get("runningCount", 0)),
        pending=int(s.get("pendingCount", 0)),
        launch_type=s.get("launchType"),
        task_definition_arn=s.get("taskDefinition", ""),
        deployments=tuple(sorted(deployments, key=lambda d: (d.status != "PRIMARY", d.id))),
        load_balancers=tuple(
            ServiceLoadBalancer(
                lb.get("targetGroupArn"), lb.get("containerName"), lb.get("containerPort")
            )
            for lb in s.get("loadBalancers", [])
        ),
        security_groups=tuple(
            sorted(
                ((s.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}).get(
                    "securityGroups", []
                )
            )
        ),
    )


def _task(t: dict[str, Any], cluster_arn: str) -> Task:
    ips = sorted(
        {
            detail["value"]
            for attachment in t.get("attachments", [])
            for detail in attachment.get("details", [])
            if detail.get("name") == "privateIPv4Address"
        }
        | {
            interface["privateIpv4Address"]
            for container in t.get("containers", [])
            for interface in container.get("networkInterfaces", [])
            if interface.get("privateIpv4Address")
        }
    )
    return Task(
        arn=t["taskArn"],
        cluster_arn=t.get("clusterArn", cluster_arn),
        group=t.get("group"),
        task_definition_arn=t.get("taskDefinitionArn", ""),
        last_status=t.get("lastStatus", ""),
        desired_status=t.get("desiredStatus", ""),
        health_status=t.get("healthStatus"),
        launch_type=t.get("launchType"),
        private_ips=tuple(ips),
        subnet_id=next(
            (
                detail["value"]
                for attachment in t.get("attachments", [])
                if attachment.get("type") == "ElasticNetworkInterface"
                for detail in attachment.get("details", [])
                if detail.get("name") == "subnetId"
            ),
            None,
        ),
    )


class _ElbReader:
    def __init__(self, elbv2: Any) -> None:
        self.elbv2 = elbv2

    def load_balancers(self) -> list[LoadBalancer]:
        found = [
            LoadBalancer(
                arn=lb["LoadBalancerArn"],
                name=lb["LoadBalancerName"],
                dns_name=lb.get("DNSName", ""),
                scheme=lb.get("Scheme"),
                type=lb.get("Type"),
                state=(lb.get("State") or {}).get("Code"),
                vpc_id=lb.get("VpcId"),
                zones=tuple(
                    sorted(
                        (z["ZoneName"], z.get("SubnetId", ""))
                        for z in lb.get("AvailabilityZones", [])
                    )
                ),
                security_groups=tuple(sorted(lb.get("SecurityGroups", []))),
            )
            for lb in _pages(
                self.elbv2.describe_load_balancers,
                "LoadBalancers",
                "Marker",
                "NextMarker",
                PageSize=ELBV2_PAGE,
            )
        ]
        return sorted(found, key=lambda lb: lb.name)

    def listeners(self, load_balancer_arn: str) -> list[Listener]:
        return [
            Listener(x["ListenerArn"], load_balancer_arn, x.get("Port"), x.get("Protocol"))
            for x in _pages(
                self.elbv2.describe_listeners,
                "Listeners",
                "Marker",
                "NextMarker",
                LoadBalancerArn=load_balancer_arn,
                PageSize=ELBV2_PAGE,
            )
        ]

    def rules(self, listener_arn: str) -> list[Rule]:
        return [
            Rule(
                arn=r["RuleArn"],
                listener_arn=listener_arn,
                priority=str(r.get("Priority", "default")),
                conditions=tuple(_condition_text(c) for c in r.get("Conditions", [])),
                actions=tuple(_action(a) for a in r.get("Actions", [])),
            )
            for r in _pages(
                self.elbv2.describe_rules,
                "Rules",
                "Marker",
                "NextMarker",
                ListenerArn=listener_arn,
                PageSize=ELBV2_PAGE,
            )
        ]

    def target_groups(self) -> list[TargetGroup]:
        groups = list(
            _pages(
                self.elbv2.describe_target_groups,
                "TargetGroups",
                "Marker",
                "NextMarker",
                PageSize=ELBV2_PAGE,
            )
        )
        found = []
        for g in groups:
            health = self.elbv2.describe_target_health(TargetGroupArn=g["TargetGroupArn"])
            targets = tuple(
                sorted(
                    (
                        Target(
                            id=h["Target"]["Id"],
                            port=h["Target"].get("Port"),
                            state=(h.get("TargetHealth") or {}).get("State"),
                            reason=(h.get("TargetHealth") or {}).get("Reason"),
                        )
                        for h in health.get("TargetHealthDescriptions", [])
                    ),
                    key=lambda t: (t.id, t.port or 0),
                )
            )
            found.append(
                TargetGroup(
                    arn=g["TargetGroupArn"],
                    name=g["TargetGroupName"],
                    port=g.get("Port"),
                    protocol=g.get("Protocol"),
                    target_type=g.get("TargetType"),
                    load_balancer_arns=tuple(sorted(g.get("LoadBalancerArns", []))),
                    targets=targets,
                    health_check_path=g.get("HealthCheckPath"),
                )
            )
        return sorted(found, key=lambda g: g.name)


def _condition_text(condition: dict[str, Any]) -> str:
    """A rule condition as a learner reads it: ``path /api/*``, ``host api.example.com``."""
    field_name = condition.get("Field", "")
    short = {
        "path-pattern": "path",
        "host-header": "host",
        "http-request-method": "method",
        "source-ip": "source",
        "http-header": "header",
        "query-string": "query",
    }
    values: Iterable[str] = condition.get("Values") or []
    for key in (
        "PathPatternConfig",
        "HostHeaderConfig",
        "HttpRequestMethodConfig",
        "SourceIpConfig",
    ):
        if condition.get(key, {}).get("Values"):
            values = condition[key]["Values"]
    if condition.get("HttpHeaderConfig"):
        header = condition["HttpHeaderConfig"]
        values = [f"{header.get('HttpHeaderName', '')}: {v}" for v in header.get("Values", [])]
    if condition.get("QueryStringConfig"):
        values = [
            f"{q.get('Key', '')}={q.get('Value', '')}"
            for q in condition["QueryStringConfig"].get("Values", [])
        ]
    return f"{short.get(field_name, field_name)} {', '.join(sorted(set(values)))}"


def _action(action: dict[str, Any]) -> Action:
    groups: list[tuple[str, int | None]] = []
    forward = action.get("ForwardConfig") or {}
    for g in forward.get("TargetGroups", []):
        groups.append((g["TargetGroupArn"], g.get("Weight")))
    if not groups and action.get("TargetGroupArn"):
        groups.append((action["TargetGroupArn"], None))
    return Action(type=action.get("Type", ""), target_groups=tuple(sorted(groups)))


def _read_repositories(ecr: Any) -> Iterator[Repository]:
    repositories = sorted(
        _pages(
            ecr.describe_repositories, "repositories", "nextToken", "nextToken", maxResults=ECR_PAGE
        ),
        key=lambda r: r["repositoryName"],
    )
    for r in repositories:
        images = [
            Image(
                r["repositoryName"], i.get("imageDigest", ""), tuple(sorted(i.get("imageTags", [])))
            )
            for i in _pages(
                ecr.describe_images,
                "imageDetails",
                "nextToken",
                "nextToken",
                repositoryName=r["repositoryName"],
                maxResults=ECR_PAGE,
            )
        ]
        yield Repository(
            r["repositoryName"],
            r.get("repositoryUri", ""),
            tuple(sorted(images, key=lambda i: (i.tags, i.digest))),
        )


def _read_network(
    ec2: Any,
) -> tuple[tuple[Vpc, ...], tuple[Subnet, ...], tuple[SecurityGroup, ...]]:
    """VPCs with their internet gateway, subnets public or private, security groups' inbound
    rules: four list calls, whatever the account holds."""

    def every(call: Callable[..., dict[str, Any]], key: str, page: int = EC2_PAGE) -> list[Any]:
        return list(_pages(call, key, "NextToken", "NextToken", MaxResults=page))

    tables = every(ec2.describe_route_tables, "RouteTables", EC2_ROUTE_TABLE_PAGE)
    # A VPC's internet gateway, as its route tables use it (one call fewer than listing the
    # gateways; one with no route to it carries no traffic, so the picture leaves it out).
    gateways = {
        t["VpcId"]: route["GatewayId"]
        for t in tables
        for route in t.get("Routes", [])
        if str(route.get("GatewayId", "")).startswith("igw-")
    }
    vpcs = tuple(
        sorted(
            (
                Vpc(
                    v["VpcId"],
                    v.get("CidrBlock", ""),
                    bool(v.get("IsDefault")),
                    gateways.get(v["VpcId"]),
                )
                for v in every(ec2.describe_vpcs, "Vpcs")
            ),
            key=lambda v: v.id,
        )
    )
    main = {t["VpcId"]: t for t in tables if any(a.get("Main") for a in t.get("Associations", []))}
    explicit = {
        a["SubnetId"]: t for t in tables for a in t.get("Associations", []) if a.get("SubnetId")
    }

    def default_route(table: dict[str, Any] | None) -> dict[str, Any]:
        routes = (table or {}).get("Routes", [])
        return next((r for r in routes if r.get("DestinationCidrBlock") == "0.0.0.0/0"), {})

    subnets = []
    for s in every(ec2.describe_subnets, "Subnets"):
        route = default_route(explicit.get(s["SubnetId"]) or main.get(s["VpcId"]))
        subnets.append(
            Subnet(
                id=s["SubnetId"],
                vpc_id=s["VpcId"],
                zone=s.get("AvailabilityZone", ""),
                cidr=s.get("CidrBlock", ""),
                public=str(route.get("GatewayId", "")).startswith("igw-"),
                nat_gateway=route.get("NatGatewayId"),
            )
        )
    groups = tuple(
        sorted(
            (
                SecurityGroup(
                    id=g["GroupId"],
                    name=g.get("GroupName", ""),
                    vpc_id=g.get("VpcId", ""),
                    inbound=tuple(_permission(p) for p in g.get("IpPermissions", [])),
                )
                for g in every(ec2.describe_security_groups, "SecurityGroups")
            ),
            key=lambda g: g.id,
        )
    )
    return vpcs, tuple(sorted(subnets, key=lambda s: (s.vpc_id, s.zone, s.id))), groups


def _permission(p: dict[str, Any]) -> Permission:
    sources = [r["CidrIp"] for r in p.get("IpRanges", [])]
    sources += [r["CidrIpv6"] for r in p.get("Ipv6Ranges", [])]
    sources += [r["GroupId"] for r in p.get("UserIdGroupPairs", []) if r.get("GroupId")]
    sources += [r["PrefixListId"] for r in p.get("PrefixListIds", [])]
    return Permission(
        protocol=str(p.get("IpProtocol", "-1")),
        from_port=p.get("FromPort"),
        to_port=p.get("ToPort"),
        sources=tuple(sorted(sources)),
    )
