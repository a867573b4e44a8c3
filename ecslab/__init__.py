"""ecslab: learn how an app goes from ``git push`` to running containers on AWS.

The learner's vocabulary is small: ``Lab`` for an AWS to learn on (simulated by default), real
boto3 clients from ``lab.client(...)``, and a few verbs AWS lacks. Heavy pieces (moto, boto3's
models) load only when a lab is opened, so ``import ecslab`` stays quick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ecslab import pyodide_drive
from ecslab.errors import (
    AnswerError,
    BackendUnavailable,
    ClockError,
    ConfigurationError,
    EcslabError,
    FaultError,
    NetworkBlocked,
    NoLoadBalancer,
    NoRunningTask,
    NotInBrowser,
    NotSupportedError,
    RealAwsNotConfirmed,
    RenderError,
    ServerBusy,
    ServerError,
    ServiceNotStable,
    UnknownFault,
)

pyodide_drive.list_drive_folders_once_per_cell()  # in the browser only

if TYPE_CHECKING:
    from ecslab.lab import Lab

__version__ = "0.1.0"

__all__ = [
    "AnswerError",
    "BackendUnavailable",
    "ClockError",
    "ConfigurationError",
    "EcslabError",
    "FaultError",
    "Lab",
    "NetworkBlocked",
    "NoLoadBalancer",
    "NoRunningTask",
    "NotInBrowser",
    "NotSupportedError",
    "RealAwsNotConfirmed",
    "RenderError",
    "ServerBusy",
    "ServerError",
    "ServiceNotStable",
    "UnknownFault",
    "__version__",
    "check",
    "course",
    "pipeline",
    "quiz",
    "solution",
]

_LAZY = {
    "Lab": "ecslab.lab",
    "check": "ecslab.checks",
    "quiz": "ecslab.quiz",
    "solution": "ecslab.course.solution",
}
#: Subpackages a learner reaches as ``ecslab.<name>`` without importing them first.
_SUBPACKAGES = {"course", "pipeline"}


def __getattr__(name: str) -> Any:
    import importlib

    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name in _SUBPACKAGES:
        return importlib.import_module(f"ecslab.{name}")
    raise AttributeError(f"module 'ecslab' has no attribute {name!r}")
