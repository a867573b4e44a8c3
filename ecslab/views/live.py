"""``LiveDiagram``: the account redrawn after every notebook cell, with what the cell changed.

The picture lives in an ``ipywidgets.HTML`` whose value is replaced after each cell (IPython's
``post_run_cell`` event). A widget value, not ``display(..., display_id=...)`` updates or
``clear_output``: nbval compares the cell's outputs, and it mishandles the other two.

After each cell the account is read again (one batched snapshot) and compared with the picture
on screen; only when something differs (the graph, what changed, the last request's path) is the
DOT text written and rendered again. Where the lab can tell that no cell changed anything
(``lab.state_version``, in-process), not even the snapshot is taken. ``stop()`` turns the
redrawing off; the last picture stays.

Without ipywidgets the live diagram degrades to a static SVG of the moment it was shown, and
says how to get the live one.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from ecslab.views.diagram import Diagram
from ecslab.views.graph import Graph

WIDGETS_HINT = "pip install ipywidgets"
_PROLOGUE = re.compile(r"\A.*?(?=<svg)", re.DOTALL)


class LiveDiagram:
    """A diagram that redraws itself after every cell; ``draw(previous_graph)`` makes each
    picture (with the changes since ``previous_graph`` highlighted)."""

    def __init__(
        self,
        draw: Callable[[Graph | None], Diagram],
        *,
        ipython: Any = None,
        version: Callable[[], object | None] = lambda: None,
    ) -> None:
        self._draw = draw
        self._version = version
        self._seen = version()
        self.diagram = draw(None)
        self.redraws = 0
        self._shown: tuple[Any, ...] | None = None
        self.widget = _html_widget()
        self._ipython = ipython if ipython is not None else _current_ipython()
        self._show(self.diagram)
        self.enabled = False
        if self.widget is not None and self._ipython is not None:
            self._ipython.events.register("post_run_cell", self._after_cell)
            self.enabled = True

    # -- redrawing ---------------------------------------------------------------------------------

    def refresh(self) -> bool:
        """Read the account again; redraw only if the picture differs. True when it redrew.

        When the lab can tell that nothing changed since the last read (no changing call, no
        time passed), the account is not read again: last cell's highlights are only cleared.
        """
        version = self._version()
        if version is not None and version == self._seen:
            self.diagram = self.diagram.unchanged()
        else:
            self.diagram = self._draw(self.diagram.graph)
        self._seen = version
        return self._show(self.diagram)

    def stop(self) -> None:
        """Stop redrawing after each cell; the last picture stays on screen."""
        if self.enabled and self._ipython is not None:
            self._ipython.events.unregister("post_run_cell", self._after_cell)
        self.enabled = False

    def save(self, filename: str) -> Any:
        """Save the picture on screen (.svg, .png or .dot)."""
        return self.diagram.save(filename)

    def _after_cell(self, result: Any = None) -> None:
        try:
            self.refresh()
        except Exception as error:  # a failing redraw must never fail the learner's cell
            self.stop()
            if self.widget is not None:
                self.widget.value = (
                    f"<p><b>The live diagram stopped:</b> {type(error).__name__}: {error}</p>"
                    + self.widget.value
                )

    def _show(self, diagram: Diagram) -> bool:
        key = (diagram.graph, diagram.changes, diagram.path, diagram.title)
        if key == self._shown:
            return False
        self._shown = key
        if self.widget is not None:
            svg = _PROLOGUE.sub("", diagram.svg(), count=1)
            self.widget.value = (
                f'<div style="max-width: 100%; overflow-x: auto">{svg}</div>'
                f'<div style="font: 12px sans-serif; color: #455a64">'
                f"{html.escape(diagram.describe())}</div>"
            )
            self.redraws += 1
        return True

    # -- in a notebook -----------------------------------------------------------------------------

    def __repr__(self) -> str:
        if self.widget is None:
            how = f"static: {WIDGETS_HINT} for a live one"
        elif self.enabled:
            how = "redraws after every cell; .stop() turns it off"
        else:
            how = "stopped"
        return f"<Live {self.diagram.describe()}; {how}>"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle: dict[str, Any] = {"image/svg+xml": self.diagram.svg()}
        if self.widget is not None:
            bundle.update(self.widget._repr_mimebundle_())
        bundle["text/plain"] = repr(self)
        return bundle


def _html_widget() -> Any:
    try:
        import ipywidgets
    except ImportError:
        return None
    return ipywidgets.HTML(value="")


def _current_ipython() -> Any:
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()
