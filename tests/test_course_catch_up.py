"""catch_up rebuilds, with plain boto3, what the lessons before a given one built."""

from __future__ import annotations

import json

import pytest

from ecslab.course.catch_up import catch_up
from ecslab.errors import ConfigurationError
from ecslab.lab import Lab


def test_lesson_00_starts_empty(lab: Lab) -> None:
    done = catch_up(lab, "00_big_picture")
    assert done.made == [] and "nothing: this lesson starts empty" in repr(done)
    assert lab.client("ecs").list_clusters()["clusterArns"] == []


def test_lesson_04_finds_images_cluster_and_task_definitions(lab: Lab) -> None:
    catch_up(lab, "04_services")
    ecs = lab.client("ecs")
    assert ecs.list_clusters()["clusterArns"][0].endswith("cluster/course")
    web = ecs.describe_task_definition(taskDefinition="web")["taskDefinition"]
    assert (web["cpu"], web["memory"]) == ("1024", "2048")  # as lesson 03's exercise registers it
    tags = [
        i["imageTags"]
        for i in lab.client("ecr").describe_images(repositoryName="api")["imageDetails"]
    ]
    assert tags == [["v1"]]
    assert ecs.list_services(cluster="course")["serviceArns"] == []


def test_lesson_07_finds_both_services_serving_through_the_alb(lab: Lab) -> None:
    """The backend's own code answers: the image pushed by catch_up runs the example app."""
    done = catch_up(lab, "07_secrets")
    answer = lab.request("/api/hello")
    assert answer.status == 200
    assert json.loads(answer.body) == {"message": "Hello from Fargate, world!", "version": "1.0.0"}
    assert lab.request("/").target_group_arn == done.target_groups["web"]


def test_an_unknown_lesson_is_named() -> None:
    with pytest.raises(ConfigurationError, match="No lesson '11_kubernetes'"):
        catch_up(None, "11_kubernetes")
