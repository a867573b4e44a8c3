"""The offline build: a digest that follows from the build context, and the code it carries."""

from __future__ import annotations

import hashlib
import json

import pytest

from ecslab.errors import ConfigurationError
from ecslab.pipeline import Source, build
from ecslab.pipeline.build import MANIFEST_MEDIA_TYPE

EXAMPLE = Source.example()


def test_the_same_files_build_the_same_digest() -> None:
    """Two builds of one commit give one digest: the build is deterministic."""
    assert build(EXAMPLE, "backend").digest == build(EXAMPLE, "backend").digest


def test_the_digest_is_the_sha256_of_the_manifest() -> None:
    """As in a registry: the image digest names the manifest's bytes."""
    image = build(EXAMPLE, "backend")
    assert image.digest == "sha256:" + hashlib.sha256(image.manifest.encode()).hexdigest()
    manifest = json.loads(image.manifest)
    assert manifest["mediaType"] == MANIFEST_MEDIA_TYPE
    assert {manifest["config"]["digest"], manifest["layers"][0]["digest"]} == set(image.blobs)


def test_one_changed_line_makes_a_new_digest_and_a_new_commit() -> None:
    """A code change is a new commit SHA and a new image digest."""
    change = EXAMPLE.with_change("backend/app/main.py", 'VERSION = "1.0.0"', 'VERSION = "1.0.1"')
    assert change.sha != EXAMPLE.sha and len(change.sha) == 40
    assert build(change, "backend").digest != build(EXAMPLE, "backend").digest
    assert build(change, "frontend").digest == build(EXAMPLE, "frontend").digest


def test_the_image_carries_the_context_minus_dockerignore() -> None:
    """The app's code is recorded with the image; .dockerignore'd files are not."""
    files = build(EXAMPLE, "backend").files
    assert "app/main.py" in files and "Dockerfile" in files
    assert "task-definition.json" not in files
    assert files["app/main.py"] == EXAMPLE.files["backend/app/main.py"]


def test_the_config_keeps_the_dockerfiles_user_port_and_command() -> None:
    """Non-root user, exposed port and command come from the Dockerfile."""
    settings = build(EXAMPLE, "backend").settings
    assert settings["User"] == "10001"
    assert settings["ExposedPorts"] == {"8000/tcp": {}}
    assert settings["Cmd"][:2] == ["uvicorn", "app.main:create_app"]
    assert build(EXAMPLE, "frontend").settings["ExposedPorts"] == {"8501/tcp": {}}


def test_a_folder_without_dockerfile_is_an_error() -> None:
    """Only a folder with a Dockerfile builds."""
    with pytest.raises(ConfigurationError, match="No Dockerfile in tests/"):
        build(EXAMPLE, "tests")


def test_a_change_must_name_text_that_is_there_once() -> None:
    """with_change refuses a change it cannot place exactly."""
    with pytest.raises(ConfigurationError, match="does not appear"):
        EXAMPLE.with_change("backend/app/main.py", "no such text", "x")


def test_both_dockerfiles_are_fit_for_fargate() -> None:
    """An exact Python release as base, a non-root numeric user, the port the task maps."""
    for service, port in (("backend", 8000), ("frontend", 8501)):
        dockerfile = EXAMPLE.text(f"{service}/Dockerfile")
        base = next(line.split()[1] for line in dockerfile.splitlines() if line.startswith("FROM"))
        name, _, tag = base.partition(":")
        assert name == "python" and tag.count(".") == 2 and tag != "latest", base
        settings = build(EXAMPLE, service).settings
        assert settings["User"] not in ("", "0", "root")
        definition = json.loads(EXAMPLE.text(f"{service}/task-definition.json"))
        mapped = definition["containerDefinitions"][0]["portMappings"][0]["containerPort"]
        assert settings["ExposedPorts"] == {f"{port}/tcp": {}} and mapped == port
