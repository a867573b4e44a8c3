"""The room answers learners at the same time, and sharing the server costs nobody anything.

Each account's requests take turns on a lock of their own (``Room.acting``), so one learner's
long request holds up only that learner; accounts draw their IDs from generators of their own,
so requests answered at once never shift each other's ARNs and a replay of the journal gives
every learner the very same resources back.
"""

from __future__ import annotations

import json
import tempfile
import threading
import urllib.request
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

from tests.server_fixture import free_port, running_server

pytestmark = pytest.mark.server

LEARNERS = 12
_NO_RETRIES = Config(retries={"total_max_attempts": 1}, connect_timeout=30, read_timeout=120)


def _post(url: str, route: str, payload: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{url}/_ecslab/{route}",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=120) as answer:
        return json.loads(answer.read())


def _status(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{url}/_ecslab/status", timeout=60) as answer:
        return json.loads(answer.read())


class Learner:
    """A learner's boto3 clients on the server, counting every request they send."""

    def __init__(self, name: str, key: dict[str, Any]) -> None:
        self.name = name
        self.account = str(key["account"])
        self.key = key
        self.sent = 0

    def clients(self, url: str) -> dict[str, Any]:
        session = boto3.session.Session(
            aws_access_key_id=self.key["key_id"],
            aws_secret_access_key=self.key["secret"],
            region_name="us-east-1",
        )
        made = {}
        for service in ("ecs", "ecr", "ec2", "elbv2"):
            client = session.client(service, endpoint_url=url, config=_NO_RETRIES)
            client.meta.events.register("before-send", self._count)
            made[service] = client
        return made

    def _count(self, **_: Any) -> None:
        self.sent += 1


def _build(learner: Learner, url: str) -> None:
    """Everything a learner makes draws IDs: a cluster, a repository, two task definition
    revisions, a security group and a target group in the default VPC, a task."""
    aws = learner.clients(url)
    name = learner.name
    aws["ecs"].create_cluster(clusterName=f"{name}-cluster")
    aws["ecr"].create_repository(repositoryName=f"{name}-api")
    default = [{"Name": "is-default", "Values": ["true"]}]
    vpc = aws["ec2"].describe_vpcs(Filters=default)["Vpcs"][0]
    in_vpc = [{"Name": "vpc-id", "Values": [vpc["VpcId"]]}]
    subnets = aws["ec2"].describe_subnets(Filters=in_vpc)["Subnets"]
    group = aws["ec2"].create_security_group(
        GroupName=f"{name}-tasks", Description="tasks", VpcId=vpc["VpcId"]
    )["GroupId"]
    aws["elbv2"].create_target_group(
        Name=f"{name}-api", Protocol="HTTP", Port=8000, VpcId=vpc["VpcId"], TargetType="ip"
    )
    for _ in range(2):
        aws["ecs"].register_task_definition(
            family=f"{name}-api",
            requiresCompatibilities=["FARGATE"],
            networkMode="awsvpc",
            cpu="256",
            memory="512",
            containerDefinitions=[
                {"name": "api", "image": "nginx:1.27", "portMappings": [{"containerPort": 80}]}
            ],
        )
    aws["ecs"].run_task(
        cluster=f"{name}-cluster",
        taskDefinition=f"{name}-api",
        launchType="FARGATE",
        networkConfiguration={
            "awsvpcConfiguration": {
                "subnets": [subnets[0]["SubnetId"]],
                "securityGroups": [group],
                "assignPublicIp": "ENABLED",
            }
        },
    )


def _what_it_sees(learner: Learner, url: str) -> dict[str, Any]:
    """Every ID the learner can list, by kind (the default VPC's included)."""
    aws = learner.clients(url)
    clusters = aws["ecs"].list_clusters()["clusterArns"]
    return {
        "clusters": clusters,
        "tasks": sorted(
            arn
            for cluster in clusters
            for status in ("RUNNING", "STOPPED")
            for arn in aws["ecs"].list_tasks(cluster=cluster, desiredStatus=status)["taskArns"]
        ),
        "task_definitions": aws["ecs"].list_task_definitions()["taskDefinitionArns"],
        "repositories": sorted(
            r["repositoryUri"] for r in aws["ecr"].describe_repositories()["repositories"]
        ),
        "vpcs": sorted(v["VpcId"] for v in aws["ec2"].describe_vpcs()["Vpcs"]),
        "subnets": sorted(s["SubnetId"] for s in aws["ec2"].describe_subnets()["Subnets"]),
        "groups": sorted(
            (g["GroupName"], g["GroupId"])
            for g in aws["ec2"].describe_security_groups()["SecurityGroups"]
        ),
        "target_groups": sorted(
            t["TargetGroupArn"] for t in aws["elbv2"].describe_target_groups()["TargetGroups"]
        ),
    }


def _at_once(work: Any, learners: list[Learner]) -> list[Any]:
    """Run ``work(learner)`` for every learner on threads started together; their answers."""
    start = threading.Barrier(len(learners))
    answers: list[Any] = [None] * len(learners)
    failures: list[BaseException] = []

    def run(index: int, learner: Learner) -> None:
        try:
            start.wait()
            answers[index] = work(learner)
        except BaseException as error:  # reported below, with the learner's name
            failures.append(error)

    threads = [
        threading.Thread(target=run, args=(index, learner))
        for index, learner in enumerate(learners)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not failures, failures
    assert all(not thread.is_alive() for thread in threads)
    return answers


def test_learners_at_once_see_their_own_and_a_restart_gives_back_the_same_ids() -> None:
    """Twelve learners build at once; each sees exactly their own resources; every request
    they sent is in the journal; killed and restarted, the server gives each learner the same
    resources with the same IDs (the replay draws each account's IDs as they were drawn)."""
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        with running_server(data, port=port, kill=True) as url:
            learners = [
                Learner(name, _post(url, "learner", {"learner": name}))
                for name in (f"learner{i:02d}" for i in range(LEARNERS))
            ]
            assert len({learner.account for learner in learners}) == LEARNERS
            _at_once(lambda learner: _build(learner, url), learners)
            seen = _at_once(lambda learner: _what_it_sees(learner, url), learners)
            journalled = _status(url)["journalled"]
        for learner, view in zip(learners, seen, strict=True):
            own = f"{learner.name}-"
            assert [arn.split("/")[-1] for arn in view["clusters"]] == [f"{own}cluster"]
            assert [uri.split("/")[-1] for uri in view["repositories"]] == [f"{own}api"]
            assert [a.split("/")[-1] for a in view["task_definitions"]] == [
                f"{own}api:1",
                f"{own}api:2",
            ]
            assert len(view["tasks"]) == 1
            assert [arn.split("/")[-2] for arn in view["target_groups"]] == [f"{own}api"]
            assert [name for name, _ in view["groups"] if name != "default"] == [f"{own}tasks"]
            every_arn = [*view["clusters"], *view["tasks"], *view["target_groups"]]
            assert all(f":{learner.account}:" in arn for arn in every_arn)
        everyone = [
            item
            for view in seen
            for kind in ("vpcs", "subnets", "tasks", "target_groups")
            for item in view[kind]
        ]
        assert len(everyone) == len(set(everyone))  # no two learners share an ID
        assert journalled == sum(learner.sent for learner in learners)  # nothing lost
        with running_server(data, port=port) as url:
            again = _at_once(lambda learner: _what_it_sees(learner, url), learners)
        assert again == seen


class _Gate:
    """A world behaviour that holds one action's calls until the test opens the gate."""

    def __init__(self, action: str) -> None:
        self.action = action
        self.reached = threading.Event()
        self.opened = threading.Event()

    def register_calls(self, calls: Any) -> None:
        calls.before("ecs", self.action, self.hold)

    def hold(self, world: Any, call: Any) -> None:
        self.reached.set()
        assert self.opened.wait(timeout=120)


@pytest.fixture
def app() -> Iterator[Any]:
    """The server's WSGI application in this process (no data directory)."""
    from ecslab.workshop.app import EcslabServerApp

    served = EcslabServerApp(log=lambda _: None)
    try:
        yield served
    finally:
        served.close()


def _call(app: Any, key: dict[str, Any], target: str, body: dict[str, Any]) -> tuple[int, Any]:
    """An ECS JSON call as boto3 sends it (the server reads the key from the signature)."""
    from werkzeug.test import Client

    answer = Client(app).post(
        "/",
        data=json.dumps(body),
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": f"AmazonEC2ContainerServiceV20141113.{target}",
            "Authorization": (
                f"AWS4-HMAC-SHA256 Credential={key['key_id']}/20260105/us-east-1/ecs/"
                "aws4_request, SignedHeaders=host, Signature=0"
            ),
        },
    )
    return answer.status_code, json.loads(answer.data)


def _learner(app: Any, name: str) -> dict[str, Any]:
    from werkzeug.test import Client

    return Client(app).post("/_ecslab/learner", json={"learner": name}).get_json()


def test_one_learners_long_request_does_not_hold_up_another(app: Any) -> None:
    """While one learner's call is held inside their world, another learner is answered, and
    the same learner's next call waits its turn."""
    slow, quick = _learner(app, "slow"), _learner(app, "quick")
    gate = app.room.world(slow["account"]).add(_Gate("ListClusters"))
    answers: dict[str, Any] = {}

    def ask(name: str, key: dict[str, Any], target: str) -> None:
        answers[name] = _call(app, key, target, {})

    held = threading.Thread(target=ask, args=("slow", slow, "ListClusters"))
    held.start()
    try:
        assert gate.reached.wait(timeout=60)
        behind = threading.Thread(target=ask, args=("slow again", slow, "DescribeClusters"))
        behind.start()
        other = threading.Thread(target=ask, args=("quick", quick, "ListClusters"))
        other.start()
        other.join(timeout=60)
        assert answers.get("quick") == (200, {"clusterArns": []})  # while slow's is held
        assert held.is_alive() and "slow" not in answers
        assert "slow again" not in answers  # one request at a time per account
    finally:
        gate.opened.set()
    held.join(timeout=60)
    behind.join(timeout=60)
    assert answers["slow"][0] == answers["slow again"][0] == 200
    assert app.journal.count() == 3


class _Host:
    """A host that only tells the time (the hooks need one to be installed)."""

    def now(self) -> Any:
        import datetime

        return datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC)

    def before_call(self, call: Any) -> None: ...

    def after_call(self, call: Any) -> None: ...


def test_at_most_two_worlds_act_at_once(app: Any) -> None:
    """Two learners' calls held inside their worlds take both turns: a third learner waits
    until one of them is answered (more threads at once would only slow every one)."""
    from ecslab.workshop.room import ACTING_AT_ONCE

    assert ACTING_AT_ONCE == 2
    keys = {name: _learner(app, name) for name in ("ana", "bo", "cy")}
    for key in keys.values():  # the room's first ListClusters is behind them
        assert _call(app, key, "ListClusters", {})[0] == 200
    gates = {
        name: app.room.world(keys[name]["account"]).add(_Gate("ListClusters"))
        for name in ("ana", "bo")
    }
    answers: dict[str, Any] = {}

    def ask(name: str) -> None:
        answers[name] = _call(app, keys[name], "ListClusters", {})

    held = {name: threading.Thread(target=ask, args=(name,)) for name in ("ana", "bo")}
    third = threading.Thread(target=ask, args=("cy",))
    try:
        for name, thread in held.items():
            thread.start()
            assert gates[name].reached.wait(timeout=60)
        third.start()
        third.join(timeout=0.5)
        assert answers == {}  # both turns are taken
        gates["ana"].opened.set()
        third.join(timeout=60)
        assert answers["cy"][0] == 200 and "bo" not in answers
    finally:
        for gate in gates.values():
            gate.opened.set()
        for thread in held.values():
            thread.join(timeout=60)
    assert answers["ana"][0] == answers["bo"][0] == 200


def test_accounts_draw_ids_of_their_own_whatever_runs_between() -> None:
    """An account's IDs depend on its own draws only: drawn alone, or interleaved on threads
    with another account's, they are the same; with no account acting, moto's own seeded
    generator draws as before."""
    from moto.moto_api._internal import mock_random

    from ecslab.world import moto_hooks
    from ecslab.world.moto_hooks import Identifiers

    def draws(account: str, count: int, pause: threading.Barrier | None = None) -> list[str]:
        drawn = []
        with moto_hooks.drawing_from(Identifiers.seeded(7, account)):
            for _ in range(count):
                if pause is not None:
                    pause.wait()  # the other thread draws between each of ours
                drawn.append(f"{mock_random.uuid4()} {mock_random.get_random_hex()}")
        return drawn

    with moto_hooks.hosted(_Host()):
        alone = {account: draws(account, 20) for account in ("111111111111", "222222222222")}
        pause = threading.Barrier(2)
        together: dict[str, list[str]] = {}

        def draw_together(account: str) -> None:
            together[account] = draws(account, 20, pause)

        threads = [threading.Thread(target=draw_together, args=(a,)) for a in alone]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        moto_hooks.seed(7)
        unrouted = [mock_random.get_random_hex() for _ in range(3)]
    assert together == alone
    assert alone["111111111111"] != alone["222222222222"]
    mock_random.seed(7)
    assert unrouted == [mock_random.get_random_hex() for _ in range(3)]


def test_every_draw_of_motos_generator_comes_from_the_acting_accounts() -> None:
    """moto's generator draws only through ``random`` and ``getrandbits``, which the routing
    replaces: each of its methods, called while an account acts, draws from that account's
    generator and leaves moto's own untouched (a moto upgrade that adds a method drawing some
    other way fails here)."""
    from moto.moto_api._internal import mock_random
    from moto.moto_api._internal.moto_random import MotoRandom

    from ecslab.world import moto_hooks
    from ecslab.world.moto_hooks import Identifiers

    calls: dict[str, tuple[Any, ...]] = {
        "uuid1": (),
        "uuid4": (),
        "get_random_hex": (8,),
        "get_random_string": (20,),
        "token_urlsafe": (16,),
        "random": (),
        "getrandbits": (64,),
        "randbytes": (8,),
        "randint": (1, 10**18),
        "randrange": (10**12,),
        "choice": ("abcdef",),
        "choices": ("abcdef",),
        "sample": (range(100), 3),
        "shuffle": ([1, 2, 3, 4, 5],),
        "uniform": (0, 1),
    }
    motos_own = {name for name in vars(MotoRandom) if not name.startswith("_")}
    assert motos_own <= set(calls), motos_own - set(calls)
    with moto_hooks.hosted(_Host()):
        untouched = mock_random.getstate()
        own = Identifiers.seeded(7, "111111111111")
        with moto_hooks.drawing_from(own):
            for name, args in calls.items():
                before = own.ids.getstate()
                getattr(mock_random, name)(*args)
                assert own.ids.getstate() != before, name
        assert mock_random.getstate() == untouched


def test_the_rooms_first_call_of_an_operation_goes_before_the_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Learners making an operation's first call at once wait for the first of them (which
    reads what the operation needs once), but not for longer than FIRST_CALL_WAIT; once the
    operation has been answered nobody waits."""
    from ecslab.workshop import room as workshop_room
    from ecslab.workshop.room import Room

    room, order = Room(), []
    inside, leave = threading.Event(), threading.Event()
    operation = ("ecs", "ListClusters")

    def first() -> None:
        with room.first_call(operation):
            order.append("first")
            inside.set()
            leave.wait(timeout=60)
            order.append("first done")

    def second() -> None:
        with room.first_call(operation):
            order.append("second")

    ahead = threading.Thread(target=first)
    ahead.start()
    assert inside.wait(timeout=60)
    behind = threading.Thread(target=second)
    behind.start()
    behind.join(timeout=0.5)  # well within FIRST_CALL_WAIT: still waiting
    assert order == ["first"]
    leave.set()
    ahead.join(timeout=60)
    behind.join(timeout=60)
    assert order == ["first", "first done", "second"]

    monkeypatch.setattr(workshop_room, "FIRST_CALL_WAIT", 0.1)
    inside.clear()
    leave.clear()
    stuck = threading.Thread(target=first)
    operation = ("ecs", "UpdateService")
    stuck.start()
    assert inside.wait(timeout=60)
    second()  # waits 0.1 s for the stuck first call, then goes ahead
    assert order[-2:] == ["first", "second"]
    leave.set()
    stuck.join(timeout=60)
    with room.first_call(("ecs", "ListClusters")):  # answered before: no wait, no gate taken
        assert not room._gates[("ecs", "ListClusters")].locked()


@pytest.mark.parametrize("kept_for_reads", [1, 0])
def test_changes_never_take_the_turn_kept_for_reads(
    app: Any, kept_for_reads: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two learners' changes held inside their worlds (long ``advance``es, say) take one turn,
    the second waiting for it; a third learner's describe is answered meanwhile in the turn
    kept for reads. With no turn kept (the room as it was), the describe waits for them."""
    from ecslab.workshop import room as workshop_room

    monkeypatch.setattr(
        app.room, "_turns", workshop_room.Turns(workshop_room.ACTING_AT_ONCE, kept_for_reads)
    )
    keys = {name: _learner(app, name) for name in ("ana", "bo", "cy")}
    for key in keys.values():  # each account's world made, the operations' first calls done
        assert _call(app, key, "CreateCluster", {"clusterName": "warm"})[0] == 200
        assert _call(app, key, "DescribeClusters", {"clusters": ["warm"]})[0] == 200
    gates = {
        name: app.room.world(keys[name]["account"]).add(_Gate("CreateCluster"))
        for name in ("ana", "bo")
    }
    answers: dict[str, Any] = {}

    def ask(name: str, target: str, body: dict[str, Any]) -> None:
        answers[name] = _call(app, keys[name], target, body)

    changes = {
        name: threading.Thread(target=ask, args=(name, "CreateCluster", {"clusterName": name}))
        for name in ("ana", "bo")
    }
    read = threading.Thread(target=ask, args=("cy", "DescribeClusters", {"clusters": ["warm"]}))
    try:
        changes["ana"].start()
        assert gates["ana"].reached.wait(timeout=60)
        changes["bo"].start()
        changes["bo"].join(timeout=0.5)
        assert gates["bo"].reached.is_set() == (kept_for_reads == 0)  # a second turn for bo?
        read.start()
        read.join(timeout=30 if kept_for_reads else 2)
        if kept_for_reads:
            assert answers.get("cy", (0,))[0] == 200  # while both changes are held
        else:
            assert "cy" not in answers  # both turns are taken by the changes
        assert "ana" not in answers and "bo" not in answers
    finally:
        for gate in gates.values():
            gate.opened.set()
        for thread in (*changes.values(), read):
            thread.join(timeout=60)
    assert answers["ana"][0] == answers["bo"][0] == answers["cy"][0] == 200


def test_a_waiting_read_goes_before_waiting_changes() -> None:
    """When a turn is given back, a read waiting for one takes it before a change that waited
    longer; the change acts once a turn it may take is free."""
    from ecslab.workshop.room import Turns

    turns, order = Turns(2, 1), []
    held = [turns.turn(reads=False), turns.turn(reads=True)]  # a change, then a read: both
    for turn in held:
        turn.__enter__()

    def take(name: str, reads: bool) -> None:
        with turns.turn(reads):
            order.append(name)

    change = threading.Thread(target=take, args=("change", False))
    change.start()
    change.join(timeout=0.3)
    read = threading.Thread(target=take, args=("read", True))
    read.start()
    read.join(timeout=0.3)
    assert order == []
    held[1].__exit__(None, None, None)  # the turn kept for reads is free: the read goes
    read.join(timeout=30)
    assert order == ["read"] and change.is_alive()  # the other turn is still a change's
    held[0].__exit__(None, None, None)
    change.join(timeout=30)
    assert order == ["read", "change"]


def test_a_learners_account_is_made_without_motos_sample_images() -> None:
    """On the server a learner's first call makes their EC2 without moto's ~1,300 sample AMIs
    (each with a volume and a snapshot: 55 ms per learner), as in process; closing the room
    puts moto's setting back as it was."""
    import os

    from moto.ec2.models import ec2_backends

    from ecslab.workshop.room import Room
    from ecslab.world.moto_adapter.ec2_models import SAMPLE_IMAGES_SETTING

    before = os.environ.get(SAMPLE_IMAGES_SETTING)
    room = Room()
    room.open()
    try:
        with room.acting("210987654321"):
            images = ec2_backends["210987654321"]["us-east-1"].amis
            vpcs = ec2_backends["210987654321"]["us-east-1"].vpcs
        assert images == {} and len(vpcs) == 1  # the default VPC is there all the same
    finally:
        room.close()
    assert os.environ.get(SAMPLE_IMAGES_SETTING) == before


def test_an_in_process_account_has_no_sample_images_either() -> None:
    """The same accounts everywhere: a lab in process lists no sample AMIs (the browser
    edition's first cell spent 0.5 s making them), and its default VPC is there."""
    import ecslab

    with ecslab.Lab() as lab:
        ec2 = lab.client("ec2")
        assert ec2.describe_images()["Images"] == []
        assert [v["IsDefault"] for v in ec2.describe_vpcs()["Vpcs"]] == [True]
