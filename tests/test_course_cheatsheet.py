"""The printable handout says what the README's quick reference and the guide's mistakes say."""

from __future__ import annotations

import html
import re
import zlib
from html.parser import HTMLParser
from pathlib import Path

from ecslab.cli import main
from ecslab.course.cheatsheet import QUICK_REFERENCE, table_after

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"
GUIDE = ROOT / "docs" / "instructor-guide.md"


class Tables(HTMLParser):
    """Every table of a page as rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _text(markdown_cell: str) -> str:
    """A Markdown cell as it reads: code spans and emphasis unmarked."""
    return re.sub(r"\*([^*]+)\*", r"\1", markdown_cell.replace("`", ""))


def test_the_cheat_sheet_is_the_readmes_quick_reference(tmp_path: Path) -> None:
    out = tmp_path / "handout" / "cheatsheet"
    assert (
        main(["cheatsheet", "--readme", str(README), "--guide", str(GUIDE), "--out", str(out)]) == 0
    )
    page = out.with_suffix(".html").read_text("utf-8")
    parser = Tables()
    parser.feed(page)
    reference, mistakes = parser.tables
    expected = table_after(README.read_text("utf-8"), QUICK_REFERENCE)
    assert len(expected) > 10
    assert reference == [[_text(cell) for cell in row] for row in expected]
    guide_rows = table_after(GUIDE.read_text("utf-8"), "Lessons, timings, what to demo")
    assert mistakes[1:] == [[_text(row[0]), _text(row[3])] for row in guide_rows[1:]]
    assert "lab.wait_stable(cluster, service)" in html.unescape(page)
    assert "@page { size: A4 landscape" in page


def test_the_pdf_holds_the_same_rows(tmp_path: Path) -> None:
    out = tmp_path / "cheatsheet"
    main(["cheatsheet", "--readme", str(README), "--guide", str(GUIDE), "--out", str(out)])
    data = out.with_suffix(".pdf").read_bytes()
    assert data.startswith(b"%PDF-")
    text = b"".join(
        zlib.decompress(stream)
        for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S)
        if stream[:1] == b"x"
    ).decode("latin-1")
    for row in table_after(README.read_text("utf-8"), QUICK_REFERENCE)[1:]:
        assert f"({row[0]})" in text, row[0]
