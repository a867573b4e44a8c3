"""The Lab: one entry point, real boto3 clients, a clean process after close."""

from __future__ import annotations

import os

import boto3
import pytest

import ecslab
from ecslab.errors import ClockError, ConfigurationError, NotSupportedError
from ecslab.lab import Lab


def test_default_backend_is_the_in_process_simulation(lab: Lab) -> None:
    assert lab.backend == "moto"
    assert lab.simulated
    assert lab.region == "us-east-1"
    assert lab.account_id == "123456789012"
    assert repr(lab) == "<Lab moto account=123456789012 region=us-east-1>"


def test_backend_comes_from_the_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    """ECSLAB_BACKEND chooses the backend when the argument does not."""
    monkeypatch.setenv("ECSLAB_BACKEND", "nonsense")
    with pytest.raises(
        ConfigurationError, match=r"ECSLAB_BACKEND='nonsense'.*'moto', 'server', 'aws'"
    ):
        Lab()
    monkeypatch.setenv("ECSLAB_BACKEND", "moto")
    with Lab() as lab:
        assert lab.backend == "moto"


def test_unknown_backend_argument_is_one_clear_sentence() -> None:
    with pytest.raises(ConfigurationError, match=r"Unknown backend backend='mto'"):
        Lab(backend="mto")


def test_client_and_session_are_real_boto3(lab: Lab) -> None:
    ecs = lab.client("ecs")
    assert type(ecs).__module__ == "botocore.client"
    assert isinstance(lab.session, boto3.Session)
    ecs.create_cluster(clusterName="demo")
    assert lab.session.client("ecs").list_clusters()["clusterArns"] == [
        "arn:aws:ecs:us-east-1:123456789012:cluster/demo"
    ]


def test_a_plain_boto3_client_reaches_the_same_simulated_account(lab: Lab) -> None:
    """What a learner types in a cell, without the lab, sees what the lab made."""
    lab.client("ecr").create_repository(repositoryName="api")
    names = [
        r["repositoryName"] for r in boto3.client("ecr").describe_repositories()["repositories"]
    ]
    assert names == ["api"]


def test_close_restores_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALLOOKINGKEY00")
    monkeypatch.setenv("AWS_PROFILE", "work")
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    with Lab():
        assert os.environ["AWS_ACCESS_KEY_ID"] != "AKIAREALLOOKINGKEY00"
        assert "AWS_PROFILE" not in os.environ
        assert os.environ["AWS_DEFAULT_REGION"] == "us-east-1"
    assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAREALLOOKINGKEY00"
    assert os.environ["AWS_PROFILE"] == "work"
    assert "AWS_DEFAULT_REGION" not in os.environ


def test_a_second_lab_replaces_the_first_without_leaking_state() -> None:
    """Re-running a notebook's first cell: the new lab starts empty, patches are not stacked."""
    from moto.core.responses import BaseResponse

    unpatched = BaseResponse.call_action
    first = Lab()
    first.client("ecs").create_cluster(clusterName="old")
    patched = BaseResponse.call_action
    second = Lab()
    try:
        assert BaseResponse.call_action is not unpatched
        assert BaseResponse.call_action.__code__ is patched.__code__
        assert second.client("ecs").list_clusters()["clusterArns"] == []
        first.close()  # closing the replaced lab must not disturb the open one
        second.client("ecs").create_cluster(clusterName="new")
        assert len(second.client("ecs").list_clusters()["clusterArns"]) == 1
    finally:
        second.close()
    assert BaseResponse.call_action is unpatched


def test_reset_empties_the_account_and_restarts_the_clock(lab: Lab) -> None:
    lab.client("ecs").create_cluster(clusterName="demo")
    lab.advance(120)
    lab.reset()
    assert lab.client("ecs").list_clusters()["clusterArns"] == []
    assert lab.now == 0


def test_advance_moves_the_timestamps_moto_writes(lab: Lab) -> None:
    ecr = lab.client("ecr")
    first = ecr.create_repository(repositoryName="first")["repository"]["createdAt"]
    lab.advance(90)
    second = ecr.create_repository(repositoryName="second")["repository"]["createdAt"]
    assert (second - first).total_seconds() == 90
    with pytest.raises(ClockError):
        lab.advance(-5)


def test_lab_is_exported_lazily() -> None:
    assert ecslab.Lab is Lab


def test_close_twice_is_harmless() -> None:
    lab = Lab()
    lab.close()
    lab.close()
    assert repr(lab).endswith("closed>")


def test_server_backend_needs_an_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ECSLAB_ENDPOINT_URL", raising=False)
    with pytest.raises(ConfigurationError, match=r"needs the server's address.*ecslab server"):
        Lab(backend="server")


def test_server_backend_says_when_nothing_answers() -> None:
    """An unreachable server is one sentence that says how to start one."""
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(
        ecslab.BackendUnavailable, match=r"Cannot reach an ecslab server.*`ecslab server`"
    ):
        Lab(backend="server", endpoint_url=f"http://127.0.0.1:{port}")


def test_verbs_of_the_simulation_are_refused_on_a_real_account_backend() -> None:
    from ecslab.backends.base import Backend

    class Fake(Backend):
        name = "aws"
        simulated = False

        def _make_session(self) -> boto3.Session:
            return boto3.Session(region_name="us-east-1")

        def _find_account_id(self) -> str:
            return "000000000000"

    with pytest.raises(NotSupportedError, match="AWS's own clock"):
        Fake("us-east-1").advance(10)


def test_timestamps_are_utc_whatever_the_machine_time_zone(
    lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outputs repeat on every machine: lab clients and plain boto3 clients both answer in UTC."""
    import time

    monkeypatch.setenv("TZ", "Asia/Kolkata")
    time.tzset()
    try:
        from datetime import UTC

        created = lab.client("ecr").create_repository(repositoryName="api")["repository"]
        assert created["createdAt"].tzinfo is UTC
        assert str(created["createdAt"]) == "2026-01-05 09:00:00+00:00"
        plain = boto3.client("ecr").describe_repositories()["repositories"][0]["createdAt"]
        assert plain.tzinfo is UTC
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_wait_stable_answers_seconds_shown_as_what_they_mean() -> None:
    """wait_stable's answer is the seconds it took, and a notebook shows it with its meaning."""
    from ecslab.account.waiting import StableAfter

    took = StableAfter(70.0)
    assert took == 70 and f"{took:.0f}" == "70"
    assert repr(took) == "stable after 70 s"
