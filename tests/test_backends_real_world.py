"""On a real account the lab's verbs happen in real time: a wait, and real HTTP requests."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest

from ecslab.backends import real_world
from ecslab.errors import ConfigurationError, NoLoadBalancer


class _Answer(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status = 200 if self.path.startswith("/api/") else 404
        body = f'{{"path": "{self.path}", "host": "{self.headers["Host"]}"}}'.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_real_request_returns_status_and_body(server: str) -> None:
    answer = real_world.request(f"{server}/api/hello", host="shop.example.com")
    assert answer.status == 200
    assert answer.body == '{"path": "/api/hello", "host": "shop.example.com"}'
    assert answer.rule_arn is None and answer.target_id is None  # a real ALB does not say


def test_an_http_error_status_is_an_answer_not_an_exception(server: str) -> None:
    assert real_world.request(f"{server}/missing").status == 404


def test_nothing_listening_is_a_refused_connection_not_a_status(server: str) -> None:
    """Like curl's exit 7: no HTTP status, and the result says the connection was refused."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    answer = real_world.request(f"http://127.0.0.1:{port}/")
    assert answer.status is None and answer.error.startswith("connection refused (127.0.0.1")
    assert repr(answer).startswith(f"<GET http://127.0.0.1:{port}/ → no answer: connection refused")


def test_wait_sleeps_the_whole_time_in_steps() -> None:
    slept: list[float] = []
    real_world.wait(3.5, sleep=slept.append)
    assert slept == [1.0, 1.0, 1.0, 0.5]


class _Elbv2:
    def __init__(self, *names: str) -> None:
        self.names = names

    def describe_load_balancers(self) -> dict:
        return {
            "LoadBalancers": [
                {"LoadBalancerName": n, "DNSName": f"{n}.elb.amazonaws.com", "Type": "application"}
                for n in self.names
            ]
        }


def test_a_path_goes_to_the_one_load_balancer() -> None:
    assert (
        real_world.load_balancer_url(_Elbv2("course-alb")) == "http://course-alb.elb.amazonaws.com"
    )
    with pytest.raises(ConfigurationError, match="found: a, b"):
        real_world.load_balancer_url(_Elbv2("a", "b"))


def test_a_path_with_no_load_balancer_is_the_same_error_as_in_the_simulated_world() -> None:
    """lab.request("/") on a real account without an ALB: NoLoadBalancer, as simulated (the
    backend's own request, on an account whose elbv2 lists no load balancer)."""
    from ecslab.backends.aws import AwsBackend

    backend = object.__new__(AwsBackend)  # no credentials or STS call: only its request runs
    backend.client = lambda service: _Elbv2()  # type: ignore[method-assign]
    with pytest.raises(NoLoadBalancer, match="no Application Load Balancer"):
        backend.request("/", "GET", None, None)
