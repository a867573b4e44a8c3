"""The diagram's graph: the learner's picture of the account, asserted on nodes and edges."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from views_world import build_course_world

from ecslab.errors import ConfigurationError
from ecslab.views.dot import to_dot
from ecslab.views.graph import Edge, Graph, Node, build, diff, request_path
from ecslab.views.inventory import Inventory
from ecslab.views.lab_views import last_request


@pytest.fixture
def course(lab):
    world = build_course_world(lab.client)
    inventory = Inventory(lab.client)
    return SimpleNamespace(lab=lab, world=world, inventory=inventory)


def _edges(graph: Graph) -> set[tuple[str, str, str]]:
    return {(e.source, e.target, e.kind) for e in graph.edges}


def test_two_service_world_is_drawn_as_the_learner_pictures_it(course):
    """users → ALB → listener → rules → target groups → tasks ← services ← definitions ← images."""
    snapshot = course.inventory.snapshot()

    graph = build(snapshot)

    edges = _edges(graph)
    assert {
        ("users", "alb:course-alb", "request"),
        ("alb:course-alb", "listener:course-alb:80", "listens"),
        ("listener:course-alb:80", "rule:course-alb:80:10", "evaluates"),
        ("listener:course-alb:80", "rule:course-alb:80:default", "evaluates"),
        ("rule:course-alb:80:10", "tg:api-tg", "forwards"),
        ("rule:course-alb:80:default", "tg:web-tg", "forwards"),
        ("taskdef:api:1", "service:course/api", "deploys"),
        ("taskdef:web:1", "service:course/web", "deploys"),
        ("image:api:v1", "taskdef:api:1", "image"),
        ("image:web:v1", "taskdef:web:1", "image"),
        ("secret:prod/db-password", "taskdef:api:1", "secret"),
        ("service:course/api", "tg:api-tg", "registers"),
    } <= edges
    assert "rule 10\npath /api/*" in graph.node("rule:course-alb:80:10").label
    secret_edge = next(e for e in graph.edges if e.kind == "secret")
    assert secret_edge.label == "DB_PASSWORD\nvia ecsTaskExecutionRole"
    deploy = next(
        e for e in graph.edges if e.target == "service:course/api" and e.kind == "deploys"
    )
    assert deploy.label == "PRIMARY"
    targets = {(g.name, t.id) for g in snapshot.target_groups for t in g.targets}
    assert snapshot.tasks
    for task in snapshot.tasks:
        task_id = f"task:course/{task.id}"
        group = f"{task.service_name}-tg"
        assert graph.node(task_id).group == "course"
        assert (f"service:course/{task.service_name}", task_id, "runs") in edges
        registered = any((group, ip) in targets for ip in task.private_ips)
        assert ((f"tg:{group}", task_id, "targets") in edges) == registered
    assert {n.kind for n in graph.nodes} == {
        "users",
        "load-balancer",
        "listener",
        "rule",
        "target-group",
        "task",
        "service",
        "task-definition",
        "image",
        "secret",
        # where they are: the VPC, its zones, the subnets in use, the ALB's node in each zone
        "vpc",
        "zone",
        "subnet",
        "alb-node",
        "internet-gateway",
    }


def test_target_health_is_the_edge_colour_state(course):
    """A target's health from DescribeTargetHealth becomes the state of its edge and task."""
    snapshot = course.inventory.snapshot()
    health = {t.id: t.state for g in snapshot.target_groups for t in g.targets}

    graph = build(snapshot)

    registered = [t for t in snapshot.tasks if t.private_ips and t.private_ips[0] in health]
    assert registered
    for task in registered:
        edge = next(e for e in graph.edges if e.kind == "targets" and e.target.endswith(task.id))
        assert edge.state == health[task.private_ips[0]]


def test_many_tasks_are_counted_in_one_node(lab):
    """Past the threshold a service's tasks become one node that counts them by state."""
    build_course_world(lab.client, tasks_per_service=8)

    snapshot = Inventory(lab.client).snapshot()

    graph = build(snapshot, collapse_after=6)

    web = sum(1 for t in snapshot.tasks if t.service_name == "web")
    assert web >= 8
    assert not graph.of_kind("task")
    counted = graph.node("tasks:course/web")
    assert counted.label.startswith(f"{web} tasks\n")
    assert ("service:course/web", "tasks:course/web", "runs") in _edges(graph)
    assert graph.task_count() == len(snapshot.tasks)


def test_focus_keeps_what_touches_the_named_resource(course):
    """Focus on the api service: its tasks, the path to them, its task definition and secret."""
    graph = build(course.inventory.snapshot())

    focused = graph.focus("api")

    ids = focused.ids
    assert {
        "users",
        "alb:course-alb",
        "rule:course-alb:80:10",
        "tg:api-tg",
        "service:course/api",
        "taskdef:api:1",
        "image:api:v1",
        "secret:prod/db-password",
    } <= ids
    assert not any("web" in i for i in ids)
    with pytest.raises(ConfigurationError, match="Nothing named nope"):
        graph.focus("nope")


def test_change_highlighting_between_two_snapshots(course):
    """A new rule shows as added, a deleted repository as removed, an edited rule as changed."""
    ecr, elbv2 = course.lab.client("ecr"), course.lab.client("elbv2")
    ecr.create_repository(repositoryName="old")
    before = build(course.inventory.snapshot())
    elbv2.create_rule(
        ListenerArn=course.world["listener"],
        Priority=20,
        Conditions=[{"Field": "path-pattern", "Values": ["/admin/*"]}],
        Actions=[{"Type": "forward", "TargetGroupArn": course.world["web_tg"]}],
    )
    elbv2.modify_rule(
        RuleArn=course.world["api_rule"],
        Conditions=[{"Field": "path-pattern", "Values": ["/v2/*"]}],
    )
    ecr.delete_repository(repositoryName="old")

    after = build(course.inventory.snapshot())
    changes = diff(before, after)

    assert "rule:course-alb:80:20" in changes.added
    assert "rule:course-alb:80:10" in changes.changed
    assert [n.id for n in changes.removed_nodes] == ["repo:old"]
    assert "listener|course-alb|80 -> rule|course-alb|80|20" not in changes.added_edges
    assert "listener:course-alb:80 -> rule:course-alb:80:20" in changes.added_edges
    dot = to_dot(after, changes=changes)
    assert "rule 20 · path /admin/* (new)" in dot  # a row of the ALB's box
    assert "rule 10 · path /v2/* (changed)" in dot
    assert "ECR repository old\n0 images\n(removed)" in dot
    assert not diff(after, after)


def test_diff_of_hand_made_graphs():
    """Added, removed and changed are told apart by node id and content."""
    a, b, c = Node("a", "service", "a"), Node("b", "task", "b"), Node("c", "task", "c")
    before = Graph((a, b), (Edge("a", "b", "runs"),))
    after = Graph((Node("a", "service", "a\n2/2"), c), (Edge("a", "c", "runs"),))

    changes = diff(before, after)

    assert changes.added == {"c"}
    assert changes.changed == {"a"}
    assert changes.removed_nodes == (b,)
    assert changes.removed_edges == (Edge("a", "b", "runs"),)
    assert changes.added_edges == {"a -> c"}
    assert changes.summary() == "1 added, 1 changed, 1 removed"
    assert diff(None, after).summary() == "no change"


def test_last_request_path_runs_from_users_to_the_task(course):
    """lab.last_request (rule, target group, target) lights up users → … → the task."""
    snapshot = course.inventory.snapshot()
    graph = build(snapshot)
    task = next(t for t in snapshot.tasks if t.service_name == "api")
    fake_lab = SimpleNamespace(
        last_request=SimpleNamespace(
            rule_arn=course.world["api_rule"],
            target_group_arn=course.world["api_tg"],
            target_id=task.private_ips[0],
        )
    )

    path = request_path(snapshot, graph, **last_request(fake_lab))

    assert path == {
        "users",
        "alb:course-alb",
        "listener:course-alb:80",
        "rule:course-alb:80:10",
        "tg:api-tg",
        f"task:course/{task.id}",
    }
    assert last_request(SimpleNamespace()) == dict.fromkeys(
        ("rule_arn", "target_group_arn", "target_id")
    )
    assert last_request(SimpleNamespace(last_request={"target_id": "x"}))["target_id"] == "x"


def test_the_same_account_gives_the_same_graph(course):
    """Ids come from names, and everything is sorted: two snapshots, one graph."""
    assert build(course.inventory.snapshot()).ids == build(course.inventory.snapshot()).ids
    assert all(":" in n.id or n.id == "users" for n in build(course.inventory.snapshot()).nodes)


def test_the_legend_names_every_colour_and_mark():
    """Health colours and change marks are explained in the picture; legend=False leaves it out."""
    graph = Graph((Node("users", "users", "users"),))

    drawn = to_dot(graph)

    for word in (
        "healthy",
        "starting",
        "unhealthy",
        "stopping",
        "new",
        "changed",
        "removed",
        "last request",
    ):
        assert f">{word}</font>" in drawn
    assert "legend" not in to_dot(graph, legend=False)
    assert "legend" not in to_dot(Graph())


def _rolling_snapshot():
    """A service halfway through a rolling deployment from web:1 to web:2, and one lone task."""
    from ecslab.views.snapshot import (
        Cluster,
        ContainerDef,
        Deployment,
        Service,
        Snapshot,
        Task,
        TaskDefinition,
    )

    cluster = Cluster("arn:aws:ecs:us-east-1:1:cluster/course", "course", "ACTIVE")
    prefix = "arn:aws:ecs:us-east-1:1:task-definition/"
    definitions = tuple(
        TaskDefinition(
            f"{prefix}web:{r}",
            "web",
            r,
            (ContainerDef("web", f"nginx:1.{r}", (), None),),
            None,
            None,
            ("FARGATE",),
        )
        for r in (1, 2)
    )
    deployments = (
        Deployment("ecs-svc/2", "PRIMARY", f"{prefix}web:2", 2, 1, 1, "IN_PROGRESS"),
        Deployment("ecs-svc/1", "ACTIVE", f"{prefix}web:1", 1, 1, 0, "COMPLETED"),
    )
    service = Service(
        "arn:s/web",
        "web",
        cluster.arn,
        "ACTIVE",
        2,
        2,
        1,
        "FARGATE",
        f"{prefix}web:2",
        deployments,
        (),
    )
    tasks = (
        Task(
            "arn:aws:ecs:us-east-1:1:task/course/aaa",
            cluster.arn,
            "service:web",
            f"{prefix}web:1",
            "RUNNING",
            "RUNNING",
            "HEALTHY",
            "FARGATE",
            (),
        ),
        Task(
            "arn:aws:ecs:us-east-1:1:task/course/bbb",
            cluster.arn,
            "service:web",
            f"{prefix}web:2",
            "PROVISIONING",
            "RUNNING",
            None,
            "FARGATE",
            (),
        ),
        Task(
            "arn:aws:ecs:us-east-1:1:task/course/ccc",
            cluster.arn,
            "family:web",
            f"{prefix}web:1",
            "RUNNING",
            "RUNNING",
            None,
            "FARGATE",
            (),
        ),
    )
    return Snapshot(
        "us-east-1",
        clusters=(cluster,),
        services=(service,),
        tasks=tasks,
        task_definitions=definitions,
    )


def test_a_rolling_deployment_shows_both_revisions():
    """PRIMARY and ACTIVE deployments are two edges into the service, the older one dashed."""
    graph = build(_rolling_snapshot())

    deploys = {(e.source, e.label) for e in graph.edges if e.kind == "deploys"}
    assert deploys == {("taskdef:web:2", "PRIMARY"), ("taskdef:web:1", "ACTIVE")}
    service = graph.node("service:course/web")
    assert service.label.splitlines()[2:] == [
        "PRIMARY web:2 1/2 IN_PROGRESS",
        "ACTIVE web:1 1/1 COMPLETED",
    ]
    assert service.state == "starting"
    assert graph.node("task:course/aaa").state == "healthy"
    assert graph.node("task:course/bbb").state == "starting"
    assert ("image:nginx:1.2", "taskdef:web:2", "image") in _edges(graph)
    dot = to_dot(graph)
    # Drawn reversed so the service ranks below its tasks and the definitions below it.
    assert '"service|course/web" -> "taskdef|web|1" [label=ACTIVE dir=back style=dashed]' in dot


def test_a_task_outside_any_service_hangs_off_its_task_definition():
    """run_task's lone task: task definition → task, no service in between."""
    graph = build(_rolling_snapshot())

    assert ("taskdef:web:1", "task:course/ccc", "runs") in _edges(graph)
    assert not any(
        e.target == "task:course/ccc" and e.source.startswith("service:") for e in graph.edges
    )


def test_an_empty_cluster_is_drawn_and_counted(lab) -> None:
    """A cluster frames its services and tasks; with none yet, it still appears (lesson 00)."""
    from ecslab.views.lab_views import views_of

    lab.client("ecs").create_cluster(clusterName="course")
    lab.client("ecr").create_repository(repositoryName="api")
    lab.client("ecr").create_repository(repositoryName="web")
    diagram = views_of(lab).diagram()
    assert "cluster:course" in diagram.graph.ids
    assert diagram.describe() == "Diagram: 1 cluster, 2 repositories"


def test_tasks_sit_in_their_subnets_and_the_alb_spans_its_zones(course):
    """As AWS draws it: VPC → zones → subnets; each task in the subnet of its network interface
    (ECS DescribeTasks' ElasticNetworkInterface attachment), an ALB node in each of its zones'
    subnets (DescribeLoadBalancers' AvailabilityZones), the ALB itself in the VPC."""
    snapshot = course.inventory.snapshot()
    graph = build(snapshot)

    subnets = {s.id: s for s in snapshot.subnets}
    for task in snapshot.tasks:
        node = graph.node(f"task:course/{task.id}")
        assert node.within == f"subnet:{task.subnet_id}"
        subnet = graph.node(node.within)
        zone = graph.node(subnet.within)
        assert zone.label == f"Availability Zone {subnets[task.subnet_id].zone}"
        assert zone.within == f"vpc:{subnets[task.subnet_id].vpc_id}"
    zones = {n.name for n in graph.of_kind("alb-node")}
    assert len(graph.of_kind("alb-node")) == 2 and {"course-alb"} == zones
    assert graph.node("alb:course-alb").within.startswith("vpc:")
    vpc = graph.of_kind("vpc")[0]
    assert "security group web admits TCP 80 from 0.0.0.0/0; TCP 8080 from web" in vpc.label
    # Only subnets in use are drawn; the main route table sends 0.0.0.0/0 to the internet
    # gateway, so they are public, and users reach the ALB through the gateway.
    assert {n.state for n in graph.of_kind("subnet")} == {"public"}
    assert len(graph.of_kind("internet-gateway")) == 1
    assert 'users -> "igw|' in to_dot(graph)


def test_a_security_group_that_does_not_admit_the_alb_blocks_its_targets(course):
    """Targets whose groups do not admit the ALB's group on the target port are reached by a
    blocked edge (AWS: inbound rules decide, https://docs.aws.amazon.com/vpc/latest/userguide/
    vpc-security-groups.html); the ALB's box says what its own group admits."""
    ec2 = course.lab.client("ec2")
    group = course.inventory.snapshot().security_groups
    web = next(g for g in group if g.name == "web")
    assert all(e.state != "blocked" for e in build(course.inventory.snapshot()).edges)
    ec2.revoke_security_group_ingress(
        GroupId=web.id,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 8080,
                "ToPort": 8080,
                "UserIdGroupPairs": [{"GroupId": web.id}],
            }
        ],
    )

    graph = build(course.inventory.snapshot())

    targets = [e for e in graph.edges if e.kind == "targets"]
    assert targets and all(e.state == "blocked" for e in targets)
    assert "security group web admits TCP 80 from 0.0.0.0/0" in graph.node("alb:course-alb").label
    vpc = next(n for n in graph.of_kind("vpc"))
    assert vpc.label.endswith("security group web admits TCP 80 from 0.0.0.0/0")  # 8080 revoked
    assert "arrowhead=tee" in to_dot(graph)
