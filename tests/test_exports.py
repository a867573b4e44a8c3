"""The front door: ecslab's public names are exactly these, sorted, and all importable."""

from __future__ import annotations

import subprocess
import sys

import ecslab


def test_all_is_sorted_and_every_name_resolves() -> None:
    assert ecslab.__all__ == sorted(ecslab.__all__)
    for name in ecslab.__all__:
        assert getattr(ecslab, name) is not None, name


def test_core_names_are_public() -> None:
    assert {"Lab", "EcslabError", "ConfigurationError", "BackendUnavailable"} <= set(ecslab.__all__)


def test_import_ecslab_does_not_import_moto_or_boto3() -> None:
    """``import ecslab`` stays quick: the heavy pieces load when a lab opens."""
    code = (
        "import sys, ecslab; "
        "print(sorted(m for m in ('moto', 'boto3', 'botocore') if m in sys.modules))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert output.stdout.strip() == "[]"


def test_the_front_door_exports_exactly_the_learners_vocabulary_and_every_error() -> None:
    """The whole public surface, written out (httpx's test_exported_members): a name added to
    or dropped from ``ecslab`` is a decision this list records."""
    assert ecslab.__all__ == [
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
