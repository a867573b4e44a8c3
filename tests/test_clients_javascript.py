"""The AWS SDK for JavaScript v3, unmodified, waits on ``ecslab server`` as on AWS.

``tests/sdk_waiters.cjs`` forces a new deployment and waits with ``waitUntilServicesStable``,
runs a task and waits with ``waitUntilTasksRunning``, creates a load balancer and waits with
``waitUntilLoadBalancerAvailable``: each waiter with the SDK's own delays, found from
``AWS_ENDPOINT_URL`` alone.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from client_support import COMMAND_TIMEOUT, Course, environment, node, record, serving_course

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def course() -> Iterator[Course]:
    """One sped-up server for this module, the course's world on it."""
    with serving_course() as served:
        yield served


SCRIPT = Path(__file__).with_name("sdk_waiters.cjs")


def test_the_sdk_waiters_return_success(course: Course) -> None:
    binary, modules = node()
    settings = {
        "cluster": "course",
        "service": "web",
        "taskDefinition": "web",
        "network": course.built.network(),
        "subnets": course.built.subnets[:2],
        "maxWaitTime": 180,
    }
    done = subprocess.run(
        [binary, str(SCRIPT), json.dumps(settings)],
        env=environment(course.url, course.lab) | {"NODE_PATH": str(modules)},
        cwd=os.fspath(modules.parent),
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT * 3,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout)
    for name, outcome in results.items():
        record("javascript-sdk", name, outcome["seconds"])
    failed = {name: o for name, o in results.items() if not o["ok"]}
    assert not failed, failed
    assert results["waitUntilServicesStable"]["value"] == "SUCCESS"
    assert results["runTask"]["value"] == "PROVISIONING"
    assert results["waitUntilTasksRunning"]["value"] == "SUCCESS"
    assert results["waitUntilLoadBalancerAvailable"]["value"] == ["provisioning", "SUCCESS"]
