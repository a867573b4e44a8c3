"""A real AWS account, only after the learner says so explicitly.

Everything the lab does here costs money and touches a real account, so the backend refuses to
start without ``confirm=True`` or ``ECSLAB_ALLOW_REAL_AWS=1``, and on start says exactly whose
account it is: account ID, caller ARN and region, with a warning for the root user.
"""

from __future__ import annotations

import os
import time
import warnings
from typing import Any

import boto3
import botocore.exceptions

from ecslab.backends.base import Backend
from ecslab.errors import BackendUnavailable, RealAwsNotConfirmed

OPT_IN_VARIABLE = "ECSLAB_ALLOW_REAL_AWS"


class RootUserWarning(UserWarning):
    """The lab is running as the account's root user."""


class AwsBackend(Backend):
    """The standard boto3 credential chain (or a named profile), on a real account."""

    name = "aws"
    simulated = False

    def __init__(self, region: str | None, profile: str | None, confirm: bool) -> None:
        if not (confirm or os.environ.get(OPT_IN_VARIABLE) == "1"):
            raise RealAwsNotConfirmed(
                "A real AWS account costs money and ecslab will create resources in it, so it "
                'needs your explicit opt-in: Lab(backend="aws", confirm=True), or set '
                f"{OPT_IN_VARIABLE}=1."
            )
        self.profile = profile
        self._region_wanted = region
        self._opened = time.monotonic()
        try:
            super().__init__(region or "")
        except botocore.exceptions.ProfileNotFound:
            raise BackendUnavailable(
                f"No AWS profile named {profile!r}. List yours with `aws configure list-profiles`."
            ) from None
        except (
            botocore.exceptions.NoCredentialsError,
            botocore.exceptions.PartialCredentialsError,
        ):
            raise BackendUnavailable(
                "No AWS credentials found. Configure them with `aws configure` (or `aws sso "
                "login`), or pass Lab(backend='aws', confirm=True, profile='NAME')."
            ) from None
        except botocore.exceptions.ClientError as error:
            raise BackendUnavailable(
                f"AWS refused the credentials: {error.response['Error']['Message']}"
            ) from None
        except botocore.exceptions.EndpointConnectionError:
            raise BackendUnavailable(
                "Cannot reach AWS from this machine. Check the network, or use the simulated "
                "backend (the default)."
            ) from None
        self.region = self.session.region_name or "us-east-1"
        if self.caller_arn.endswith(":root"):
            warnings.warn(
                "You are signed in as the account's root user. Use an IAM user or role for the "
                "course: root can do anything, and its keys should not be on a laptop.",
                RootUserWarning,
                stacklevel=3,
            )

    def _make_session(self) -> boto3.Session:
        return boto3.Session(profile_name=self.profile, region_name=self._region_wanted)

    def _find_account_id(self) -> str:
        identity = self.session.client("sts").get_caller_identity()
        self.caller_arn: str = identity["Arn"]
        return identity["Account"]

    def describe(self) -> str:
        return f"aws account {self.account_id} as {self.caller_arn}"

    # -- the lab's verbs, in real time (see ecslab.backends.real_world) --------------------------

    def advance(self, seconds: float) -> None:
        """AWS's clock cannot be moved: wait ``seconds`` of real time instead."""
        from ecslab.backends import real_world
        from ecslab.errors import ClockError

        if seconds < 0:
            raise ClockError(f"Time only moves forward: cannot advance by {seconds:g}s.")
        real_world.wait(seconds)

    def now(self) -> float:
        """Real seconds since the lab opened."""
        return time.monotonic() - self._opened

    def request(
        self, path_or_url: str, method: str, host: str | None, headers: dict[str, str] | None
    ) -> Any:
        """A real HTTP request: to a full URL, or to a path on the account's one ALB."""
        from ecslab.backends import real_world

        url = path_or_url
        if path_or_url.startswith("/"):
            url = real_world.load_balancer_url(self.client("elbv2")) + path_or_url
        return real_world.request(url, method, host, headers)

    def wait_stable(self, cluster: str, service: str, timeout: float = 600.0) -> float:
        """Poll DescribeServices until the service is stable, with a progress bar and its events;
        the seconds it took.

        Real time passes here (the ServicesStable waiter's 15 s between polls); see
        :func:`ecslab.account.waiting.wait_until_stable`.
        """
        from ecslab.account.waiting import wait_until_stable

        start = time.monotonic()
        wait_until_stable(
            self.client("ecs"), cluster, service, timeout, sleep=time.sleep, clock=time.monotonic
        )
        return time.monotonic() - start
