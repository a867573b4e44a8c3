"""The aws backend's code paths (tagging, polling, progress, teardown) over HTTP, on a server.

An ecslab server behaves like AWS over the network, so the same code a real account runs is
tested here without one: through the server backend, and through the aws backend itself pointed
at the server with the standard AWS environment variables.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import boto3
import pytest
from account_capstone import build_capstone

from ecslab.account import waiting
from ecslab.account.tagged_resources import inventory
from ecslab.account.teardown import teardown
from ecslab.cli import main
from ecslab.lab import Lab
from tests.server_fixture import ecslab_server  # noqa: F401  (a pytest fixture)

pytestmark = pytest.mark.server


@pytest.fixture
def server_lab(ecslab_server: str, request: pytest.FixtureRequest) -> Iterator[Lab]:  # noqa: F811
    """A lab on the server, in an account of its own (one learner per test)."""
    learner = request.node.name[:40]
    with Lab(backend="server", endpoint_url=ecslab_server, learner=learner, name="srv") as lab:
        yield lab


@pytest.fixture
def aws_lab(ecslab_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Lab]:  # noqa: F811
    """Lab(backend="aws") with the standard AWS variables pointing at the server (with a key
    the server knows: it refuses any other, as AWS does)."""
    key = _learner_key(ecslab_server, "aws-path")
    for name, value in {
        "AWS_ENDPOINT_URL": ecslab_server,
        "AWS_ACCESS_KEY_ID": key["key_id"],
        "AWS_SECRET_ACCESS_KEY": key["secret"],
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    with Lab(backend="aws", confirm=True, name="direct") as lab:
        yield lab


def _learner_key(url: str, learner: str) -> dict[str, str]:
    import json
    import urllib.request

    request = urllib.request.Request(
        f"{url}/_ecslab/learner", data=json.dumps({"learner": learner}).encode(), method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return dict(json.loads(response.read()))


def _no_sleep(seconds: float) -> None:
    raise AssertionError(f"teardown should not have waited ({seconds} s)")


def test_on_the_server_teardown_leaves_nothing_tagged_and_spares_the_rest(
    server_lab: Lab,
) -> None:
    """Capstone over HTTP, plus an untagged repository: only the lab's resources go."""
    build_capstone(server_lab.client, prefix="srv")
    credentials = server_lab.session.get_credentials()
    outsider = boto3.Session(
        aws_access_key_id=credentials.access_key,
        aws_secret_access_key=credentials.secret_key,
        region_name="us-east-1",
    )
    outsider.client("ecr").create_repository(repositoryName="precious")
    assert len(inventory(server_lab.client, "srv")) == 13
    report = server_lab.teardown()
    assert report.clean, str(report)
    names = [r["repositoryName"] for r in server_lab.client("ecr").describe_repositories()[
        "repositories"
    ]]
    assert names == ["precious"]


def test_on_the_server_an_interrupted_teardown_resumes(server_lab: Lab) -> None:
    """A failure at the target groups stops the run; the next run finishes it."""
    build_capstone(server_lab.client, prefix="srv")
    calls = [0]

    def lose_the_network(**_: object) -> None:
        calls[0] += 1
        if calls[0] == 1:
            raise ConnectionError("network lost")

    server_lab.session.events.register(
        "before-call.elastic-load-balancing-v2.DeleteTargetGroup", lose_the_network
    )
    with pytest.raises(ConnectionError):
        server_lab.teardown()
    assert {r.kind for r in inventory(server_lab.client, "srv")} >= {"target-group", "secret"}
    assert server_lab.teardown().clean


def test_the_aws_backend_tags_costs_and_tears_down_over_http(aws_lab: Lab) -> None:
    """Lab(backend="aws") against the server: the real-account code path end to end."""
    assert aws_lab.backend == "aws"
    build_capstone(aws_lab.client, prefix="direct")
    assert aws_lab.cost().hourly > 0
    report = teardown(aws_lab, sleep=_no_sleep)
    assert report.clean, str(report)
    assert aws_lab.cost().hourly == 0


def test_the_aws_backend_polls_a_service_until_stable_with_a_bar(
    aws_lab: Lab, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """AwsBackend.wait_stable polls DescribeServices over HTTP and shows the bar."""
    monkeypatch.setattr(waiting, "POLL_SECONDS", 0.05)
    ecs = aws_lab.client("ecs")
    ecs.create_cluster(clusterName="direct-cluster")
    ecs.register_task_definition(
        family="direct-api", containerDefinitions=[{"name": "a", "image": "nginx", "memory": 64}]
    )
    ecs.create_service(
        cluster="direct-cluster", serviceName="direct-api", taskDefinition="direct-api",
        desiredCount=0,
    )
    assert aws_lab.wait_stable("direct-cluster", "direct-api", 30) < 30
    assert "Waiting for service direct-api to become stable" in capsys.readouterr().err
    assert teardown(aws_lab, sleep=_no_sleep).clean


def test_progress_reaches_a_file_of_ones_choice(aws_lab: Lab) -> None:
    """The polling loop writes its bar where it is told (a notebook gets the tqdm widget)."""
    ecs = aws_lab.client("ecs")
    ecs.create_cluster(clusterName="direct-c2")
    ecs.register_task_definition(
        family="direct-b", containerDefinitions=[{"name": "b", "image": "nginx", "memory": 64}]
    )
    ecs.create_service(
        cluster="direct-c2", serviceName="direct-b", taskDefinition="direct-b", desiredCount=0
    )
    out = io.StringIO()
    waiting.wait_until_stable(
        ecs, "direct-c2", "direct-b", 30, sleep=_no_sleep, clock=lambda: 0.0, file=out
    )
    assert "0/0 running, 1 deployment" in out.getvalue()
    assert teardown(aws_lab, sleep=_no_sleep).clean


def test_the_cli_tears_down_a_learners_lab_on_the_server(
    ecslab_server: str, capsys: pytest.CaptureFixture[str]  # noqa: F811
) -> None:
    """`ecslab teardown --backend server ...` deletes the lab's resources and exits 0."""
    with Lab(backend="server", endpoint_url=ecslab_server, learner="cli", name="viacli") as lab:
        lab.client("ecr").create_repository(repositoryName="viacli-api")
        lab.client("logs").create_log_group(logGroupName="/ecs/viacli-api")
    arguments = ["teardown", "--backend", "server", "--endpoint-url", ecslab_server,
                 "--learner", "cli", "--lab", "viacli"]
    assert main([*arguments, "--dry-run"]) == 0
    assert "2 resource(s) would be deleted" in capsys.readouterr().out
    assert main(arguments) == 0
    out = capsys.readouterr().out
    assert "deleted ecr-repository viacli-api" in out
    assert "Nothing carrying ecslab:lab=viacli remains." in out
