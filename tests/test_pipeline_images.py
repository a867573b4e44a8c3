"""Images of the example app behave as that app: the backend's real code, per image."""

from __future__ import annotations

import json
import sys

import pytest

from ecslab.pipeline import Source, build
from ecslab.pipeline.image_code import package_name
from ecslab.pipeline.images import AsgiBackend, StreamlitFrontend, behaviour_for

pytest.importorskip("fastapi")

EXAMPLE = Source.example()
ENVIRONMENT = {"SECRET_KEY": "from-the-secret", "GREETING": "Hello"}


def backend(source: Source = EXAMPLE) -> AsgiBackend:
    behaviour = behaviour_for(build(source, "backend"))
    assert isinstance(behaviour, AsgiBackend)
    return behaviour


def test_the_backend_image_answers_with_the_backends_own_json() -> None:
    """/api/hello through the image is the FastAPI app's answer."""
    answer = backend().answer("GET", "/api/hello?name=Ada", {}, ENVIRONMENT)
    assert answer.status == 200
    assert json.loads(answer.body) == {"message": "Hello, Ada!", "version": "1.0.0"}
    assert answer.headers["content-type"] == "application/json"


def test_the_container_environment_reaches_the_app() -> None:
    """GREETING and the resolved secret come from the task's environment."""
    answer = backend().answer("GET", "/api/hello", {}, {**ENVIRONMENT, "GREETING": "Hej"})
    assert json.loads(answer.body)["message"] == "Hej, world!"


def test_without_its_secret_the_container_exits_with_code_1() -> None:
    """create_app raises without SECRET_KEY: the container exits as Python does, code 1."""
    assert backend().exit_code({"GREETING": "Hello"}) == 1
    assert backend().exit_code(ENVIRONMENT) is None


def test_two_versions_serve_side_by_side() -> None:
    """v1 and v2 of the backend are loaded apart and answer with their own version."""
    v2 = EXAMPLE.with_change("backend/app/main.py", 'VERSION = "1.0.0"', 'VERSION = "2.0.0"')
    old, new = backend(), backend(v2)
    assert json.loads(new.answer("GET", "/api/info", {}, ENVIRONMENT).body)["version"] == "2.0.0"
    assert json.loads(old.answer("GET", "/api/info", {}, ENVIRONMENT).body)["version"] == "1.0.0"
    assert old.module.__name__ != new.module.__name__
    assert old.module.__name__.startswith(package_name(old.image.digest))
    assert "app" not in sys.modules or sys.modules["app"] is not old.module


def test_a_broken_health_path_answers_500() -> None:
    """A version whose /health raises answers 500, as uvicorn would."""
    broken = EXAMPLE.with_change(
        "backend/app/main.py", 'return {"status": "ok"}', 'raise RuntimeError("broken")'
    )
    assert backend(broken).answer("GET", "/health", {}, ENVIRONMENT).status == 500
    assert backend().answer("GET", "/health", {}, ENVIRONMENT).status == 200


def test_the_frontend_image_answers_its_health_path_and_pages() -> None:
    """Streamlit's /_stcore/health says ok; any page is Streamlit's HTML shell."""
    frontend = behaviour_for(build(EXAMPLE, "frontend"))
    assert isinstance(frontend, StreamlitFrontend)
    health = frontend.answer("GET", "/_stcore/health", {}, {})
    assert (health.status, health.body) == (200, "ok")
    page = frontend.answer("GET", "/", {}, {})
    assert page.status == 200 and "<title>Streamlit</title>" in page.body
    assert frontend.exit_code({}) is None


def test_the_backend_answers_inside_a_running_event_loop() -> None:
    """In a notebook cell an event loop is already running; the ASGI call still completes."""
    import asyncio

    async def cell() -> int:
        return backend().answer("GET", "/health", {}, ENVIRONMENT).status

    assert asyncio.run(cell()) == 200


def test_the_pipeline_imports_without_fastapi_moto_or_boto3() -> None:
    """import ecslab.pipeline stays light: FastAPI loads only when an image runs."""
    import subprocess

    code = (
        "import sys, ecslab.pipeline; "
        "print(sorted(m for m in ('fastapi', 'moto', 'boto3', 'streamlit') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_version_that_does_not_import_exits_with_code_1() -> None:
    """A syntax error in the new code: the container exits on start, as python would."""
    broken = EXAMPLE.with_change("backend/app/main.py", "def create_app(", "def create_app((")
    assert backend(broken).exit_code(ENVIRONMENT) == 1


def test_tracebacks_point_into_the_images_own_files() -> None:
    """An error inside the image's code names the file as the image holds it."""
    broken = EXAMPLE.with_change(
        "backend/app/main.py", 'return {"status": "ok"}', 'raise RuntimeError("broken")'
    )
    module = backend(broken).module
    app = module.create_app(ENVIRONMENT)
    health = next(route for route in app.routes if getattr(route, "path", "") == "/health")
    with pytest.raises(RuntimeError) as raised:
        health.endpoint()
    assert raised.traceback[-1].path == f"<image {backend(broken).image.digest[:19]}>/app/main.py"
    assert "raise RuntimeError" in str(raised.traceback[-1].statement)
