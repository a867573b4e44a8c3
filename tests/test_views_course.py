"""The course's own world (as ``catch_up`` rebuilds it for lesson 06), drawn and followed live."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from IPython.core.events import EventManager, available_events

from ecslab.course.catch_up import catch_up
from ecslab.views.lab_views import views_of


@pytest.fixture
def course(lab):
    """ECR images, the cluster, both services stable behind course-alb."""
    return SimpleNamespace(lab=lab, built=catch_up(lab, "06_cicd"))


def test_the_course_world_as_the_learner_pictures_it(course):
    """The stable world: both services' tasks healthy in their target groups, on their path."""
    graph = course.lab.diagram().graph

    edges = {(e.source, e.target, e.kind) for e in graph.edges}
    assert {
        ("users", "alb:course-alb", "request"),
        ("listener:course-alb:80", "rule:course-alb:80:10", "evaluates"),
        ("rule:course-alb:80:10", "tg:api", "forwards"),
        ("rule:course-alb:80:default", "tg:web", "forwards"),
        ("taskdef:api:1", "service:course/api", "deploys"),
        ("image:api:v1", "taskdef:api:1", "image"),
        ("service:course/web", "tg:web", "registers"),
    } <= edges
    for service in ("api", "web"):
        tasks = [
            e.target
            for e in graph.edges
            if e.source == f"service:course/{service}" and e.kind == "runs"
        ]
        assert len(tasks) == 2
        for task in tasks:
            assert (f"tg:{service}", task, "targets") in edges
            assert graph.node(task).state == "healthy"


def test_a_request_lights_its_path_in_the_live_diagram(course):
    """After lab.request('/api/health') the live picture marks users → … → the answering task."""
    shell = SimpleNamespace(events=EventManager(None, available_events))
    live = views_of(course.lab).live(ipython=shell)
    assert not live.diagram.path

    answer = course.lab.request("/api/health")
    shell.events.trigger("post_run_cell", None)

    path = live.diagram.path
    assert {
        "users",
        "alb:course-alb",
        "listener:course-alb:80",
        "rule:course-alb:80:10",
        "tg:api",
    } <= path
    task = next(n for n in live.diagram.graph.of_kind("task") if n.id in path)
    assert answer.target_id in task.label
    assert 'color="#7b1fa2"' in live.diagram.dot
