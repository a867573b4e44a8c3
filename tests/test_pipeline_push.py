"""The push to ECR: image, tag and digest visible through plain ECR calls."""

from __future__ import annotations

from typing import Any

import pytest

from ecslab.pipeline import Source, build, push
from ecslab.pipeline.images import AsgiBackend
from ecslab.world.moto_hooks import active_host

EXAMPLE = Source.example()


def test_a_pushed_image_is_in_ecr_under_the_commit_sha_with_the_builds_digest(lab: Any) -> None:
    """describe_images shows the tag and the very digest the build computed."""
    ecr = lab.client("ecr")
    ecr.create_repository(repositoryName="ecslab-backend")
    image = build(EXAMPLE, "backend")

    pushed = push(ecr, image, "ecslab-backend", EXAMPLE.sha)

    details = ecr.describe_images(repositoryName="ecslab-backend")["imageDetails"]
    assert [(d["imageTags"], d["imageDigest"]) for d in details] == [([EXAMPLE.sha], image.digest)]
    assert pushed.digest == image.digest
    assert (
        pushed.uri
        == f"{lab.account_id}.dkr.ecr.{lab.region}.amazonaws.com/ecslab-backend:{EXAMPLE.sha}"
    )
    got = ecr.batch_get_image(repositoryName="ecslab-backend", imageIds=[{"imageTag": EXAMPLE.sha}])
    assert got["images"][0]["imageManifest"] == image.manifest


def test_the_push_uploads_each_blob_and_ecr_knows_them(lab: Any) -> None:
    """Config and layer arrive through the layer-upload calls, then ECR lists them available."""
    ecr = lab.client("ecr")
    ecr.create_repository(repositoryName="ecslab-backend")
    image = build(EXAMPLE, "backend")

    pushed = push(ecr, image, "ecslab-backend", "v1")

    assert pushed.uploaded_blobs == 2
    check = ecr.batch_check_layer_availability(
        repositoryName="ecslab-backend", layerDigests=list(image.blobs)
    )
    assert {layer["layerAvailability"] for layer in check["layers"]} == {"AVAILABLE"}


def test_a_second_push_of_the_same_blobs_uploads_nothing(lab: Any) -> None:
    """Only the frontend's tag is new when its code did not change: no blob goes up again."""
    ecr = lab.client("ecr")
    ecr.create_repository(repositoryName="ecslab-frontend")
    image = build(EXAMPLE, "frontend")
    push(ecr, image, "ecslab-frontend", "first")

    again = push(ecr, image, "ecslab-frontend", "second")

    assert again.uploaded_blobs == 0
    tags = ecr.describe_images(repositoryName="ecslab-frontend")["imageDetails"][0]["imageTags"]
    assert sorted(tags) == ["first", "second"]


def test_a_push_into_the_simulated_world_makes_the_image_behave_as_its_app(lab: Any) -> None:
    """Containers of the pushed backend image run the backend; looked up by tag or digest."""
    pytest.importorskip("fastapi")
    ecr = lab.client("ecr")
    ecr.create_repository(repositoryName="api")
    image = build(EXAMPLE, "backend")

    pushed = push(ecr, image, "api", "v1")

    apps = active_host().apps
    assert isinstance(apps.lookup(pushed.uri), AsgiBackend)
    assert apps.lookup("elsewhere/api:v9", image.digest) is apps.lookup(pushed.uri)


def test_an_image_of_another_kind_stays_a_generic_web_server(lab: Any) -> None:
    """Neither app/main.py nor streamlit_app.py: the world's default behaviour."""
    ecr = lab.client("ecr")
    ecr.create_repository(repositoryName="static")
    source = Source({"site/Dockerfile": b"FROM nginx:1.27.3\n", "site/index.html": b"<h1>hi</h1>"})

    pushed = push(ecr, build(source, "site"), "static", "v1")

    apps = active_host().apps
    assert apps.lookup(pushed.uri) is apps.default


def test_pushing_the_same_image_and_tag_again_is_a_no_op_as_with_docker(lab: Any) -> None:
    """ECR answers ImageAlreadyExistsException; docker push just says it is there."""
    ecr = lab.client("ecr")
    ecr.create_repository(repositoryName="api")
    image = build(EXAMPLE, "frontend")
    push(ecr, image, "api", "v1")

    again = push(ecr, image, "api", "v1")

    assert (again.digest, again.uploaded_blobs) == (image.digest, 0)
    assert len(ecr.describe_images(repositoryName="api")["imageDetails"]) == 1
