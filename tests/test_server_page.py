"""The instructor's room page, in a real browser: every learner, their checks, their account."""

from __future__ import annotations

import json
import sqlite3
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from browser_support import chromium_or_skip

from ecslab.lab import Lab
from tests.server_fixture import running_server

pytestmark = pytest.mark.server


def _post(url: str, payload: dict) -> None:
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST")
    urllib.request.urlopen(request, timeout=10).close()


def test_the_room_page_shows_each_learner_their_checks_and_their_account() -> None:
    chromium = chromium_or_skip()
    from browser_support import CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as data, running_server(data) as url:
        with (
            Lab(backend="server", endpoint_url=url, learner="Olga") as olga,
            Lab(backend="server", endpoint_url=url, learner="Pavel") as pavel,
        ):
            olga.client("ecs").create_cluster(clusterName="olgas-cluster")
            for who, passed in ((olga, True), (pavel, False)):
                row = {"learner": who._backend.learner, "account": who.account_id}
                row |= {"lesson": "00_big_picture", "kind": "check", "item": "cluster course"}
                _post(f"{url}/_ecslab/progress", row | {"correct": passed, "last_at": "now"})
        token = (
            sqlite3.connect(Path(data) / "journal.sqlite3")
            .execute("SELECT value FROM meta WHERE key = 'instructor_token'")
            .fetchone()[0]
        )
        with pytest.raises(urllib.error.HTTPError, match="403"):
            urllib.request.urlopen(f"{url}/_ecslab/room", timeout=10)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(chromium), args=CHROMIUM_ARGS, headless=True
            )
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                errors: list[str] = []
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                page.goto(f"{url}/_ecslab/room?token={token}", timeout=60_000)
                assert page.locator("h1").inner_text() == "The room: 2 learners"
                olga_section = page.locator('section[data-learner="Olga"]')
                assert "✓ cluster course" in olga_section.locator(".checks").inner_text()
                assert "olgas-cluster" in olga_section.locator(".diagram svg").text_content()
                pavel_section = page.locator('section[data-learner="Pavel"]')
                assert "✗ cluster course" in pavel_section.locator(".checks").inner_text()
                assert "olgas-cluster" not in pavel_section.inner_text()
                assert "1 lessons · latest 00_big_picture" in pavel_section.inner_text()
                assert errors == []
            finally:
                browser.close()
