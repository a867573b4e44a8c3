"""A :class:`~ecslab.views.graph.Graph` as Graphviz DOT text, through the ``graphviz`` package.

Layout is held still on purpose: left to right, each kind of node in a fixed column
(:data:`~ecslab.views.graph.COLUMNS`, pinned with ``rank=same`` under ``newrank``), ECS clusters
as boxes, everything emitted in sorted order. What changed since the previous picture is drawn
on top: new nodes in a thick blue outline, changed ones in orange, removed ones as dashed grey
ghosts; the path of the last request in thick purple. A legend in the first column says so.
"""

from __future__ import annotations

from collections.abc import Iterable

import graphviz

from ecslab.views.graph import COLUMNS, STATE_COLOURS, Changes, Edge, Graph, Node

FONT = "Helvetica"
NEW = "#1565c0"
CHANGED = "#ef6c00"
GONE = "#9e9e9e"
PATH = "#7b1fa2"
LEGEND = "legend"

_SHAPES = {
    "users": ("oval", "filled"),
    "image": ("cylinder", "filled"),
    "repository": ("cylinder", "filled"),
    "secret": ("octagon", "filled"),
    "task-definition": ("note", "filled"),
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
_DEPLOYMENT_STYLES = {"PRIMARY": "solid", "ACTIVE": "dashed", "INACTIVE": "dotted"}


def to_dot(
    graph: Graph,
    *,
    changes: Changes | None = None,
    path: Iterable[str] = (),
    title: str = "",
    legend: bool = True,
) -> str:
    """DOT source for ``graph``; ``changes`` and ``path`` (node ids) are drawn as highlights,
    and a small legend says what the colours and outlines mean."""
    changes = changes or Changes()
    on_path = set(path)
    dot = graphviz.Digraph("ecslab", comment=None)
    dot.attr(
        rankdir="LR",
        newrank="true",
        nodesep="0.25",
        ranksep="0.55",
        fontname=FONT,
        fontsize="11",
        labelloc="t",
        labeljust="l",
        bgcolor="white",
        pad="0.2",
    )
    if title:
        dot.attr(label=title)
    dot.attr(
        "node", shape="box", style="rounded,filled", fontname=FONT, fontsize="9", margin="0.12,0.05"
    )
    dot.attr("edge", fontname=FONT, fontsize="8", color="#546e7a", arrowsize="0.7")

    ghosts = tuple(n for n in changes.removed_nodes)
    everything = sorted((*graph.nodes, *ghosts), key=lambda n: (COLUMNS.get(n.kind, 9), n.id))
    removed = {n.id for n in ghosts}
    for group in sorted({n.group for n in everything}):
        members = [n for n in everything if n.group == group]
        if not group:
            for node in members:
                _node(dot, node, changes, removed, on_path)
            continue
        with dot.subgraph(name=f"cluster_{group}") as box:
            box.attr(
                label=f"ECS cluster {group}",
                style="rounded",
                color="#b0bec5",
                fontcolor="#455a64",
                fontsize="10",
            )
            for node in members:
                _node(box, node, changes, removed, on_path)
    if legend and everything:
        dot.node(LEGEND, label=_legend(), shape="plaintext", style="", margin="0")
    for column in sorted({COLUMNS.get(n.kind, 9) for n in everything}):
        with dot.subgraph() as rank:
            rank.attr(rank="same")
            if legend and column == 0:
                rank.node(LEGEND)
            for node in everything:
                if COLUMNS.get(node.kind, 9) == column:
                    rank.node(dot_name(node.id))

    present = graph.ids | removed
    for edge in graph.edges:
        _edge(
            dot,
            edge,
            new=edge.key in changes.added_edges,
            on_path=edge.source in on_path and edge.target in on_path,
            gone=False,
        )
    for edge in changes.removed_edges:
        if edge.source in present and edge.target in present:
            _edge(dot, edge, new=False, on_path=False, gone=True)
    return dot.source


def _node(
    dot: graphviz.Digraph, node: Node, changes: Changes, removed: set[str], on_path: set[str]
) -> None:
    shape, style = _SHAPES.get(node.kind, ("box", "rounded,filled"))
    fill, border = STATE_COLOURS.get(node.state, STATE_COLOURS[""])
    attrs = {"shape": shape, "style": style, "fillcolor": fill, "color": border}
    label = node.label
    if node.id in removed:
        attrs.update(
            style=style.replace("filled", "dashed,filled"),
            fillcolor="white",
            color=GONE,
            fontcolor=GONE,
        )
        label = f"{label}\n(removed)"
    elif node.id in changes.added:
        attrs.update(color=NEW, penwidth="3")
        label = _first_line_note(label, "new")
    elif node.id in changes.changed:
        attrs.update(color=CHANGED, penwidth="2.5")
        label = _first_line_note(label, "changed")
    if node.id in on_path:
        attrs.update(color=PATH, penwidth="3.5")
    dot.node(dot_name(node.id), label=label, **attrs)


def _edge(dot: graphviz.Digraph, edge: Edge, *, new: bool, on_path: bool, gone: bool) -> None:
    attrs = dict(_EDGE_STYLES.get(edge.kind, {}))
    if edge.kind == "deploys":
        attrs["style"] = _DEPLOYMENT_STYLES.get(edge.state, "solid")
    if edge.kind == "targets" and edge.state:
        attrs["color"] = STATE_COLOURS.get(edge.state, STATE_COLOURS[""])[1]
        attrs["penwidth"] = "1.6"
    if new:
        attrs.update(color=NEW, penwidth="2.2")
    if on_path:
        attrs.update(color=PATH, penwidth="3.5")
    if gone:
        attrs.update(style="dashed", color=GONE, fontcolor=GONE, constraint="false")
    dot.edge(dot_name(edge.source), dot_name(edge.target), label=edge.label or None, **attrs)


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
    )
    return (
        '<<table border="0" cellborder="1" cellspacing="3" cellpadding="2">'
        f"<tr>{health}</tr><tr>{marks}</tr></table>>"
    )


def dot_name(node_id: str) -> str:
    """The node's name in DOT: its id, with ``:`` (DOT's port separator in edges) as ``|``."""
    return node_id.replace(":", "|")


def _first_line_note(label: str, note: str) -> str:
    first, _, rest = label.partition("\n")
    return f"{first} ({note})" + (f"\n{rest}" if rest else "")
