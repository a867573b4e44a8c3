"""The example backend, through FastAPI's TestClient: its routes, its secret, its health path."""

from __future__ import annotations

import hashlib
import hmac
import sys
from pathlib import Path

import pytest

pytest.importorskip(
    "fastapi", reason="the backend's tests need: pip install -r backend/requirements.txt"
)
pytest.importorskip("httpx2", reason="FastAPI's TestClient needs: pip install httpx2")

from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))

from app.main import VERSION, create_app
from app.settings import MissingSetting, Settings

ENVIRONMENT = {"SECRET_KEY": "s3cr3t-for-tests", "GREETING": "Hi"}


@pytest.fixture
def client() -> TestClient:
    return TestClient(create_app(ENVIRONMENT))


def test_health_answers_ok(client: TestClient) -> None:
    """The load balancer's health path answers 200 with a small JSON body."""
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_hello_greets_by_name_with_the_configured_greeting(client: TestClient) -> None:
    """/api/hello uses GREETING from the environment and says which version answered."""
    response = client.get("/api/hello", params={"name": "Ada"})
    assert response.json() == {"message": "Hi, Ada!", "version": VERSION}


def test_info_says_the_secret_is_configured_without_showing_it(client: TestClient) -> None:
    """/api/info tells that the secret arrived; its value appears nowhere in the answer."""
    response = client.get("/api/info")
    assert response.json()["secret_configured"] is True
    assert ENVIRONMENT["SECRET_KEY"] not in response.text


def test_sign_uses_the_secret_key(client: TestClient) -> None:
    """/api/sign is an HMAC-SHA256 made with SECRET_KEY: the secret at work, not on display."""
    expected = hmac.new(b"s3cr3t-for-tests", b"deploy", hashlib.sha256).hexdigest()
    response = client.get("/api/sign", params={"text": "deploy"})
    assert response.json() == {"text": "deploy", "signature": expected}
    assert ENVIRONMENT["SECRET_KEY"] not in response.text


def test_the_app_refuses_to_start_without_its_secret() -> None:
    """No SECRET_KEY, no app: the container exits instead of serving half-configured."""
    with pytest.raises(MissingSetting, match="SECRET_KEY is not set"):
        create_app({"GREETING": "Hi"})


def test_settings_never_print_the_secret() -> None:
    """A Settings object in a log line or a traceback keeps the secret out."""
    assert "s3cr3t" not in repr(Settings.from_environment(ENVIRONMENT))


def test_unknown_paths_are_404(client: TestClient) -> None:
    """Only /health and /api/* exist; the load balancer sends the rest to the frontend."""
    assert client.get("/").status_code == 404
