"""``docker push`` to Amazon ECR, as the ECR API sees it, without Docker.

A push uploads each blob the repository lacks (BatchCheckLayerAvailability, then
InitiateLayerUpload → UploadLayerPart → CompleteLayerUpload), then puts the manifest under its
tag (PutImage). ECR names each blob by the SHA-256 of its bytes and the image by the SHA-256 of
its manifest, so the digest ECR reports is the one the build computed
(https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutImage.html,
https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push.html).

Pushed into a simulated world hosted in this process, the image also behaves as the app it
holds (:mod:`ecslab.pipeline.images`).

Differs from AWS: ECR checks that every blob a manifest names was uploaded; the simulated ECR
does not, but the push here uploads them all the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ecslab.pipeline.build import MANIFEST_MEDIA_TYPE, Image


@dataclass(frozen=True)
class PushedImage:
    """An image in ECR: where it is, and the digest ECR gave it."""

    repository_uri: str
    tag: str
    digest: str
    uploaded_blobs: int

    @property
    def uri(self) -> str:
        """``<registry>/<repository>:<tag>``: what a task definition's ``image`` names."""
        return f"{self.repository_uri}:{self.tag}"


def push(ecr: Any, image: Image, repository: str, tag: str) -> PushedImage:
    """Upload ``image``'s blobs and manifest to ``repository`` under ``tag``."""
    uri = ecr.describe_repositories(repositoryNames=[repository])["repositories"][0][
        "repositoryUri"
    ]
    blobs = image.blobs
    check = ecr.batch_check_layer_availability(repositoryName=repository, layerDigests=list(blobs))
    present = {layer["layerDigest"] for layer in check.get("layers", [])}
    missing = [digest for digest in blobs if digest not in present]
    for digest in missing:
        _upload_blob(ecr, repository, digest, blobs[digest])
    try:
        answer = ecr.put_image(
            repositoryName=repository,
            imageManifest=image.manifest,
            imageManifestMediaType=MANIFEST_MEDIA_TYPE,
            imageTag=tag,
            imageDigest=image.digest,
        )
        digest = answer["image"]["imageId"]["imageDigest"]
    except ecr.exceptions.ImageAlreadyExistsException:
        # This very image already has this tag: `docker push` reports it pushed and moves on.
        digest = image.digest
    pushed = PushedImage(uri, tag, digest, len(missing))
    _teach_world(image, pushed)
    return pushed


def _teach_world(image: Image, pushed: PushedImage) -> None:
    """In a simulated world hosted in this process, the image's containers run its own code.

    The world finds a container's behaviour by digest or by reference (``ecslab.world.apps``);
    a push made to a real account, or to a server in another process, teaches nothing here, and
    an image that is neither of the example app's kinds stays a generic web server.
    """
    from ecslab.pipeline.images import behaviour_for
    from ecslab.world.moto_hooks import active_host

    apps = getattr(active_host(), "apps", None)
    behaviour = behaviour_for(image) if apps is not None else None
    if behaviour is None:
        return
    for key in {image.digest, pushed.digest, pushed.uri}:
        apps.register(key, behaviour)


def _upload_blob(ecr: Any, repository: str, digest: str, data: bytes) -> None:
    upload = ecr.initiate_layer_upload(repositoryName=repository)
    upload_id, part_size = upload["uploadId"], int(upload["partSize"])
    for first in range(0, len(data), part_size):
        part = data[first : first + part_size]
        ecr.upload_layer_part(
            repositoryName=repository,
            uploadId=upload_id,
            partFirstByte=first,
            partLastByte=first + len(part) - 1,
            layerPartBlob=part,
        )
    done = ecr.complete_layer_upload(
        repositoryName=repository, uploadId=upload_id, layerDigests=[digest]
    )
    if done["layerDigest"] != digest:  # ECR computes it from the bytes it received
        raise RuntimeError(f"ECR stored the blob as {done['layerDigest']}, not {digest}.")
