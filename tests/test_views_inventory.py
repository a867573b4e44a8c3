"""The snapshot: what it reads, and that it reads it in as few calls as AWS's batch limits allow."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from views_world import add_service, build_course_world, build_network

from ecslab.views.inventory import Inventory, call_bound
from ecslab.views.snapshot import Cluster, SecretRef, Service, Snapshot, Task


def _pages(ecs: Any, operation: str, key: str, **params: Any) -> tuple[int, list[str]]:
    """How many pages AWS's largest page size takes to list ``key``, and the items."""
    pages, items, token = 0, [], None
    while True:
        answer = getattr(ecs, operation)(
            **params, maxResults=100, **({"nextToken": token} if token else {})
        )
        pages += 1
        items += answer[key]
        token = answer.get("nextToken")
        if not token:
            return pages, items


def test_snapshot_reads_the_course_world(lab):
    """The course's world comes back whole: images, services, tasks, ALB, rules, targets."""
    world = build_course_world(lab.client)

    snapshot = Inventory(lab.client).snapshot()

    assert [r.name for r in snapshot.repositories] == ["api", "web"]
    assert [r.images[0].tags for r in snapshot.repositories] == [("v1",), ("v1",)]
    assert [s.name for s in snapshot.services] == ["api", "web"]
    assert {t.service_name for t in snapshot.tasks} == {"api", "web"}
    assert {t.arn for t in snapshot.tasks} >= set(world["web_tasks"]) | set(world["api_tasks"])
    assert [lb.name for lb in snapshot.load_balancers] == ["course-alb"]
    assert [(r.priority, r.conditions) for r in snapshot.rules] == [
        ("10", ("path /api/*",)),
        ("default", ()),
    ]
    api = next(g for g in snapshot.target_groups if g.name == "api-tg")
    api_ips = {ip for t in snapshot.tasks if t.service_name == "api" for ip in t.private_ips}
    assert {t.id for t in api.targets} == api_ips
    definition = snapshot.task_definition(snapshot.services[0].task_definition_arn)
    assert definition is not None
    assert definition.containers[0].secrets[0].name == "prod/db-password"
    assert definition.execution_role_arn.endswith("/ecsTaskExecutionRole")


def test_call_count_is_the_batching_bound(lab):
    """23 services and 130 tasks are read with ⌈23/10⌉ DescribeServices and ⌈130/100⌉
    DescribeTasks calls, and every other call at its bound."""
    network = build_network(lab.client)
    ecs = lab.client("ecs")
    ecs.create_cluster(clusterName="big")
    ecs.create_cluster(clusterName="batch")
    for index in range(23):
        add_service(lab.client, network, f"svc{index:02}", cluster="big", tasks=1)
    add_service(lab.client, network, "jobs", cluster="batch", tasks=130)
    inventory = Inventory(lab.client)

    snapshot = inventory.snapshot()

    expected: Counter[str] = Counter(
        DescribeRepositories=1,
        ListClusters=1,
        DescribeClusters=1,
        DescribeLoadBalancers=1,
        DescribeTargetGroups=1,
        DescribeVpcs=1,
        DescribeSubnets=1,
        DescribeRouteTables=1,
        DescribeSecurityGroups=1,
        DescribeTaskDefinition=len(
            {t.task_definition_arn for t in snapshot.tasks}
            | {s.task_definition_arn for s in snapshot.services}
        ),
    )
    for cluster in ("big", "batch"):
        pages, services = _pages(ecs, "list_services", "serviceArns", cluster=cluster)
        expected["ListServices"] += pages
        expected["DescribeServices"] += math.ceil(len(services) / 10)
        pages, tasks = _pages(
            ecs, "list_tasks", "taskArns", cluster=cluster, desiredStatus="RUNNING"
        )
        expected["ListTasks"] += pages
        expected["DescribeTasks"] += math.ceil(len(tasks) / 100)
    assert inventory.calls["DescribeServices"] == 3 + 1
    assert inventory.calls["DescribeTasks"] >= 2 + 1
    assert inventory.calls == expected
    assert inventory.total_calls <= sum(call_bound(snapshot).values())


def test_a_revision_already_read_is_not_asked_for_again(lab):
    """A task definition's revision never changes once registered, so the next snapshot of the
    same lab reads only the revisions it has not seen, and draws the same ones."""
    build_course_world(lab.client)
    inventory = Inventory(lab.client)
    first = inventory.snapshot()
    assert inventory.calls["DescribeTaskDefinition"] == len(first.task_definitions) > 0

    again = inventory.snapshot()
    assert inventory.calls["DescribeTaskDefinition"] == 0
    assert again.task_definitions == first.task_definitions

    ecs = lab.client("ecs")
    (service,) = ecs.describe_services(cluster="course", services=["api"])["services"]
    current = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])
    definition = current["taskDefinition"]
    kept = ("family", "containerDefinitions", "requiresCompatibilities", "networkMode", "cpu")
    revision = ecs.register_task_definition(
        **{key: definition[key] for key in kept if key in definition}, memory=definition["memory"]
    )["taskDefinition"]["taskDefinitionArn"]
    ecs.update_service(cluster="course", service="api", taskDefinition=revision)
    inventory.snapshot()
    assert inventory.calls["DescribeTaskDefinition"] == 1


def test_call_bound_of_fifty_services_and_five_hundred_tasks():
    """AWS limits: 50 services take 5 DescribeServices; 500 tasks 5 ListTasks, 5 DescribeTasks."""
    cluster = Cluster("arn:aws:ecs:us-east-1:1:cluster/c", "c", "ACTIVE")
    services = tuple(
        Service(f"arn:s{i}", f"s{i}", cluster.arn, "ACTIVE", 10, 10, 0, "FARGATE", "arn:td", (), ())
        for i in range(50)
    )
    tasks = tuple(
        Task(
            f"arn:t{i}",
            cluster.arn,
            "service:s0",
            "arn:td",
            "RUNNING",
            "RUNNING",
            None,
            "FARGATE",
            (),
        )
        for i in range(500)
    )
    snapshot = Snapshot("us-east-1", clusters=(cluster,), services=services, tasks=tasks)

    bound = call_bound(snapshot)

    assert bound["DescribeServices"] == 5
    assert bound["ListServices"] == 1
    assert bound["ListTasks"] == 5
    assert bound["DescribeTasks"] == 5
    assert bound["DescribeTargetHealth"] == 0


def test_secret_references_are_named_without_arn_or_suffix():
    """A Secrets Manager ARN loses its random suffix; a parameter ARN becomes its path."""
    secret = SecretRef("DB", "arn:aws:secretsmanager:us-east-1:1:secret:prod/db-AbCdEf")
    keyed = SecretRef("DB", "arn:aws:secretsmanager:us-east-1:1:secret:prod/db-AbCdEf:password::")
    parameter = SecretRef("URL", "arn:aws:ssm:us-east-1:1:parameter/app/url")

    assert (secret.store, secret.name) == ("secretsmanager", "prod/db")
    assert keyed.name == "prod/db"
    assert (parameter.store, parameter.name) == ("ssm", "/app/url")
    assert SecretRef("X", "plain-name").name == "plain-name"


def test_a_snapshot_shows_itself_as_counts():
    """A cell ending in lab.snapshot() shows what was found, not pages of data."""
    cluster = Cluster("arn:aws:ecs:us-east-1:1:cluster/c", "c", "ACTIVE")

    assert repr(Snapshot("us-east-1", clusters=(cluster,))) == "<Snapshot us-east-1: 1 cluster>"
    assert repr(Snapshot("eu-west-1")) == "<Snapshot eu-west-1: nothing yet>"
