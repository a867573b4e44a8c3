"""Which platform an image in ECR was built for, and what Fargate does when it is not the task's.

What AWS does: a task runs on ``runtimePlatform.cpuArchitecture`` (``X86_64`` by default, or
``ARM64``; botocore's ECS model, ``RuntimePlatform``), that is on ``linux/amd64`` or
``linux/arm64``. An image is either one manifest, whose config blob says its ``architecture``
and ``os``, or an index (a Docker manifest list or an OCI image index) naming one manifest per
platform. At pull time the platform picks a manifest from an index; an index without the task's
platform fails the pull (``CannotPullContainerError: pull image manifest has been retried 7
time(s): image Manifest does not contain descriptor matching platform 'linux/amd64'``). A single
manifest is not checked: it is pulled and started, and its entrypoint dies at once with
``exec <entrypoint>: exec format error`` in the container's log, exit code 1.
Sources: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#runtime-platform,
Docker's manifest list (https://distribution.github.io/distribution/spec/manifest-v2-2/#manifest-list),
the OCI image index (https://github.com/opencontainers/image-spec/blob/main/image-index.md) and
config (https://github.com/opencontainers/image-spec/blob/main/config.md#properties).

Differs from AWS: the split between the two failures (index: the pull fails; single manifest:
exec fails) is what users report, not what an AWS page states; the exec failure's ``exitCode`` of
1 is likewise reported, not documented. Images outside ECR run on either platform (Docker Hub's
official images are multi-platform indexes). A config blob the world did not see uploaded (a
plain ``put_image`` with a hand-written manifest) counts as ``linux/amd64``, Docker's default
on a PC.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ecslab.world.moto_hooks import ApiCall

if TYPE_CHECKING:
    from ecslab.world.call_handlers import Registrar
    from ecslab.world.moto_adapter.ecr_models import Image
    from ecslab.world.world import World

AMD64, ARM64 = "linux/amd64", "linux/arm64"
#: ``runtimePlatform.cpuArchitecture`` → the platform Fargate pulls for.
ARCHITECTURES = {"X86_64": AMD64, "ARM64": ARM64}
INDEX_MEDIA_TYPES = frozenset(
    {
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.index.v1+json",
    }
)
#: Config blobs are small JSON documents; layers (large, binary) are never kept.
_MAX_CONFIG_BYTES = 64 * 1024


def task_platform(definition: Any) -> str:
    """The platform a task of ``definition`` (moto's task definition) runs on."""
    runtime_platform = definition.runtime_platform or {}
    return ARCHITECTURES.get(str(runtime_platform.get("cpuArchitecture") or "X86_64"), AMD64)


@dataclass(frozen=True)
class ImagePlatforms:
    """What an ECR image offers: one platform (a manifest) or several (an index)."""

    platforms: tuple[str, ...]
    index: bool


class ImageBlobs:
    """A world behaviour: keeps the config blobs pushed to ECR, so an image's platform is known.

    moto keeps only each blob's size; the world keeps the small JSON ones (image configs)."""

    def __init__(self) -> None:
        self._uploads: dict[str, bytearray] = {}
        self.configs: dict[tuple[str, str, str, str], dict[str, Any]] = {}

    def reset(self, world: World) -> None:
        self.__init__()  # type: ignore[misc]

    def register_calls(self, calls: Registrar) -> None:
        """After moto: ECR's layer uploads (a small layer may be an image's config blob)."""
        calls.after("ecr", ("UploadLayerPart", "CompleteLayerUpload"), self.keep)

    def keep(self, world: World, call: ApiCall) -> None:
        if call.status != 200:
            return
        if call.action == "UploadLayerPart":
            upload = str(call.params.get("uploadId", ""))
            part = _bytes(call.params.get("layerPartBlob"))
            held = self._uploads.setdefault(upload, bytearray())
            if len(held) + len(part) <= _MAX_CONFIG_BYTES:
                held.extend(part)
            else:
                self._uploads[upload] = bytearray(b"\0")  # a layer: not JSON, never kept
        elif call.action == "CompleteLayerUpload":
            data = bytes(self._uploads.pop(str(call.params.get("uploadId", "")), b""))
            config = _config(data)
            if config is not None:
                key = (call.account, call.region, str(call.params.get("repositoryName", "")))
                self.configs[(*key, str(call.response.get("layerDigest", "")))] = config


def _bytes(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        try:
            return base64.b64decode(value, validate=True)
        except ValueError:
            return value.encode()
    return b""


def _config(data: bytes) -> dict[str, Any] | None:
    if not data.startswith(b"{"):
        return None
    try:
        config = json.loads(data)
    except ValueError:
        return None
    return config if isinstance(config, dict) and ("architecture" in config) else None


def blobs_of(world: World) -> ImageBlobs | None:
    return next((b for b in world.behaviours if isinstance(b, ImageBlobs)), None)


def platforms(
    world: World, account: str, region: str, repository: str, image: Image
) -> ImagePlatforms:
    """The platforms of an ECR ``image`` in ``repository``."""
    try:
        manifest = json.loads(image.manifest)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ImagePlatforms((AMD64,), index=False)
    media_type = manifest.get("mediaType") or image.manifest_media_type
    if media_type in INDEX_MEDIA_TYPES or "manifests" in manifest:
        found = tuple(
            _name(entry.get("platform") or {})
            for entry in manifest.get("manifests") or []
            if (entry.get("platform") or {}).get("architecture") not in (None, "unknown")
        )
        return ImagePlatforms(found, index=True)
    blobs = blobs_of(world)
    digest = str((manifest.get("config") or {}).get("digest", ""))
    config = blobs.configs.get((account, region, repository, digest)) if blobs else None
    return ImagePlatforms((_name(config),) if config else (AMD64,), index=False)


def _name(platform: dict[str, Any]) -> str:
    """``os/architecture`` (the variant, ``v8`` for arm64, is left out: Fargate ignores it)."""
    return f"{platform.get('os') or 'linux'}/{platform.get('architecture') or 'amd64'}"


def pull_failure(wanted: str) -> str:
    """``stoppedReason`` of a task whose image index has no manifest for ``wanted``."""
    return (
        "CannotPullContainerError: pull image manifest has been retried 7 time(s): "
        f"image Manifest does not contain descriptor matching platform '{wanted}'"
    )


def exec_format_error(entrypoint: str) -> str:
    """The one line a container of the wrong architecture prints before it exits."""
    return f"exec {entrypoint}: exec format error"


#: The exit code reported for a container whose entrypoint cannot be executed.
EXEC_FORMAT_EXIT_CODE = 1


def of_reference(world: World, image: str) -> ImagePlatforms | None:
    """The platforms of an ECR image reference (``<registry>/<repo>:<tag>`` or ``@<digest>``);
    ``None`` for an image outside ECR or not in it (the pull step reports that)."""
    from ecslab.world.moto_adapter import ecr_models
    from ecslab.world.secrets_injection import ecr_reference

    reference = ecr_reference(image)
    if reference is None:
        return None
    account, region, repository, tag, digest = reference
    found = ecr_models.find_image(account, region, repository, tag, digest)
    return None if found is None else platforms(world, account, region, repository, found)
