"""A printable handout made from the README's quick reference (``ecslab cheatsheet`` writes it).

The README's "Quick reference" table and the instructor guide's "mistakes learners make" column
are the one source: this reads both Markdown tables and writes them as one A4 page of HTML (with
print CSS: landscape, no colours needed) and, when fpdf2 is installed (``pip install -e
".[handout]"``: pure Python, no system package), as a PDF. Nothing is copied by hand, so the
handout cannot drift from the README.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

QUICK_REFERENCE = "Quick reference"
MISTAKES = "Lessons, timings, what to demo"
CSS = """
@page { size: A4 landscape; margin: 10mm; }
body { font: 9.5pt/1.25 system-ui, sans-serif; margin: 0 auto; max-width: 277mm; color: #000; }
h1 { font-size: 15pt; margin: 0 0 2mm; } h2 { font-size: 11pt; margin: 4mm 0 1mm; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.3mm solid #888; padding: 0.6mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #eee; } code { font: 8.5pt ui-monospace, monospace; }
p { margin: 1mm 0; }
@media print { th { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"""


def table_after(markdown: str, heading: str) -> list[list[str]]:
    """The first Markdown table under ``## heading``: header row first, cells as written."""
    section = markdown.split(f"## {heading}\n", 1)
    if len(section) < 2:
        raise ValueError(f"No section '## {heading}'.")
    rows = []
    for line in section[1].splitlines():
        if line.startswith("|"):
            cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            if not all(set(cell) <= set("-: ") for cell in cells):
                rows.append(cells)
        elif rows:
            break
    return rows


def paragraph_after_table(markdown: str, heading: str) -> str:
    """The paragraph right after that table (the README's "What boto3 cannot do" line)."""
    rest = markdown.split(f"## {heading}\n", 1)[1]
    after = rest.split("\n\n")
    for index, part in enumerate(after):
        if part.lstrip().startswith("|") and index + 1 < len(after):
            return " ".join(after[index + 1].split())
    return ""


def _inline(text: str) -> str:
    """Markdown's code spans and emphasis as HTML; everything else escaped."""
    parts = re.split(r"(`[^`]+`)", text)
    out = []
    for part in parts:
        if part.startswith("`") and part.endswith("`"):
            out.append(f"<code>{html.escape(part[1:-1])}</code>")
        else:
            escaped = html.escape(part)
            out.append(re.sub(r"\*([^*]+)\*", r"<em>\1</em>", escaped))
    return "".join(out)


def sheet(readme: str, guide: str) -> dict[str, object]:
    """What the handout shows, read from the two documents."""
    reference = table_after(readme, QUICK_REFERENCE)
    lessons = table_after(guide, MISTAKES)
    header = lessons[0]
    mistakes = [[row[0], row[header.index("the mistakes learners make")]] for row in lessons[1:]]
    return {
        "reference": reference,
        "verbs": paragraph_after_table(readme, QUICK_REFERENCE),
        "mistakes": [["lesson", "the mistakes learners make"], *mistakes],
    }


def _html_table(rows: list[list[str]]) -> str:
    head = "".join(f"<th>{_inline(cell)}</th>" for cell in rows[0])
    body = "".join(
        "<tr>" + "".join(f"<td>{_inline(cell)}</td>" for cell in row) + "</tr>" for row in rows[1:]
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def to_html(content: dict[str, object]) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>ecslab cheat sheet</title><style>{CSS}</style></head><body>"
        "<h1>ecslab cheat sheet: git push → ECR → ECS on Fargate → ALB</h1>"
        f"{_html_table(content['reference'])}"  # type: ignore[arg-type]
        f"<p>{_inline(str(content['verbs']))}</p>"
        "<h2>The mistakes learners make</h2>"
        f"{_html_table(content['mistakes'])}"  # type: ignore[arg-type]
        "</body></html>\n"
    )


#: What Helvetica (a PDF core font, Latin-1 only) cannot show, and what stands for it.
_LATIN1 = {"→": "->", "≠": "!=", "…": "...", "✓": "v", "—": "-", "–": "-", "’": "'"}


def _plain(text: str) -> str:
    text = re.sub(r"`([^`]+)`", r"\1", text).replace("*", "")
    for char, stand_in in _LATIN1.items():
        text = text.replace(char, stand_in)
    return text.encode("latin-1", "replace").decode("latin-1")


def to_pdf(content: dict[str, object], target: Path) -> None:
    """The same content as a landscape A4 PDF (fpdf2)."""
    from fpdf import FPDF

    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_margins(10, 10)
    pdf.set_auto_page_break(True, margin=10)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, _plain("ecslab cheat sheet: git push → ECR → ECS on Fargate → ALB"))
    pdf.ln(10)
    for key, widths in (("reference", (16, 22, 52, 10)), ("mistakes", (18, 82))):
        rows = content[key]
        pdf.set_font("Helvetica", size=7.5)
        with pdf.table(col_widths=widths, line_height=3.6, text_align="LEFT") as table:
            for row in rows:  # type: ignore[attr-defined]
                line = table.row()
                for cell in row:
                    line.cell(_plain(cell))
        if key == "reference":
            pdf.ln(1)
            pdf.multi_cell(0, 3.6, _plain(str(content["verbs"])))
            pdf.ln(2)
    pdf.output(str(target))


def write(readme: Path, guide: Path, out: Path) -> list[Path]:
    """``out``.html, and ``out``.pdf when fpdf2 is installed; the files written."""
    content = sheet(readme.read_text("utf-8"), guide.read_text("utf-8"))
    out.parent.mkdir(parents=True, exist_ok=True)
    page = out.with_suffix(".html")
    page.write_text(to_html(content), encoding="utf-8")
    written = [page]
    try:
        import fpdf  # noqa: F401
    except ImportError:
        return written
    to_pdf(content, out.with_suffix(".pdf"))
    return [*written, out.with_suffix(".pdf")]
