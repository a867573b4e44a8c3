"""The one seam behind ``Lab``: where boto3's calls go.

A notebook does not change between backends; only ``Lab(backend=...)`` does. Each backend gives
a boto3 ``Session`` wired to its AWS (simulated in this process, simulated on a shared server, or
real) and says which of ecslab's extra verbs it supports.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any

import boto3

from ecslab.backends.timestamps import use_utc_timestamps
from ecslab.errors import NotSupportedError
from ecslab.semantics import service_models

if TYPE_CHECKING:
    from ecslab.semantics.fault_results import FaultResult


class Backend(ABC):
    """Where the lab's AWS lives."""

    name: str
    #: True when time and faults are ecslab's to control (moto in-process or the ecslab server).
    simulated: bool

    def __init__(self, region: str) -> None:
        self.region = region
        self.session: boto3.Session = use_utc_timestamps(service_models.share(self._make_session()))
        self.account_id: str = self._find_account_id()

    @abstractmethod
    def _make_session(self) -> boto3.Session: ...

    def _find_account_id(self) -> str:
        return self.session.client("sts").get_caller_identity()["Account"]

    def client(self, service: str, **kwargs: Any) -> Any:
        """A real boto3 client for ``service`` on this backend."""
        return self.session.client(service, **kwargs)

    def describe(self) -> str:
        """A one-line description for the lab's repr."""
        return self.name

    # -- the verbs AWS lacks; simulated backends override them -----------------------------------

    def advance(self, seconds: float) -> None:
        raise NotSupportedError(
            f"Time cannot be moved on the {self.name} backend: it runs on AWS's own clock."
        )

    def now(self) -> float:
        raise NotSupportedError(f"The {self.name} backend has no virtual clock.")

    def state_version(self) -> object | None:
        """A value that changes whenever the account may have changed; ``None`` when the
        backend cannot tell (another process's or a real account)."""
        return None

    def reset(self) -> None:
        raise NotSupportedError(
            f"The {self.name} backend cannot be emptied by a reset; use lab.teardown() instead."
        )

    def wait_stable(self, cluster: str, service: str, timeout: float) -> float:
        raise NotSupportedError(
            f"wait_stable is not available on the {self.name} backend yet; use "
            'client("ecs").get_waiter("services_stable").wait(...) instead.'
        )

    def request(
        self, path_or_url: str, method: str, host: str | None, headers: dict[str, str] | None
    ) -> Any:
        raise NotSupportedError(
            f"The {self.name} backend has no simulated load balancer: send real HTTP requests "
            "to the load balancer's DNS name instead."
        )

    def fault(self, kind: str, args: dict[str, Any]) -> FaultResult:
        raise NotSupportedError(
            f"Faults can only be caused in a simulated AWS, not on the {self.name} backend."
        )

    def close(self) -> None:  # noqa: B027  (most backends hold nothing to release)
        """Release what the backend holds (patches, environment, connections)."""
