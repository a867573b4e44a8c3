"""The task lifecycle: states as data, and run_task/stop_task as describe_tasks shows them."""

from __future__ import annotations

import ipaddress

from world_scenarios import register

from ecslab.lab import Lab
from ecslab.world.lifecycle import DWELL, LIFECYCLE, STATES, next_state


def _run(lab: Lab) -> tuple[str, list[str]]:
    ec2, ecs = lab.client("ec2"), lab.client("ecs")
    subnet = sorted(ec2.describe_subnets()["Subnets"], key=lambda s: s["AvailabilityZone"])[0]
    ecs.create_cluster(clusterName="demo")
    answer = ecs.run_task(
        cluster="demo",
        taskDefinition=register(lab),
        launchType="FARGATE",
        networkConfiguration={
            "awsvpcConfiguration": {"subnets": [subnet["SubnetId"]], "assignPublicIp": "ENABLED"}
        },
    )
    return answer["tasks"][0]["taskArn"], [subnet["SubnetId"], subnet["CidrBlock"]]


def _task(lab: Lab, arn: str) -> dict:
    return lab.client("ecs").describe_tasks(cluster="demo", tasks=[arn])["tasks"][0]


def test_the_lifecycle_table_lists_aws_states_in_order() -> None:
    """The table holds AWS's eight states, in the order of the task-lifecycle page."""
    assert STATES == (
        "PROVISIONING",
        "PENDING",
        "ACTIVATING",
        "RUNNING",
        "DEACTIVATING",
        "STOPPING",
        "DEPROVISIONING",
        "STOPPED",
    )
    assert all(phase.what for phase in LIFECYCLE)
    assert DWELL["RUNNING"] is None and DWELL["STOPPED"] is None
    assert next_state("PENDING") == "STOPPING"  # a task stopped before it ran has nothing to drain


def test_run_task_walks_through_the_states_at_the_table_times(lab: Lab) -> None:
    """describe_tasks shows PROVISIONING, PENDING, ACTIVATING, then RUNNING, when the table says."""
    arn, _ = _run(lab)
    seen = [_task(lab, arn)["lastStatus"]]
    for state in ("PROVISIONING", "PENDING", "ACTIVATING"):
        lab.advance(DWELL[state])
        seen.append(_task(lab, arn)["lastStatus"])
    assert seen == ["PROVISIONING", "PENDING", "ACTIVATING", "RUNNING"]
    task = _task(lab, arn)
    assert task["desiredStatus"] == "RUNNING"
    assert task["startedAt"] > task["createdAt"]


def test_the_task_gets_an_address_from_its_own_subnet(lab: Lab) -> None:
    """The ENI's private IP lies in the task's subnet, past the four addresses AWS reserves."""
    arn, (subnet_id, cidr) = _run(lab)
    details = {d["name"]: d["value"] for d in _task(lab, arn)["attachments"][0]["details"]}
    assert details["subnetId"] == subnet_id
    address = ipaddress.ip_address(details["privateIPv4Address"])
    network = ipaddress.ip_network(cidr)
    assert address in network and int(address) - int(network.network_address) >= 4
    eni = lab.client("ec2").describe_network_interfaces(
        NetworkInterfaceIds=[details["networkInterfaceId"]]
    )["NetworkInterfaces"][0]
    assert eni["PrivateIpAddress"] == str(address)


def test_stop_task_is_user_initiated_and_takes_the_task_down_step_by_step(lab: Lab) -> None:
    """stop_task sets desiredStatus STOPPED at once; lastStatus follows the lifecycle down."""
    arn, _ = _run(lab)
    lab.advance(60)
    answer = lab.client("ecs").stop_task(cluster="demo", task=arn, reason="lesson over")["task"]
    assert (answer["desiredStatus"], answer["lastStatus"]) == ("STOPPED", "RUNNING")
    lab.advance(1)
    assert _task(lab, arn)["lastStatus"] == "STOPPING"
    lab.advance(DWELL["STOPPING"])
    assert _task(lab, arn)["lastStatus"] == "DEPROVISIONING"
    lab.advance(DWELL["DEPROVISIONING"])
    task = _task(lab, arn)
    assert task["lastStatus"] == "STOPPED"
    assert (task["stopCode"], task["stoppedReason"]) == ("UserInitiated", "lesson over")
    assert task["containers"][0]["exitCode"] == 0


def test_list_tasks_shows_running_tasks_unless_asked_for_stopped_ones(lab: Lab) -> None:
    """As the ECS API reference says, desiredStatus defaults to RUNNING."""
    arn, _ = _run(lab)
    ecs = lab.client("ecs")
    lab.advance(60)
    ecs.stop_task(cluster="demo", task=arn)
    assert ecs.list_tasks(cluster="demo")["taskArns"] == []
    assert ecs.list_tasks(cluster="demo", desiredStatus="STOPPED")["taskArns"] == [arn]


def test_a_stopped_task_is_forgotten_after_an_hour(lab: Lab) -> None:
    """Stopped tasks stay describable for about an hour, then disappear."""
    arn, _ = _run(lab)
    ecs = lab.client("ecs")
    lab.advance(60)
    ecs.stop_task(cluster="demo", task=arn)
    lab.advance(600)
    assert ecs.list_tasks(cluster="demo", desiredStatus="STOPPED")["taskArns"] == [arn]
    lab.advance(3600)
    assert ecs.list_tasks(cluster="demo", desiredStatus="STOPPED")["taskArns"] == []


def test_run_task_answers_with_a_provisioning_task_with_an_aws_shaped_id(lab) -> None:
    """RunTask's answer shows the new task PROVISIONING (task-lifecycle-explanation.html); ECS
    task IDs are 32 hexadecimal digits, as in AWS's service events."""
    from ecslab.course.catch_up import catch_up

    course = catch_up(lab, "04_services")
    ecs = lab.client("ecs")
    task = ecs.run_task(
        cluster="course",
        taskDefinition="api",
        launchType="FARGATE",
        networkConfiguration=course.network(subnets=1),
    )["tasks"][0]
    assert (task["lastStatus"], task["desiredStatus"]) == ("PROVISIONING", "RUNNING")
    task_id = task["taskArn"].rsplit("/", 1)[-1]
    assert len(task_id) == 32 and int(task_id, 16) >= 0
    described = ecs.describe_tasks(cluster="course", tasks=[task["taskArn"]])["tasks"][0]
    assert described["lastStatus"] == "PROVISIONING"
