"""``docker build``, offline: an image whose digest follows from the build context's files.

A container image is a manifest naming a config blob and layer blobs, each by the SHA-256 of its
bytes; the image's digest is the SHA-256 of the manifest itself. So the same files always make
the same digest, and one changed byte makes a new one (Docker's image manifest v2 schema 2:
https://distribution.github.io/distribution/spec/manifest-v2-2/ and the OCI image spec:
https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests).

The build here is deterministic (a gzipped tar with every timestamp and owner zeroed) and needs
no Docker. The image keeps the context's files: they are what the simulated world runs when a
container of this image gets a request.

Differs from Docker: only the app's layer is built (the base image's layers and the ``RUN``
steps' output are left out), and the layer holds the whole build context (after
``.dockerignore``) under ``WORKDIR``, where Docker would copy only what ``COPY`` names. The
config keeps the Dockerfile's ``WORKDIR``, ``USER``, ``EXPOSE``, ``ENV`` and ``CMD``.
"""

from __future__ import annotations

import fnmatch
import hashlib
import io
import json
import shlex
import tarfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ecslab.errors import ConfigurationError
from ecslab.pipeline.source import Source

MANIFEST_MEDIA_TYPE = "application/vnd.docker.distribution.manifest.v2+json"
CONFIG_MEDIA_TYPE = "application/vnd.docker.container.image.v1+json"
LAYER_MEDIA_TYPE = "application/vnd.docker.image.rootfs.diff.tar.gzip"


@dataclass(frozen=True)
class Image:
    """A built image: its blobs, its manifest, its digest, and the code it carries."""

    service: str  #: the build context's folder ("backend", "frontend")
    commit: str  #: the source's SHA, the tag the workflow pushes it with
    files: Mapping[str, bytes] = field(repr=False)  #: the build context, after .dockerignore
    config: bytes = field(repr=False)
    layer: bytes = field(repr=False)
    manifest: str = field(repr=False)

    @property
    def digest(self) -> str:
        """``sha256:`` and the SHA-256 of the manifest: what ECR reports as ``imageDigest``."""
        return sha256(self.manifest.encode())

    @property
    def blobs(self) -> dict[str, bytes]:
        """The blobs a push uploads, by digest."""
        return {sha256(self.config): self.config, sha256(self.layer): self.layer}

    @property
    def settings(self) -> dict[str, Any]:
        """The image config's ``config`` (Cmd, User, ExposedPorts, WorkingDir, Env)."""
        return json.loads(self.config)["config"]

    def __repr__(self) -> str:
        return f"<Image {self.service}@{self.digest[:19]} commit {self.commit[:7]}>"


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


#: What ``docker build`` targets by default on a PC, and what Fargate runs by default.
DEFAULT_PLATFORM = "linux/amd64"


def build(source: Source, directory: str, platform: str = DEFAULT_PLATFORM) -> Image:
    """Build the image of ``directory`` (which holds a ``Dockerfile``) in ``source``.

    ``platform`` is ``docker build --platform``: ``"linux/arm64"`` is what a laptop with an
    Apple silicon chip builds when not told otherwise. The config blob records it
    (OCI image config, ``architecture``/``os``/``variant``)."""
    os_name, _, architecture = platform.partition("/")
    architecture, _, variant = architecture.partition("/")
    if os_name != "linux" or architecture not in ("amd64", "arm64"):
        raise ConfigurationError(
            f"Cannot build for {platform!r}: Fargate runs linux/amd64 and linux/arm64 images."
        )
    context = source.folder(directory)
    if "Dockerfile" not in context:
        raise ConfigurationError(f"No Dockerfile in {directory}/: nothing to build there.")
    files = _apply_dockerignore(context)
    settings = _dockerfile_settings(context["Dockerfile"].decode("utf-8"))
    tar = _deterministic_tar(files, settings["WorkingDir"])
    layer = _gzip(tar)
    variant = variant or ("v8" if architecture == "arm64" else "")
    config = _canonical(
        {
            "architecture": architecture,
            "os": os_name,
            **({"variant": variant} if variant else {}),
            "config": settings,
            "rootfs": {"type": "layers", "diff_ids": [sha256(tar)]},
        }
    )
    manifest = _canonical(
        {
            "schemaVersion": 2,
            "mediaType": MANIFEST_MEDIA_TYPE,
            "config": {
                "mediaType": CONFIG_MEDIA_TYPE,
                "size": len(config),
                "digest": sha256(config),
            },
            "layers": [
                {"mediaType": LAYER_MEDIA_TYPE, "size": len(layer), "digest": sha256(layer)}
            ],
        }
    ).decode()
    return Image(directory, source.sha, MappingProxyType(files), config, layer, manifest)


def _gzip(data: bytes) -> bytes:
    """``data`` gzipped with no timestamp, the same bytes on every Python: zlib writes the
    header (as ``gzip.compress(data, mtime=0)`` did up to Python 3.12; from 3.13 that writes
    another operating-system byte, so the browser's Python 3.14 made other digests)."""
    return zlib.compress(data, 9, wbits=31)


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


def _apply_dockerignore(context: Mapping[str, bytes]) -> dict[str, bytes]:
    """The context minus what ``.dockerignore`` names (plain patterns and folder names only)."""
    patterns = [
        line.strip().rstrip("/")
        for line in context.get(".dockerignore", b"").decode().splitlines()
        if line.strip() and not line.startswith("#")
    ]

    def ignored(path: str) -> bool:
        parts = path.split("/")
        return any(
            fnmatch.fnmatch(path, p) or any(fnmatch.fnmatch(part, p) for part in parts)
            for p in patterns
        )

    return {path: data for path, data in sorted(context.items()) if not ignored(path)}


def _dockerfile_settings(dockerfile: str) -> dict[str, Any]:
    """What the image config keeps from the Dockerfile's instructions."""
    settings: dict[str, Any] = {"Env": [], "ExposedPorts": {}, "User": "", "WorkingDir": "/"}
    for instruction, argument in _instructions(dockerfile):
        if instruction == "WORKDIR":
            settings["WorkingDir"] = argument
        elif instruction == "USER":
            settings["User"] = argument
        elif instruction == "EXPOSE":
            for port in argument.split():
                settings["ExposedPorts"][port if "/" in port else f"{port}/tcp"] = {}
        elif instruction == "ENV":
            words = shlex.split(argument)
            legacy = [f"{words[0]}={' '.join(words[1:])}"] if words else []  # ENV KEY value
            settings["Env"] += [w for w in words if "=" in w] or legacy
        elif instruction == "CMD":
            settings["Cmd"] = json.loads(argument) if argument.startswith("[") else argument
    return settings


def _instructions(dockerfile: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, argument) pairs, continuation lines joined, comments dropped."""
    joined = dockerfile.replace("\\\n", " ")
    found = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            instruction, _, argument = line.partition(" ")
            found.append((instruction.upper(), " ".join(argument.split())))
    return found


def _deterministic_tar(files: Mapping[str, bytes], workdir: str) -> bytes:
    """A tar of ``files`` under ``workdir`` that is byte-for-byte the same on every run."""
    buffer = io.BytesIO()
    root = workdir.strip("/")
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path, data in sorted(files.items()):
            info = tarfile.TarInfo(f"{root}/{path}" if root else path)
            info.size, info.mtime, info.mode = len(data), 0, 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()
