"""The views of one ``Lab``: ``lab.snapshot()``, ``lab.diagram()`` and ``lab.live()`` land here.

Each lab keeps one :class:`~ecslab.views.inventory.Inventory` (its boto3 clients are made once)
and at most one live diagram: asking for a new one stops the old, so a re-run cell never leaves
two redrawing after each cell.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from typing import Any

from ecslab.views.diagram import Diagram
from ecslab.views.graph import Graph, build, diff, request_path
from ecslab.views.inventory import Inventory
from ecslab.views.live import LiveDiagram
from ecslab.views.snapshot import Snapshot

_VIEWS: weakref.WeakKeyDictionary[Any, LabViews] = weakref.WeakKeyDictionary()


class LabViews:
    def __init__(self, lab: Any) -> None:
        self._lab = weakref.ref(lab)
        self.inventory = Inventory(lab.client)
        self.live_diagram: LiveDiagram | None = None

    @property
    def lab(self) -> Any:
        lab = self._lab()
        if lab is None:
            raise RuntimeError("The lab behind this diagram is gone.")
        return lab

    def snapshot(self) -> Snapshot:
        return self.inventory.snapshot()

    def diagram(
        self, focus: str | Iterable[str] | None = None, previous: Graph | None = None
    ) -> Diagram:
        snapshot = self.snapshot()
        graph = build(snapshot)
        if focus:
            graph = graph.focus(focus)
        path = request_path(snapshot, graph, **last_request(self.lab))
        return Diagram(
            graph,
            diff(previous, graph),
            path,
            account_title(self.lab),
            snapshot.region,
            blocked_reason(self.lab),
        )

    def freeze(self) -> None:
        """Keep the live picture as it is (``lab.teardown()`` calls this first, so after Run All
        the lesson's live diagram shows what the lesson built, not the empty account)."""
        if self.live_diagram is not None:
            self.live_diagram.stop("the account as the lesson built it, before lab.teardown()")

    def live(
        self,
        focus: str | Iterable[str] | None = None,
        *,
        enabled: bool = True,
        beside: bool = False,
        ipython: Any = None,
    ) -> LiveDiagram | None:
        if self.live_diagram is not None:
            self.live_diagram.stop()
            self.live_diagram = None
        if not enabled:
            return None
        self.live_diagram = LiveDiagram(
            lambda previous: self.diagram(focus, previous),
            ipython=ipython,
            version=self.version,
            beside=beside,
        )
        return self.live_diagram

    def version(self) -> object | None:
        """Changes when the picture may: the account's state, or the last request's path."""
        state = getattr(self.lab, "state_version", None)
        if state is None:
            return None
        return state, tuple(last_request(self.lab).values())


def views_of(lab: Any) -> LabViews:
    """The views of ``lab``, made on first use."""
    views = _VIEWS.get(lab)
    if views is None:
        views = _VIEWS[lab] = LabViews(lab)
    return views


def account_title(lab: Any) -> str:
    """``simulated account 123456789012`` or ``AWS account …``: what the learner is looking at,
    never the name of the library that simulates it."""
    kind = "simulated account" if getattr(lab, "simulated", True) else "AWS account"
    return f"{kind} {lab.account_id}"


def blocked_reason(lab: Any) -> str:
    """Why the last request got no answer from a target (no status, or the ALB's 504 after
    its connection timed out), else ``""``."""
    request = getattr(lab, "last_request", None)
    if request is None:
        return ""
    status = getattr(request, "status", 0)
    error = getattr(request, "error", None)
    if status is None or status == 504:
        return str(error or f"HTTP {status}" if status else error or "no answer")
    return ""


def last_request(lab: Any) -> dict[str, str | None]:
    """Where ``lab.last_request`` went (rule, target group, target), if the lab has one."""
    request = getattr(lab, "last_request", None)
    fields = ("rule_arn", "target_group_arn", "target_id")
    if request is None:
        return dict.fromkeys(fields)
    if isinstance(request, Mapping):
        return {f: request.get(f) for f in fields}
    return {f: getattr(request, f, None) for f in fields}
