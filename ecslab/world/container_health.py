"""Container health checks: a container definition's ``healthCheck``, and the task's health.

What AWS does: ECS runs the container's ``healthCheck.command`` (``["CMD", ...]`` or
``["CMD-SHELL", "..."]``; exit code 0 is a pass) every ``interval`` seconds (default 30, 5-300),
allowing ``timeout`` (5, 2-60); after ``retries`` (3, 1-10) consecutive failures the container is
``UNHEALTHY``. Failures within ``startPeriod`` (0-300, off by default) do not count, unless a
check already passed. A container without a health check reports ``UNKNOWN``. The task's
``healthStatus`` rolls up its *essential* containers: UNHEALTHY if any is UNHEALTHY, else UNKNOWN
if any is UNKNOWN, else HEALTHY. A service task that turns UNHEALTHY is stopped ("Task failed
container health checks", service event ``(service X) (task <id>) failed container health
checks.``) and replaced, unless it is within the service's ``healthCheckGracePeriodSeconds``; a
task started with RunTask keeps running whatever its health. During a deployment a task with a
container health check counts as healthy only once it is HEALTHY.
Sources: botocore's ECS model (``HealthCheck``, ``Container.healthStatus``,
``Task.healthStatus``, ``CreateService.healthCheckGracePeriodSeconds``) and
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/healthcheck.html

Differs from AWS: the world has no shell, so a command is judged by the URL it asks for
(``curl -f``, ``wget``, Python's ``urllib``: an HTTP answer of 400 or more fails, as each of
those does); a command that names no URL passes unless it is ``exit 1`` or ``false``. Checks
stop once the container is HEALTHY and passing (nothing in the world changes an app's answers
after it started); only the serving container is checked, the task's other essential
containers count as HEALTHY when they define a check and UNKNOWN when not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

HEALTHY, UNHEALTHY, UNKNOWN = "HEALTHY", "UNHEALTHY", "UNKNOWN"
_URL = re.compile(r"https?://(?:localhost|127\.0\.0\.1|0\.0\.0\.0)(?::(\d+))?(/[^\s'\"\)]*)?")
_FAILING = ("exit 1", "false")


@dataclass(frozen=True)
class HealthCheckConfig:
    """``healthCheck`` of a container definition, with AWS's defaults."""

    command: tuple[str, ...]
    interval: float = 30.0
    timeout: float = 5.0
    retries: int = 3
    start_period: float = 0.0

    @classmethod
    def of(cls, container: dict[str, Any]) -> HealthCheckConfig | None:
        check = container.get("healthCheck") or {}
        if not check.get("command"):
            return None
        return cls(
            tuple(str(word) for word in check["command"]),
            float(check.get("interval") or 30),
            float(check.get("timeout") or 5),
            int(check.get("retries") or 3),
            float(check.get("startPeriod") or 0),
        )


@dataclass
class ContainerHealth:
    """One container's health as its checks found it."""

    config: HealthCheckConfig
    started_at: float
    status: str = UNKNOWN
    failures: int = 0
    passed_once: bool = False

    def record(self, passed: bool, now: float) -> str | None:
        """Apply one check's result; the new status when it changed."""
        before = self.status
        if passed:
            self.status, self.failures, self.passed_once = HEALTHY, 0, True
        elif self.passed_once or now >= self.started_at + self.config.start_period:
            self.failures += 1
            if self.failures >= self.config.retries:
                self.status = UNHEALTHY
        return self.status if self.status != before else None


def passes(command: tuple[str, ...], port: int | None, answer: Any) -> bool:
    """Whether ``command`` exits 0 in a container whose app listens on ``port``.

    ``answer(path)`` gives the app's HTTP status for a GET of ``path`` (or ``None`` while the app
    does not answer yet)."""
    text = " ".join(command[1:] if command[:1] in (("CMD",), ("CMD-SHELL",)) else command)
    found = _URL.search(text)
    if found is None:
        return text.strip() not in _FAILING
    url_port = int(found.group(1)) if found.group(1) else 80
    if url_port != port:
        return False  # connection refused: nothing listens there
    status = answer(found.group(2) or "/")
    return status is not None and status < 400


def task_status(statuses: list[str]) -> str:
    """The task's ``healthStatus`` from its essential containers' statuses."""
    if UNHEALTHY in statuses:
        return UNHEALTHY
    if UNKNOWN in statuses or not statuses:
        return UNKNOWN
    return HEALTHY


def essential_statuses(definition: Any, serving: str, health: ContainerHealth | None) -> list[str]:
    """Each essential container's status: the serving one's from its checks (see above)."""
    found = []
    for container in definition.container_definitions or []:
        if not container.get("essential", True):
            continue
        if container.get("name") == serving:
            found.append(health.status if health is not None else UNKNOWN)
        else:
            found.append(HEALTHY if HealthCheckConfig.of(container) else UNKNOWN)
    return found
