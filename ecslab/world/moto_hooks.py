"""How ecslab's simulated world hooks onto moto: the host, the calls it sees, time and IDs.

moto answers boto3 calls from records; the world makes those records behave. It does so through
three seams of the pinned moto, patched at run time while a world is hosted (moto's installed
files are never edited; the adapter's :mod:`~ecslab.world.moto_adapter.core` is what reaches
into moto to install them, this module says what they do):

* **every API call** passes ``BaseResponse.call_action``: the host sees it first (validation may
  answer with AWS's error before moto stores anything; the world catches up with the clock), and
  again after moto answered (the world reacts to what was just created or changed);
* **time**: moto stamps records with ``moto.core.utils.utcnow`` (and a few stray ``time.time()`` /
  ``datetime.now()`` calls); they read the host's virtual clock instead;
* **identifiers**: moto draws every ID from one ``mock_random``; seeding it makes ARNs repeat.
  Request IDs get a generator of their own, so that reads never shift the IDs of what follows.
  While an account's world acts on a thread (:func:`drawing_from`, the server's worlds), both
  draw from that account's own generators instead, so learners answered at the same time on
  different threads never shift each other's IDs.

A *host* is whoever owns the worlds: the in-process lab, or the ecslab server (one world per
account). Exactly one host is installed per process at a time.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import random
import re
import string
import threading
import time as _time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from ecslab.world.patches import PATCHES

#: HTTP status of an API error raised by the world before moto sees the call.
CLIENT_ERROR_STATUS = 400


class AwsError(Exception):
    """An error the simulated AWS answers with, as real AWS would: its code and message.

    Raised by validation rules and the world's API extensions; the hook serialises it with the
    service's own protocol, so boto3 raises ``ClientError`` with exactly this code and message.
    """

    def __init__(self, code: str, message: str, status: int = CLIENT_ERROR_STATUS) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


@dataclass
class ApiCall:
    """One boto3 call as the simulated AWS received it."""

    service: str  # boto3's name: "ecs", "elbv2", "ecr", ...
    action: str  # the API operation: "RegisterTaskDefinition", ...
    account: str
    region: str
    params: dict[str, Any]
    #: Filled in after moto answered: the HTTP status and the decoded body when it is JSON.
    status: int = 0
    response: dict[str, Any] = field(default_factory=dict)
    #: Set by ``after_call`` when moto's answer must change (it answered before the world
    #: adopted what the call created): sent instead, JSON services only.
    replacement: dict[str, Any] | None = None
    #: Set by ``before_call`` to answer without moto (an idempotent repeat of a create call), or
    #: by ``after_call`` to answer with the world's view of what moto just made: the operation's
    #: output, moto's model objects allowed, serialised in the service's protocol.
    answer: dict[str, Any] | None = None


class Host(Protocol):
    """What the hook needs from whoever hosts the simulated world."""

    def now(self) -> _dt.datetime:
        """The virtual instant, timezone-aware UTC."""

    def before_call(self, call: ApiCall) -> None:
        """Called before moto handles ``call``; raise :class:`AwsError` to reject it."""

    def after_call(self, call: ApiCall) -> None:
        """Called after moto answered ``call`` (``call.status`` tells whether it succeeded)."""


_lock = threading.RLock()
_host: Host | None = None


def active_host() -> Host | None:
    return _host


def install(host: Host) -> None:
    """Make ``host`` the one that sees every call and tells the time. Replaces any previous host.

    The first host patches moto (through :data:`~ecslab.world.patches.PATCHES`); the last one
    to leave puts everything back."""
    global _host
    with _lock:
        if _host is None:
            _patch_all()
        _host = host


def uninstall(host: Host) -> None:
    """Remove ``host``'s hooks (a no-op when another host has replaced it since)."""
    global _host
    with _lock:
        if _host is not host:
            return
        _host = None
        PATCHES.undo_all()


def seed(value: int) -> None:
    """Seed moto's identifier generator so that the same calls give the same ARNs."""
    from ecslab.world.moto_adapter import core

    core.seed_ids(value)
    _request_ids.seed(value)


# -- identifiers ----------------------------------------------------------------------------------

#: Request IDs come from their own generator: otherwise every read call would draw from moto's
#: shared one, and a resource's ID would depend on how many describes happened before it.
_request_ids = random.Random(0)
_REQUEST_ID_ALPHABET = string.ascii_letters + string.digits


#: The generators of the account acting on this thread (see :func:`drawing_from`), if any.
_drawing = threading.local()


@dataclass(frozen=True)
class Identifiers:
    """One account's own identifier generators: moto's IDs, and request IDs."""

    ids: random.Random
    request_ids: random.Random

    @classmethod
    def seeded(cls, seed: int, account: str) -> Identifiers:
        """The same for the same seed and account in every process (``str`` seeds are hashed
        with SHA-512, not Python's per-process hash), different for another account."""
        return cls(random.Random(f"{seed}:{account}"), random.Random(f"{seed}:{account}:requests"))


@contextlib.contextmanager
def drawing_from(identifiers: Identifiers) -> Iterator[None]:
    """moto's IDs and request IDs drawn on this thread come from ``identifiers`` for the block."""
    previous = getattr(_drawing, "identifiers", None)
    _drawing.identifiers = identifiers
    try:
        yield
    finally:
        _drawing.identifiers = previous


def _drawn() -> Identifiers | None:
    return getattr(_drawing, "identifiers", None)


def _request_id(headers: dict[str, Any] | None = None) -> str:
    own = _drawn()
    generator = own.request_ids if own is not None else _request_ids
    request_id = "".join(generator.choices(_REQUEST_ID_ALPHABET, k=52))
    if isinstance(headers, dict):
        headers["x-amzn-requestid"] = request_id
    return request_id


def _routed_random_class(base: type[random.Random]) -> type[random.Random]:
    """moto's generator class, drawing from the acting account's generator when there is one.

    ``random`` and ``getrandbits`` are what every other method of :class:`random.Random`
    (``choice``, ``randint``, ``uuid4`` of moto's subclass, ...) draws through; the state
    methods follow, so that saving and restoring the state saves and restores the one drawn.
    ``_randbelow`` (what ``choice``, ``randrange`` and ``sample`` draw each number through) is
    routed once per number: moto draws an ID one ``choice`` per character, and routing each of
    the ``getrandbits`` calls inside it doubled what a task start spends on its IDs."""

    own_bits = base.getrandbits

    class RoutedRandom(base):  # type: ignore[valid-type, misc]
        def _randbelow(self, n: int) -> int:
            own = _drawn()
            if own is not None:
                return own.ids._randbelow(n)  # type: ignore[attr-defined, no-any-return]
            # random.Random._randbelow_with_getrandbits, drawing from this object's own state
            k = n.bit_length()
            r = own_bits(self, k)
            while r >= n:
                r = own_bits(self, k)
            return r  # type: ignore[no-any-return]

        def random(self) -> float:
            own = _drawn()
            return own.ids.random() if own is not None else super().random()

        def getrandbits(self, k: int) -> int:
            own = _drawn()
            return own.ids.getrandbits(k) if own is not None else super().getrandbits(k)

        def getstate(self) -> Any:
            own = _drawn()
            return own.ids.getstate() if own is not None else super().getstate()

        def setstate(self, state: Any) -> None:
            own = _drawn()
            if own is not None:
                own.ids.setstate(state)
            else:
                super().setstate(state)

    RoutedRandom.__name__ = RoutedRandom.__qualname__ = base.__name__
    return RoutedRandom


def _patch_ids() -> None:
    from ecslab.world.moto_adapter import core, ecs_models

    core.install_request_ids(_request_id)
    core.route_ids(_routed_random_class)
    ecs_models.install_task_ids()


# -- time -----------------------------------------------------------------------------------------


def _virtual_utcnow() -> _dt.datetime:
    """moto's ``utcnow``: naive UTC, from the host's clock."""
    host = _host
    if host is None:
        return _dt.datetime.now(_dt.UTC).replace(tzinfo=None)
    return host.now().replace(tzinfo=None)


class _VirtualTime:
    """Stands in for the ``time`` module inside the few moto modules that call ``time.time()``."""

    def __getattr__(self, name: str) -> Any:
        return getattr(_time, name)

    @staticmethod
    def time() -> float:
        return _virtual_utcnow().replace(tzinfo=_dt.UTC).timestamp()


class _VirtualDatetime(_dt.datetime):
    """Stands in for ``datetime.datetime`` inside moto modules that call ``datetime.now()``."""

    @classmethod
    def now(cls, tz: _dt.tzinfo | None = None) -> _dt.datetime:  # type: ignore[override]
        aware = _virtual_utcnow().replace(tzinfo=_dt.UTC)
        return aware.astimezone(tz) if tz else aware.astimezone().replace(tzinfo=None)


def _patch_time() -> None:
    from ecslab.world.moto_adapter import core

    core.install_clock(_virtual_utcnow, _VirtualTime(), _VirtualDatetime)


# -- calls ----------------------------------------------------------------------------------------


def _patch_calls() -> None:
    from ecslab.world.moto_adapter import core

    core.install_call_hook(active_host)


#: Each service's error code for a parameter it cannot accept (botocore's service models).
_INVALID_PARAMETER = {
    "ecs": "InvalidParameterException",
    "ecr": "InvalidParameterException",
    "logs": "InvalidParameterException",
    "secretsmanager": "InvalidParameterException",
    "ssm": "ValidationException",
    "ec2": "InvalidParameterValue",
}


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_safe(body: Any) -> Any:
    """An XML answer that echoes a control character (a name typed with one) would not parse
    ("invalid XML"): such characters are written as ``\\xNN``, as a reader would want them."""
    if isinstance(body, str) and body.startswith("<") and _NOT_XML.search(body):
        return _NOT_XML.sub(lambda found: f"\\x{ord(found.group()):02x}", body)
    return body


def unprocessable(service: str, error: Exception) -> AwsError:
    """The answer to a call that crashed inside moto or the world: the service's own code for
    a parameter it cannot accept, never a Python traceback or an HTTP 500.

    Differs from AWS: AWS names the offending parameter in words of its own; this message is
    ecslab's, and says which value could not be read."""
    code = _INVALID_PARAMETER.get(service, "ValidationError")
    detail = str(error) or type(error).__name__
    return AwsError(code, f"The request has a parameter value that cannot be used ({detail}).")


def decode(body: Any) -> dict[str, Any]:
    """A JSON answer's body as a dict (``{}`` for anything else)."""
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if isinstance(body, str) and body.startswith("{"):
        with contextlib.suppress(ValueError):
            decoded = json.loads(body)
            return decoded if isinstance(decoded, dict) else {}
    return {}


# -- all together ---------------------------------------------------------------------------------


def _patch_all() -> None:
    from ecslab.world.moto_adapter.core import share_models_with_backends
    from ecslab.world.moto_adapter.ec2_models import leave_out_sample_images
    from ecslab.world.moto_adapter.fixes import install_moto_fixes

    share_models_with_backends()  # not a patch: the models it reads are read once for all
    _patch_time()
    _patch_ids()
    _patch_calls()
    install_moto_fixes()
    leave_out_sample_images()  # every account, in process, on the server, in the browser


def read_models(services: tuple[str, ...]) -> None:
    """Have moto read botocore's model of each service now, once.

    moto reads a service's model on the service's first call and keeps it (about 0.13 s of CPU
    for EC2's); a server answering many learners' first calls at once would otherwise read it
    once per thread, all at the same time."""
    from ecslab.world.moto_adapter import core

    core.read_service_models(services)


@contextlib.contextmanager
def hosted(host: Host) -> Iterator[Host]:
    """``with hosted(host):`` installs ``host`` for the block (used by tests and the server)."""
    install(host)
    try:
        yield host
    finally:
        uninstall(host)
