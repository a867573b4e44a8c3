"""The service throttle: a service whose tasks keep failing to start retries ever more slowly.

What AWS does: "If tasks for a service repeatedly fail to enter the RUNNING state (progressing
directly from a PENDING to a STOPPED status), then the time between subsequent restart attempts
is incrementally increased up to a maximum of 15 minutes"; the service logs ``(service X) is
unable to consistently start tasks successfully.``. ECS never stops retrying; a new task
definition returns the service to normal at once. Tasks stopped after they reached RUNNING (an
exit, failed health checks) never start the throttle.
Sources: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-throttle-logic.html
and https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages.html
(the event's second sentence is as AWS prints it today, reported by users).

Differs from AWS: AWS publishes neither how many failures start the throttle nor the steps of
the back-off (and says the 15-minute maximum may change): here the third failure in a row starts
it, and the wait doubles from 30 s up to 15 minutes.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Consecutive failed starts before the throttle starts (unpublished; plausible).
THROTTLE_AFTER = 3
FIRST_DELAY = 30.0
#: The documented maximum (service-throttle-logic.html, "subject to change").
MAX_DELAY = 15 * 60.0


def message(service: str) -> str:
    return (
        f"(service {service}) is unable to consistently start tasks successfully. For more "
        "information, see the Troubleshooting section of the Amazon ECS Developer Guide."
    )


@dataclass
class Throttle:
    """One service's run of failed starts, and when it may start a task next."""

    #: The task definition the run of failures is about (a new one starts afresh).
    task_definition: str = ""
    failures: int = 0
    next_start_at: float = 0.0

    def failed_to_start(self, now: float) -> bool:
        """A task went from PENDING to STOPPED; ``True`` when the throttle (re)starts now."""
        self.failures += 1
        if self.failures < THROTTLE_AFTER:
            return False
        steps = self.failures - THROTTLE_AFTER
        self.next_start_at = now + min(MAX_DELAY, FIRST_DELAY * 2**steps)
        return True

    def ran(self) -> None:
        """A task reached RUNNING, or the service got a new task definition: back to normal."""
        self.failures, self.next_start_at = 0, 0.0

    def allows(self, now: float) -> bool:
        return now >= self.next_start_at

    def delay(self) -> float:
        """The wait after the latest failure (for tests and views)."""
        steps = max(0, self.failures - THROTTLE_AFTER)
        return 0.0 if self.failures < THROTTLE_AFTER else min(MAX_DELAY, FIRST_DELAY * 2**steps)
