"""What one request through a load balancer met, and what it got back: the answer of
``lab.request`` on every backend (the simulated ALB fills it in; on a real account, the HTTP
client does).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: What a client sees when its connection never opens, in curl's words.
TIMED_OUT = "connection timed out"
REFUSED = "connection refused"


@dataclass
class RequestResult:
    """What one request through the load balancer met on its way, and what it got back.

    ``status`` is ``None`` when no HTTP answer came at all; ``error`` then says what happened
    to the connection (``connection timed out``, ``connection refused``) and why, if known."""

    status: int | None
    body: str
    method: str
    url: str
    load_balancer_arn: str | None = None
    listener_arn: str | None = None
    rule_arn: str | None = None
    target_group_arn: str | None = None
    target_id: str | None = None
    task_arn: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    #: The matched rule's priority, or ``"default"``.
    rule_priority: str | None = None
    #: Why there was no HTTP answer (``status`` is ``None``), or why the ALB answered 5xx.
    error: str | None = None

    def __repr__(self) -> str:
        if self.status is None:
            return f"<{self.method} {self.url} → no answer: {self.error}>"
        via = []
        if self.rule_priority == "default":
            via.append("default rule")
        elif self.rule_priority:
            via.append(f"rule {self.rule_priority}")
        if self.target_group_arn:
            via.append("target group " + self.target_group_arn.split("/")[-2])
        if self.target_id:
            via.append("target " + self.target_id)
        path = f" via {', '.join(via)}" if via else ""
        body = self.body if len(self.body) <= 60 else self.body[:57] + "..."
        return f"<{self.method} {self.url} → {self.status}{path}: {body!r}>"

    __str__ = __repr__

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))
