"""moto's core: the mock, the response class every call passes, its clock, its identifiers."""

from __future__ import annotations

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
    "botocore_stubber",
    "mock_aws",
    "mock_random",
    "responses",
    "utils",
]


def reset_backends() -> None:
    """Empty every simulated account of every service."""
    BackendDict.reset()
