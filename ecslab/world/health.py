"""Target health in an ELB target group, from the group's own health-check settings.

What AWS does: a newly registered target is ``initial`` (``Elb.RegistrationInProgress``, then
``Elb.InitialHealthChecking``) until it passes one health check, then ``healthy``. The load
balancer sends ``HealthCheckPath`` every ``HealthCheckIntervalSeconds``; an answer whose code is
not in the ``Matcher`` is a failure (``Target.ResponseCodeMismatch``), no answer within
``HealthCheckTimeoutSeconds`` too (``Target.Timeout``). ``UnhealthyThresholdCount`` consecutive
failures make a target ``unhealthy``; ``HealthyThresholdCount`` consecutive successes bring it
back. A deregistered target is ``draining`` (``Target.DeregistrationInProgress``) for the group's
``deregistration_delay.timeout_seconds`` (default 300), then gone.
Sources: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html,
https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#deregistration-delay
and botocore's elbv2 model (``TargetHealthStateEnum``, ``TargetHealthReasonEnum``).

Differs from AWS: registration takes a fixed :data:`REGISTRATION_SECONDS`; a target that is not
listening yet fails with ``Target.FailedHealthChecks`` (AWS reports refused connections so too,
but the exact code per failure mode is not documented); a new target also turns ``unhealthy``
after ``UnhealthyThresholdCount`` failures (plausible; AWS does not say).
"""

from __future__ import annotations

from dataclasses import dataclass

INITIAL = "initial"
HEALTHY = "healthy"
UNHEALTHY = "unhealthy"
DRAINING = "draining"

#: Seconds a new target stays in Elb.RegistrationInProgress (plausible; AWS publishes none).
REGISTRATION_SECONDS = 10.0
DEFAULT_DEREGISTRATION_DELAY = 300.0

#: Each reason code with the description AWS gives for it.
DESCRIPTIONS = {
    "Elb.RegistrationInProgress": "Target registration is in progress",
    "Elb.InitialHealthChecking": "Initial health checks in progress",
    "Target.DeregistrationInProgress": "Target deregistration is in progress",
    "Target.Timeout": "Request timed out",
    "Target.FailedHealthChecks": "Health checks failed",
}


@dataclass(frozen=True)
class HealthCheck:
    """A target group's health-check settings, with AWS's parameter names and defaults."""

    path: str = "/"
    port: str = "traffic-port"
    interval: float = 30.0
    timeout: float = 5.0
    healthy_threshold: int = 5
    unhealthy_threshold: int = 2
    matcher: str = "200"
    enabled: bool = True


def matches(matcher: str, status: int) -> bool:
    """Whether ``status`` is in an ALB matcher: ``"200"``, ``"200,202"`` or ``"200-299"``."""
    for part in matcher.split(","):
        low, _, high = part.strip().partition("-")
        if low and int(low) <= status <= int(high or low):
            return True
    return False


@dataclass(frozen=True)
class CheckResult:
    """One health check's outcome: passed, or the reason code and description of the failure."""

    passed: bool
    reason: str | None = None
    description: str | None = None

    @classmethod
    def from_status(cls, matcher: str, status: int) -> CheckResult:
        if matches(matcher, status):
            return cls(True)
        return cls(
            False,
            "Target.ResponseCodeMismatch",
            f"Health checks failed with these codes: [{status}]",
        )

    @classmethod
    def timeout(cls) -> CheckResult:
        return cls(False, "Target.Timeout", DESCRIPTIONS["Target.Timeout"])

    @classmethod
    def refused(cls) -> CheckResult:
        return cls(False, "Target.FailedHealthChecks", DESCRIPTIONS["Target.FailedHealthChecks"])


@dataclass
class TargetHealth:
    """One target's health in one target group, as ``describe_target_health`` shows it."""

    target_group_arn: str
    target_id: str
    port: int
    registered_at: float
    state: str = INITIAL
    reason: str | None = "Elb.RegistrationInProgress"
    description: str | None = DESCRIPTIONS["Elb.RegistrationInProgress"]
    passes: int = 0
    failures: int = 0
    checks: int = 0
    drain_until: float | None = None
    last_check_at: float | None = None
    #: Healthy and passing: further checks would change nothing until something does (a
    #: fault, new settings), so none are scheduled meanwhile (see ``targets.rearm``).
    idle: bool = False

    def first_check_at(self, settings: HealthCheck) -> float:
        return self.registered_at + REGISTRATION_SECONDS + settings.interval

    def registration_done(self) -> None:
        """Registration finished: from now on the load balancer checks the target."""
        if self.state == INITIAL:
            self.reason = "Elb.InitialHealthChecking"
            self.description = DESCRIPTIONS["Elb.InitialHealthChecking"]

    def record(self, result: CheckResult, settings: HealthCheck) -> str | None:
        """Apply one check; return the new state when it changed."""
        if self.state == DRAINING:
            return None
        self.checks += 1
        before = self.state
        if result.passed:
            self.passes, self.failures = self.passes + 1, 0
            needed = 1 if self.state == INITIAL else settings.healthy_threshold
            if self.state != HEALTHY and self.passes >= needed:
                self.state, self.reason, self.description = HEALTHY, None, None
        else:
            self.passes, self.failures = 0, self.failures + 1
            if self.state != UNHEALTHY and self.failures >= settings.unhealthy_threshold:
                self.state = UNHEALTHY
            if self.state == UNHEALTHY:
                self.reason, self.description = result.reason, result.description
        return self.state if self.state != before else None

    def drain(self, now: float, delay: float) -> None:
        self.state = DRAINING
        self.reason = "Target.DeregistrationInProgress"
        self.description = DESCRIPTIONS["Target.DeregistrationInProgress"]
        self.drain_until = now + delay

    def as_moto(self) -> tuple[str, str | None, str | None]:
        return self.state, self.reason, self.description
