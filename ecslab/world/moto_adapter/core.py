"""moto's core: the mock, the response class every call passes, its clock, its identifiers."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import moto.core.responses as responses
import moto.core.utils as utils
from moto import mock_aws
from moto.core.base_backend import BackendDict
from moto.core.exceptions import ServiceException
from moto.core.models import botocore_stubber
from moto.core.responses import ActionResult, BaseResponse
from moto.moto_api._internal import mock_random

__all__ = [
    "ActionResult",
    "BackendDict",
    "BaseResponse",
    "ServiceException",
    "backend_of",
    "botocore_stubber",
    "draw_int",
    "draw_uuid",
    "keeping_draws",
    "mock_aws",
    "mock_random",
    "responses",
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
