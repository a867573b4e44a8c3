"""The example frontend, through Streamlit's AppTest, with the backend's answers faked."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest

pytest.importorskip(
    "streamlit", reason="the frontend's tests need: pip install -r frontend/requirements.txt"
)

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "frontend" / "streamlit_app.py"


def _fake_backend(url: str, timeout: float) -> io.BytesIO:
    """What the backend would answer, by path."""
    if "/api/hello" in url:
        name = url.split("name=")[1]
        return io.BytesIO(json.dumps({"message": f"Hello, {name}!", "version": "1.0.0"}).encode())
    if url.endswith("/api/info"):
        return io.BytesIO(json.dumps({"service": "backend", "version": "1.0.0"}).encode())
    raise AssertionError(f"unexpected request to {url}")


@pytest.fixture
def backend_up() -> Iterator[mock.MagicMock]:
    with mock.patch("urllib.request.urlopen", side_effect=_fake_backend) as urlopen:
        yield urlopen


def test_the_page_shows_the_backends_greeting_and_version(backend_up: mock.MagicMock) -> None:
    """The page asks /api/hello and /api/info and shows both answers."""
    page = AppTest.from_file(str(APP)).run()
    assert not page.exception
    assert page.success[0].value == "Hello, world!"
    assert page.metric[0].value == "1.0.0"


def test_typing_a_name_asks_the_backend_again(backend_up: mock.MagicMock) -> None:
    """A new name in the text box is a new request to /api/hello."""
    page = AppTest.from_file(str(APP)).run()
    page.text_input[0].set_value("Ada").run()
    assert page.success[0].value == "Hello, Ada!"
    assert any("name=Ada" in call.args[0] for call in backend_up.call_args_list)


def test_the_backend_url_comes_from_the_environment(
    backend_up: mock.MagicMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In ECS, BACKEND_URL points the page at the load balancer."""
    monkeypatch.setenv("BACKEND_URL", "http://my-alb.example/")
    AppTest.from_file(str(APP)).run()
    assert backend_up.call_args_list[0].args[0].startswith("http://my-alb.example/api/hello?")


def test_a_backend_that_does_not_answer_is_an_error_on_the_page() -> None:
    """No backend: the page says so instead of crashing."""
    refused = ConnectionRefusedError(111, "Connection refused")
    with mock.patch("urllib.request.urlopen", side_effect=refused):
        page = AppTest.from_file(str(APP)).run()
    assert not page.exception
    assert "did not answer" in page.error[0].value
