"""The lesson diagrams: DOT sources in ``diagrams/`` rendered to the SVGs beside them.

One command (:mod:`ecslab.cli.diagrams_cli`) draws them all, and the same command with
``--check`` tells which committed SVG no longer matches its source (the test suite runs the
check)::

    ecslab diagrams
    ecslab diagrams --check

They are always drawn by graphviz-pure, whatever Graphviz the machine has, so an SVG drawn on
one machine is the SVG every other machine draws.

A lesson shows one with ``concept("04-alb-fanout")``: the committed SVG as a picture that fits
the page and shows in an untrusted notebook (:mod:`ecslab.views.picture`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecslab import pyodide_drive
from ecslab.errors import ConfigurationError
from ecslab.views import picture, render

#: The repository's diagrams/ folder (next to the ecslab package in a source checkout; in the
#: browser edition, the site's copy).
DIAGRAMS = pyodide_drive.repository_folder(
    Path(__file__).resolve().parents[2] / "diagrams", "diagrams"
)


@dataclass(frozen=True)
class Concept:
    """One lesson diagram as a notebook shows it: the picture, and its title as text."""

    name: str
    svg: str

    @property
    def title(self) -> str:
        """The diagram's own title (the DOT graph's label)."""
        found = re.search(r"<text[^>]*>([^<]*)</text>", self.svg)
        return found.group(1).replace("&#45;", "-").replace("&amp;", "&") if found else self.name

    def __repr__(self) -> str:
        return f"<Concept diagram {self.name}: {self.title}>"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": picture.img(self.svg, self.title), "text/plain": repr(self)}


def concept(name: str, directory: Path = DIAGRAMS) -> Concept:
    """The committed lesson diagram ``name`` (``"01-big-picture"``), ready to show."""
    target = directory / f"{name}.svg"
    if not target.exists():
        known = ", ".join(p.stem for p in sources(directory)) or "none"
        raise ConfigurationError(f"No lesson diagram {name!r}. Diagrams: {known}.")
    return Concept(name, target.read_text(encoding="utf-8"))


def concept_renderer() -> render.Renderer:
    binary = render._graphviz_pure()
    if binary is None:
        raise render.RenderError(
            "The lesson diagrams are drawn with graphviz-pure, which is not installed here:\n"
            f"    {render.INSTALL_HINT}"
        )
    return render.Renderer("graphviz-pure", binary)


def sources(directory: Path = DIAGRAMS) -> list[Path]:
    return sorted(directory.glob("*.dot"))


def draw(source: Path, renderer: render.Renderer | None = None) -> str:
    """The SVG of one DOT source."""
    renderer = renderer or concept_renderer()
    return renderer.render(source.read_text(encoding="utf-8"), "svg").decode("utf-8")


def stale(directory: Path = DIAGRAMS) -> list[Path]:
    """The sources whose SVG is missing or differs from what they draw now."""
    renderer = concept_renderer()
    return [
        source
        for source in sources(directory)
        if not source.with_suffix(".svg").exists()
        or source.with_suffix(".svg").read_text(encoding="utf-8") != draw(source, renderer)
    ]


def draw_all(directory: Path = DIAGRAMS) -> list[Path]:
    """Draw every source whose SVG is stale; returns the SVGs written."""
    renderer = concept_renderer()
    written = []
    for source in stale(directory):
        target = source.with_suffix(".svg")
        target.write_text(draw(source, renderer), encoding="utf-8", newline="\n")
        written.append(target)
    return written
