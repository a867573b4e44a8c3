"""No request ever leaves the machine in the simulated backend, even with real-looking keys."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from ecslab.errors import NetworkBlocked
from ecslab.lab import Lab


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Fail the test on any connection to a non-loopback address, and record attempts."""
    attempts: list[Any] = []
    original_connect = socket.socket.connect

    def is_loopback(address: Any) -> bool:
        host = address[0] if isinstance(address, tuple) else address
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return host == "localhost"

    def connect(self: socket.socket, address: Any) -> Any:
        if not is_loopback(address):
            attempts.append(address)
            raise AssertionError(f"connection attempted to {address}")
        return original_connect(self, address)

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> Any:
        attempts.append(address)
        raise AssertionError(f"connection attempted to {address}")

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        attempts.append(host)
        raise AssertionError(f"name lookup attempted for {host}")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield attempts


@pytest.fixture
def real_looking_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    credentials = tmp_path / "credentials"
    credentials.write_text(
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
    )
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    monkeypatch.setenv("AWS_PROFILE", "default")


@pytest.mark.usefixtures("real_looking_credentials")
def test_course_services_answer_without_touching_the_network(no_network: list[Any]) -> None:
    with Lab() as lab:
        lab.client("ecs").create_cluster(clusterName="demo")
        lab.client("ecr").create_repository(repositoryName="api")
        lab.client("elbv2").describe_load_balancers()
        lab.client("secretsmanager").list_secrets()
        lab.client("ssm").describe_parameters()
        lab.client("logs").describe_log_groups()
        lab.client("iam").list_roles()
        boto3.client("sts").get_caller_identity()
        boto3.client("ec2").describe_vpcs()
    assert no_network == []


@pytest.mark.usefixtures("real_looking_credentials")
def test_an_unsimulated_endpoint_is_stopped_not_sent(no_network: list[Any]) -> None:
    """A request moto does not answer is refused with a sentence, before any socket opens."""
    with Lab() as lab:
        client = lab.client("ecs", endpoint_url="https://example.com")
        with pytest.raises(NetworkBlocked, match="nothing leaves this machine"):
            client.list_clusters()
    assert no_network == []
