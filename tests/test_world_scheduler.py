"""The service scheduler: desiredCount kept, tasks replaced and spread, events in AWS's words."""

from __future__ import annotations

from world_scenarios import web_stack

from ecslab.lab import Lab
from ecslab.world.deployments import Deployment, ServiceRecord
from ecslab.world.lifecycle import TaskRecord
from ecslab.world.scheduler import plan


def test_a_service_behind_an_alb_reaches_a_steady_state_with_targets_initial_then_healthy(
    lab: Lab,
) -> None:
    """Tasks start, register as initial targets, pass a health check, and the service settles."""
    stack = web_stack(lab, desired=2)
    assert stack.describe()["pendingCount"] == 2
    lab.advance(30)  # PROVISIONING 10 s, PENDING 15 s, ACTIVATING 5 s
    assert stack.describe()["runningCount"] == 2
    lab.advance(5)  # registration takes 10 s from the start of ACTIVATING
    reasons = {d["TargetHealth"].get("Reason") for d in stack.health()}
    assert stack.states() == ["initial", "initial"]
    assert reasons == {"Elb.InitialHealthChecking"}
    waited = lab.wait_stable("demo", "web")
    assert stack.states() == ["healthy", "healthy"]
    service = stack.describe()
    assert (service["runningCount"], service["pendingCount"]) == (2, 0)
    (deployment,) = service["deployments"]
    assert deployment["rolloutState"] == "COMPLETED"
    assert deployment["rolloutStateReason"] == f"ECS deployment {deployment['id']} completed."
    messages = stack.messages()
    assert messages[0].startswith("(service web) has started 2 tasks: (task ")
    assert (
        messages[1] == f"(service web) registered 2 targets in (target-group {stack.target_group})"
    )
    assert messages[-2:] == [
        f"(service web) (deployment {deployment['id']}) deployment completed.",
        "(service web) has reached a steady state.",
    ]
    assert 0 < waited < 120


def test_a_new_target_is_registration_in_progress_at_first(lab: Lab) -> None:
    """Right after ACTIVATING begins, describe_target_health says Elb.RegistrationInProgress."""
    stack = web_stack(lab, desired=1)
    lab.advance(26)
    (description,) = stack.health()
    assert description["TargetHealth"] == {
        "State": "initial",
        "Reason": "Elb.RegistrationInProgress",
        "Description": "Target registration is in progress",
    }
    assert description["Target"]["Port"] == 80


def test_stop_task_brings_a_replacement(lab: Lab) -> None:
    """A task stopped by hand is replaced by the scheduler, and the service settles again."""
    stack = web_stack(lab, desired=2)
    lab.wait_stable("demo", "web")
    victim = stack.tasks()[0]["taskArn"]
    lab.client("ecs").stop_task(cluster="demo", task=victim)
    lab.advance(1)
    running = {t["taskArn"] for t in stack.tasks()}
    assert victim not in running and len(running) == 2
    lab.wait_stable("demo", "web", timeout=900)
    assert stack.describe()["runningCount"] == 2
    assert stack.states() == ["healthy", "healthy"]
    assert any(m.startswith("(service web) has stopped 1 running tasks") for m in stack.messages())


def test_tasks_are_spread_over_the_service_subnets_and_zones(lab: Lab) -> None:
    """Four tasks over two subnets in two zones: two in each."""
    stack = web_stack(lab, desired=4)
    lab.advance(30)
    zones = sorted(t["availabilityZone"] for t in stack.tasks())
    assert zones == ["us-east-1a", "us-east-1a", "us-east-1b", "us-east-1b"]


def test_the_service_follows_changes_of_desired_count(lab: Lab) -> None:
    """Scaling out starts tasks; scaling in stops the surplus with ServiceSchedulerInitiated."""
    stack = web_stack(lab, desired=1, with_load_balancer=False)
    ecs = lab.client("ecs")
    lab.wait_stable("demo", "web")
    answer = ecs.update_service(cluster="demo", service="web", desiredCount=3)["service"]
    assert (answer["desiredCount"], answer["runningCount"]) == (3, 1)
    lab.wait_stable("demo", "web")
    assert stack.describe()["runningCount"] == 3
    ecs.update_service(cluster="demo", service="web", desiredCount=1)
    lab.wait_stable("demo", "web")
    assert stack.describe()["runningCount"] == 1
    stopped = stack.tasks("STOPPED")
    assert len(stopped) == 2
    assert {t["stopCode"] for t in stopped} == {"ServiceSchedulerInitiated"}
    assert all(
        t["stoppedReason"].startswith("Scaling activity initiated by (deployment ecs-svc/")
        for t in stopped
    )


def test_without_a_load_balancer_a_task_counts_as_healthy_after_40_seconds(lab: Lab) -> None:
    """The ECS model: with no health check, RUNNING for 40 s counts towards healthy."""
    stack = web_stack(lab, desired=1, with_load_balancer=False)
    lab.advance(30 + 39)
    assert stack.describe()["deployments"][0]["rolloutState"] == "IN_PROGRESS"
    lab.advance(1)
    assert stack.describe()["deployments"][0]["rolloutState"] == "COMPLETED"


def _service(**changes: object) -> ServiceRecord:
    service = ServiceRecord("1", "r", "c", "s", "arn", desired_count=4)
    service.deployments = [
        Deployment("ecs-svc/2", "td:2", 0.0),
        Deployment("ecs-svc/1", "td:1", 0.0),
    ]
    service.deployments[1].status = "ACTIVE"
    for name, value in changes.items():
        setattr(service, name, value)
    return service


def _tasks(deployment: str, count: int, state: str = "RUNNING") -> list[TaskRecord]:
    return [
        TaskRecord(
            f"{deployment}-{i}",
            str(i),
            "1",
            "r",
            "c",
            "td",
            0.0,
            service="s",
            deployment_id=deployment,
            state=state,
        )
        for i in range(count)
    ]


def test_plan_starts_up_to_maximum_percent_and_stops_down_to_minimum_healthy() -> None:
    """The documented examples: min 50 % of 4 lets two old stop; max 200 % lets four new start."""
    old = _tasks("ecs-svc/1", 4)
    decision = plan(_service(minimum_percent=50, maximum_percent=200), old, lambda t: True)
    assert decision.start == 4 and len(decision.stop) == 2


def test_plan_is_stuck_when_neither_bound_leaves_room() -> None:
    """min 100 % and max 100 %: nothing may start or stop, and the scheduler says so."""
    old = _tasks("ecs-svc/1", 4)
    decision = plan(_service(minimum_percent=100, maximum_percent=100), old, lambda t: True)
    assert (decision.start, decision.stop, decision.stuck) == (0, [], True)


def test_the_same_scenario_gives_the_same_ids_and_events_every_run() -> None:
    """Seeded IDs and the virtual clock: two runs of one scenario describe the same world."""

    def run() -> tuple[list, list]:
        with Lab() as lab:
            stack = web_stack(lab, desired=2)
            lab.wait_stable("demo", "web")
            lab.client("ecs").describe_services(cluster="demo", services=["web"])  # a read
            lab.advance(100)
            service = stack.describe()
            return service["events"], sorted(t["taskArn"] for t in stack.tasks())

    assert run() == run()
