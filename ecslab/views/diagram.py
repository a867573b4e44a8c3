"""``Diagram``: one picture of the account, as a notebook shows it and as a file saves it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ecslab.errors import ConfigurationError
from ecslab.views import render
from ecslab.views.dot import to_dot
from ecslab.views.graph import Changes, Graph, diff

SAVE_FORMATS = (".svg", ".png", ".dot")


@dataclass(frozen=True)
class Diagram:
    """A graph with what to highlight. The last expression of a cell shows it as SVG."""

    graph: Graph
    changes: Changes = field(default_factory=Changes)
    path: frozenset[str] = frozenset()
    title: str = ""

    def unchanged(self) -> Diagram:
        """The same picture with nothing highlighted as changed (the account did not move)."""
        return Diagram(self.graph, diff(self.graph, self.graph), self.path, self.title)

    @property
    def dot(self) -> str:
        """The Graphviz DOT source."""
        return to_dot(self.graph, changes=self.changes, path=self.path, title=self.title)

    def svg(self) -> str:
        return render.render_svg(self.dot)

    def png(self) -> bytes:
        return render.render(self.dot, "png")

    def save(self, filename: str | Path) -> Path:
        """Write the picture to ``filename``; its suffix picks the format (.svg, .png, .dot)."""
        target = Path(filename)
        suffix = target.suffix.lower()
        if suffix == ".svg":
            target.write_text(self.svg(), encoding="utf-8")
        elif suffix == ".png":
            target.write_bytes(self.png())
        elif suffix == ".dot":
            target.write_text(self.dot, encoding="utf-8")
        else:
            raise ConfigurationError(
                f"Cannot save a diagram as {target.name!r}: use a name ending in "
                + ", ".join(SAVE_FORMATS)
                + "."
            )
        return target

    def describe(self) -> str:
        """The stable text a notebook shows where it cannot draw: what the picture holds."""
        text = f"Diagram: {self.graph.summary()}"
        if self.changes:
            text += f" ({self.changes.summary()})"
        return text

    def __repr__(self) -> str:
        return f"<{self.describe()}>"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"image/svg+xml": self.svg(), "text/plain": repr(self)}
