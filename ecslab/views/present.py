"""One learner's account, drawn live, on the room's projector (``ecslab present --learner NAME``,
:mod:`ecslab.cli.present_cli`).

The instructor picks a learner (or their own demo account) on the workshop server; a small web
page on the instructor's machine shows that account's diagram filling the screen, redrawn every
few seconds with what changed since the last picture highlighted, as ``lab.live()`` does in a
notebook. Click the picture (or press F) for full screen. It only reads the account: the same
describe calls as ``lab.diagram()``.
"""

from __future__ import annotations

import html
from dataclasses import replace
from http.server import BaseHTTPRequestHandler
from typing import Any

from ecslab.views.graph import diff

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
html, body {{ margin: 0; height: 100%; background: #fff; font: 16px system-ui, sans-serif; }}
#bar {{ position: fixed; top: 0; left: 0; right: 0; padding: 4px 12px; color: #555; }}
#picture {{ position: absolute; inset: 28px 0 0 0; display: flex; cursor: zoom-in; }}
#picture svg {{ width: 100%; height: 100%; }}
</style></head><body>
<div id="bar">{title} · redrawn every {every:g} s · click or press F for full screen</div>
<div id="picture" title="full screen">{svg}</div>
<script>
const picture = document.getElementById("picture");
const full = () => document.fullscreenElement ? document.exitFullscreen()
                                              : document.documentElement.requestFullscreen();
picture.addEventListener("click", full);
document.addEventListener("keydown", (e) => {{ if (e.key === "f") full(); }});
setInterval(async () => {{
  try {{
    const answer = await fetch("diagram.svg", {{cache: "no-store"}});
    if (answer.ok) picture.innerHTML = await answer.text();
  }} catch (error) {{ /* the next round tries again */ }}
}}, {every_ms});
</script></body></html>
"""


class Presenter:
    """The pictures of one lab's account, each highlighting what changed since the last."""

    def __init__(self, lab: Any, every: float = 3.0) -> None:
        self.lab = lab
        self.every = every
        self._last: Any = None

    @property
    def title(self) -> str:
        who = getattr(self.lab._backend, "learner", None) or "the account"
        return f"{who} · account {self.lab.account_id}"

    def svg(self) -> str:
        """The account drawn now, with the changes since the previous call highlighted."""
        picture = self.lab.diagram()
        if self._last is not None:
            picture = replace(picture, changes=diff(self._last.graph, picture.graph))
        self._last = picture
        drawn = picture.svg()
        return drawn[drawn.find("<svg") :]  # no XML prologue: it goes inside the page

    def page(self) -> str:
        return PAGE.format(
            title=html.escape(self.title),
            every=self.every,
            every_ms=int(self.every * 1000),
            svg=self.svg(),
        )


def handler(presenter: Presenter) -> type[BaseHTTPRequestHandler]:
    """An HTTP handler serving the page at ``/`` and the picture at ``/diagram.svg``."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path in ("/", "/index.html"):
                body, kind = presenter.page(), "text/html; charset=utf-8"
            elif self.path == "/diagram.svg":
                body, kind = presenter.svg(), "image/svg+xml"
            else:
                self.send_error(404)
                return
            data = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the projector's polling would fill the terminal."""

    return Handler
