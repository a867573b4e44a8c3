"""moto's core: the mock, the response class every call passes, its clock, its identifiers."""

from __future__ import annotations

import contextlib
import datetime
import json
import random
import sys
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import moto.core.responses as responses
import moto.core.utils as utils
from moto import mock_aws
from moto.core.base_backend import AccountSpecificBackend, BackendDict
from moto.core.exceptions import ServiceException
from moto.core.models import botocore_stubber
from moto.core.responses import ActionResult, BaseResponse
from moto.moto_api._internal import mock_random

from ecslab.semantics import service_models
from ecslab.world.moto_hooks import ApiCall, AwsError, Host, decode, unprocessable, xml_safe
from ecslab.world.patches import PATCHES

__all__ = [
    "ActionResult",
    "BackendDict",
    "BaseResponse",
    "Mock",
    "ServiceException",
    "backend_of",
    "botocore_stubber",
    "draw_int",
    "draw_uuid",
    "guard_stubber",
    "install_call_hook",
    "install_clock",
    "install_request_ids",
    "keeping_draws",
    "mock_aws",
    "mock_random",
    "read_service_models",
    "responses",
    "route_ids",
    "seed_ids",
    "share_models_with_backends",
    "utils",
]


def backend_of(backends: Any, account: str, region: str) -> Any:
    """moto's backend of one service for ``account`` and ``region`` (made on first use).

    One already made is read straight from the two dicts moto keeps it in (a ``BackendDict`` of
    ``AccountSpecificBackend`` s, both ``dict`` s): moto's own lookup takes a lock and checks the
    region's name on every call, and a task start looks a backend up a dozen times."""
    found = dict.get(dict.get(backends, account) or {}, region)
    return found if found is not None else backends[account][region]


def reset_backends() -> None:
    """Empty every simulated account of every service."""
    BackendDict.reset()


def draw_uuid() -> str:
    """A UUID from moto's seeded identifier generator (the same run to run)."""
    return str(mock_random.uuid4())


def draw_int(low: int, high: int) -> int:
    """A number in ``[low, high]`` from moto's seeded identifier generator."""
    return mock_random.randint(low, high)


@contextlib.contextmanager
def keeping_draws() -> Iterator[None]:
    """moto's identifier generator is left where it was by the block (what the world makes in
    it draws no ID a learner's next resource would otherwise have had)."""
    state = mock_random.getstate()
    try:
        yield
    finally:
        mock_random.setstate(state)


def share_models_with_backends() -> None:
    """moto's one session for its backends' lists of regions (made on first use; it reads each
    service's model for its endpoint prefix) reads them through the process's shared loader."""
    service_models.share(AccountSpecificBackend.get_session())


def seed_ids(value: int) -> None:
    """Seed moto's identifier generator, so that the same calls give the same ARNs."""
    mock_random.seed(value)


def read_service_models(services: tuple[str, ...]) -> None:
    """Have moto read botocore's model of each service now (it keeps each once read)."""
    for service in services:
        utils.get_service_model(service)


# -- the process-wide patches (installed through PATCHES, which puts each back) ------------------


def install_request_ids(generate: Callable[[dict[str, Any] | None], str]) -> None:
    """moto's request IDs come from ``generate`` (it sets the header in the dict it is given)."""
    PATCHES.replace(
        responses, "gen_amzn_requestid_long", generate, "request IDs from their own generator"
    )


def route_ids(routed: Callable[[type[random.Random]], type[random.Random]]) -> None:
    """moto's ``mock_random`` takes the class ``routed(its class)``: every moto module holds the
    one object, so its class is swapped (not the object) and they all draw through it."""
    original_class = type(mock_random)
    mock_random.__class__ = routed(original_class)
    PATCHES.on_undo(
        lambda: setattr(mock_random, "__class__", original_class),
        "moto's mock_random draws from each account's own generators",
    )


def _stray_clocks() -> dict[ModuleType, str]:
    """moto modules that read the wall clock without ``moto.core.utils.utcnow``, and the name
    they read it through (found by reading moto 5.2's sources; the pin keeps the list true)."""
    import moto.ecr.models as ecr
    import moto.secretsmanager.models as secretsmanager

    return {secretsmanager: "time", ecr: "datetime"}


def install_clock(
    utcnow: Callable[[], datetime.datetime], time_module: object, datetime_class: type
) -> None:
    """moto's clock (``utcnow``, naive UTC) is ``utcnow``; the stray ``time`` module and
    ``datetime`` class of :func:`_stray_clocks` are the stand-ins given."""
    original = utils.utcnow

    # Modules imported later bind the patched function; those already imported are rebound here.
    for module_name, module in list(sys.modules.items()):
        if module_name.startswith("moto.") and getattr(module, "utcnow", None) is original:
            PATCHES.replace(module, "utcnow", utcnow, "moto's clock is the host's")

    def unbind_late() -> None:
        for module_name, module in list(sys.modules.items()):
            if module_name.startswith("moto.") and vars(module).get("utcnow") is utcnow:
                module.utcnow = original  # type: ignore[attr-defined]

    PATCHES.on_undo(unbind_late, "moto modules imported while hosted get moto's clock back")
    stand_ins = {"time": time_module, "datetime": datetime_class}
    for module, name in _stray_clocks().items():
        PATCHES.replace(module, name, stand_ins[name], "a stray wall clock is the host's")


def install_call_hook(host_of: Callable[[], Host | None]) -> None:
    """Every API call passes ``BaseResponse.call_action``: while ``host_of()`` is a host, it sees
    each call before moto (it may reject it, or answer it) and after moto answered."""
    original = BaseResponse.call_action

    def call_action(self: Any) -> Any:
        host = host_of()
        if host is None:
            return original(self)
        try:
            return hosted_call(self, host)
        except AwsError as error:
            return _error_response(self, error)
        except Exception as error:  # a crash inside moto or the world
            return _error_response(self, unprocessable(self.boto3_service_name, error))

    def hosted_call(self: Any, host: Host) -> Any:
        call = ApiCall(
            service=self.boto3_service_name,
            action=self._get_action(),
            account=self.current_account,
            region=self.region,
            params=_request_params(self),
        )
        host.before_call(call)
        if call.answer is not None:
            return _answer_response(self, call.answer)
        status, headers, body = original(self)
        call.status = int(status)
        call.response = decode(body)
        host.after_call(call)
        if call.answer is not None and call.status == 200:
            return _answer_response(self, call.answer)
        if call.replacement is not None:
            body = json.dumps(call.replacement)
            headers = {k: v for k, v in headers.items() if k.lower() != "content-length"}
        return status, headers, xml_safe(body)

    PATCHES.replace(BaseResponse, "call_action", call_action, "every API call passes the host")

    def dispatch(self: Any, request: Any, full_url: Any = None, headers: Any = None) -> Any:
        """moto reads the parameters before the call (a value of the wrong type crashes it
        there): answer that as the service's error too."""
        try:
            self.setup_class(request, full_url, headers)
        except Exception as error:
            if host_of() is None:
                raise
            return _error_response(self, unprocessable(self.boto3_service_name, error))
        return self.call_action()

    PATCHES.replace(BaseResponse, "_dispatch", dispatch, "unreadable parameters as AWS's error")


def _request_params(response: Any) -> dict[str, Any]:
    """The call's parameters in the shape boto3 sent them (the service model's member names)."""
    params = getattr(response, "params", None)
    if isinstance(params, dict) and params:
        return params
    with contextlib.suppress(Exception):
        response.parse_parameters(response.normalized_request)
        if isinstance(response.params, dict):
            return response.params
    body = response.body
    if isinstance(body, str) and body.startswith("{"):
        with contextlib.suppress(ValueError):
            return json.loads(body)  # type: ignore[no-any-return]
    return {}


def _answer_response(response: Any, answer: dict[str, Any]) -> Any:
    """Serialise ``answer`` as moto serialises its own results."""
    return response.serialized(ActionResult(answer))


def _error_response(response: Any, error: AwsError) -> Any:
    """Serialise ``error`` with the service's own protocol, as moto does for its own errors."""

    # Defined outside moto's packages, so moto looks the code up in the called service's model.
    class SimulatedAwsError(ServiceException):
        pass

    exception = SimulatedAwsError(error.code, error.message)
    _, headers, body = response.serialized(ActionResult(exception))
    headers["status"] = error.status
    return error.status, headers, body


class Mock:
    """moto's in-process mock of every service, started (with every account emptied)."""

    def __init__(self) -> None:
        self._mock = mock_aws()
        self._mock.start(reset=True)

    def stop(self) -> None:
        self._mock.stop()


def guard_stubber(
    wrap: Callable[[Callable[..., Any]], Callable[..., Any]], handlers: list[tuple[Any, ...]]
) -> None:
    """Put ``wrap(moto's stubber)`` in place of moto's stubber in botocore's ``handlers`` (the
    entries are ``(event, handler[, register-first])``), through the registry of patches."""
    for index, entry in enumerate(handlers):
        if entry[1] is botocore_stubber:
            guarded = (entry[0], wrap(botocore_stubber), *entry[2:])
            PATCHES.replace_item(handlers, index, guarded, "no request leaves the machine")
