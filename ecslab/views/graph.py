"""A snapshot as the learner pictures it: a graph of nodes and edges, then Graphviz DOT.

Where things are comes first, as AWS's architecture diagrams draw it: a VPC holds Availability
Zones, each zone the subnets in use (public or private), each subnet the tasks whose network
interface it holds and the ALB's node in that zone. A node's ``within`` names the container it
sits in; services, task definitions, images and secrets are regional and sit outside the VPC.

The picture follows a request and a deployment to where they meet, the tasks::

    users → ALB → listener → rule (/api/*) → target group → tasks
                                                              ↑
                                                           service ← task definition ← image
                                                                       ↑
                                                  secret, via the execution role

The graph is plain data (:class:`Graph`) so tests assert on nodes and edges, not pixels. Node ids
come from names (``service:course/web``, ``tg:web-tg``), never from counters or random ids, so the
same account gives the same graph, and two snapshots can be compared (:func:`diff`) to show what
a cell added, removed or changed. The DOT text puts each kind of node in a fixed column and
emits everything in sorted order, so the layout does not jump from cell to cell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from ecslab.errors import ConfigurationError
from ecslab.views.snapshot import (
    LoadBalancer,
    SecurityGroup,
    Service,
    Snapshot,
    Task,
    TaskDefinition,
)

Add = Callable[["Node"], str]

#: A service with more tasks than this is drawn with one node that counts them.
COLLAPSE_AFTER = 6

#: Left-to-right columns: every node of a kind sits in its column whatever the account holds.
COLUMNS: dict[str, int] = {
    "users": 0,
    "load-balancer": 1,
    "image": 1,
    "repository": 1,
    "listener": 2,
    "secret": 2,
    "rule": 3,
    "task-definition": 3,
    "target-group": 4,
    "service": 4,
    "cluster": 4,
    "task": 5,
    "tasks": 5,
    "target": 5,
    "vpc": 6,
    "internet-gateway": 6,
    "zone": 7,
    "subnet": 8,
    "alb-node": 8,
}

#: Kinds drawn as frames around other nodes (their ``within`` children).
CONTAINERS = ("vpc", "zone", "subnet")

#: Health and lifecycle as colour: (fill, border).
STATE_COLOURS: dict[str, tuple[str, str]] = {
    "healthy": ("#d7f0dc", "#2e7d32"),
    "running": ("#eef7ee", "#558b2f"),
    "starting": ("#fff3cd", "#b7950b"),
    "initial": ("#fff3cd", "#b7950b"),
    "unhealthy": ("#f8d7da", "#c62828"),
    "draining": ("#e9ecef", "#6c757d"),
    "stopping": ("#e9ecef", "#6c757d"),
    "unused": ("#ffffff", "#9e9e9e"),
    "blocked": ("#f8d7da", "#c62828"),
    "": ("#ffffff", "#455a64"),
}

#: The worst state wins when tasks are counted together.
_SEVERITY = [
    "",
    "unused",
    "running",
    "healthy",
    "draining",
    "stopping",
    "initial",
    "starting",
    "unhealthy",
]


@dataclass(frozen=True, order=True)
class Node:
    id: str
    kind: str
    label: str
    name: str = ""  # the resource's own name, for focus=
    group: str = ""  # the ECS cluster a service or task belongs to
    state: str = ""  # a key of STATE_COLOURS
    within: str = ""  # the id of the VPC, zone or subnet node it sits in


@dataclass(frozen=True, order=True)
class Edge:
    source: str
    target: str
    kind: str
    label: str = ""
    state: str = ""

    @property
    def key(self) -> str:
        return f"{self.source} -> {self.target}"


@dataclass(frozen=True)
class Graph:
    nodes: tuple[Node, ...] = ()
    edges: tuple[Edge, ...] = ()

    def node(self, node_id: str) -> Node:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(n.id for n in self.nodes)

    @property
    def edge_keys(self) -> frozenset[str]:
        return frozenset(e.key for e in self.edges)

    def of_kind(self, kind: str) -> tuple[Node, ...]:
        return tuple(n for n in self.nodes if n.kind == kind)

    def focus(self, names: str | Iterable[str]) -> Graph:
        """Only what touches the named resources: what feeds them, what they feed, and what
        feeds those (focus on a service keeps its tasks, and the ALB path that reaches them)."""
        wanted = {names} if isinstance(names, str) else set(names)
        seeds = {
            n.id for n in self.nodes if n.id in wanted or n.name in wanted or n.group in wanted
        }
        if not seeds:
            known = sorted({n.name for n in self.nodes if n.name})
            raise ConfigurationError(
                f"Nothing named {', '.join(sorted(wanted))} in the diagram. Names: "
                + (", ".join(known) or "none yet")
            )
        below = _closure(seeds, {(e.source, e.target) for e in self.edges})
        keep = below | _closure(below, {(e.target, e.source) for e in self.edges})
        return Graph(
            tuple(n for n in self.nodes if n.id in keep),
            tuple(e for e in self.edges if e.source in keep and e.target in keep),
        )

    def summary(self) -> str:
        """A stable one-line count, e.g. ``1 load balancer, 2 target groups, 4 tasks``."""
        counts = [
            (len({n.group for n in self.nodes if n.group}), "cluster"),
            (len(self.of_kind("repository")), "repository"),
            (len(self.of_kind("load-balancer")), "load balancer"),
            (len(self.of_kind("rule")), "rule"),
            (len(self.of_kind("target-group")), "target group"),
            (len(self.of_kind("service")), "service"),
            (self.task_count(), "task"),
            (len(self.of_kind("task-definition")), "task definition"),
            (len(self.of_kind("image")), "image"),
            (len(self.of_kind("secret")), "secret"),
        ]
        return ", ".join(_count(n, word) for n, word in counts if n) or "an empty account"

    def task_count(self) -> int:
        counted = sum(int(n.label.split(" ", 1)[0]) for n in self.of_kind("tasks"))
        return len(self.of_kind("task")) + counted


@dataclass(frozen=True)
class Changes:
    """What differs between two graphs: ids of added and changed nodes, keys of added edges,
    and the removed nodes and edges themselves (to draw them as ghosts)."""

    added: frozenset[str] = frozenset()
    changed: frozenset[str] = frozenset()
    removed_nodes: tuple[Node, ...] = ()
    removed_edges: tuple[Edge, ...] = ()
    added_edges: frozenset[str] = field(default_factory=frozenset)

    def __bool__(self) -> bool:
        return bool(
            self.added
            or self.changed
            or self.removed_nodes
            or self.removed_edges
            or self.added_edges
        )

    def summary(self) -> str:
        parts = [
            (len(self.added), "added"),
            (len(self.changed), "changed"),
            (len(self.removed_nodes), "removed"),
        ]
        return ", ".join(f"{n} {word}" for n, word in parts if n) or "no change"


def diff(before: Graph | None, after: Graph) -> Changes:
    """What ``after`` added, changed (label or state) and removed relative to ``before``."""
    if before is None:
        return Changes()
    old = {n.id: n for n in before.nodes}
    new = {n.id: n for n in after.nodes}
    return Changes(
        added=frozenset(new.keys() - old.keys()),
        changed=frozenset(i for i in new.keys() & old.keys() if new[i] != old[i]),
        removed_nodes=tuple(sorted(old[i] for i in old.keys() - new.keys())),
        removed_edges=tuple(sorted(e for e in before.edges if e.key not in after.edge_keys)),
        added_edges=frozenset(after.edge_keys - before.edge_keys),
    )


# -- from a snapshot -------------------------------------------------------------------------------


def build(snapshot: Snapshot, *, collapse_after: int = COLLAPSE_AFTER) -> Graph:
    """The graph of ``snapshot``; a service's tasks past ``collapse_after`` become one count."""
    nodes: dict[str, Node] = {}
    edges: set[Edge] = set()
    clusters = {c.arn: c.name for c in snapshot.clusters}

    def add(node: Node) -> str:
        nodes.setdefault(node.id, node)
        return node.id

    # The request's side: users → ALB → listener → rule → target group.
    target_states = _add_request_side(snapshot, add, edges)
    # The deployment's side: image → task definition → service → tasks, secrets on the way.
    definitions = {d.arn: d for d in snapshot.task_definitions}
    _add_images(snapshot, nodes, add, edges)
    _add_services(snapshot, clusters, definitions, add, edges)
    _add_tasks(snapshot, clusters, definitions, target_states, nodes, add, edges, collapse_after)
    # A cluster is drawn as the frame around its services and tasks; an empty one still shows.
    framed = {node.group for node in nodes.values()}
    for cluster in snapshot.clusters:
        if cluster.name not in framed:
            add(
                Node(
                    f"cluster:{cluster.name}",
                    "cluster",
                    "no services or tasks yet",
                    cluster.name,
                    cluster.name,
                    "unused",
                )
            )

    _place_in_network(snapshot, nodes, edges, add)

    known = set(nodes)
    return Graph(
        tuple(sorted(nodes.values(), key=_node_order)),
        tuple(sorted(e for e in edges if e.source in known and e.target in known)),
    )


TargetStates = dict[str, list[tuple[str, str]]]  # task arn → [(target group node id, state)]


def _add_request_side(
    snapshot: Snapshot, add: Callable[[Node], str], edges: set[Edge]
) -> TargetStates:
    """Users → ALB → listener → rule → target group; the targets that are not tasks. Returns
    where each task is registered, and its state there."""
    lb_names = {lb.arn: lb.name for lb in snapshot.load_balancers}
    tg_names = {g.arn: g.name for g in snapshot.target_groups}
    if snapshot.load_balancers:
        add(Node("users", "users", "users", "users"))
    for lb in snapshot.load_balancers:
        add(
            Node(
                f"alb:{lb.name}",
                "load-balancer",
                f"ALB {lb.name}\n{lb.dns_name}",
                lb.name,
                state="" if lb.state in (None, "active") else "starting",
            )
        )
        edges.add(Edge("users", f"alb:{lb.name}", "request", "HTTP"))
    listener_ids = {}
    for listener in snapshot.listeners:
        lb = lb_names.get(listener.load_balancer_arn, "?")
        listener_ids[listener.arn] = lid = f"listener:{lb}:{listener.port}"
        add(Node(lid, "listener", f"listener {listener.protocol} :{listener.port}", lid))
        edges.add(Edge(f"alb:{lb}", lid, "listens"))
    for rule in snapshot.rules:
        lid = listener_ids.get(rule.listener_arn, "listener:?")
        rid = f"rule:{lid.removeprefix('listener:')}:{rule.priority}"
        when = "\n".join(rule.conditions) or "anything else"
        title = "default rule" if rule.priority == "default" else f"rule {rule.priority}"
        add(Node(rid, "rule", f"{title}\n{when}", rid))
        edges.add(Edge(lid, rid, "evaluates"))
        for action in rule.actions:
            for tg_arn, weight in action.target_groups:
                label = (
                    f"weight {weight}"
                    if weight is not None and len(action.target_groups) > 1
                    else ""
                )
                edges.add(Edge(rid, f"tg:{tg_names.get(tg_arn, tg_arn)}", "forwards", label))
    task_by_address = {ip: t for t in snapshot.tasks for ip in t.private_ips}
    task_by_address.update({t.id: t for t in snapshot.tasks})
    target_states: TargetStates = {}
    for group in snapshot.target_groups:
        tgid = add(
            Node(
                f"tg:{group.name}",
                "target-group",
                f"target group {group.name}\n{group.protocol} :{group.port} ({group.target_type})",
                group.name,
            )
        )
        for target in group.targets:
            task = task_by_address.get(target.id)
            if task is not None:
                target_states.setdefault(task.arn, []).append((tgid, target.state or ""))
            else:
                xid = add(
                    Node(
                        f"target:{group.name}:{target.id}:{target.port}",
                        "target",
                        f"target {target.id}:{target.port}",
                        target.id,
                        state=target.state or "",
                    )
                )
                edges.add(Edge(tgid, xid, "targets", state=target.state or ""))
    return target_states


def _add_images(
    snapshot: Snapshot, nodes: dict[str, Node], add: Callable[[Node], str], edges: set[Edge]
) -> None:
    """Each task definition with its image and secrets; a repository no definition uses."""
    for definition in snapshot.task_definitions:
        _add_task_definition(definition, snapshot, add, edges)
    referenced_repositories = {n.name for n in nodes.values() if n.kind == "image"}
    for repository in snapshot.repositories:
        if repository.name not in referenced_repositories:
            tags = sorted({t for i in repository.images for t in i.tags})
            shown = ", ".join(tags[:3]) + (" …" if len(tags) > 3 else "")
            add(
                Node(
                    f"repo:{repository.name}",
                    "repository",
                    f"ECR repository {repository.name}\n"
                    f"{_count(len(repository.images), 'image')}" + (f": {shown}" if tags else ""),
                    repository.name,
                )
            )


def _add_services(
    snapshot: Snapshot,
    clusters: dict[str, str],
    definitions: dict[str, TaskDefinition],
    add: Callable[[Node], str],
    edges: set[Edge],
) -> None:
    """Each service, the task definitions it deploys and the target groups it registers with."""
    tg_names = {g.arn: g.name for g in snapshot.target_groups}
    for service in snapshot.services:
        cluster = clusters.get(service.cluster_arn, "?")
        sid = add(
            Node(
                f"service:{cluster}/{service.name}",
                "service",
                _service_label(service, definitions),
                service.name,
                cluster,
                _service_state(service),
            )
        )
        shown = service.deployments or ()
        for deployment in shown:
            edges.add(
                Edge(
                    _definition_id(deployment.task_definition_arn, definitions),
                    sid,
                    "deploys",
                    deployment.status,
                    deployment.status,
                )
            )
        if not shown and service.task_definition_arn:
            edges.add(
                Edge(
                    _definition_id(service.task_definition_arn, definitions),
                    sid,
                    "deploys",
                    "PRIMARY",
                    "PRIMARY",
                )
            )
        for lb in service.load_balancers:
            if lb.target_group_arn:
                edges.add(
                    Edge(
                        sid,
                        f"tg:{tg_names.get(lb.target_group_arn, lb.target_group_arn)}",
                        "registers",
                        "registers its tasks",
                    )
                )


def _add_tasks(
    snapshot: Snapshot,
    clusters: dict[str, str],
    definitions: dict[str, TaskDefinition],
    target_states: TargetStates,
    nodes: dict[str, Node],
    add: Callable[[Node], str],
    edges: set[Edge],
    collapse_after: int,
) -> None:
    """Each task under its service (or its task definition, standalone), past
    ``collapse_after`` a count instead; the target groups each is registered with."""
    by_service: dict[str, list[Task]] = {}
    for task in snapshot.tasks:
        cluster = clusters.get(task.cluster_arn, "?")
        owner = f"service:{cluster}/{task.service_name}" if task.service_name else ""
        by_service.setdefault(owner or f"standalone:{cluster}", []).append(task)
    for owner, tasks in sorted(by_service.items()):
        cluster = clusters.get(tasks[0].cluster_arn, "?")
        if owner.startswith("service:") and owner not in nodes:
            add(
                Node(
                    owner,
                    "service",
                    f"service {owner.rsplit('/', 1)[1]}",
                    owner.rsplit("/", 1)[1],
                    cluster,
                )
            )
        if len(tasks) > collapse_after:
            _add_task_count(owner, tasks, cluster, target_states, add, edges)
            continue
        for task in tasks:
            states = [s for _, s in target_states.get(task.arn, [])]
            tid = add(
                Node(
                    f"task:{cluster}/{task.id}",
                    "task",
                    _task_label(task, states),
                    task.id,
                    cluster,
                    _task_state(task, states),
                )
            )
            source = (
                owner
                if owner.startswith("service:")
                else _definition_id(task.task_definition_arn, definitions)
            )
            edges.add(Edge(source, tid, "runs"))
            for tgid, state in target_states.get(task.arn, []):
                edges.add(Edge(tgid, tid, "targets", state=state))


def _place_in_network(
    snapshot: Snapshot, nodes: dict[str, Node], edges: set[Edge], add: Add
) -> None:
    """Frame what has a place in a VPC: tasks in their subnets, the ALB in its VPC with a node in
    each of its zones' subnets. Only the subnets in use are drawn (a default VPC has six).
    Security groups become what they admit: a task whose groups do not admit its ALB on the
    target port is reached by a ``blocked`` edge."""
    groups = {g.id: g for g in snapshot.security_groups}
    frames = _Frames(snapshot, add)
    task_groups = _place_tasks(snapshot, nodes, frames, groups)
    _say_what_task_groups_admit(snapshot, nodes, frames, groups, task_groups)
    for lb in snapshot.load_balancers:
        if f"alb:{lb.name}" in nodes:
            _place_load_balancer(lb, nodes, frames, groups)
            _block_what_groups_refuse(lb, snapshot, edges, groups, task_groups)


class _Frames:
    """The frames a subnet is drawn in (its VPC, with its internet gateway, and its zone), each
    added to the graph the first time something is placed in that subnet."""

    def __init__(self, snapshot: Snapshot, add: Add) -> None:
        self.subnets = {s.id: s for s in snapshot.subnets}
        self._vpcs = {v.id: v for v in snapshot.vpcs}
        self.add = add

    def subnet(self, subnet_id: str) -> str:
        """The id of the subnet's frame, made with the frames around it."""
        add, subnet = self.add, self.subnets[subnet_id]
        vpc = self._vpcs.get(subnet.vpc_id)
        vid = add(
            Node(
                f"vpc:{subnet.vpc_id}",
                "vpc",
                f"VPC {subnet.vpc_id} · {vpc.cidr if vpc else ''}"
                + (" (default VPC)" if vpc and vpc.default else ""),
                subnet.vpc_id,
            )
        )
        if vpc and vpc.internet_gateway:
            add(
                Node(
                    f"igw:{vpc.internet_gateway}",
                    "internet-gateway",
                    "internet gateway",
                    vpc.internet_gateway,
                    within=vid,
                )
            )
        zid = add(
            Node(
                f"az:{subnet.vpc_id}:{subnet.zone}",
                "zone",
                f"Availability Zone {subnet.zone}",
                subnet.zone,
                within=vid,
            )
        )
        kind = "public" if subnet.public else "private"
        via = "" if subnet.public else (" · via NAT" if subnet.nat_gateway else " · no route out")
        return add(
            Node(
                f"subnet:{subnet_id}",
                "subnet",
                f"{kind} subnet {subnet.cidr}{via}",
                subnet_id,
                state=kind,
                within=zid,
            )
        )


def _place_tasks(
    snapshot: Snapshot, nodes: dict[str, Node], frames: _Frames, groups: dict[str, SecurityGroup]
) -> dict[str, frozenset[str]]:
    """Put each drawn task in its subnet's frame, its groups in its label; answer each task's
    security groups (its service's), by task ARN."""
    clusters = {c.arn: c.name for c in snapshot.clusters}
    service_groups = {
        (s.cluster_arn, s.name): frozenset(s.security_groups) for s in snapshot.services
    }
    task_groups: dict[str, frozenset[str]] = {}
    for task in snapshot.tasks:
        task_groups[task.arn] = service_groups.get(
            (task.cluster_arn, task.service_name or ""), frozenset()
        )
        if not task.subnet_id or task.subnet_id not in frames.subnets:
            continue
        tid = f"task:{clusters.get(task.cluster_arn, '?')}/{task.id}"
        if tid in nodes:
            node = nodes[tid]
            names = sorted(groups[g].name for g in task_groups[task.arn] if g in groups)
            label = node.label + (f"\nSG {', '.join(names)}" if names else "")
            nodes[tid] = _replace(node, label=label, within=frames.subnet(task.subnet_id))
    return task_groups


def _say_what_task_groups_admit(
    snapshot: Snapshot,
    nodes: dict[str, Node],
    frames: _Frames,
    groups: dict[str, SecurityGroup],
    task_groups: dict[str, frozenset[str]],
) -> None:
    """What the placed tasks' groups admit, once per group, on their VPC's frame."""
    placed = [t for t in snapshot.tasks if t.subnet_id in frames.subnets]
    for gid in sorted({g for t in placed for g in task_groups.get(t.arn, ())}):
        group = groups.get(gid)
        vid = f"vpc:{group.vpc_id}" if group else ""
        if group is not None and vid in nodes:
            label = f"{nodes[vid].label}\n{_admits(group, groups)}"
            nodes[vid] = _replace(nodes[vid], label=label)


def _place_load_balancer(
    lb: LoadBalancer,
    nodes: dict[str, Node],
    frames: _Frames,
    groups: dict[str, SecurityGroup],
) -> None:
    """The ALB in its VPC's frame, a node in each of its zones' subnets, what its groups admit
    in its label."""
    lid = f"alb:{lb.name}"
    within = ""
    for zone, subnet_id in lb.zones:
        if subnet_id in frames.subnets:
            sid = frames.subnet(subnet_id)
            within = nodes[sid].within and nodes[nodes[sid].within].within
            name = f"alb-node:{lb.name}:{zone}"
            frames.add(Node(name, "alb-node", f"ALB node {zone}", lb.name, within=sid))
    lines = [nodes[lid].label]
    lines += [_admits(groups[g], groups) for g in lb.security_groups if g in groups]
    nodes[lid] = _replace(nodes[lid], label="\n".join(lines), within=within)


def _block_what_groups_refuse(
    lb: LoadBalancer,
    snapshot: Snapshot,
    edges: set[Edge],
    groups: dict[str, SecurityGroup],
    task_groups: dict[str, frozenset[str]],
) -> None:
    """Mark ``blocked`` the users' edge when the ALB's groups admit no listener's port, and each
    target edge whose task's groups do not admit the ALB's groups on the target group's port."""
    lid = f"alb:{lb.name}"
    alb_groups = frozenset(lb.security_groups)
    if lb.security_groups and groups:
        listening = [x.port for x in snapshot.listeners if x.load_balancer_arn == lb.arn]
        if listening and not any(
            groups[g].admits(port, frozenset())
            for g in lb.security_groups
            if g in groups
            for port in listening
        ):
            edges.discard(Edge("users", lid, "request", "HTTP"))
            edges.add(Edge("users", lid, "request", "blocked by security group", "blocked"))
    clusters = {c.arn: c.name for c in snapshot.clusters}
    by_node = {f"task:{clusters.get(t.cluster_arn, '?')}/{t.id}": t for t in snapshot.tasks}
    for group in snapshot.target_groups:
        if lb.arn not in group.load_balancer_arns:
            continue
        for edge in [e for e in edges if e.source == f"tg:{group.name}" and e.kind == "targets"]:
            task = by_node.get(edge.target)
            allowed = task_groups.get(task.arn, frozenset()) if task else frozenset()
            known = [groups[g] for g in allowed if g in groups]
            if known and not any(g.admits(group.port, alb_groups) for g in known):
                edges.discard(edge)
                edges.add(_replace(edge, label="blocked by security group", state="blocked"))


def _admits(group: SecurityGroup, groups: dict[str, SecurityGroup]) -> str:
    """``security group web-tasks admits TCP 8501 from web-alb``: its inbound rules, with other
    groups by name."""
    rules = []
    for permission in group.inbound:
        names = tuple(groups[s].name if s in groups else s for s in permission.sources)
        rules.append(replace(permission, sources=names).text)
    return f"security group {group.name} admits {'; '.join(rules) or 'nothing'}"


def _replace(item: Any, **changes: Any) -> Any:
    return replace(item, **changes)


def _add_task_definition(
    definition: TaskDefinition, snapshot: Snapshot, add: Add, edges: set[Edge]
) -> None:
    did = f"taskdef:{definition.family}:{definition.revision}"
    lines = [f"task definition {definition.family}:{definition.revision}"]
    if definition.compatibilities:
        lines.append(" · ".join(definition.compatibilities))
    if definition.task_role_arn:
        lines.append(f"task role {_role_name(definition.task_role_arn)}")
    logs = sorted({c.log_group for c in definition.containers if c.log_group})
    if logs:
        lines.append("logs " + ", ".join(logs))
    add(Node(did, "task-definition", "\n".join(lines), definition.family))
    role = _role_name(definition.execution_role_arn) if definition.execution_role_arn else None
    for container in definition.containers:
        iid, label, name = _image(container.image, snapshot)
        add(Node(iid, "image", label, name))
        edges.add(Edge(iid, did, "image", container.name if len(definition.containers) > 1 else ""))
        for secret in container.secrets:
            kind = "secret" if secret.store == "secretsmanager" else "parameter"
            sid = add(Node(f"{kind}:{secret.name}", "secret", f"{kind} {secret.name}", secret.name))
            via = f"via {role}" if role else "no execution role!"
            edges.add(
                Edge(sid, did, "secret", f"{secret.variable}\n{via}", "" if role else "unhealthy")
            )


def _image(image: str, snapshot: Snapshot) -> tuple[str, str, str]:
    """(id, label, repository name) for a container's ``image``: an ECR image when the URI names
    one of the account's repositories, else an image from another registry."""
    for repository in snapshot.repositories:
        if repository.uri and image.startswith(repository.uri):
            rest = image[len(repository.uri) :]
            if rest.startswith("@"):
                reference = rest[1:]
                tags = next((i.tags for i in repository.images if i.digest == reference), ())
                shown = tags[0] if tags else reference[:19]
            else:
                reference = rest.lstrip(":") or "latest"
                # A commit SHA as tag (the pipeline's) is shown as git shows it: its first 7.
                shown = reference[:7] if len(reference) == 40 else reference
            exists = any(reference == i.digest or reference in i.tags for i in repository.images)
            note = "" if exists else "\n(not in the repository!)"
            return (
                f"image:{repository.name}:{reference}",
                f"ECR {repository.name}:{shown}{note}",
                repository.name,
            )
    return f"image:{image}", f"image {image}", image


def _definition_id(arn: str, definitions: dict[str, TaskDefinition]) -> str:
    known = definitions.get(arn)
    if known:
        return f"taskdef:{known.family}:{known.revision}"
    return "taskdef:" + arn.rsplit("/", 1)[-1]


def _service_label(service: Service, definitions: dict[str, TaskDefinition]) -> str:
    lines = [
        f"service {service.name}",
        f"{service.running}/{service.desired} running"
        + (f", {service.pending} pending" if service.pending else ""),
    ]
    for d in service.deployments:
        revision = _definition_id(d.task_definition_arn, definitions).removeprefix("taskdef:")
        state = f" {d.rollout_state}" if d.rollout_state else ""
        lines.append(f"{d.status} {revision} {d.running}/{d.desired}{state}")
    return "\n".join(lines)


def _service_state(service: Service) -> str:
    if service.status == "DRAINING":
        return "draining"
    if any(d.rollout_state == "FAILED" for d in service.deployments):
        return "unhealthy"
    if service.running < service.desired or len(service.deployments) > 1:
        return "starting"
    return "running" if service.desired else ""


def _task_state(task: Task, target_states: list[str]) -> str:
    status = task.last_status
    if status in ("PROVISIONING", "PENDING", "ACTIVATING"):
        return "starting"
    if status in ("DEACTIVATING", "STOPPING", "DEPROVISIONING", "STOPPED"):
        return "stopping"
    if task.health_status == "UNHEALTHY":
        return "unhealthy"
    worst = max(target_states, key=_SEVERITY.index, default="")
    if worst:
        return worst
    return "healthy" if task.health_status == "HEALTHY" else "running"


def _task_label(task: Task, target_states: list[str]) -> str:
    health = task.health_status if task.health_status not in (None, "UNKNOWN") else ""
    lines = [f"task {task.id[:8]}", " · ".join(x for x in (task.last_status, health.lower()) if x)]
    if task.private_ips:
        lines.append(task.private_ips[0])
    if target_states:
        lines.append("target " + ", ".join(sorted(set(target_states))))
    return "\n".join(lines)


def _add_task_count(
    owner: str,
    tasks: list[Task],
    cluster: str,
    target_states: dict[str, list[tuple[str, str]]],
    add: Add,
    edges: set[Edge],
) -> None:
    """One node standing for many tasks, labelled with how many are in each state."""
    states = [_task_state(t, [s for _, s in target_states.get(t.arn, [])]) for t in tasks]
    counts = ", ".join(
        f"{states.count(s)} {s or 'other'}" for s in sorted(set(states), key=_SEVERITY.index)
    )
    name = owner.split(":", 1)[1]
    nid = add(
        Node(
            f"tasks:{name}",
            "tasks",
            f"{len(tasks)} tasks\n{counts}",
            name,
            cluster,
            max(states, key=_SEVERITY.index),
        )
    )
    if owner.startswith("service:"):
        edges.add(Edge(owner, nid, "runs"))
    by_group: dict[str, list[str]] = {}
    for t in tasks:
        for tgid, state in target_states.get(t.arn, []):
            by_group.setdefault(tgid, []).append(state)
    for tgid, group_states in by_group.items():
        label = ", ".join(f"{group_states.count(s)} {s}" for s in sorted(set(group_states)))
        edges.add(Edge(tgid, nid, "targets", label, max(group_states, key=_SEVERITY.index)))


def _role_name(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]


def _count(n: int, word: str) -> str:
    if n == 1:
        return f"{n} {word}"
    return f"{n} {word[:-1]}ies" if word.endswith("y") else f"{n} {word}s"


def _node_order(node: Node) -> tuple[int, str, str]:
    return (COLUMNS.get(node.kind, 9), node.group, node.id)


def _closure(start: set[str], pairs: set[tuple[str, str]]) -> set[str]:
    reached, frontier = set(start), list(start)
    while frontier:
        current = frontier.pop()
        for source, target in pairs:
            if source == current and target not in reached:
                reached.add(target)
                frontier.append(target)
    return reached


def request_path(
    snapshot: Snapshot,
    graph: Graph,
    *,
    rule_arn: str | None = None,
    target_group_arn: str | None = None,
    target_id: str | None = None,
) -> frozenset[str]:
    """The node ids a request passed through: users, ALB, listener, the rule that matched, the
    target group it forwarded to, and the task (or target) that answered. Parts not given or no
    longer in the graph are left out."""
    path: set[str] = set()
    rule = next((r for r in snapshot.rules if r.arn == rule_arn), None)
    if rule is not None:
        listener = next((x for x in snapshot.listeners if x.arn == rule.listener_arn), None)
        lb = listener and next(
            (b for b in snapshot.load_balancers if b.arn == listener.load_balancer_arn), None
        )
        if listener is not None and lb is not None:
            path |= {
                "users",
                f"alb:{lb.name}",
                f"listener:{lb.name}:{listener.port}",
                f"rule:{lb.name}:{listener.port}:{rule.priority}",
            }
    group = next((g for g in snapshot.target_groups if g.arn == target_group_arn), None)
    if group is not None:
        path.add(f"tg:{group.name}")
    if target_id:
        task = next((t for t in snapshot.tasks if target_id in (t.id, t.arn, *t.private_ips)), None)
        if task is not None:
            cluster = next((c.name for c in snapshot.clusters if c.arn == task.cluster_arn), "?")
            owner = task.service_name
            path.add(f"task:{cluster}/{task.id}")
            path.add(f"tasks:{cluster}/{owner}")  # when the service's tasks are counted
        elif group is not None:
            path |= {
                n.id
                for n in graph.of_kind("target")
                if n.id.startswith(f"target:{group.name}:{target_id}:")
            }
    return frozenset(path & graph.ids)
