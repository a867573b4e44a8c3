"""The instructor's room page (``GET /_ecslab/room?token=...``): who is where, who is stuck.

One section per learner: their name and account, how far they got (lessons with a quiz
answered, a check run or caught up), their latest checks as ✓/✗, and a diagram of their account
as it stands, drawn by the same views the lessons use. The page reloads itself every few
seconds, so the diagrams are live. It only reads: each account is read with that learner's own
key, through the server's API like any client (and journalled like any read).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from typing import Any

#: Seconds between reloads of the page.
REFRESH_SECONDS = 10


def _client_factory(base_url: str, key_id: str, secret: str) -> Callable[[str], Any]:
    import boto3

    session = boto3.Session(
        aws_access_key_id=key_id, aws_secret_access_key=secret, region_name="us-east-1"
    )
    return lambda service: session.client(service, endpoint_url=base_url)


def diagram_svg(base_url: str, key_id: str, secret: str, title: str) -> str:
    """The learner's account drawn as the lessons draw it (an SVG element)."""
    from ecslab.views.diagram import Diagram
    from ecslab.views.graph import build
    from ecslab.views.inventory import Inventory

    snapshot = Inventory(_client_factory(base_url, key_id, secret)).snapshot()
    return Diagram(build(snapshot), title=title, region=snapshot.region).svg()


def _progress_cells(rows: Iterable[dict[str, Any]]) -> tuple[str, str]:
    lessons = sorted({str(r.get("lesson", "")) for r in rows if r.get("lesson")})
    checks = [r for r in rows if r.get("kind") == "check"]
    checks.sort(key=lambda r: str(r.get("last_at", "")), reverse=True)
    marks = " ".join(
        f'<span class="{"pass" if r.get("correct") else "fail"}">'
        f"{'✓' if r.get('correct') else '✗'} {html.escape(str(r.get('item', '')))}</span>"
        for r in checks[:6]
    )
    reached = html.escape(lessons[-1]) if lessons else "not started"
    return f"{len(lessons)} lessons · latest {reached}", marks or "no checks yet"


def render_room(app: Any, base_url: str) -> str:
    """The whole page for the server ``app`` answering at ``base_url``."""
    sections = []
    for row in app.identities.all():
        mine = [r for r in app.progress.values() if r.get("account") == row.account]
        reached, checks = _progress_cells(mine)
        try:
            picture = diagram_svg(base_url, row.key_id, row.secret, row.learner)
        except Exception as error:  # one learner's picture never hides the room
            picture = f"<p>No diagram: {html.escape(str(error))}</p>"
        sections.append(
            f'<section class="learner" data-learner="{html.escape(row.learner)}">'
            f"<h2>{html.escape(row.learner)} <small>account {row.account}</small></h2>"
            f'<p class="progress">{reached}</p><p class="checks">{checks}</p>'
            f'<div class="diagram">{picture}</div></section>'
        )
    body = "".join(sections) or "<p>No learner has connected yet.</p>"
    return (
        '<!doctype html><html lang=en><head><meta charset=utf-8><link rel=icon href="data:,">'
        f'<meta http-equiv="refresh" content="{REFRESH_SECONDS}">'
        "<title>ecslab room</title><style>"
        "body{font-family:sans-serif;margin:1em 2em}"
        ".learner{border-top:1px solid #ccc;padding:.5em 0}"
        ".diagram svg{max-width:100%;height:auto}.pass{color:#1a7f37}.fail{color:#cf222e}"
        "small{color:#666;font-weight:normal}"
        "</style></head><body>"
        f"<h1>The room: {len(app.identities.all())} learners</h1>{body}</body></html>"
    )
