"""ECR repositories: how a repository may be named, and tags that may not move.

What AWS does (botocore's ECR model): a repository name is 2–256 characters matching the model's
pattern (lowercase letters and digits, separated by ``.``, ``_``, ``__`` or hyphens, with ``/``
for namespaces); in an ``IMMUTABLE`` repository a tag that exists cannot be pushed again, even
with the same image (``ImageTagAlreadyExistsException``: "The specified image is tagged with a
tag that already exists. The repository is configured for tag immutability."). The
``*_WITH_EXCLUSION`` settings flip that for tags matching an exclusion filter.

Sources: https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html,
https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html,
botocore ecr/2015-09-21 ``RepositoryName``, ``ImageTagAlreadyExistsException``.

PutImage into a repository that does not exist is refused with ``RepositoryNotFoundException``
("The repository with name '...' does not exist in the registry with id '...'"), and an image
manifest that is not JSON with ``InvalidParameterException``
(https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutImage.html).

Differs from AWS: only PutImage is checked (the API a simulated push goes through).
"""

from __future__ import annotations

import fnmatch
import json
import re
from typing import TYPE_CHECKING

from ecslab.world.moto_hooks import ApiCall, AwsError
from ecslab.world.validation import state
from ecslab.world.validation.rules import rule

if TYPE_CHECKING:
    from ecslab.world.moto_adapter.ecr_models import Repository

SOURCE_NAME = "botocore ecr/2015-09-21 RepositoryName (2-256 characters, pattern)"
SOURCE_TAGS = "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html"
SOURCE_PUT = "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutImage.html"

NAME_PATTERN = r"[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*"
_NAME = re.compile(NAME_PATTERN)
NAME_LENGTH = (2, 256)


@rule("ecr", "CreateRepository", source=SOURCE_NAME)
def repository_name_follows_the_pattern(call: ApiCall) -> None:
    """A repository name is 2–256 characters of lowercase words joined by . _ __ - or /."""
    # The form of the answer is AWS's ("Invalid parameter at 'repositoryName' failed to satisfy
    # constraint: 'must satisfy regular expression ...'", as quoted by users and reproduced by
    # moto); AWS quotes the pattern it checks, here the current model's.
    name = str(call.params.get("repositoryName") or "")
    if NAME_LENGTH[0] <= len(name) <= NAME_LENGTH[1] and _NAME.fullmatch(name):
        return
    raise AwsError(
        "InvalidParameterException",
        "Invalid parameter at 'repositoryName' failed to satisfy constraint: "
        f"'must satisfy regular expression '{NAME_PATTERN}''",
    )


def tag_is_immutable(repository: Repository, tag: str) -> bool:
    """Whether ``tag`` may not be moved in ``repository`` (exclusion filters are wildcards)."""
    setting = repository.image_tag_mutability or "MUTABLE"
    filters = repository.image_tag_mutability_exclusion_filters or []
    excluded = any(fnmatch.fnmatchcase(tag, f.get("filter", "")) for f in filters)
    if setting == "IMMUTABLE_WITH_EXCLUSION":
        return not excluded
    if setting == "MUTABLE_WITH_EXCLUSION":
        return excluded
    return setting == "IMMUTABLE"


@rule("ecr", "PutImage", source=SOURCE_TAGS)
def immutable_tag_cannot_be_pushed_again(call: ApiCall) -> None:
    """In an IMMUTABLE repository, a tag that exists cannot be pushed again (same image or not)."""
    # Code: the model's ImageTagAlreadyExistsException. Message as the API answers a push of an
    # existing tag (moby/buildkit#3776, aws/containers-roadmap#862, aws/aws-cli#8671).
    name, tag = call.params.get("repositoryName"), call.params.get("imageTag")
    repository = state.repository(call, name) if name else None
    if repository is None or not tag or not tag_is_immutable(repository, tag):
        return
    if tag in repository.tags:
        raise AwsError(
            "ImageTagAlreadyExistsException",
            f"The image tag '{tag}' already exists in the '{name}' repository and cannot be "
            "overwritten because the repository is immutable.",
        )


@rule("ecr", "PutImage", source=SOURCE_PUT)
def image_pushed_into_an_existing_repository(call: ApiCall) -> None:
    """PutImage needs a repository that exists."""
    # Code: the model's RepositoryNotFoundException for PutImage. Message: AWS's, as users
    # quote it from pushes (and as moto words it for its other ECR calls).
    name = call.params.get("repositoryName")
    if not isinstance(name, str) or state.repository_exists(call, name):
        return
    registry = call.params.get("registryId") or call.account
    raise AwsError(
        "RepositoryNotFoundException",
        f"The repository with name '{name}' does not exist in the registry with id '{registry}'",
    )


@rule("ecr", "PutImage", source=SOURCE_PUT)
def image_manifest_is_json(call: ApiCall) -> None:
    """An image manifest is a JSON document."""
    # [UNVERIFIED] the wording is AWS's constraint form for a parameter ("Invalid parameter at
    # ... failed to satisfy constraint", as for repositoryName), as moto words it here too.
    manifest = call.params.get("imageManifest")
    if not isinstance(manifest, str):
        return
    try:
        json.loads(manifest)
    except ValueError:
        raise AwsError(
            "InvalidParameterException",
            "Invalid parameter at 'ImageManifest' failed to satisfy constraint: "
            "'Invalid JSON syntax'",
        ) from None
