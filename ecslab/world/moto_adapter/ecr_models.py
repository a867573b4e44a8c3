"""moto's ECR (``moto.ecr.models``): repositories and images."""

from __future__ import annotations

from dataclasses import dataclass

import moto.ecr.models as models
from moto.ecr.models import ECRBackend, ecr_backends

from ecslab.world.moto_adapter.core import backend_of

__all__ = [
    "ECRBackend",
    "Image",
    "Repository",
    "backend",
    "find_image",
    "models",
    "repository",
    "repository_exists",
]


def backend(account: str, region: str) -> ECRBackend:
    return backend_of(ecr_backends, account, region)


@dataclass(frozen=True)
class Image:
    """An image pushed to a repository: its digest and manifest as pushed."""

    digest: str
    manifest: str | None
    manifest_media_type: str | None


def find_image(
    account: str, region: str, repository: str, tag: str | None, digest: str | None
) -> Image | None:
    """The first image of the repository with this digest or carrying this tag, if any."""
    repo = backend(account, region).repositories.get(repository)
    for candidate in repo.images if repo else []:
        if (digest and candidate.image_digest == digest) or (tag and tag in candidate.image_tags):
            return Image(
                candidate.image_digest,
                candidate.image_manifest,
                candidate.image_manifest_media_type,
            )
    return None


@dataclass(frozen=True)
class Repository:
    """A repository's tag mutability settings, and the tags its images carry."""

    name: str
    image_tag_mutability: str | None
    image_tag_mutability_exclusion_filters: list[dict[str, str]]
    tags: frozenset[str]


def repository(account: str, region: str, name: str) -> Repository | None:
    found = backend(account, region).repositories.get(name)
    if found is None:
        return None
    return Repository(
        name,
        found.image_tag_mutability,
        list(found.image_tag_mutability_exclusion_filters or []),
        frozenset(tag for image in found.images for tag in image.image_tags),
    )


def repository_exists(account: str, region: str, name: str) -> bool:
    return name in backend(account, region).repositories
