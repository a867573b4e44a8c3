"""ECR: repository names, and tags an IMMUTABLE repository will not move."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ecslab.lab import Lab
from ecslab.world.validation.ecr import NAME_PATTERN
from tests.validation_calls import aws_error


def manifest(layer: str) -> str:
    """A Docker image manifest whose one layer is ``layer`` repeated (a distinct image each)."""
    digest = "sha256:" + (layer * 64)[:64]
    return json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {"mediaType": "application/vnd.docker.container.image.v1+json",
                       "size": 7, "digest": "sha256:" + "c" * 64},
            "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                        "size": 10, "digest": digest}],
        }
    )


def push(lab: Lab, repository: str, tag: str, layer: str) -> Any:
    return lab.client("ecr").put_image(
        repositoryName=repository, imageManifest=manifest(layer), imageTag=tag
    )


@pytest.mark.parametrize("name", ["Shop", "shop web", "-shop", "shop/", "x" * 257, "shop--"])
def test_repository_name_follows_the_pattern_rejects(lab: Lab, name: str) -> None:
    """Capitals, spaces, leading or trailing separators, and bad lengths are refused."""
    ecr = lab.client("ecr")
    code, message = aws_error(lambda: ecr.create_repository(repositoryName=name))
    assert (code, message) == (
        "InvalidParameterException",
        "Invalid parameter at 'repositoryName' failed to satisfy constraint: "
        f"'must satisfy regular expression '{NAME_PATTERN}''",
    )


@pytest.mark.parametrize("name", ["shop", "team-a/web-app", "web__api", "web--api", "v1.2"])
def test_repository_name_follows_the_pattern_accepts(lab: Lab, name: str) -> None:
    """Lowercase words joined by . _ __ - runs of hyphens, and / for namespaces."""
    created = lab.client("ecr").create_repository(repositoryName=name)
    assert created["repository"]["repositoryUri"].endswith(f"/{name}")


def test_immutable_tag_cannot_be_pushed_again_rejects_a_new_image(lab: Lab) -> None:
    """In an IMMUTABLE repository, v1 stays on the image first pushed as v1."""
    lab.client("ecr").create_repository(repositoryName="shop", imageTagMutability="IMMUTABLE")
    push(lab, "shop", "v1", "a")
    code, message = aws_error(lambda: push(lab, "shop", "v1", "b"))
    assert (code, message) == (
        "ImageTagAlreadyExistsException",
        "The image tag 'v1' already exists in the 'shop' repository and cannot be overwritten "
        "because the repository is immutable.",
    )


def test_immutable_tag_cannot_be_pushed_again_rejects_the_same_image(lab: Lab) -> None:
    """Even the identical image cannot be pushed to an existing tag again."""
    lab.client("ecr").create_repository(repositoryName="shop", imageTagMutability="IMMUTABLE")
    push(lab, "shop", "v1", "a")
    code, _ = aws_error(lambda: push(lab, "shop", "v1", "a"))
    assert code == "ImageTagAlreadyExistsException"


def test_immutable_tag_cannot_be_pushed_again_accepts_a_new_tag(lab: Lab) -> None:
    """New tags are always allowed."""
    lab.client("ecr").create_repository(repositoryName="shop", imageTagMutability="IMMUTABLE")
    push(lab, "shop", "v1", "a")
    assert push(lab, "shop", "v2", "b")["image"]["imageId"]["imageTag"] == "v2"


def test_immutable_tag_cannot_be_pushed_again_accepts_a_mutable_repository(lab: Lab) -> None:
    """In a MUTABLE repository (the default), latest moves to the new image."""
    lab.client("ecr").create_repository(repositoryName="shop")
    push(lab, "shop", "latest", "a")
    assert push(lab, "shop", "latest", "b")["image"]["imageId"]["imageTag"] == "latest"


def test_immutable_tag_cannot_be_pushed_again_accepts_an_excluded_tag(lab: Lab) -> None:
    """IMMUTABLE_WITH_EXCLUSION: tags matching a wildcard filter may move."""
    lab.client("ecr").create_repository(
        repositoryName="shop",
        imageTagMutability="IMMUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters=[{"filterType": "WILDCARD", "filter": "latest*"}],
    )
    push(lab, "shop", "latest", "a")
    assert push(lab, "shop", "latest", "b")["image"]["imageId"]["imageTag"] == "latest"
    push(lab, "shop", "v1", "a")
    code, _ = aws_error(lambda: push(lab, "shop", "v1", "b"))
    assert code == "ImageTagAlreadyExistsException"


def test_image_pushed_into_an_existing_repository_rejects(lab: Lab) -> None:
    """PutImage into a repository that does not exist: RepositoryNotFoundException."""
    assert aws_error(lambda: push(lab, "missing", "v1", "a")) == (
        "RepositoryNotFoundException",
        "The repository with name 'missing' does not exist in the registry with id "
        "'123456789012'",
    )


def test_image_pushed_into_an_existing_repository_accepts(lab: Lab) -> None:
    lab.client("ecr").create_repository(repositoryName="shop")
    assert push(lab, "shop", "v1", "a")["image"]["imageId"]["imageTag"] == "v1"


def test_image_manifest_is_json_rejects(lab: Lab) -> None:
    """A manifest that is not JSON: InvalidParameterException, not a Python exception."""
    ecr = lab.client("ecr")
    ecr.create_repository(repositoryName="shop")
    code, _ = aws_error(
        lambda: ecr.put_image(repositoryName="shop", imageManifest="not json", imageTag="v1")
    )
    assert code == "InvalidParameterException"


def test_image_manifest_is_json_accepts(lab: Lab) -> None:
    lab.client("ecr").create_repository(repositoryName="shop")
    assert push(lab, "shop", "v2", "b")["image"]["repositoryName"] == "shop"
