"""moto's core: the mock, the response class every call passes, its clock, its identifiers."""

from __future__ import annotations

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

__all__ = [
    "ActionResult",
    "BackendDict",
    "BaseResponse",
    "ServiceException",
    "backend_of",
    "botocore_stubber",
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


def share_models_with_backends() -> None:
    """moto's one session for its backends' lists of regions (made on first use; it reads each
    service's model for its endpoint prefix) reads them through the process's shared loader."""
    service_models.share(AccountSpecificBackend.get_session())
