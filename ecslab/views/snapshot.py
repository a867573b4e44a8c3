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
    security_groups: tuple[str, ...] = ()  # its awsvpcConfiguration's groups


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
    subnet_id: str | None = None  # the subnet of its network interface (awsvpc)

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
    vpc_id: str | None = None
    zones: tuple[tuple[str, str], ...] = ()  # (Availability Zone, subnet id), one per zone
    security_groups: tuple[str, ...] = ()


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
    health_check_path: str | None = None


@dataclass(frozen=True)
class Vpc:
    id: str
    cidr: str
    default: bool
    internet_gateway: str | None  # the gateway attached to it, if any


@dataclass(frozen=True)
class Subnet:
    """A subnet, public when its route table sends 0.0.0.0/0 to an internet gateway (AWS's own
    definition: https://docs.aws.amazon.com/vpc/latest/userguide/configure-subnets.html)."""

    id: str
    vpc_id: str
    zone: str
    cidr: str
    public: bool
    nat_gateway: str | None = None  # a NAT gateway its default route goes through


@dataclass(frozen=True)
class Permission:
    """One inbound rule of a security group: what it admits, from where."""

    protocol: str  # "tcp", "udp", "icmp" or "-1" (all)
    from_port: int | None
    to_port: int | None
    sources: tuple[str, ...]  # CIDR blocks and security group ids

    def admits(self, port: int | None, group_ids: frozenset[str]) -> bool:
        """True when TCP traffic to ``port`` from an ENI in ``group_ids`` gets in."""
        if self.protocol not in ("tcp", "-1"):
            return False
        ranged = self.protocol == "tcp" and port is not None and self.from_port is not None
        if ranged and not (self.from_port <= port <= (self.to_port or self.from_port)):  # type: ignore[operator]
            return False
        return any(s in group_ids or s in ("0.0.0.0/0", "::/0") for s in self.sources)

    @property
    def text(self) -> str:
        if self.protocol == "-1":
            what = "all traffic"
        elif self.from_port == self.to_port:
            what = f"{self.protocol.upper()} {self.from_port}"
        else:
            what = f"{self.protocol.upper()} {self.from_port}-{self.to_port}"
        return f"{what} from {', '.join(self.sources)}"


@dataclass(frozen=True)
class SecurityGroup:
    id: str
    name: str
    vpc_id: str
    inbound: tuple[Permission, ...]

    def admits(self, port: int | None, group_ids: frozenset[str]) -> bool:
        return any(p.admits(port, group_ids) for p in self.inbound)


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
    vpcs: tuple[Vpc, ...] = ()
    subnets: tuple[Subnet, ...] = ()
    security_groups: tuple[SecurityGroup, ...] = ()

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
