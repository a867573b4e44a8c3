"""The browser edition's size and speed, beside the desktop course's, in one run.

Run: ``.venv/bin/python benchmarks/bench_lite.py [--no-build] [LESSON ...]``. It builds the site
(``scripts/build-lite``, unless ``--no-build``), serves it on 127.0.0.1 and opens it in headless
Chromium (Debian's, as the browser test does), every request off that server refused. Printed:

* the site's size on disk, and what a first visit downloads (a fresh browser, lesson 00);
* the time from opening lesson 00 to its kernel being ready (Pyodide and every package loaded);
* per lesson, Run All in the browser (kernel already ready) and the same cells on this machine's
  Python (nbclient, a fresh ipykernel, start-up apart, as ``bench_notebooks.py``), and the ratio.

Goals (issue: the browser edition): under 40 MB on a first visit, kernel ready under 10 s, each
lesson within 1.5x of the desktop.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.lite_support import (  # noqa: E402
    SITE,
    build_site,
    error_outputs,
    guarded_context,
    open_lesson,
    outputs,
    run_all,
    serving,
)

NOTEBOOKS = ROOT / "notebooks"


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("lessons", nargs="*")
    arguments = parser.parse_args()
    lessons = arguments.lessons or sorted(p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    os.environ.setdefault("ECSLAB_PROGRESS_FILE", "off")
    os.environ.setdefault("ECSLAB_RENDERER", "graphviz-pure")
    site = SITE if arguments.no_build else build_site()
    on_disk = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    print(f"site on disk                 {on_disk / 1e6:6.1f} MB")

    from playwright.sync_api import sync_playwright

    browser_times: dict[str, float] = {}
    with serving(site) as served, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        context, guard = guarded_context(browser, served)
        for index, name in enumerate(lessons):
            page = context.new_page()
            ready = open_lesson(page, served, name)
            if index == 0:
                page.wait_for_timeout(2000)  # what the page fetches once the kernel is up
                print(
                    f"first visit downloads        {sum(guard.downloaded.values()) / 1e6:6.1f} MB"
                    f"   ({len(guard.downloaded)} files)"
                )
                print(f"kernel ready (first visit)   {ready:6.1f} s   ({name})")
            else:
                print(f"kernel ready (cached)        {ready:6.1f} s   ({name})")
            browser_times[name] = run_all(page)
            errors = error_outputs(outputs(page))
            if errors:
                print(f"  {name}: {errors[:3]}")
            page.close()
        assert guard.refused == [], guard.refused
        context.close()
        browser.close()

    print(f"{'lesson':28s} {'browser':>8s} {'desktop':>8s} {'ratio':>6s}")
    for name in lessons:
        desktop = desktop_seconds(name)
        ratio = browser_times[name] / desktop
        print(f"{name:28s} {browser_times[name]:7.1f}s {desktop:7.1f}s {ratio:6.2f}")


if __name__ == "__main__":
    main()
