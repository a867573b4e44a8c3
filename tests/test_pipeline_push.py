"""The push to ECR: image, tag and digest visible through plain ECR calls."""

from __future__ import annotations

from typing import Any

from ecslab.pipeline import Source, build, push

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
