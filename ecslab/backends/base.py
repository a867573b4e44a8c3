"""The one seam behind ``Lab``: where boto3's calls go.

A notebook does not change between backends; only ``Lab(backend=...)`` does. Each backend gives
a boto3 ``Session`` wired to its AWS (simulated in this process, simulated on a shared server, or
real) and says which of ecslab's extra verbs it supports.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from typing import Any

import boto3

from ecslab.backends.timestamps import use_utc_timestamps
from ecslab.errors import NotSupportedError


class Backend(ABC):
    """Where the lab's AWS lives."""

    name: str
    #: True when time and faults are ecslab's to control (moto in-process or the ecslab server).
    simulated: bool

    def __init__(self, region: str) -> None:
        self.region = region
        self.session: boto3.Session = use_utc_timestamps(self._make_session())
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

    def reset(self) -> None:
        raise NotSupportedError(
            f"The {self.name} backend cannot be emptied by a reset; use lab.teardown() instead."
        )

    #: Seconds between two polls of a real service (boto3's services_stable waiter uses 15).
    poll_seconds: float = 15.0

    def wait_stable(self, cluster: str, service: str, timeout: float) -> float:
        """Poll the real service until it is stable, printing its new events and progress.

        Stable as boto3's ``services_stable`` waiter decides: one deployment, and
        ``runningCount`` equal to ``desiredCount``. Returns the seconds waited; raises
        ``TimeoutError`` after ``timeout`` seconds and ``LookupError`` for a missing service.
        Simulated backends override this and move their virtual clock instead."""
        ecs = self.client("ecs")
        started, seen = time.monotonic(), set[str]()
        first = True
        while True:
            found = ecs.describe_services(cluster=cluster, services=[service])["services"]
            if not found or found[0].get("status") == "INACTIVE":
                raise LookupError(f"There is no service {service} in cluster {cluster}.")
            current = found[0]
            for event in reversed(current.get("events", [])):
                if event["id"] not in seen:
                    seen.add(event["id"])
                    if not first:  # only what happens while waiting
                        print(f"{event['createdAt']:%H:%M:%S} {event['message']}")
            first = False
            waited = time.monotonic() - started
            running, desired = current["runningCount"], current["desiredCount"]
            if len(current.get("deployments", [])) == 1 and running == desired:
                return waited
            if waited >= timeout:
                raise TimeoutError(
                    f"Service {service} did not reach a steady state within {timeout:g} seconds."
                )
            print(
                f"  {waited:4.0f} s: {running}/{desired} running, "
                f"{current.get('pendingCount', 0)} pending"
            )
            time.sleep(min(self.poll_seconds, max(0.0, timeout - waited)))

    def request(
        self, path_or_url: str, method: str, host: str | None, headers: dict[str, str] | None
    ) -> Any:
        raise NotSupportedError(
            f"The {self.name} backend has no simulated load balancer: send real HTTP requests "
            "to the load balancer's DNS name instead."
        )

    def fault(self, kind: str, args: dict[str, Any]) -> dict[str, Any]:
        raise NotSupportedError(
            f"Faults can only be caused in a simulated AWS, not on the {self.name} backend."
        )

    def close(self) -> None:  # noqa: B027  (most backends hold nothing to release)
        """Release what the backend holds (patches, environment, connections)."""
