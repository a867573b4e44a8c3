"""The browser edition: the whole course in JupyterLite, with nothing installed but a browser.

The site is built from this working tree (``scripts/build-lite``, as ``make lite`` does), served
on 127.0.0.1 and opened in headless Chromium. Any request that is not for that server is refused
and fails the test. Every lesson is run as a learner would (Kernel → Restart Kernel and Run All
Cells) and must end with every cell run and no error output, read from the notebook model. The
browser edition's stand-in for ``cryptography`` (:mod:`ecslab.pyodide_platform`) must never be
called. Without Chromium or Playwright these tests skip and say why.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import CHROMIUM_ARGS, chromium_or_skip
from tests.lite_support import (
    PAGE_MS,
    Guard,
    Served,
    build_site,
    desktop_outputs,
    error_outputs,
    guarded_context,
    open_lesson,
    outputs,
    restart_and_run_all,
    run_in_kernel,
    run_state,
    serving,
    teaching_outputs,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(1200)]

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
#: Chromium resolves no name but the site's address: a backstop behind the request guard.
OFFLINE_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    """The site, built from this working tree, on 127.0.0.1 (Chromium checked first)."""
    chromium_or_skip()
    with serving(build_site()) as site:
        yield site


@pytest.fixture(scope="module")
def browser(served: Served) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(chromium_or_skip()),
            args=[*CHROMIUM_ARGS, *OFFLINE_ARGS],
            headless=True,
            timeout=PAGE_MS,
        )
        try:
            yield launched
        finally:
            launched.close()


@contextlib.contextmanager
def first_visit(browser: Any, served: Served) -> Iterator[tuple[Any, Guard]]:
    """A learner's first visit: a fresh browser profile (its own storage, so no workspace of an
    earlier test reopens its notebooks and their kernels) whose every request off the site's
    server is refused."""
    context, guard = guarded_context(browser, served)
    page = context.new_page()
    page.set_default_timeout(PAGE_MS)
    try:
        yield page, guard
    finally:
        context.close()


@pytest.fixture
def visit(browser: Any, served: Served) -> Iterator[tuple[Any, Guard]]:
    """One :func:`first_visit` for the test."""
    with first_visit(browser, served) as visited:
        yield visited


def test_lessons_are_found() -> None:
    assert len(LESSONS) == 10, LESSONS


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_lesson_runs_in_the_browser(
    lesson: str, served: Served, visit: tuple[Any, Guard]
) -> None:
    """Restart & Run All: every code cell runs, none shows an error, each teaches what it does
    on the desktop (its committed outputs), nothing leaves the site, and the cryptography
    stand-in is never called."""
    page, guard = visit
    open_lesson(page, served, lesson)
    restart_and_run_all(page)
    cells = outputs(page)
    assert error_outputs(cells) == [], lesson
    assert run_state(page) == "ran", error_outputs(cells)
    unrun = [c["index"] for c in cells if c["count"] is None and c["source"].strip()]
    assert unrun == [], f"{lesson}: cells never run: {unrun}"
    browser = [teaching_outputs(c["outputs"]) for c in cells]
    desktop = desktop_outputs(lesson)
    assert len(browser) == len(desktop), lesson
    differ = [
        (cell["index"], want, got)
        for cell, want, got in zip(cells, desktop, browser, strict=True)
        if want != got
    ]
    assert differ == [], f"{lesson}: unlike the desktop (cell, desktop, browser): {differ}"
    if any("lab.live(" in c["source"] for c in cells):
        html = json.dumps([c["outputs"] for c in cells if "lab.live(" in c["source"]])
        assert "ecslab-diagram" in html, f"{lesson}: the live diagram drew no picture"
    answer = run_in_kernel(
        page,
        "from ecslab import pyodide_platform as p\n"
        "print(p.IN_BROWSER, p.uses_stand_ins(), list(p.stand_in_calls()))",
    )
    assert answer.strip() == "True True []", answer
    assert guard.refused == []


def test_progress_survives_a_reload(served: Served, visit: tuple[Any, Guard]) -> None:
    """A quiz answered in the browser is still in the learner's progress after a reload (the
    site's files live in the browser's storage)."""
    page, guard = visit
    open_lesson(page, served, "00_big_picture")
    run_in_kernel(
        page,
        "import ecslab\nquiz = ecslab.quiz('00_big_picture', 'first-stop')\nquiz[1].answer('A')",
    )
    read = (
        "from ecslab.progress import Progress\n"
        "p = Progress()\n"
        "print(p.path, p.load()['lessons']['00_big_picture']['questions']['first-stop']"
        "['attempts'])"
    )
    before = run_in_kernel(page, read).split()
    assert before[0] == "/drive/.ecslab/progress.json", before
    page.reload()
    open_lesson(page, served, "00_big_picture")
    after = run_in_kernel(page, read).split()
    assert after == before and int(after[1]) >= 1, (before, after)
    assert guard.refused == []


def test_a_request_off_the_site_fails_and_is_noted(
    served: Served, visit: tuple[Any, Guard]
) -> None:
    """The guard the other tests rely on: a request for another host, or for another port of
    127.0.0.1, from the page or from the kernel's worker, does not get an answer and is in
    ``guard.refused``."""
    page, guard = visit
    open_lesson(page, served, "00_big_picture")
    fetched = page.evaluate(
        """async (urls) => Promise.all(urls.map(url => fetch(url).then(
            reply => 'answered ' + reply.status, () => 'failed')))""",
        ["http://example.com/", "http://127.0.0.1:9/"],
    )
    assert fetched == ["failed", "failed"], fetched
    from_kernel = run_in_kernel(
        page,
        "from pyodide.http import open_url\n"
        "try:\n"
        "    open_url('https://pypi.org/simple/')\n"
        "except Exception as error:\n"
        "    print('failed', type(error).__name__)",
    )
    assert from_kernel.strip() == "failed JsException", from_kernel
    assert set(guard.refused) == {
        "http://example.com/",
        "http://127.0.0.1:9/",
        "https://pypi.org/simple/",
    }, guard.refused


def test_the_kernel_completes_names(served: Served, visit: tuple[Any, Guard]) -> None:
    """Tab completion works in the browser's kernel (jedi, on the live objects)."""
    page, _ = visit
    open_lesson(page, served, "00_big_picture")
    run_in_kernel(page, "import ecslab")
    matches = page.evaluate(
        """async () => {
            const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
            const reply = await kernel.requestComplete({code: 'ecslab.Confi', cursor_pos: 12});
            return reply.content.matches;
        }"""
    )
    assert matches == ["ConfigurationError"], matches


def test_what_cannot_work_in_the_browser_says_so(served: Served, visit: tuple[Any, Guard]) -> None:
    """In the browser's kernel: ``ecslab doctor`` names the platform and draws with viz-js, and
    the workshop-server backend answers with one sentence, not a traceback."""
    page, guard = visit
    open_lesson(page, served, "00_big_picture")
    report = run_in_kernel(page, "from ecslab import doctor\nprint(doctor.report()[1])")
    assert "✓ platform: the browser (Pyodide, Python compiled to WebAssembly)" in report, report
    assert "✓ diagrams: drawn by viz-js" in report, report
    refused = run_in_kernel(
        page,
        "import ecslab\n"
        "try:\n"
        "    ecslab.Lab(backend='server', endpoint_url='http://127.0.0.1:5000', learner='ada')\n"
        "except ecslab.NotSupportedError as error:\n"
        "    print(type(error).__name__, error)",
    )
    assert refused.strip() == (
        "NotInBrowser Lab(backend='server') cannot work in the browser edition of the course: "
        "use Lab() here, or run the course on your machine."
    ), refused
    assert guard.refused == []


def test_the_kernel_imports_bytecode_compiled_at_build(
    served: Served, visit: tuple[Any, Guard]
) -> None:
    """The libraries and the standard library come as bytecode (no compiling in the page),
    ecslab with its sources beside it, and a traceback through a library still names its file
    and line."""
    page, guard = visit
    open_lesson(page, served, "00_big_picture")
    files = run_in_kernel(
        page,
        "import os, json, botocore.client, ecslab.lab\n"
        "print(json.__file__, botocore.client.__file__, ecslab.lab.__file__,"
        " os.path.isfile(ecslab.lab.__cached__))",
    ).split()
    assert files == [
        "/lib/python314.zip/json/__init__.pyc",
        "/lib/python3.14/site-packages/botocore/client.pyc",
        "/lib/python3.14/site-packages/ecslab/lab.py",
        "True",
    ], files
    traceback = run_in_kernel(
        page,
        "import traceback, ecslab\n"
        "try:\n"
        "    ecslab.Lab().client('ecs').describe_services(cluster='nope', services=['x'])\n"
        "except Exception:\n"
        "    print(traceback.format_exc())",
    )
    assert 'File "/lib/python3.14/site-packages/botocore/client.py", line' in traceback, traceback
    assert "ClusterNotFoundException: An error occurred" in traceback, traceback
    assert guard.refused == []


def test_the_example_app_is_read_from_the_sites_snapshot_until_the_learner_saves_a_file(
    served: Served, visit: tuple[Any, Guard]
) -> None:
    """``Source.example()`` takes a file's bytes from the site's snapshot (no request to the
    page) and is the desktop's commit, until the learner saves one: a file changed at the same
    size, or a new file in a new folder, is then read from the drive (the browser's storage
    lists it), and the pipeline builds the change."""
    page, guard = visit
    open_lesson(page, served, "00_big_picture")
    answer = run_in_kernel(
        page,
        "from ecslab import pyodide_drive as drive\n"
        "from ecslab.pipeline.source import BACKEND_MAIN, EXAMPLE_APP, VERSION_LINE, Source\n"
        "read = []\n"
        "asked = drive.file_bytes\n"
        "drive.file_bytes = lambda path: (read.append(path.name), asked(path))[1]\n"
        "first = Source.example()\n"
        "main = EXAMPLE_APP / BACKEND_MAIN\n"
        "main.write_text(main.read_text().replace(VERSION_LINE, 'VERSION = \"1.0.1\"'))\n"
        "(EXAMPLE_APP / 'docs').mkdir()\n"
        "(EXAMPLE_APP / 'docs' / 'plan.md').write_text('plan')\n"
        "changed = Source.example()\n"
        "drive.file_bytes = asked\n"
        "saved = drive._saved_paths(drive._snapshot().storage)\n"
        "print(len(drive._snapshot().files), len(first.files), first.sha, sorted(read),"
        " sorted(saved), 'VERSION = \"1.0.1\"' in changed.text(BACKEND_MAIN),"
        " changed.text('docs/plan.md'))",
    ).split()
    from ecslab.pipeline.source import Source

    desktop = Source.example()
    assert answer == [
        str(len(desktop.files)),
        str(len(desktop.files)),
        desktop.sha,
        "['main.py',",
        "'plan.md']",
        "['examples/app/backend/app/main.py',",
        "'examples/app/docs',",
        "'examples/app/docs/plan.md']",
        "True",
        "plan",
    ], answer
    assert guard.refused == []


def test_the_drive_still_answers_after_its_storage_is_read(browser: Any, served: Served) -> None:
    """Reading the drive's storage keys, then making a folder on the drive (a write the page
    makes in the same object store), in four fresh pages: each answers. When the keys were handed
    over before their read transaction ended, the page's write could wait for that read and the
    read for the worker, which waited for the page: about half of fresh pages never answered."""
    answers = []
    for _ in range(4):
        with first_visit(browser, served) as (page, guard):
            open_lesson(page, served, "00_big_picture")
            answers.append(
                run_in_kernel(
                    page,
                    "from pathlib import Path\n"
                    "from ecslab import pyodide_drive as drive\n"
                    "keys = drive._saved_paths(drive._snapshot().storage)\n"
                    "Path('/drive/.ecslab').mkdir()\n"
                    "print(keys is not None, Path('/drive/.ecslab').is_dir())",
                    within_ms=30_000,
                )
            )
            assert guard.refused == []
    assert [a.split() for a in answers] == [["True", "True"]] * 4, answers
