"""The default backend: a simulated AWS inside this Python process (moto plus ecslab's world).

While it is open, every boto3 client in the process reaches the same simulated account,
including a plain ``boto3.client("ecs")`` typed in a notebook cell. Fake credentials replace
any real ones in the environment, and a guard stops any request that moto does not answer, so
nothing ever leaves the machine.
"""

from __future__ import annotations

import ipaddress
import os
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import boto3

from ecslab.backends.base import Backend
from ecslab.backends.environment import (
    CREDENTIAL_VARIABLES,
    FAKE_ACCESS_KEY,
    FAKE_SECRET_KEY,
    EnvironmentPatch,
)
from ecslab.backends.timestamps import configure_default_session
from ecslab.errors import NetworkBlocked
from ecslab.world import moto_hooks, waiters
from ecslab.world.world import World

if TYPE_CHECKING:
    from ecslab.semantics.fault_results import FaultResult

#: The one open in-process backend, if any: moto's mock is process-wide.
_open: InProcessBackend | None = None


def lab_is_open() -> bool:
    """True while a lab's simulated account is open in this process (a new one replaces it)."""
    return _open is not None


class InProcessBackend(Backend):
    """moto's in-process mock, with ecslab's world hooked on."""

    name = "moto"
    simulated = True

    def __init__(self, region: str, seed: int) -> None:
        global _open
        if _open is not None:  # a re-run first cell: the new lab replaces the old one cleanly
            _open.close()
        from ecslab.world.moto_adapter import core  # imported here: moto takes a while

        self.world = World(seed=seed)
        self._environment = EnvironmentPatch(
            {
                **dict.fromkeys(CREDENTIAL_VARIABLES),
                "AWS_ACCESS_KEY_ID": FAKE_ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY": FAKE_SECRET_KEY,
                "AWS_DEFAULT_REGION": region,
                "AWS_CONFIG_FILE": os.devnull,
                "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            }
        )
        _install_guard()  # before the default session below is made, so that session has it
        self._mock = core.Mock()
        configure_default_session()  # moto restores boto3's previous default session on stop
        moto_hooks.install(self.world)  # the host: its uninstall undoes every patch, the guard too
        moto_hooks.seed(seed)
        self._undo_waiters = waiters.install(self.advance)  # boto3 waiters move the clock
        _open = self
        super().__init__(region)

    def _make_session(self) -> boto3.Session:
        return boto3.Session(
            aws_access_key_id=FAKE_ACCESS_KEY,
            aws_secret_access_key=FAKE_SECRET_KEY,
            region_name=self.region,
        )

    def advance(self, seconds: float) -> None:
        self.world.advance(seconds)

    def state_version(self) -> object | None:
        return self.world.version()

    def now(self) -> float:
        return self.world.clock.now

    def wait_stable(self, cluster: str, service: str, timeout: float) -> float:
        from ecslab.world import lab_verbs

        return lab_verbs.wait_stable(
            self.world, self.account_id, self.region, cluster, service, timeout
        )

    def request(
        self, path_or_url: str, method: str, host: str | None, headers: dict[str, str] | None
    ) -> Any:
        from ecslab.world import lab_verbs

        return lab_verbs.request(
            self.world, self.account_id, self.region, path_or_url, method, host, headers
        )

    def fault(self, kind: str, args: dict[str, Any]) -> FaultResult:
        from ecslab.world import lab_verbs

        return lab_verbs.fault(self.world, self.account_id, self.region, kind, args)

    def reset(self) -> None:
        self.world.reset()
        self._find_account_id()  # the same first call a fresh lab makes, so IDs repeat exactly

    def close(self) -> None:
        global _open
        if _open is not self:
            return
        _open = None
        moto_hooks.uninstall(self.world)
        self._undo_waiters()
        self._mock.stop()
        self._environment.restore()


# -- the network guard ----------------------------------------------------------------------------


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded(stubber: Any) -> Any:
    """Wrap moto's stubber: a request it does not answer would otherwise go out for real."""

    def guard(event_name: str, request: Any, **kwargs: Any) -> Any:
        response = stubber(event_name, request, **kwargs)
        if response is not None or _open is None or _is_loopback(request.url):
            return response
        raise NetworkBlocked(
            f"ecslab stopped a request to {urlsplit(request.url).hostname}: the simulated AWS in "
            "this notebook does not answer it, and nothing leaves this machine while the lab is "
            "open. Use a service the course covers, or Lab(backend='aws', confirm=True) for a "
            "real account."
        )

    return guard


def _install_guard() -> None:
    """Put the guard in place of moto's stubber, for every botocore session made while the lab
    is open (through the world's registry of patches: closing the lab puts moto's back)."""
    import botocore.handlers

    from ecslab.world.moto_adapter import core

    core.guard_stubber(_guarded, botocore.handlers.BUILTIN_HANDLERS)
