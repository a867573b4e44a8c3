"""The course in a real JupyterLab, in a real browser: what no kernel-side test sees.

JupyterLab starts from this environment on a copy of the lessons (the README's start command,
``make lab``, runs the same ``jupyter lab``). Headless Chromium opens a lesson and runs every cell
with JupyterLab's own Run commands; then the live diagram must show what the cells made, a quiz
must answer a learner's clicks, the exercise's check must pass and the console must stay free of
errors. Screenshots land in ``test-artifacts/browser/``. Without Chromium or Playwright the
browser tests skip and say why (``scripts/ensure-browser`` installs Chromium where it may).
"""

from __future__ import annotations

import json
import re
import tempfile
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.browser_support import (
    CHROMIUM_ARGS,
    ROOT,
    JupyterLab,
    chromium_or_skip,
    copy_course,
    running_jupyterlab,
)
from tests.notebook_page import KERNEL_READY, NOTEBOOK

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

ARTIFACTS = ROOT / "test-artifacts" / "browser"
WIDGETS_EXTENSION = "@jupyter-widgets/jupyterlab-manager"
# Bounded waits, in milliseconds (Playwright's unit).
PAGE_MS = 60_000
RUN_MS = 120_000
WIDGET_MS = 30_000
# Every diagram, live or concept, is an <img> of its SVG (ecslab/views/picture.py).
DIAGRAM = "img.ecslab-diagram"

# Console errors shown to be benign and unrelated to the course, each (pattern, why). None so
# far: JupyterLab 4.6 with this course logs no console error, so every console error and every
# uncaught page error fails the test.
BENIGN_CONSOLE_ERRORS: list[tuple[re.Pattern[str], str]] = []

# JavaScript run in the page through JupyterLab's application (``expose_app_in_browser``).
# True once the kernel is idle and every code cell before ``end`` has run (none queued: "[*]").
_SETTLED = f"""(end) => {{
    const nb = {NOTEBOOK};
    if (nb.sessionContext.session.kernel.status !== 'idle') return false;
    return nb.content.widgets.slice(0, end).filter(c => c.model.type === 'code').every(
        c => c.model.executionCount !== null && !c.promptNode.textContent.includes('*'));
}}"""
# Each cell's source, "" for cells that are not code.
_SOURCES = f"""() => {NOTEBOOK}.content.widgets.map(
    c => c.model.type === 'code' ? c.model.sharedModel.getSource() : '')"""
_ERRORS = f"""() => {NOTEBOOK}.content.widgets.flatMap((c, i) => c.model.type !== 'code' ? [] :
    c.model.outputs.toJSON().filter(o => o.output_type === 'error')
        .map(o => `cell ${{i}}: ${{o.ename}}: ${{o.evalue}}`))"""


@pytest.fixture(scope="module")
def jupyterlab() -> Iterator[JupyterLab]:
    """JupyterLab on a temporary copy of the course, stopped after this module."""
    with (
        tempfile.TemporaryDirectory(prefix="ecslab-browser-") as scratch,
        running_jupyterlab(copy_course(Path(scratch))) as lab,
    ):
        yield lab


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium for this module (skips, saying why, where there is none)."""
    chromium = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(chromium), args=CHROMIUM_ARGS, headless=True, timeout=PAGE_MS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def browser_page(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    """A fresh page, and the console errors and uncaught page errors it collects."""
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(WIDGET_MS)

    def on_console(message: Any) -> None:
        if message.type == "error":
            errors.append(f"console: {message.text} ({message.location})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    try:
        yield page, errors
    finally:
        page.close()


class Lesson:
    """A lesson opened in JupyterLab in the browser, its kernel ready; cells found by source."""

    def __init__(self, page: Any, lab: JupyterLab, name: str) -> None:
        self.page = page
        self.name = name
        path = f"{name}.ipynb"
        # ``reset``: start from an empty workspace, not the one the previous page left.
        page.goto(lab.address(f"/lab/tree/{path}?reset"), timeout=PAGE_MS)
        page.wait_for_function(KERNEL_READY, arg=path, timeout=PAGE_MS, polling=250)
        self.sources: list[str] = page.evaluate(_SOURCES)
        self.cells = page.locator(".jp-Notebook .jp-Cell")
        expect(self.cells).to_have_count(len(self.sources))

    def index(self, text: str) -> int:
        """The first code cell whose source contains ``text``."""
        matches = [i for i, source in enumerate(self.sources) if text in source]
        assert matches, f"no code cell of {self.name} contains {text!r}"
        return matches[0]

    def run_through(self, index: int) -> None:
        """Run every cell up to ``index`` included, as Run → Run All Above Selected Cell."""
        self._run("notebook:run-all-above", index + 1, settled_before=index + 1)

    def run_after(self, index: int) -> None:
        """Run every cell after ``index``, as Run → Run Selected Cell and All Below."""
        self._run("notebook:run-all-below", index + 1, settled_before=len(self.sources))

    def run_all(self) -> None:
        """Run → Run All Cells."""
        self._run("notebook:run-all-cells", 0, settled_before=len(self.sources))

    def errors(self) -> list[str]:
        """The error outputs of all cells (a cell that raised)."""
        return list(self.page.evaluate(_ERRORS))

    def _run(self, command: str, active_cell: int, settled_before: int) -> None:
        """Run ``command`` from cell ``active_cell``; wait (bounded) until JupyterLab says the
        cells ran, then until the kernel is idle and every code cell before ``settled_before``
        shows its execution count."""
        self.page.evaluate(
            f"""([command, index]) => {{
                {NOTEBOOK}.content.activeCellIndex = index;
                window.ecslabRun = 'running';
                window.jupyterapp.commands.execute(command).then(
                    ran => {{ window.ecslabRun = ran === false ? 'a cell failed' : 'ran'; }},
                    error => {{ window.ecslabRun = 'failed: ' + error; }});
            }}""",
            [command, active_cell],
        )
        self.page.wait_for_function(
            "() => window.ecslabRun !== 'running'", timeout=RUN_MS, polling=250
        )
        assert self.page.evaluate("() => window.ecslabRun") == "ran", self.errors()
        self.page.wait_for_function(_SETTLED, arg=settled_before, timeout=RUN_MS, polling=250)


def _question(lesson: str, question_id: str) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """A single-choice question of a lesson's bank: its prompt, a right and a wrong choice."""
    bank = yaml.safe_load((ROOT / "ecslab" / "quiz" / "banks" / f"{lesson}.yaml").read_text())
    (question,) = [q for q in bank["questions"] if q["id"] == question_id]
    assert question["type"] == "single"
    right = next(c for c in question["choices"] if c.get("correct"))
    wrong = next(c for c in question["choices"] if not c.get("correct"))
    return question["prompt"], right, wrong


def svg_text(image: Any) -> str:
    """The SVG inside a diagram's ``<img>`` (a data URI), as the browser decodes it."""
    return str(
        image.evaluate(
            "e => new TextDecoder().decode(Uint8Array.from("
            "atob(e.src.split(',')[1]), c => c.charCodeAt(0)))"
        )
    )


def expect(target: Any) -> Any:
    """Playwright's ``expect``, imported once the browser fixture has found Playwright."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def _unexplained(errors: list[str]) -> list[str]:
    return [e for e in errors if not any(p.search(e) for p, _ in BENIGN_CONSOLE_ERRORS)]


def test_the_start_command_serves_the_widgets_extension(jupyterlab: JupyterLab) -> None:
    """JupyterLab from this environment loads the ipywidgets extension, enabled."""
    with urllib.request.urlopen(jupyterlab.address("/lab"), timeout=10) as response:
        page = response.read().decode()
    config = re.search(
        r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S
    )
    assert config, "no page config in /lab"
    settings = json.loads(config.group(1))
    federated = {e["name"]: e for e in settings["federated_extensions"]}
    assert WIDGETS_EXTENSION in federated
    assert WIDGETS_EXTENSION not in settings.get("disabledExtensions", [])
    entry = "/".join(
        (settings["fullLabextensionsUrl"], WIDGETS_EXTENSION, federated[WIDGETS_EXTENSION]["load"])
    )
    with urllib.request.urlopen(jupyterlab.address(entry), timeout=10) as response:
        assert response.status == 200
        assert len(response.read()) > 1000  # the extension's code, not an empty page

    listed = {e["name"]: e for e in jupyterlab.get_json("/lab/api/extensions")}
    # The extension manager lists "@scope/name" as "scope-name".
    manager = listed[WIDGETS_EXTENSION.lstrip("@").replace("/", "-")]
    assert manager["enabled"] and manager["status"] == "ok"


def test_lesson_00_runs_and_its_quiz_answers_clicks(
    jupyterlab: JupyterLab, browser_page: tuple[Any, list[str]]
) -> None:
    """Lesson 00 runs whole; a clicked wrong answer is explained, a right one gets a ✓."""
    page, errors = browser_page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    prompt, right, wrong = _question("00_big_picture", "first-stop")
    lesson = Lesson(page, jupyterlab, "00_big_picture")
    live = lesson.index("lab.live()")
    check = lesson.index("ecslab.check.cluster(")
    quiz = lesson.index('"first-stop"')

    lesson.run_through(check)
    result = lesson.cells.nth(check).locator(".ecslab-check")
    expect(result).to_be_visible()
    expect(result).to_contain_text("✓ ECS cluster 'sandbox'")
    result.screenshot(path=ARTIFACTS / "exercise-check.png")
    # The picture names the account as the learner should read it: simulated, not by the
    # library that simulates it (lesson 01 checks drawn resources).
    diagram = lesson.cells.nth(live).locator(f".jp-OutputArea-output {DIAGRAM}")
    expect(diagram).to_be_visible()
    assert "simulated account 123456789012" in svg_text(diagram)

    lesson.run_after(check)
    assert lesson.errors() == []

    box = lesson.cells.nth(quiz).locator(".widget-vbox").filter(has_text=prompt[:40]).last
    feedback = box.locator(".ecslab-feedback")
    box.locator("label", has_text=wrong["text"]).click()
    box.get_by_role("button", name="Check").click()
    expect(feedback).to_have_class(re.compile(r"\becslab-wrong\b"))
    expect(feedback).to_contain_text("✗ Not yet.")
    expect(feedback).to_contain_text(wrong["feedback"])
    box.screenshot(path=ARTIFACTS / "quiz-wrong-answer.png")

    box.locator("label", has_text=right["text"]).click()
    box.get_by_role("button", name="Check").click()
    expect(feedback).to_have_class(re.compile(r"\becslab-right\b"))
    expect(feedback).to_contain_text("✓ Right.")
    box.screenshot(path=ARTIFACTS / "quiz-right-answer.png")

    assert _unexplained(errors) == []


def test_lesson_01_live_diagram_draws_the_repositories(
    jupyterlab: JupyterLab, browser_page: tuple[Any, list[str]]
) -> None:
    """Lesson 01's live diagram, redrawn in the browser, names the repositories the cells made."""
    page, errors = browser_page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    lesson = Lesson(page, jupyterlab, "01_ecr")
    live = lesson.index("lab.live()")
    check = lesson.index("ecslab.check.repository(")

    # Through the exercise's check: both repositories exist (the last cell tears them down).
    lesson.run_through(check)
    result = lesson.cells.nth(check).locator(".ecslab-check")
    expect(result).to_contain_text("✓ ECR repository 'web'")
    output = lesson.cells.nth(live).locator(".jp-OutputArea-output")
    diagram = output.locator(DIAGRAM)
    expect(diagram).to_be_visible()
    drawn = svg_text(diagram)
    assert "ECR repository api" in drawn and "ECR repository web" in drawn
    output.screenshot(path=ARTIFACTS / "live-diagram.png")

    lesson.run_after(check)
    assert lesson.errors() == []
    assert _unexplained(errors) == []


def test_a_quiz_answered_by_typing_the_line_it_prints(
    jupyterlab: JupyterLab, browser_page: tuple[Any, list[str]]
) -> None:
    """The line a quiz shows under its buttons, typed into a new cell below with the right letter
    in place of the placeholder, answers it: ✓ in that cell and in the quiz's own feedback."""
    import ecslab

    page, errors = browser_page
    prompt, right, _ = _question("00_big_picture", "first-stop")
    layout = ecslab.quiz("00_big_picture", "first-stop", record=False).questions[0].layout
    letter = layout.labels[layout.options.index(right["text"])]
    lesson = Lesson(page, jupyterlab, "00_big_picture")
    quiz = lesson.index('"first-stop"')
    lesson.run_through(quiz)

    box = lesson.cells.nth(quiz).locator(".widget-vbox").filter(has_text=prompt[:40]).last
    shown = box.locator(".widget-html", has_text="Or type:")
    expect(shown).to_be_visible()
    printed = shown.inner_text().split("Or type:", 1)[1].strip()
    assert printed == "quiz[1].answer('…')", printed
    typed = printed.replace("'…'", repr(letter))

    page.evaluate(
        f"""async ([index, source]) => {{
            const nb = {NOTEBOOK};
            nb.content.activeCellIndex = index;
            await window.jupyterapp.commands.execute('notebook:insert-cell-below');
            nb.content.activeCell.model.sharedModel.setSource(source);
            await window.jupyterapp.commands.execute('notebook:run-cell');
        }}""",
        [quiz, typed],
    )
    answered = lesson.cells.nth(quiz + 1).locator(".jp-OutputArea-output")
    expect(answered).to_contain_text("✓ Right.", timeout=RUN_MS)
    expect(box.locator(".ecslab-feedback")).to_contain_text("✓ Right.")
    assert lesson.errors() == []
    assert _unexplained(errors) == []


# -- diagrams a learner can read: fit the page, show when opened, show the built state -------------

LAPTOP = {"width": 1280, "height": 900}
WIDE = {"width": 1920, "height": 1080}
#: Smallest text a diagram may shrink to, in CSS pixels.
SMALLEST_TEXT_PX = 9.0
UNRENDERED = ("<IPython.core.display.SVG object>", "<Live Diagram", "<Concept diagram")
_FONT_SIZES = re.compile(r'font-size="([0-9.]+)"')
_SVG_WIDTH = re.compile(r'<svg width="([0-9.]+)pt"')


def _committed_diagrams(name: str) -> list[int]:
    """Indexes of the cells whose saved outputs hold a diagram."""
    notebook = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text())
    return [
        i
        for i, cell in enumerate(notebook["cells"])
        if cell["cell_type"] == "code"
        and any(
            "ecslab-diagram" in "".join(o.get("data", {}).get("text/html", ""))
            for o in cell["outputs"]
        )
    ]


def _assert_fits(lesson: Lesson, where: str) -> list[str]:
    """Every output area of every cell: no sideways scrolling; every diagram loaded, visible,
    no wider than its output area, its smallest text at least SMALLEST_TEXT_PX. Returns the
    SVG text of each diagram, in order."""
    drawn = []
    for index in range(len(lesson.sources)):
        cell = lesson.cells.nth(index)
        areas = cell.locator(".jp-OutputArea-output")
        if not areas.count():
            continue
        cell.scroll_into_view_if_needed()
        for a in range(areas.count()):
            area = areas.nth(a)
            scroll, client = area.evaluate("e => [e.scrollWidth, e.clientWidth]")
            assert scroll <= client + 1, f"{where}: cell {index}'s output scrolls sideways"
            images = area.locator(DIAGRAM)
            for i in range(images.count()):
                image = images.nth(i)
                image.scroll_into_view_if_needed()
                expect(image).to_be_visible()
                natural, width = image.evaluate(
                    "e => e.complete ? [e.naturalWidth, e.getBoundingClientRect().width] : [0, 0]"
                )
                assert natural > 0, f"{where}: cell {index}'s diagram did not load"
                assert width <= client + 1, (
                    f"{where}: cell {index}'s diagram is wider than its area"
                )
                svg = svg_text(image)
                points = float(_SVG_WIDTH.search(svg).group(1))
                smallest = min(float(size) for size in _FONT_SIZES.findall(svg))
                text_px = smallest * width / points  # 1 pt of the SVG drawn at width/points px
                assert text_px >= SMALLEST_TEXT_PX, (
                    f"{where}: cell {index}'s diagram shrinks its text to {text_px:.1f} px"
                )
                drawn.append(svg)
    return drawn


def _window_shot(page: Any, target: Any, path: Path) -> None:
    """The learner's whole window with ``target`` scrolled to the top. JupyterLab paints the
    cells it brings into view (CSS content-visibility) a frame or two later: a short pause."""
    target.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(500)
    page.screenshot(path=path)


@pytest.fixture
def laptop_page(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    """A page at a laptop's window size, and the console errors it collects."""
    errors: list[str] = []
    page = browser.new_page(viewport=LAPTOP)
    page.set_default_timeout(WIDGET_MS)
    page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    try:
        yield page, errors
    finally:
        page.close()


@pytest.mark.parametrize("name", ["00_big_picture", "04_services", "05_alb", "09_capstone"])
def test_every_diagram_fits_shows_when_opened_and_after_run_all(
    jupyterlab: JupyterLab, laptop_page: tuple[Any, list[str]], name: str
) -> None:
    """At 1280×900: the lesson freshly opened (not trusted, not run) shows its saved diagrams
    as pictures; after Run All no output scrolls sideways, every diagram fits its output and
    keeps its text readable, at 1920 px too; the live diagram shows what the lesson built (it
    stopped before the teardown) and the teardown cell says what went."""
    page, errors = laptop_page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    saved = _committed_diagrams(name)
    assert saved, f"{name}'s saved outputs hold no diagram (re-run it: scripts/run-lessons)"

    lesson = Lesson(page, jupyterlab, name)
    for index in saved:
        cell = lesson.cells.nth(index)
        cell.scroll_into_view_if_needed()
        expect(cell.locator(f".jp-OutputArea-output {DIAGRAM}").first).to_be_visible()
    outputs = page.locator(".jp-OutputArea-output")
    for marker in UNRENDERED:
        expect(outputs.filter(has_text=marker)).to_have_count(0)
    _assert_fits(lesson, f"{name} opened")
    _window_shot(page, lesson.cells.nth(saved[0]), ARTIFACTS / f"{name}-opened.png")

    lesson.run_all()
    assert lesson.errors() == []
    drawn = _assert_fits(lesson, f"{name} after Run All")
    live = lesson.index("lab.live(")
    output = lesson.cells.nth(live).locator(".jp-OutputArea-output")
    _window_shot(page, output, ARTIFACTS / f"{name}-live-after-run-all.png")
    built = svg_text(output.locator(DIAGRAM))
    assert "simulated account" in built and "(removed)" not in built
    expect(output).to_contain_text("before lab.teardown()")
    teardown = lesson.cells.nth(lesson.index("lab.teardown()"))
    expect(teardown).to_contain_text("Teardown of")
    expect(teardown).to_contain_text("deleted")
    assert len(drawn) >= len(saved)

    page.set_viewport_size(WIDE)
    _assert_fits(lesson, f"{name} at 1920 px")
    assert _unexplained(errors) == []


# -- the static HTML export: what a learner shares or reads without JupyterLab --------------------

LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: A code cell showing one of these shows a diagram.
SHOWS_A_DIAGRAM = ("lab.live(", "concept(", "lab.diagram(")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_the_html_export_shows_every_diagram_as_a_picture_that_fits(
    browser: Any, path: Path, tmp_path: Path
) -> None:
    """``jupyter nbconvert --to html`` of a lesson's saved outputs, opened at 1280 px: every
    cell that shows a diagram shows a picture (not widget state, not text), loaded and no
    wider than the page."""
    from nbconvert import HTMLExporter

    notebook = json.loads(path.read_text())
    showing = [
        i
        for i, cell in enumerate(notebook["cells"])
        if cell["cell_type"] == "code"
        and any(call in "".join(cell["source"]) for call in SHOWS_A_DIAGRAM)
    ]
    assert showing, f"{path.name} shows no diagram"
    body, _ = HTMLExporter().from_filename(str(path))
    exported = tmp_path / f"{path.stem}.html"
    exported.write_text(body, encoding="utf-8")

    page = browser.new_page(viewport=LAPTOP)
    try:
        page.goto(exported.as_uri(), timeout=PAGE_MS)
        images = page.locator(DIAGRAM)
        assert images.count() >= len(showing), (
            f"{path.name}: {images.count()} pictures for {len(showing)} diagram cells "
            "(re-run it: scripts/run-lessons)"
        )
        page_width = page.evaluate("() => document.documentElement.clientWidth")
        for i in range(images.count()):
            image = images.nth(i)
            image.scroll_into_view_if_needed()
            natural, width = image.evaluate(
                "e => e.complete ? [e.naturalWidth, e.getBoundingClientRect().right] : [0, 0]"
            )
            assert natural > 0, f"{path.name}: picture {i} did not load"
            assert width <= page_width, f"{path.name}: picture {i} runs off the page"
        if path.stem == "05_alb":
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            images.first.scroll_into_view_if_needed()
            page.screenshot(path=ARTIFACTS / "05_alb-html-export.png")
    finally:
        page.close()


_BESIDE = """() => [...document.querySelectorAll('img.ecslab-diagram')]
    .filter(e => !e.closest('.jp-Notebook'))
    .map(e => new TextDecoder().decode(Uint8Array.from(atob(e.src.split(',')[1]),
                                                       c => c.charCodeAt(0))))"""


def test_the_live_diagram_can_sit_beside_the_notebook(
    jupyterlab: JupyterLab, laptop_page: tuple[Any, list[str]]
) -> None:
    """``lab.live(beside=True)`` opens a "Live diagram" panel beside the notebook (the sidecar
    widget) that is redrawn after each cell, as the inline picture is."""
    page, errors = laptop_page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    Lesson(page, jupyterlab, "00_big_picture")

    def run(code: str) -> None:
        page.evaluate(
            f"code => {NOTEBOOK}.sessionContext.session.kernel.requestExecute({{code}}).done",
            code,
        )

    run("import ecslab\nlab = ecslab.Lab()\nlive = lab.live(beside=True)")
    expect(page.locator(".lm-TabBar-tab", has_text="Live diagram")).to_be_visible()
    page.wait_for_function(f"() => ({_BESIDE})().length === 1", timeout=WIDGET_MS)
    run("lab.client('ecr').create_repository(repositoryName='web')")
    page.wait_for_function(
        f"() => ({_BESIDE})().some(svg => svg.includes('ECR repository web (new)'))",
        timeout=WIDGET_MS,
    )
    page.wait_for_timeout(300)  # the panel paints its new picture
    page.screenshot(path=ARTIFACTS / "live-diagram-beside.png")
    assert _unexplained(errors) == []
