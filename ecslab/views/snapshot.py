"""What a snapshot holds: plain, frozen, comparable data about one account at one moment.

:mod:`ecslab.views.inventory` fills it in through boto3; :mod:`ecslab.views.graph` draws it.
Every collection is a sorted tuple, so the same account read twice gives equal snapshots.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Image:
    repository: str
    digest: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Repository:
    name: str
    uri: str
    images: tuple[Image, ...]


@dataclass(frozen=True)
class SecretRef:
    """A container's ``secrets`` entry: the variable it fills and where the value comes from."""

    variable: str
    value_from: str

    @property
    def store(self) -> str:
        """``"secretsmanager"`` or ``"ssm"`` (a bare name is a Parameter Store parameter)."""
        return "secretsmanager" if ":secretsmanager:" in self.value_from else "ssm"

    @property
    def name(self) -> str:
        """The secret's or parameter's name, without ARN, version suffix or JSON key."""
        value = self.value_from
        if ":secretsmanager:" in value:
            name = value.split(":secret:", 1)[1].split(":", 1)[0]
            # Secrets Manager ARNs end in "-" and six random characters.
            head, dash, suffix = name.rpartition("-")
            return head if dash and len(suffix) == 6 else name
        if ":parameter" in value:
            return value.split(":parameter", 1)[1]
        return value


@dataclass(frozen=True)
class ContainerDef:
    name: str
    image: str
    secrets: tuple[SecretRef, ...]
    log_group: str | None


@dataclass(frozen=True)
class TaskDefinition:
    arn: str
    family: str
    revision: int
    containers: tuple[ContainerDef, ...]
    task_role_arn: str | None
    execution_role_arn: str | None
    compatibilities: tuple[str, ...]


@dataclass(frozen=True)
class Deployment:
    id: str
    status: str  # PRIMARY, ACTIVE (an older one still draining) or INACTIVE
    task_definition_arn: str
    desired: int
    running: int
    pending: int
    rollout_state: str | None


@dataclass(frozen=True)
class ServiceLoadBalancer:
    target_group_arn: str | None
    container_name: str | None
    container_port: int | None


@dataclass(frozen=True)
class Service:
    arn: str
    name: str
    cluster_arn: str
    status: str
    desired: int
    running: int
    pending: int
    launch_type: str | None
    task_definition_arn: str
    deployments: tuple[Deployment, ...]
    load_balancers: tuple[ServiceLoadBalancer, ...]


@dataclass(frozen=True)
class Task:
    arn: str
    cluster_arn: str
    group: str | None  # "service:<name>" for a service's tasks
    task_definition_arn: str
    last_status: str
    desired_status: str
    health_status: str | None
    launch_type: str | None
    private_ips: tuple[str, ...]

    @property
    def id(self) -> str:
        return self.arn.rsplit("/", 1)[-1]

    @property
    def service_name(self) -> str | None:
        if self.group and self.group.startswith("service:"):
            return self.group.split(":", 1)[1]
        return None


@dataclass(frozen=True)
class Cluster:
    arn: str
    name: str
    status: str


@dataclass(frozen=True)
class Action:
    type: str
    target_groups: tuple[tuple[str, int | None], ...]  # (target group ARN, weight)


@dataclass(frozen=True)
class Rule:
    arn: str
    listener_arn: str
    priority: str  # "1".."50000" or "default"
    conditions: tuple[str, ...]  # readable, e.g. "path /api/*"
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class Listener:
    arn: str
    load_balancer_arn: str
    port: int | None
    protocol: str | None


@dataclass(frozen=True)
class LoadBalancer:
    arn: str
    name: str
    dns_name: str
    scheme: str | None
    type: str | None
    state: str | None


@dataclass(frozen=True)
class Target:
    id: str
    port: int | None
    state: str | None  # initial, healthy, unhealthy, unused, draining, unavailable
    reason: str | None


@dataclass(frozen=True)
class TargetGroup:
    arn: str
    name: str
    port: int | None
    protocol: str | None
    target_type: str | None
    load_balancer_arns: tuple[str, ...]
    targets: tuple[Target, ...]


@dataclass(frozen=True, repr=False)
class Snapshot:
    """The account as one set of read calls saw it. Everything is sorted, so equal state compares
    equal and draws the same picture."""

    region: str
    repositories: tuple[Repository, ...] = ()
    clusters: tuple[Cluster, ...] = ()
    services: tuple[Service, ...] = ()
    tasks: tuple[Task, ...] = ()
    task_definitions: tuple[TaskDefinition, ...] = ()
    load_balancers: tuple[LoadBalancer, ...] = ()
    listeners: tuple[Listener, ...] = ()
    rules: tuple[Rule, ...] = ()
    target_groups: tuple[TargetGroup, ...] = ()

    def task_definition(self, arn: str) -> TaskDefinition | None:
        return next((t for t in self.task_definitions if t.arn == arn), None)

    def __repr__(self) -> str:
        """What was found, counted: a notebook cell ending in ``lab.snapshot()`` shows this."""
        counts = [
            (self.repositories, "repository", "repositories"),
            (self.clusters, "cluster", "clusters"),
            (self.services, "service", "services"),
            (self.tasks, "task", "tasks"),
            (self.task_definitions, "task definition", "task definitions"),
            (self.load_balancers, "load balancer", "load balancers"),
            (self.listeners, "listener", "listeners"),
            (self.rules, "rule", "rules"),
            (self.target_groups, "target group", "target groups"),
        ]
        found = ", ".join(
            f"{len(items)} {one if len(items) == 1 else many}"
            for items, one, many in counts
            if items
        )
        return f"<Snapshot {self.region}: {found or 'nothing yet'}>"
