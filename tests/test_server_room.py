"""The workshop server holds a room: one learner cannot break it, and a restart loses nothing.

Each learner's world has its own clock, each learner's key reaches only their account (an
unknown key gets AWS's answer), bad arguments get one sentence, and a server killed mid-run and
started again on the same data directory gives every learner their account back.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import socket
import tempfile
import threading
from collections.abc import Iterator

import boto3
import pytest
from botocore.exceptions import ClientError

from ecslab.backends.server import account_for
from ecslab.errors import BackendUnavailable, ConfigurationError, ServerBusy, ServerError
from ecslab.lab import Lab
from tests.server_fixture import ecslab_server, free_port, running_server  # noqa: F401

pytestmark = pytest.mark.server


@pytest.fixture(autouse=True)
def aws_variables_left_as_found() -> Iterator[None]:
    """Every lab a test opens is closed by its end, so the variables a server lab sets
    (``AWS_ENDPOINT_URL``, the learner's key) are as before: later tests never inherit them."""
    before = {name: value for name, value in os.environ.items() if name.startswith("AWS_")}
    yield
    after = {name: value for name, value in os.environ.items() if name.startswith("AWS_")}
    assert after == before


@pytest.fixture
def closing() -> Iterator[contextlib.ExitStack]:
    """Labs entered here close when the test ends, pass or fail, the last opened first (each
    lab puts back the environment it found when it opened)."""
    with contextlib.ExitStack() as stack:
        yield stack


def test_a_second_lab_for_the_same_learner_keeps_the_first_labs_clients(
    ecslab_server: str,  # noqa: F811
) -> None:
    first = Lab(backend="server", endpoint_url=ecslab_server, learner="fiona")
    ecs = first.client("ecs")
    ecs.create_cluster(clusterName="fiona-first")
    with Lab(backend="server", endpoint_url=ecslab_server, learner="fiona") as second:
        assert second.account_id == first.account_id == account_for("fiona")
        ecs.create_cluster(clusterName="fiona-after")  # the first lab's client, still hers
        names = sorted(
            a.split("/")[-1] for a in second.client("ecs").list_clusters()["clusterArns"]
        )
        assert names == ["fiona-after", "fiona-first"]
    first.close()


def _unknown(service: str, url: str) -> ClientError:
    client = boto3.client(
        service,
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="AKIAUNKNOWNKEY000000",
        aws_secret_access_key="not-a-key",
    )
    calls = {
        "ecs": lambda: client.list_clusters(),
        "sts": lambda: client.get_caller_identity(),
        "ec2": lambda: client.describe_vpcs(),
        "elbv2": lambda: client.describe_load_balancers(),
    }
    with pytest.raises(ClientError) as raised:
        calls[service]()
    return raised.value


@pytest.mark.parametrize(
    ("service", "code", "message"),
    [
        (
            "ecs",
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        ),
        ("sts", "InvalidClientTokenId", "The security token included in the request is invalid."),
        ("elbv2", "InvalidClientTokenId", "The security token included in the request is invalid."),
        ("ec2", "AuthFailure", "AWS was not able to validate the provided access credentials"),
    ],
)
def test_an_unknown_key_gets_aws_answer_not_the_default_account(
    ecslab_server: str,  # noqa: F811
    service: str,
    code: str,
    message: str,
) -> None:
    """https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html"""
    error = _unknown(service, ecslab_server).response["Error"]
    assert (error["Code"], error["Message"]) == (code, message)


def test_a_lab_on_a_server_without_a_learner_is_one_sentence(ecslab_server: str) -> None:  # noqa: F811
    with pytest.raises(ConfigurationError, match=r'learner="your name"'):
        Lab(backend="server", endpoint_url=ecslab_server)


@pytest.mark.parametrize(
    ("seconds", "says"),
    [
        (float("nan"), "finite number of seconds"),
        (float("inf"), "finite number of seconds"),
        (1e12, "at most 3600 seconds"),
        (-1, "zero seconds or more"),
        ("10", "takes a number of seconds"),
    ],
)
def test_a_bad_advance_on_the_server_is_one_sentence_and_the_room_goes_on(
    ecslab_server: str,  # noqa: F811
    seconds: object,
    says: str,
) -> None:
    with Lab(backend="server", endpoint_url=ecslab_server, learner="gus") as lab:
        with pytest.raises(ValueError, match=says):  # ConfigurationError or ClockError
            lab.advance(seconds)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match=says):  # past the lab's own check too
            lab._backend.advance(seconds)  # type: ignore[arg-type]
        before = lab.now
        lab.advance(10)
        assert lab.now >= before + 10
        assert lab.client("ecs").list_clusters()["clusterArns"] == []


def test_two_learners_advance_independently(ecslab_server: str) -> None:  # noqa: F811
    with (
        Lab(backend="server", endpoint_url=ecslab_server, learner="hana") as hana,
        Lab(backend="server", endpoint_url=ecslab_server, learner="ivan") as ivan,
    ):
        hana_start, ivan_start = hana.now, ivan.now
        hana.advance(3000)
        ivan.advance(10)
        assert 3000 <= hana.now - hana_start < 3010
        assert 10 <= ivan.now - ivan_start < 20  # hana's hour did not move ivan's world


def test_a_request_path_without_a_slash_is_one_sentence_on_the_server(
    ecslab_server: str,  # noqa: F811
) -> None:
    with Lab(backend="server", endpoint_url=ecslab_server, learner="jo") as lab:
        for path in ("api/info", "", None):
            with pytest.raises(ConfigurationError, match=r"lab\.request takes a path"):
                lab._backend.request(path, "GET", None, None)  # type: ignore[arg-type]


def test_a_server_killed_mid_run_gives_every_learner_their_account_back(
    closing: contextlib.ExitStack,
) -> None:
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        with running_server(data, port=port, kill=True) as url:
            labs = {
                name: closing.enter_context(Lab(backend="server", endpoint_url=url, learner=name))
                for name in ("kim", "lee")
            }
            for name, lab in labs.items():
                lab.client("ecs").create_cluster(clusterName=f"{name}-cluster")
                lab.client("ecr").create_repository(repositoryName=f"{name}-api")
            labs["kim"].advance(600)
            before = {name: lab.now for name, lab in labs.items()}
        log: list[str] = []
        with running_server(data, port=port, log_to=log) as url:
            for name, lab in labs.items():  # the labs opened before the restart, unchanged
                clusters = lab.client("ecs").list_clusters()["clusterArns"]
                assert [c.split("/")[-1] for c in clusters] == [f"{name}-cluster"]
                repos = lab.client("ecr").describe_repositories()["repositories"]
                assert [r["repositoryName"] for r in repos] == [f"{name}-api"]
                assert lab.now >= before[name]
            assert labs["kim"].now - labs["lee"].now >= 590  # each clock where it was
        assert any("restored 2 learners' accounts" in line and "kim, lee" in line for line in log)
        with running_server(data, "--fresh", port=port) as url:
            with pytest.raises(ClientError, match="UnrecognizedClientException"):
                labs["kim"].client("ecs").list_clusters()
            with Lab(backend="server", endpoint_url=url, learner="kim") as again:
                assert again.client("ecs").list_clusters()["clusterArns"] == []


# -- what a learner reads when the server is unwell ------------------------------------------------


@pytest.fixture
def failing_server() -> Iterator[str]:
    class Failing(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b"boom")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Failing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_an_http_500_does_not_read_cannot_reach(failing_server: str) -> None:
    with pytest.raises(ServerError, match="failed on this request \\(HTTP 500\\)") as raised:
        Lab(backend="server", endpoint_url=failing_server, learner="max")
    assert "Cannot reach" not in str(raised.value)


def test_a_busy_server_does_not_read_cannot_reach() -> None:
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with pytest.raises(ServerBusy, match="did not answer within 5 seconds") as raised:
            Lab(backend="server", endpoint_url=url, learner="max")
    assert "Cannot reach" not in str(raised.value)


def test_no_server_still_reads_cannot_reach() -> None:
    with pytest.raises(BackendUnavailable, match="Cannot reach an ecslab server"):
        Lab(backend="server", endpoint_url=f"http://127.0.0.1:{free_port()}", learner="max")


def test_the_date_header_follows_the_learners_own_clock(ecslab_server: str) -> None:  # noqa: F811
    """AWS stamps each answer with its time; the server stamps it with the learner's world's."""
    from email.utils import parsedate_to_datetime

    with Lab(backend="server", endpoint_url=ecslab_server, learner="nia") as lab:
        lab.advance(3600)
        answer = lab.client("ecs").list_clusters()["ResponseMetadata"]["HTTPHeaders"]
        stamped = parsedate_to_datetime(answer["date"])
        expected = lab._backend._control(f"status?key={lab.session.get_credentials().access_key}")
        from datetime import datetime

        assert abs((stamped - datetime.fromisoformat(expected["time"])).total_seconds()) < 5
