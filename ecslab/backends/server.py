"""The workshop backend: a shared ecslab server (``ecslab server``) on the network.

Each learner gets an account of their own on the server, derived from their name, with an
access key the server keeps for them (the same key every time, across restarts); the
environment then points every boto3 client in the notebook (plain ``boto3.client(...)`` too)
at the server with that key.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Any

import boto3

from ecslab.backends.base import Backend
from ecslab.backends.environment import CREDENTIAL_VARIABLES, EnvironmentPatch
from ecslab.backends.timestamps import configure_default_session
from ecslab.errors import (
    BackendUnavailable,
    ConfigurationError,
    ServerBusy,
    ServerError,
)

if TYPE_CHECKING:
    from ecslab.semantics.fault_results import FaultResult

DEFAULT_ACCOUNT = "123456789012"


def account_for(learner: str | None) -> str:
    """A stable 12-digit account ID for a learner's name (the default account for none)."""
    if not learner:
        return DEFAULT_ACCOUNT
    from ecslab.backends.learner_names import learner_key

    digest = int(hashlib.sha256(learner_key(learner).encode()).hexdigest(), 16)
    return f"{100_000_000_000 + digest % 900_000_000_000:012d}"


class ServerBackend(Backend):
    """Simulated AWS on a shared ecslab server."""

    name = "server"
    simulated = True

    def __init__(self, region: str, endpoint_url: str | None, learner: str | None) -> None:
        if not endpoint_url:
            raise ConfigurationError(
                'The server backend needs the server\'s address: Lab(backend="server", '
                'endpoint_url="http://127.0.0.1:5000"), or set ECSLAB_ENDPOINT_URL. '
                "Start a server with: ecslab server"
            )
        from ecslab.backends.learner_names import learner_name

        self.endpoint_url = endpoint_url.rstrip("/")
        named = learner_name(learner) if learner else None  # a name checked before any call
        self._status = self._control("status")
        if named is None:
            raise ConfigurationError(
                "On a shared server each learner needs their own account: "
                'Lab(backend="server", learner="your name"), or set ECSLAB_LEARNER.'
            )
        self.learner = named
        self._credentials = self._learner_credentials(self.learner)
        self.caller_arn = f"arn:aws:iam::{self._account}:user/ecslab-learner"
        self._environment = EnvironmentPatch(
            {
                **dict.fromkeys(CREDENTIAL_VARIABLES),
                "AWS_ACCESS_KEY_ID": self._credentials[0],
                "AWS_SECRET_ACCESS_KEY": self._credentials[1],
                "AWS_DEFAULT_REGION": region,
                "AWS_ENDPOINT_URL": self.endpoint_url,
                "AWS_CONFIG_FILE": os.devnull,
                "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            }
        )
        self._previous_default_session = boto3.DEFAULT_SESSION
        configure_default_session()
        super().__init__(region)
        from ecslab.world import waiters

        self._undo_waiters = waiters.install(self.advance)  # waiters advance the learner's clock
        from ecslab.progress import attach_room
        from ecslab.progress_room import sender

        # Quiz answers and checks also reach the server, under this learner's account.
        self._detach_progress = attach_room(self.learner, self._account, sender(self.endpoint_url))

    def _make_session(self) -> boto3.Session:
        return boto3.Session(
            aws_access_key_id=self._credentials[0],
            aws_secret_access_key=self._credentials[1],
            region_name=self.region,
        )

    def client(self, service: str, **kwargs: Any) -> Any:
        kwargs.setdefault("endpoint_url", self.endpoint_url)
        return self.session.client(service, **kwargs)

    def _find_account_id(self) -> str:
        return self._account

    def describe(self) -> str:
        return f"server {self.endpoint_url}, learner={self.learner!r}"

    def _learner_credentials(self, learner: str) -> tuple[str, str]:
        """The learner's access key on the server: the same one every time (and after a
        restart), so clients made from an earlier lab keep reaching the learner's account."""
        answer = self._control("learner", {"learner": learner})
        self._account = str(answer["account"])
        return str(answer["key_id"]), str(answer["secret"])

    # -- control routes -------------------------------------------------------------------------

    def _control(
        self, route: str, payload: dict[str, Any] | None = None, timeout: float = 5
    ) -> dict[str, Any]:
        url = f"{self.endpoint_url}/_ecslab/{route}"
        data = None if payload is None else json.dumps(payload).encode()
        request = urllib.request.Request(
            url,
            data=data,
            method="GET" if data is None else "POST",
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                answer = json.loads(response.read())
        except urllib.error.HTTPError as error:
            answer = _error_answer(error)
            if error.code >= 500 or answer is None:
                raise ServerError(
                    f"The ecslab server at {self.endpoint_url} failed on this request "
                    f"(HTTP {error.code}){_detail(answer)}. Tell the instructor; the rest of "
                    "the room is not affected."
                ) from None
            if answer.get("type") == "UnknownKey":
                raise ConfigurationError(answer["error"]) from None
            return answer
        except TimeoutError:
            raise ServerBusy(
                f"The ecslab server at {self.endpoint_url} is up but did not answer within "
                f"{timeout:g} seconds (it may be busy with the room): try again in a moment."
            ) from None
        except (urllib.error.URLError, OSError, ValueError) as error:
            if isinstance(getattr(error, "reason", None), (TimeoutError, socket.timeout)):
                raise ServerBusy(
                    f"The ecslab server at {self.endpoint_url} did not answer within "
                    f"{timeout:g} seconds (it may be busy with the room): try again in a moment."
                ) from None
            raise BackendUnavailable(
                f"Cannot reach an ecslab server at {self.endpoint_url} ({_reason(error)}). "
                "Start one with `ecslab server`, or check the address and port."
            ) from None
        if answer.get("server") != "ecslab" and route == "status":
            raise BackendUnavailable(
                f"{self.endpoint_url} answers, but it is not an ecslab server. "
                "Start one with `ecslab server`."
            )
        return answer

    def advance(self, seconds: float) -> None:
        self._world("advance", {"seconds": seconds})

    def now(self) -> float:
        return float(self._control(f"status?key={self._credentials[0]}")["now"])

    def _world(self, route: str, payload: dict[str, Any]) -> dict[str, Any]:
        where = {"key": self._credentials[0], "region": self.region}
        answer = self._control(route, where | payload, timeout=VERB_TIMEOUT)
        if "error" in answer:
            raise _relayed(answer)
        return answer

    def wait_stable(self, cluster: str, service: str, timeout: float) -> float:
        answer = self._world(
            "wait_stable", {"cluster": cluster, "service": service, "timeout": timeout}
        )
        return float(answer["waited"])

    def request(
        self, path_or_url: str, method: str, host: str | None, headers: dict[str, str] | None
    ) -> Any:
        from ecslab.semantics.requests import RequestResult

        payload = {"path_or_url": path_or_url, "method": method, "host": host, "headers": headers}
        return RequestResult(**self._world("request", payload)["result"])

    def fault(self, kind: str, args: dict[str, Any]) -> FaultResult:
        from ecslab.semantics.fault_results import from_fields

        return from_fields(kind, self._world("fault", {"kind": kind, "args": args})["result"])

    def close(self) -> None:
        self._detach_progress()
        self._undo_waiters()
        boto3.DEFAULT_SESSION = self._previous_default_session
        self._environment.restore()


def _relayed(answer: dict[str, Any]) -> Exception:
    """The error the server's world raised, as the in-process world would have raised it: an
    ecslab error by its name (``NoRunningTask``, ``NoLoadBalancer``, ...), else the built-in."""
    from ecslab import errors

    name = str(answer.get("type", ""))
    ours = getattr(errors, name, None)
    if isinstance(ours, type) and issubclass(ours, errors.EcslabError):
        return ours(answer["error"])
    builtin = {"TimeoutError": TimeoutError, "LookupError": LookupError}.get(name, ValueError)
    return builtin(answer["error"])


#: How long a lab verb waits for the server (an advance of an hour of a busy world included).
VERB_TIMEOUT = 120.0


def _error_answer(error: urllib.error.HTTPError) -> dict[str, Any] | None:
    try:
        answer = json.loads(error.read())
    except (ValueError, OSError):
        return None
    return answer if isinstance(answer, dict) else None


def _detail(answer: dict[str, Any] | None) -> str:
    return f": {answer['error']}" if answer and answer.get("error") else ""


def _reason(error: Exception) -> str:
    if isinstance(error, urllib.error.URLError):
        return str(error.reason)
    return str(error) or type(error).__name__
