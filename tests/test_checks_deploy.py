"""Lesson 06's check verifies what runs: re-registering twice still ships the new image, and a
service left on an old revision fails the check even though it is stable and healthy."""

from __future__ import annotations

import json

import pytest

from ecslab import pipeline
from ecslab.checks.ecs import service
from ecslab.course.catch_up import catch_up
from ecslab.lab import Lab

KEEP = (
    "family",
    "containerDefinitions",
    "requiresCompatibilities",
    "networkMode",
    "cpu",
    "memory",
    "executionRoleArn",
)


@pytest.fixture(autouse=True)
def _progress_file(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECSLAB_PROGRESS_FILE", str(tmp_path / "progress.json"))


def _register(lab: Lab, image: str) -> str:
    ecs = lab.client("ecs")
    definition = ecs.describe_task_definition(taskDefinition="api")["taskDefinition"]
    definition["containerDefinitions"][0]["image"] = image
    registered = ecs.register_task_definition(**{key: definition[key] for key in KEEP})
    return registered["taskDefinition"]["taskDefinitionArn"]


def _version(lab: Lab) -> str:
    return json.loads(lab.request("/api/info").body)["version"]


def test_the_registered_arn_ships_the_new_image_and_a_stale_revision_fails(lab: Lab) -> None:
    catch_up(lab, "06_cicd")
    ecs, ecr = lab.client("ecs"), lab.client("ecr")
    source = pipeline.Source.example()
    newer = source.with_change(
        "backend/app/main.py", 'VERSION = "1.0.0"', 'VERSION = "1.2.0"', "Backend 1.2.0"
    )
    old_image = ecs.describe_task_definition(taskDefinition="api")["taskDefinition"][
        "containerDefinitions"
    ][0]["image"]
    # The registration cell run twice: api:2 and api:3 both name the old image.
    _register(lab, old_image)
    _register(lab, old_image)
    pushed = pipeline.push(ecr, pipeline.build(newer, "backend"), "api", newer.short_sha)
    arn = _register(lab, pushed.uri)
    assert arn.endswith("api:4")

    # A revision number written by hand (api:3) ships the old image: stable, healthy, and red.
    ecs.update_service(cluster="course", service="api", taskDefinition="api:3")
    lab.wait_stable("course", "api")
    stale = service(lab, "course", "api", running=2, target_group="api", image=pushed.uri)
    assert not stale and _version(lab) == "1.0.0"
    assert "2 of its 2 running tasks run api:3, whose image is api:v1" in stale.text()
    assert "2 healthy targets" in stale.text()  # everything else looks fine

    # The ARN register_task_definition returned: the new image runs, the check is green.
    ecs.update_service(cluster="course", service="api", taskDefinition=arn)
    lab.wait_stable("course", "api")
    shipped = service(lab, "course", "api", running=2, target_group="api", image=pushed.uri)
    assert shipped and _version(lab) == "1.2.0"
    assert f"its 2 running tasks run api:{newer.short_sha}" in shipped.text()


def test_a_tag_is_compared_by_digest(lab: Lab) -> None:
    """The same image under another tag still counts: ECR resolves both tags to one digest."""
    catch_up(lab, "06_cicd")
    ecr = lab.client("ecr")
    digest = ecr.describe_images(repositoryName="api", imageIds=[{"imageTag": "v1"}])[
        "imageDetails"
    ][0]["imageDigest"]
    uri = ecr.describe_repositories(repositoryNames=["api"])["repositories"][0]["repositoryUri"]
    assert service(lab, "course", "api", image=f"{uri}@{digest}")
    assert not service(lab, "course", "api", image=f"{uri}@sha256:{'0' * 64}")


def test_a_service_that_never_settles_points_at_its_events_and_stopped_task(lab: Lab) -> None:
    from ecslab.errors import ServiceNotStable

    course = catch_up(lab, "04_services")
    ecs = lab.client("ecs")
    ecs.register_task_definition(
        family="bad",
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        cpu="256",
        memory="512",
        containerDefinitions=[{"name": "bad", "image": f"{course.images['api']}-missing"}],
    )
    ecs.create_service(
        cluster="course",
        serviceName="bad",
        taskDefinition="bad",
        desiredCount=1,
        launchType="FARGATE",
        networkConfiguration=course.network(),
    )
    with pytest.raises(ServiceNotStable) as raised:
        lab.wait_stable("course", "bad", timeout=300)
    told = str(raised.value)
    assert told.startswith("Service bad did not reach a steady state within 300 seconds.")
    assert "Its latest events (newest first):\n  (service bad) " in told
    assert "A stopped task says: TaskFailedToStart: CannotPullContainerError" in told
    assert "stoppedReason" in told
