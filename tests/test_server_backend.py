"""The workshop backend: one ecslab server, each learner in an account of their own."""

from __future__ import annotations

import boto3
import pytest

from ecslab.backends.server import DEFAULT_ACCOUNT, account_for
from ecslab.lab import Lab
from tests.server_fixture import ecslab_server  # noqa: F401  (a pytest fixture)

pytestmark = pytest.mark.server


def test_account_ids_are_stable_per_learner_and_distinct() -> None:
    assert account_for("alice") == account_for("alice")
    assert account_for("alice") != account_for("bob")
    assert len(account_for("alice")) == 12 and account_for("alice").isdigit()
    assert account_for(None) == DEFAULT_ACCOUNT


def test_two_learners_do_not_see_each_other(ecslab_server: str) -> None:  # noqa: F811
    with Lab(backend="server", endpoint_url=ecslab_server, learner="alice") as alice:
        assert alice.account_id == account_for("alice")
        alice.client("ecs").create_cluster(clusterName="alice-only")
    with Lab(backend="server", endpoint_url=ecslab_server, learner="bob") as bob:
        assert bob.client("ecs").list_clusters()["clusterArns"] == []
    with Lab(backend="server", endpoint_url=ecslab_server, learner="alice") as again:
        arns = again.client("ecs").list_clusters()["clusterArns"]
        assert arns == [f"arn:aws:ecs:us-east-1:{account_for('alice')}:cluster/alice-only"]


def test_a_plain_boto3_client_reaches_the_server_in_the_learners_account(
    ecslab_server: str,  # noqa: F811
) -> None:
    with Lab(backend="server", endpoint_url=ecslab_server, learner="carol") as lab:
        lab.client("ecr").create_repository(repositoryName="carol-api")
        plain = boto3.client("ecr").describe_repositories()["repositories"]
        assert [r["repositoryName"] for r in plain] == ["carol-api"]
        assert repr(lab).startswith(f"<Lab server {ecslab_server}, learner='carol'")


def test_advance_moves_the_servers_clock(ecslab_server: str) -> None:  # noqa: F811
    with Lab(backend="server", endpoint_url=ecslab_server, learner="dave") as lab:
        before = lab.now
        lab.advance(3600)
        assert lab.now >= before + 3600
