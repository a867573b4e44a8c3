"""``LiveDiagram``: the account redrawn after every notebook cell, with what the cell changed.

Where the cell ``lab.live()`` ran, the picture is a display with an id, replaced after each
cell (IPython's ``post_run_cell`` event, then ``update_display``): plain HTML, an ``<img>`` of the
SVG (:mod:`ecslab.views.picture`), so the notebook saved after Run All holds the last picture,
and an untrusted notebook, ``jupyter nbconvert --to html`` and GitHub all show it. The picture
shows the lesson's built state: ``lab.teardown()`` stops the redrawing before it deletes
anything.

``lab.live(beside=True)`` also keeps the picture in a JupyterLab side panel (the ``sidecar``
widget of the Jupyter widgets project), in sight while the learner scrolls.

After each cell the account is read again (one batched snapshot) and compared with the picture
on screen; only when something differs (the graph, what changed, the last request's path) is the
DOT text written and rendered again. Where the lab can tell that no cell changed anything
(``lab.state_version``, in-process), not even the snapshot is taken. ``stop()`` turns the
redrawing off; the last picture stays.

nbval compares a cell's outputs with the saved ones, and the saved live picture is the last
one, not the first: ``tests/nbval-sanitize.cfg`` folds the live display to one constant line.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from ecslab.views import picture
from ecslab.views.diagram import Diagram
from ecslab.views.graph import Graph

SIDECAR_HINT = "pip install sidecar"
#: Marks the live display's HTML, for tests/nbval-sanitize.cfg.
CLASS = "ecslab-live"
_IDS = itertools.count(1)


class LiveDiagram:
    """A diagram that redraws itself after every cell; ``draw(previous_graph)`` makes each
    picture (with the changes since ``previous_graph`` highlighted)."""

    def __init__(
        self,
        draw: Callable[[Graph | None], Diagram],
        *,
        ipython: Any = None,
        version: Callable[[], object | None] = lambda: None,
        beside: bool = False,
    ) -> None:
        self._draw = draw
        self._version = version
        self._seen = version()
        self.diagram = draw(None)
        self.redraws = 0
        self.note = ""
        self.display_id = f"ecslab-live-{next(_IDS)}"
        self._displayed = False
        self._shown: tuple[Any, ...] | None = None
        self._ipython = ipython if ipython is not None else _current_ipython()
        self.panel, self.panel_problem = _side_panel() if beside else (None, "")
        self._show(self.diagram)
        self.enabled = False
        if self._ipython is not None:
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

    def stop(self, why: str = "") -> None:
        """Stop redrawing after each cell; the last picture stays on screen, with ``why``."""
        if self.enabled and self._ipython is not None:
            self._ipython.events.unregister("post_run_cell", self._after_cell)
        was = self.enabled
        self.enabled = False
        if why and was:
            self.note = why
            self._shown = None
            self._show(self.diagram)

    def save(self, filename: str) -> Any:
        """Save the picture on screen (.svg, .png or .dot)."""
        return self.diagram.save(filename)

    def _after_cell(self, result: Any = None) -> None:
        try:
            self.refresh()
        except Exception as error:  # a failing redraw must never fail the learner's cell
            self.stop(f"The live diagram stopped: {type(error).__name__}: {error}")

    def _show(self, diagram: Diagram) -> bool:
        key = (diagram.graph, diagram.changes, diagram.path, diagram.title, diagram.blocked)
        if key == self._shown:
            return False
        self._shown = key
        self.redraws += 1
        if self.panel is not None:
            self.panel[1].value = self.html()
        if self._displayed:
            from IPython.display import update_display

            update_display(self._bundle(), raw=True, display_id=self.display_id)
        return True

    def html(self) -> str:
        """The picture and its one-line description, as one line of HTML."""
        text = self.diagram.describe() + (f" · {self.note}" if self.note else "")
        return (f'<div class="{CLASS}">{self.diagram.html()}{picture.caption(text)}</div>').replace(
            "\n", ""
        )

    # -- in a notebook -----------------------------------------------------------------------------

    def __repr__(self) -> str:
        if self.enabled:
            how = "redraws after every cell; .stop() turns it off"
        else:
            how = "stopped" + (f": {self.note}" if self.note else "")
        if self.panel_problem:
            how += f"; no side panel: {self.panel_problem}"
        return f"<Live {self.diagram.describe()}; {how}>"

    def _bundle(self) -> dict[str, str]:
        return {"text/html": self.html(), "text/plain": repr(self)}

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return self._bundle()

    def _ipython_display_(self) -> None:
        """Shown as a display with an id, so each redraw replaces it where it stands."""
        from IPython.display import display

        display(self._bundle(), raw=True, display_id=self.display_id)
        self._displayed = True


def _side_panel() -> tuple[Any, str]:
    """A JupyterLab side panel holding an HTML widget: ((panel, widget), "") or (None, why)."""
    try:
        import ipywidgets
        from sidecar import Sidecar
    except ImportError:
        return None, SIDECAR_HINT
    from IPython.display import display

    panel = Sidecar(title="Live diagram", anchor="split-right")
    widget = ipywidgets.HTML(value="")
    with panel:
        display(widget)
    return (panel, widget), ""


def _current_ipython() -> Any:
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()
