"""The same running world behind the ecslab server: wait_stable, request, faults, waiters."""

from __future__ import annotations

import pytest
from world_scenarios import web_stack

from ecslab.errors import NoLoadBalancer, NoRunningTask, ServiceNotStable, UnknownFault
from ecslab.lab import Lab
from ecslab.semantics.fault_results import TaskKilled
from tests.server_fixture import ecslab_server  # noqa: F401  (a pytest fixture)


def test_a_service_on_the_server_settles_serves_and_heals(ecslab_server: str) -> None:  # noqa: F811
    """Through the control routes: wait_stable, request through the ALB, kill a task."""
    with Lab(backend="server", endpoint_url=ecslab_server, learner="erin") as lab:
        stack = web_stack(lab, desired=2, deregistration_delay=0)
        lab.wait_stable("demo", "web")
        assert stack.states() == ["healthy", "healthy"]
        answer = lab.request("/")
        assert (answer.status, answer.body, answer.target_group_arn) == (
            200,
            "OK",
            stack.target_group,
        )
        assert lab.last_request is answer
        victim = stack.tasks()[0]["taskArn"]
        assert lab.faults.kill_task(victim, "demo") == TaskKilled(task=victim, exit_code=137)
        lab.client("ecs").get_waiter("services_stable").wait(cluster="demo", services=["web"])
        assert victim not in {t["taskArn"] for t in stack.tasks()}
        with pytest.raises(ServiceNotStable, match="missing does not exist in cluster demo"):
            lab.wait_stable("demo", "missing", timeout=5)


def test_the_servers_errors_are_the_in_process_worlds(ecslab_server: str) -> None:  # noqa: F811
    """No ALB, a task that is not running, a made-up fault: the same ecslab errors and
    sentences as in-process, relayed by name."""
    with Lab(backend="server", endpoint_url=ecslab_server, learner="fay") as lab:
        with pytest.raises(NoLoadBalancer, match="no Application Load Balancer in this account"):
            lab.request("/")
        with pytest.raises(NoRunningTask, match=r"^No running task 0123abcd in this account\.$"):
            lab.faults.kill_task("0123abcd", "demo")
        with pytest.raises(UnknownFault, match="Unknown fault 'explode'"):
            lab._backend.fault("explode", {})
