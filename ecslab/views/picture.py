"""A picture as HTML every notebook viewer shows: an ``<img>`` holding the SVG as a data URI.

Why not ``image/svg+xml``: JupyterLab renders SVG only in a trusted notebook, and a lesson a
learner has just opened is not trusted, so the picture would show as ``<...SVG object>`` text.
HTML is sanitized rather than refused, and the sanitizer keeps an ``<img>`` with a ``data:``
source; ``jupyter nbconvert --to html`` and GitHub's notebook view show it too.

The picture scales down to the output's width (``max-width: 100%``) and never up, so a diagram
never makes the output scroll sideways; diagrams are laid out top to bottom so that at a
laptop's width the scale keeps their text readable.
"""

from __future__ import annotations

import base64
import html
import re

_PROLOGUE = re.compile(r"\A.*?(?=<svg)", re.DOTALL)


def img(svg: str, alt: str) -> str:
    """``svg`` as an ``<img>`` element that shrinks to fit, ``alt`` its text for readers."""
    data = base64.b64encode(_PROLOGUE.sub("", svg, count=1).encode("utf-8")).decode("ascii")
    return (
        f'<img class="ecslab-diagram" src="data:image/svg+xml;base64,{data}" '
        f'alt="{html.escape(alt)}" title="{html.escape(alt)}" '
        'style="max-width: 100%; height: auto">'
    )


def caption(text: str) -> str:
    return f'<div style="font: 12px sans-serif; color: #455a64">{html.escape(text)}</div>'
