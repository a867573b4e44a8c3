"""A :class:`~ecslab.views.graph.Graph` as Graphviz DOT text, through the ``graphviz`` package.

Drawn as AWS's architecture diagrams draw an account, top to bottom so it fits a notebook's
width: the account holds the region, the region the VPC, the VPC its Availability Zones, each
zone the subnets in use (public ones green, private ones teal, as in AWS's icon set) with the
tasks whose network interface they hold and the ALB's node in that zone. The ALB sits in the
VPC above its zones, its listeners, rules and target groups as rows of one box (the request
reads down it); services (in their ECS cluster), task definitions, images (in Amazon ECR) and
secrets are regional and sit below the VPC, each pointing up at what it starts.

What changed since the previous picture is drawn on top: new nodes in a thick blue outline,
changed ones in orange, removed ones as dashed grey ghosts; the path of the last request in
thick purple, or red when the request was blocked. A legend at the bottom says so. Everything
is emitted in sorted order, so the layout does not jump from cell to cell.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import graphviz

from ecslab.views.graph import COLUMNS, CONTAINERS, STATE_COLOURS, Changes, Edge, Graph, Node

FONT = "Helvetica"
NEW = "#1565c0"
CHANGED = "#ef6c00"
GONE = "#9e9e9e"
PATH = "#7b1fa2"
BLOCKED = "#c62828"
LEGEND = "legend"

#: AWS's group colours (AWS Architecture Icons, "Groups"): border, fill, label colour, style.
FRAMES: dict[str, tuple[str, str, str, str]] = {
    "account": ("#232f3e", "white", "#232f3e", "solid"),
    "region": ("#00a4a6", "white", "#007e80", "dashed"),
    "vpc": ("#8c4fff", "white", "#6b2fe0", "solid"),
    "zone": ("#147eba", "white", "#147eba", "dashed"),
    "public": ("#7aa116", "#f2f6e8", "#4f6d0b", "solid"),
    "private": ("#00a4a6", "#e6f6f7", "#007e80", "solid"),
    "ecs": ("#ed7100", "white", "#b35400", "solid"),
    "ecr": ("#ed7100", "white", "#b35400", "solid"),
}

_SHAPES = {
    "users": ("oval", "filled"),
    "image": ("cylinder", "filled"),
    "repository": ("cylinder", "filled"),
    "secret": ("octagon", "filled"),
    "task-definition": ("note", "filled"),
    "internet-gateway": ("box", "rounded,filled"),
    "alb-node": ("box", "rounded,filled"),
}
_EDGE_STYLES = {
    "registers": {
        "style": "dashed",
        "color": "#90a4ae",
        "fontcolor": "#607d8b",
        "constraint": "false",
        "arrowhead": "empty",
    },
    "secret": {"color": "#6a1b9a", "fontcolor": "#6a1b9a"},
    "image": {"color": "#37474f"},
}
#: Deployment edges point up at what they start, so they are laid out reversed: the service
#: ranks below its tasks, the task definition below the service, the image below that.
_UPWARD = frozenset({"runs", "deploys", "image", "secret"})
_DEPLOYMENT_STYLES = {"PRIMARY": "solid", "ACTIVE": "dashed", "INACTIVE": "dotted"}
#: Parts of an ALB drawn as rows of its box rather than as nodes of their own.
_FOLDED = ("listener", "rule", "target-group")


@dataclass
class _Fold:
    """Where the listeners, rules and target groups of each ALB are drawn: rows of its box."""

    rows: dict[str, list[str]] = field(default_factory=dict)  # ALB id → row node ids, in order
    owner: dict[str, str] = field(default_factory=dict)  # row node id → ALB id

    def port(self, node_id: str) -> str:
        alb = self.owner[node_id]
        return f"{dot_name(alb)}:p{self.rows[alb].index(node_id)}"


def to_dot(
    graph: Graph,
    *,
    changes: Changes | None = None,
    path: Iterable[str] = (),
    title: str = "",
    region: str = "",
    blocked: bool = False,
    legend: bool = True,
) -> str:
    """DOT source for ``graph``; ``changes`` and ``path`` (node ids) are drawn as highlights
    (the path red when ``blocked``), ``title`` names the account's frame, ``region`` the
    region's, and a small legend says what the colours and outlines mean."""
    changes = changes or Changes()
    on_path = set(path)
    dot = graphviz.Digraph("ecslab", comment=None)
    dot.attr(
        rankdir="TB",
        newrank="true",
        compound="true",
        nodesep="0.15",
        ranksep="0.3",
        fontname=FONT,
        fontsize="11",
        labelloc="t",
        labeljust="l",
        bgcolor="white",
        pad="0.1",
    )
    dot.attr(
        "node", shape="box", style="rounded,filled", fontname=FONT, fontsize="10", margin="0.1,0.04"
    )
    dot.attr("edge", fontname=FONT, fontsize="9", color="#546e7a", arrowsize="0.7")

    removed = {n.id for n in changes.removed_nodes}
    everything = {n.id: n for n in (*graph.nodes, *changes.removed_nodes)}
    fold = _fold(graph, everything)
    drawn = _drawn_edges(graph, changes, everything, fold)
    paint = _Painter(changes, removed, on_path, BLOCKED if blocked else PATH)

    children: dict[str, list[Node]] = {}
    for node in sorted(everything.values(), key=lambda n: (COLUMNS.get(n.kind, 9), n.id)):
        if node.id in fold.owner:
            continue
        parent = node.within if node.within in everything else ""
        children.setdefault(parent, []).append(node)

    top = children.get("", [])
    for node in top:
        if node.kind == "users":
            paint.node(dot, node)
    if any(n.kind != "users" for n in top) or title:
        with dot.subgraph(name="cluster_account") as account:
            _frame(account, "account", title or "AWS account")
            with account.subgraph(name="cluster_region") as place:
                _frame(place, "region", f"Region {region}" if region else "Region")
                regional = [n for n in top if n.kind != "users"]
                _regional(place, regional, children, fold, everything, paint)
                if not regional:
                    place.node("empty", label="nothing built yet", shape="plaintext", style="")
    if legend and len(everything) > 0:
        dot.attr(label=_legend(), labelloc="b", labeljust="l")

    present = set(everything)
    for edge in drawn:
        source = fold.port(edge.source) if edge.source in fold.owner else dot_name(edge.source)
        target = fold.port(edge.target) if edge.target in fold.owner else dot_name(edge.target)
        gone = edge in changes.removed_edges
        if gone and not (edge.source in present and edge.target in present):
            continue
        paint.edge(
            dot,
            edge,
            source,
            target,
            new=edge.key in changes.added_edges,
            on_path=edge.source in on_path and edge.target in on_path,
            gone=gone,
        )
    _placement_edges(dot, everything, children)
    return dot.source


def _regional(
    place: graphviz.Digraph,
    nodes: list[Node],
    children: dict[str, list[Node]],
    fold: _Fold,
    everything: dict[str, Node],
    paint: _Painter,
) -> None:
    """The region's contents: its VPCs (framed recursively), then the ECS clusters with their
    services, Amazon ECR with the images, and the rest."""
    for node in nodes:
        if node.kind in CONTAINERS:
            _container(place, node, children, fold, everything, paint)
    clusters = sorted({n.group for n in nodes if n.group})
    for cluster in clusters:
        with place.subgraph(name=f"cluster_ecs_{cluster}") as box:
            _frame(box, "ecs", f"ECS cluster {cluster}")
            for node in nodes:
                if node.group == cluster and node.kind not in CONTAINERS:
                    _leaf(box, node, fold, everything, paint)
    images = [n for n in nodes if n.kind in ("image", "repository") and not n.group]
    if images:
        with place.subgraph(name="cluster_ecr") as box:
            _frame(box, "ecr", "Amazon ECR")
            for node in images:
                _leaf(box, node, fold, everything, paint)
    for node in nodes:
        if node.kind not in CONTAINERS and not node.group and node not in images:
            _leaf(place, node, fold, everything, paint)


def _container(
    parent: graphviz.Digraph,
    node: Node,
    children: dict[str, list[Node]],
    fold: _Fold,
    everything: dict[str, Node],
    paint: _Painter,
) -> None:
    style = node.state if node.kind == "subnet" else node.kind
    with parent.subgraph(name=f"cluster_{dot_name(node.id)}") as box:
        _frame(box, style, paint.frame_label(node))
        paint.frame(box, node)
        for child in children.get(node.id, []):
            if child.kind in CONTAINERS:
                _container(box, child, children, fold, everything, paint)
            else:
                _leaf(box, child, fold, everything, paint)


def _leaf(
    parent: graphviz.Digraph, node: Node, fold: _Fold, everything: dict[str, Node], paint: _Painter
) -> None:
    if node.kind == "load-balancer":
        paint.load_balancer(parent, node, [everything[r] for r in fold.rows.get(node.id, [])])
    else:
        paint.node(parent, node)


def _frame(box: graphviz.Digraph, style: str, label: str) -> None:
    border, fill, text, line = FRAMES.get(style, FRAMES["account"])
    if "\n" in label:  # every line flush left, as the first (DOT's \l ends a left-justified line)
        label = label.replace("\n", "\\l") + "\\l"
    box.attr(
        label=label,
        color=border,
        fontcolor=text,
        style=f"{line},filled" if fill != "white" else line,
        fillcolor=fill,
        fontsize="10",
        penwidth="1.2",
        margin="6",
    )


def _fold(graph: Graph, everything: dict[str, Node]) -> _Fold:
    """Which ALB box each listener, rule and target group is a row of: listeners and rules of
    their ALB, a target group of the first ALB whose rule forwards to it."""
    fold = _Fold()
    below: dict[str, list[str]] = {}
    for edge in (*graph.edges,):
        if edge.kind in ("listens", "evaluates", "forwards"):
            below.setdefault(edge.source, []).append(edge.target)
    for alb in sorted(i for i, n in everything.items() if n.kind == "load-balancer"):
        rows: list[str] = []
        groups: list[str] = []
        for listener in sorted(below.get(alb, [])):
            rows.append(listener)
            for rule in sorted(below.get(listener, []), key=_rule_order):
                rows.append(rule)
                groups += [g for g in sorted(below.get(rule, [])) if g not in groups]
        rows += [g for g in groups if g not in fold.owner and g in everything]
        rows = [r for r in rows if r in everything and r not in fold.owner]
        fold.rows[alb] = rows
        fold.owner.update(dict.fromkeys(rows, alb))
    return fold


def _rule_order(rule_id: str) -> tuple[int, int]:
    priority = rule_id.rsplit(":", 1)[-1]
    return (1, 0) if priority == "default" else (0, int(priority) if priority.isdigit() else 0)


def _drawn_edges(
    graph: Graph, changes: Changes, everything: dict[str, Node], fold: _Fold
) -> list[Edge]:
    """The edges to draw: those inside an ALB box are its rows' order; users reach the ALB
    through its VPC's internet gateway when it has one."""
    drawn = []
    registers: dict[str, list[str]] = {}
    for edge in graph.edges:
        if edge.kind == "registers" and edge.target in everything:
            registers.setdefault(edge.source, []).append(everything[edge.target].name)
    for source, names in registers.items():  # a line of the service's box, not a long edge
        node = everything.get(source)
        if node is not None:
            line = "registers with target group " + ", ".join(sorted(names))
            everything[source] = replace(node, label=f"{node.label}\n{line}")
    gateways = {n.within: n.id for n in everything.values() if n.kind == "internet-gateway"}
    for edge in (*graph.edges, *changes.removed_edges):
        owner = fold.owner.get(edge.source) or (edge.source if edge.source in fold.rows else None)
        if owner is not None and fold.owner.get(edge.target, edge.target) == owner:
            continue  # listener → rule → target group: read down the ALB's box
        if edge.kind == "registers":
            continue
        if edge.kind == "targets" and edge.state == "blocked":
            edge = replace(edge, label="")  # the red, barred line says it; the legend names it
        gateway = (
            gateways.get(everything[edge.target].within) if edge.target in everything else None
        )
        if edge.kind == "request" and gateway:
            drawn.append(Edge(edge.source, gateway, "request", edge.label, edge.state))
            drawn.append(Edge(gateway, edge.target, "request", "", edge.state))
            continue
        drawn.append(edge)
    return drawn


def _placement_edges(
    dot: graphviz.Digraph, everything: dict[str, Node], children: dict[str, list[Node]]
) -> None:
    """Invisible edges that hold the layout: the ALB above its zones' nodes, each ALB node
    above the tasks of its subnet."""
    for node in everything.values():
        if node.kind != "alb-node":
            continue
        dot.edge(dot_name(f"alb:{node.name}"), dot_name(node.id), style="invis")
        for sibling in children.get(node.within, []):
            if sibling.kind in ("task", "tasks", "target"):
                dot.edge(dot_name(node.id), dot_name(sibling.id), style="invis")


class _Painter:
    """Colours and outlines: health as fill, change and path as outline."""

    def __init__(
        self, changes: Changes, removed: set[str], on_path: set[str], path_colour: str
    ) -> None:
        self.changes = changes
        self.removed = removed
        self.on_path = on_path
        self.path_colour = path_colour

    def _mark(self, node: Node) -> str:
        if node.id in self.removed:
            return "removed"
        if node.id in self.changes.added:
            return "new"
        if node.id in self.changes.changed:
            return "changed"
        return ""

    def node(self, dot: graphviz.Digraph, node: Node) -> None:
        shape, style = _SHAPES.get(node.kind, ("box", "rounded,filled"))
        fill, border = STATE_COLOURS.get(node.state, STATE_COLOURS[""])
        attrs = {"shape": shape, "style": style, "fillcolor": fill, "color": border}
        if node.kind == "alb-node":
            attrs.update(fontsize="9", fillcolor="#f3e5f5", color="#8c4fff", fontcolor="#5e35b1")
        label = node.label
        mark = self._mark(node)
        if mark == "removed":
            attrs.update(
                style=style.replace("filled", "dashed,filled"),
                fillcolor="white",
                color=GONE,
                fontcolor=GONE,
            )
            label = f"{label}\n(removed)"
        elif mark == "new":
            attrs.update(color=NEW, penwidth="3")
            label = _first_line_note(label, "new")
        elif mark == "changed":
            attrs.update(color=CHANGED, penwidth="2.5")
            label = _first_line_note(label, "changed")
        if node.id in self.on_path:
            attrs.update(color=self.path_colour, penwidth="3.5")
        dot.node(dot_name(node.id), label=label, **attrs)

    def frame_label(self, node: Node) -> str:
        mark = self._mark(node)
        return f"{node.label} ({mark})" if mark else node.label

    def frame(self, box: graphviz.Digraph, node: Node) -> None:
        mark = self._mark(node)
        if mark == "removed":
            box.attr(color=GONE, fontcolor=GONE, style="dashed")
        elif mark == "new":
            box.attr(color=NEW, penwidth="2.5")
        elif mark == "changed":
            box.attr(color=CHANGED, penwidth="2")

    def load_balancer(self, dot: graphviz.Digraph, node: Node, rows: list[Node]) -> None:
        """The ALB as one box: its name and groups, then a row per listener, rule and target
        group, each a port that edges start from."""
        mark = self._mark(node)
        border = {"removed": GONE, "new": NEW, "changed": CHANGED}.get(mark, "#8c4fff")
        if node.id in self.on_path:
            border = self.path_colour
        title, *details = node.label.split("\n")
        head = f"<b>{_esc(title)}</b>" + (f" ({mark})" if mark else "")
        cells = [
            f'<tr><td align="left" balign="left">{head}<br/>'
            + "<br/>".join(f'<font point-size="9">{_esc(d)}</font>' for d in details)
            + "</td></tr>"
        ]
        for index, row in enumerate(rows):
            indent = {"listener": "", "rule": "    ", "target-group": ""}.get(row.kind, "")
            text = _esc(indent + row.label.replace("\n", " · "))
            row_mark = self._mark(row)
            colour = {"removed": GONE, "new": NEW, "changed": CHANGED}.get(row_mark, "#263238")
            note = f" ({row_mark})" if row_mark else ""
            fill = "#f3e5f5" if row.kind != "target-group" else "#eef3fb"
            if row.id in self.on_path:
                fill, colour = (
                    ("#ffebee" if self.path_colour == BLOCKED else "#ede7f6"),
                    self.path_colour,
                )
                text = f"<b>{text}</b>"
            cells.append(
                f'<tr><td port="p{index}" align="left" bgcolor="{fill}">'
                f'<font color="{colour}">{text}{note}</font></td></tr>'
            )
        label = (
            f'<<table border="0" cellborder="0" cellspacing="1" cellpadding="3">'
            f"{''.join(cells)}</table>>"
        )
        penwidth = "3.5" if node.id in self.on_path else "3" if mark == "new" else "1.5"
        dot.node(
            dot_name(node.id),
            label=label,
            shape="box",
            style="rounded,filled" if mark != "removed" else "rounded,dashed,filled",
            fillcolor="white",
            color=border,
            penwidth=penwidth,
            margin="0.04",
        )

    def edge(
        self,
        dot: graphviz.Digraph,
        edge: Edge,
        source: str,
        target: str,
        *,
        new: bool,
        on_path: bool,
        gone: bool,
    ) -> None:
        attrs = dict(_EDGE_STYLES.get(edge.kind, {}))
        if edge.kind == "deploys":
            attrs["style"] = _DEPLOYMENT_STYLES.get(edge.state, "solid")
        if edge.kind in ("targets", "request") and edge.state:
            attrs["color"] = STATE_COLOURS.get(edge.state, STATE_COLOURS[""])[1]
            attrs["penwidth"] = "1.6"
        if edge.state == "blocked":
            attrs.update(style="dashed", fontcolor=BLOCKED, arrowhead="tee")
        if new:
            attrs.update(color=NEW, penwidth="2.2")
        if on_path:
            attrs.update(color=self.path_colour, penwidth="3.5")
        if gone:
            attrs.update(style="dashed", color=GONE, fontcolor=GONE, constraint="false")
        label = edge.label or None
        if edge.kind in _UPWARD:
            attrs["dir"] = "back"
            source, target = target, source
        dot.edge(source, target, label=label, **attrs)


def _legend() -> str:
    """An HTML-like label: health colours on one row, change and path outlines on the next."""

    def cell(text: str, fill: str, border: str, width: int = 1, dashed: bool = False) -> str:
        style = ' style="dashed"' if dashed else ""
        return (
            f'<td bgcolor="{fill}" color="{border}" border="{width}"{style}>'
            f'<font color="{GONE if dashed else "#263238"}">{text}</font></td>'
        )

    health = "".join(
        cell(state, *STATE_COLOURS[state])
        for state in ("healthy", "running", "starting", "unhealthy", "stopping")
    )
    marks = (
        cell("new", "white", NEW, 3)
        + cell("changed", "white", CHANGED, 2)
        + cell("removed", "white", GONE, 1, dashed=True)
        + cell("last request", "white", PATH, 3)
        + cell("blocked", "white", BLOCKED, 3)
    )
    return (
        '<<table border="0" cellborder="1" cellspacing="3" cellpadding="2">'
        f"<tr>{health}</tr><tr>{marks}</tr></table>>"
    )


def dot_name(node_id: str) -> str:
    """The node's name in DOT: its id, with ``:`` (DOT's port separator in edges) as ``|``."""
    return node_id.replace(":", "|")


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _first_line_note(label: str, note: str) -> str:
    first, _, rest = label.partition("\n")
    return f"{first} ({note})" + (f"\n{rest}" if rest else "")
