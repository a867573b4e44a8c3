"""No committed notebook shows one of the course's secret values in its outputs.

The lessons store example secrets (ecslab.account.course_secrets) in Secrets Manager and SSM and
inject them into tasks; a cell that printed one would teach the wrong habit and leak it into the
repository. Every output is scanned: streams, results in every MIME type, errors and tracebacks.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ecslab.account.course_secrets import COURSE_SECRETS

ROOT = Path(__file__).resolve().parent.parent
PATTERNS = ("notebooks/**/*.ipynb", "tests/notebooks/*.ipynb")


def committed_notebooks() -> list[Path]:
    found = {
        path
        for pattern in PATTERNS
        for path in ROOT.glob(pattern)
        if ".ipynb_checkpoints" not in path.parts
    }
    return sorted(found)


def output_texts(notebook: dict) -> list[tuple[int, str]]:
    """(cell index, text) for every piece of every output of every cell."""
    texts = []
    for index, cell in enumerate(notebook.get("cells", [])):
        for output in cell.get("outputs", []):
            pieces = [output.get("text", ""), output.get("evalue", ""), output.get("traceback", [])]
            pieces += list(output.get("data", {}).values())
            for piece in pieces:
                texts.append((index, "".join(piece) if isinstance(piece, list) else str(piece)))
    return texts


def leaks(path: Path) -> list[str]:
    """One line per course secret found in ``path``'s outputs (the value itself not repeated)."""
    notebook = json.loads(path.read_text())
    return [
        f"{path.name} cell {index} shows {secret[:4]}… (a course secret)"
        for index, text in output_texts(notebook)
        for secret in COURSE_SECRETS
        if secret in text
    ]


def test_the_scan_finds_notebooks_to_check() -> None:
    """A scan that matched no file would pass while checking nothing."""
    if not committed_notebooks():
        pytest.skip("no notebooks committed yet under notebooks/ or tests/notebooks/")
    assert committed_notebooks()


@pytest.mark.parametrize(
    "path", committed_notebooks(), ids=lambda p: str(p.relative_to(ROOT))
)
def test_no_course_secret_in_the_outputs(path: Path) -> None:
    """Streams, rich outputs and tracebacks hold none of the course's secret values."""
    assert leaks(path) == []


def test_the_scan_would_catch_a_leak(tmp_path: Path) -> None:
    """A notebook that printed the password, in a stream and in an HTML result, is caught."""
    secret = COURSE_SECRETS[0]
    notebook = {
        "cells": [
            {"cell_type": "code", "outputs": [{"output_type": "stream", "text": [secret]}]},
            {
                "cell_type": "code",
                "outputs": [
                    {"output_type": "execute_result", "data": {"text/html": f"<b>{secret}</b>"}}
                ],
            },
        ]
    }
    leaked = tmp_path / "leak.ipynb"
    leaked.write_text(json.dumps(notebook))
    assert [line.split(" shows")[0] for line in leaks(leaked)] == [
        "leak.ipynb cell 0",
        "leak.ipynb cell 1",
    ]
