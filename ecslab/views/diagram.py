"""``Diagram``: one picture of the account, as a notebook shows it and as a file saves it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ecslab.errors import ConfigurationError
from ecslab.views import picture, render
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
    region: str = ""
    blocked: str = ""  # why the last request did not get through, when it did not

    def unchanged(self) -> Diagram:
        """The same picture with nothing highlighted as changed (the account did not move)."""
        return replace(self, changes=diff(self.graph, self.graph))

    @property
    def dot(self) -> str:
        """The Graphviz DOT source."""
        return to_dot(
            self.graph,
            changes=self.changes,
            path=self.path,
            title=self.title,
            region=self.region,
            blocked=bool(self.blocked),
        )

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
        if self.blocked:
            text += f"; last request blocked: {self.blocked}"
        return text

    def html(self) -> str:
        """The picture as HTML that fits the page, trusted notebook or not."""
        alt = f"{self.title}: {self.describe()}" if self.title else self.describe()
        return picture.img(self.svg(), alt)

    def __repr__(self) -> str:
        return f"<{self.describe()}>"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": self.html(), "text/plain": repr(self)}
