"""The views through the server backend: the same snapshot and picture over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from views_world import build_course_world

from ecslab.lab import Lab
from ecslab.views.graph import build
from ecslab.views.inventory import Inventory, call_bound
from tests.server_fixture import ecslab_server  # noqa: F401  (a pytest fixture)

pytestmark = pytest.mark.server


@pytest.fixture
def server_lab(ecslab_server: str) -> Iterator[Lab]:  # noqa: F811
    with Lab(backend="server", endpoint_url=ecslab_server, learner="views") as lab:
        yield lab


def test_the_course_world_is_drawn_through_the_server(server_lab):
    """Only boto3 is used, so a shared server answers the snapshot as moto in-process does."""
    build_course_world(server_lab.client)
    inventory = Inventory(server_lab.client)

    snapshot = inventory.snapshot()
    graph = build(snapshot)

    assert inventory.calls == call_bound(snapshot)
    assert {"alb:course-alb", "tg:api-tg", "service:course/api", "taskdef:api:1"} <= graph.ids
    assert "<svg" in server_lab.diagram().svg()
