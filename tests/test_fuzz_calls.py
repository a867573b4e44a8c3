"""Property: no request of the course's operations, whatever its values, crashes the simulated
AWS; in-process and on the ecslab server (and the server still answers afterwards)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fuzz_calls import attempt, calls
from hypothesis import HealthCheck, given, settings

from ecslab.lab import Lab
from tests.server_fixture import ecslab_server  # noqa: F401  (a pytest fixture)

FUZZ = settings(
    max_examples=120,
    deadline=5000,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def moto_lab() -> Iterator[Lab]:
    with Lab() as lab:
        lab.client("ecs").create_cluster(clusterName="fuzz")
        yield lab


@FUZZ
@given(call=calls())
def test_no_call_crashes_the_in_process_world(moto_lab: Lab, call: tuple) -> None:
    attempt(moto_lab, *call)


@pytest.fixture(scope="module")
def server_lab(ecslab_server: str) -> Iterator[Lab]:  # noqa: F811
    with Lab(backend="server", endpoint_url=ecslab_server, learner="fuzz") as lab:
        lab.client("ecs").create_cluster(clusterName="fuzz")
        yield lab


@pytest.mark.server
@settings(FUZZ, max_examples=60)
@given(call=calls())
def test_no_call_crashes_the_server(server_lab: Lab, call: tuple) -> None:
    attempt(server_lab, *call)
    assert server_lab.client("ecs").list_clusters()["ResponseMetadata"]["HTTPStatusCode"] == 200
