"""The browser edition's size and speed, beside the desktop course's, in one run.

Run: ``.venv/bin/python benchmarks/bench_lite.py [--no-build] [--before COMMIT] [LESSON ...]``.
It builds the site (``scripts/build-lite``, unless ``--no-build``), serves it on 127.0.0.1 and
opens it in headless Chromium (Debian's, as the browser test does), every request off that
server refused. With ``--before``, the site of an earlier commit is built too (in a worktree of
it, sharing the download cache) and each lesson is measured on both sites in turn, so both share
the machine's noise. Printed:

* each site's size on disk;
* per lesson and site, in a fresh browser profile (a first visit): what the page downloads
  until the kernel is ready; the time from opening the lesson to the kernel's first ``idle``
  (*kernel ready*: Pyodide, its packages, the kernel's own imports), and to the end of the
  lesson's first code cell in Run All (*first cell*: ``import ecslab``, ``Lab()``: boto3,
  botocore and moto imported);
* per lesson, Run All in the browser (kernel already ready) beside the desktop course's, taken
  two ways: the lesson's Run All in the desktop JupyterLab (``make lab``'s, on this machine's
  Python, in the same Chromium, kernel ready and the same one-second pause first: what a
  learner on the desktop does), and its cells run by nbclient in a fresh ipykernel (start-up
  apart, as ``bench_notebooks.py``: no page drawing the outputs), with the ratio to each.
  A lesson is measured on every site and on the desktop before the next lesson is, so the
  figures in one row share the same minutes of the machine's noise.

Goals (issue: the browser edition): under 40 MB on a first visit, kernel ready under 10 s, each
lesson within 1.5x of the desktop.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from earlier_tree import earlier_tree  # noqa: E402

from tests.browser_support import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    copy_course,
    running_jupyterlab,
)
from tests.lite_support import (  # noqa: E402
    KERNEL_MS,
    PAGE_MS,
    RUN_MS,
    SITE,
    build_site,
    error_outputs,
    guarded_context,
    open_lesson,
    outputs,
    serving,
)
from tests.notebook_page import KERNEL_READY, NOTEBOOK  # noqa: E402

NOTEBOOKS = ROOT / "notebooks"
#: Run All, noting when the first code cell's new execution count arrives (its reply).
RUN_ALL = f"""() => {{
    const started = performance.now();
    const first = {NOTEBOOK}.content.widgets.find(c => c.model.type === 'code');
    window.ecslabFirst = null;
    first.model.stateChanged.connect((model, change) => {{
        if (change.name === 'executionCount' && change.newValue !== null
            && window.ecslabFirst === null)
            window.ecslabFirst = (performance.now() - started) / 1000;
    }});
    window.ecslabRun = 'running';
    window.jupyterapp.commands.execute('notebook:run-all-cells').then(
        ran => {{ window.ecslabRun = ran === false ? 'a cell failed' : 'ran'; }},
        error => {{ window.ecslabRun = 'failed: ' + error; }});
}}"""


def desktop_seconds(name: str) -> float:
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    with client.setup_kernel():
        started = time.perf_counter()
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
        return time.perf_counter() - started


@contextlib.contextmanager
def sites(commit: str | None, build: bool) -> Iterator[dict[str, Path]]:
    """This tree's site and, with ``commit``, that commit's (built in a worktree of it)."""
    now = build_site() if build else SITE
    if commit is None:
        yield {"now": now}
        return
    with earlier_tree(commit) as tree:
        (tree / "build").mkdir()
        (tree / "build" / "lite-cache").symlink_to(ROOT / "build" / "lite-cache")
        subprocess.run([sys.executable, str(tree / "scripts" / "build-lite")], check=True)
        yield {"before": tree / "build" / "lite", "now": now}


def run_all_timed(page: Any) -> tuple[float, float]:
    """Run All in the notebook in front: its seconds, and when its first code cell answered."""
    started = time.monotonic()
    page.evaluate(RUN_ALL)
    page.wait_for_function("() => window.ecslabRun !== 'running'", timeout=RUN_MS, polling=50)
    run_all = time.monotonic() - started
    return run_all, float(page.evaluate("() => window.ecslabFirst"))


def desktop_lab_seconds(browser: Any, lab: Any, name: str) -> float:
    """The lesson's Run All in the desktop JupyterLab ``lab`` (a fresh page and kernel)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    path = f"{name}.ipynb"
    page.goto(lab.address(f"/lab/tree/{path}?reset"), timeout=PAGE_MS)
    page.wait_for_function(KERNEL_READY, arg=path, timeout=KERNEL_MS, polling=100)
    page.wait_for_timeout(1000)
    seconds, _ = run_all_timed(page)
    errors = error_outputs(outputs(page))
    if errors:
        print(f"  {name} (desktop JupyterLab): {errors[:3]}")
    context.close()
    return seconds


def measure(browser: Any, site: Path, name: str) -> dict[str, float]:
    """One first visit of lesson ``name`` on ``site``: sizes and times."""
    with serving(site) as served:
        context, guard = guarded_context(browser, served)
        page = context.new_page()
        ready = open_lesson(page, served, name)
        page.wait_for_timeout(1000)  # what the page fetches once the kernel is up
        downloaded = sum(guard.downloaded.values()) / 1e6
        files = len(guard.downloaded)
        run_all, first = run_all_timed(page)
        errors = error_outputs(outputs(page))
        if errors:
            print(f"  {name}: {errors[:3]}")
        assert guard.refused == [], guard.refused
        total = sum(guard.downloaded.values()) / 1e6
        context.close()
    return {
        "downloaded": downloaded,
        "files": files,
        "total": total,
        "ready": ready,
        # The first cell ran after the kernel was ready and the one-second pause.
        "first": ready + first,
        "run_all": run_all,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--before", metavar="COMMIT", help="measure that commit's site too")
    parser.add_argument("lessons", nargs="*")
    arguments = parser.parse_args()
    lessons = arguments.lessons or sorted(p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    os.environ.setdefault("ECSLAB_PROGRESS_FILE", "off")
    os.environ.setdefault("ECSLAB_RENDERER", "graphviz-pure")

    from playwright.sync_api import sync_playwright

    results: dict[tuple[str, str], dict[str, float]] = {}
    in_lab: dict[str, float] = {}
    desktop: dict[str, float] = {}
    with (
        sites(arguments.before, not arguments.no_build) as built,
        sync_playwright() as pw,
        tempfile.TemporaryDirectory(prefix="ecslab-bench-") as scratch,
        running_jupyterlab(copy_course(Path(scratch))) as lab,
    ):
        for label, site in built.items():
            on_disk = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
            print(f"{label:6s} site on disk {on_disk / 1e6:6.1f} MB", flush=True)
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        # Each lesson on every site, then on the desktop both ways, before the next lesson:
        # the machine's noise of that minute is in all of its figures.
        for name in lessons:
            for label, site in built.items():
                found = results[name, label] = measure(browser, site, name)
                print(
                    f"{name:22s} {label:6s} first visit {found['downloaded']:5.1f} MB "
                    f"({found['files']:.0f} files; {found['total']:5.1f} MB by the end), "
                    f"kernel ready {found['ready']:5.1f} s, first cell done "
                    f"{found['first']:5.1f} s, Run All {found['run_all']:5.1f} s",
                    flush=True,
                )
            in_lab[name] = desktop_lab_seconds(browser, lab, name)
            desktop[name] = desktop_seconds(name)
        browser.close()

    labels = list(built)
    print(
        f"{'lesson':22s} {'desktop JupyterLab':>18s} {'nbclient':>8s}"
        + "".join(f" {lb:>8s} {'/lab':>5s} {'/nbcl':>5s}" for lb in labels)
    )
    for name in lessons:
        row = f"{name:22s} {in_lab[name]:17.1f}s {desktop[name]:7.1f}s"
        for label in labels:
            seconds = results[name, label]["run_all"]
            row += f" {seconds:7.1f}s {seconds / in_lab[name]:5.2f} {seconds / desktop[name]:5.2f}"
        print(row, flush=True)


if __name__ == "__main__":
    main()
