"""How long each lesson takes to run top to bottom, as a learner's Restart & Run All does.

Run: ``.venv/bin/python benchmarks/bench_notebooks.py``. Each lesson runs in a fresh kernel
(nbclient); the figure printed is the time from the first cell to the last (kernel start-up
apart), then the total with start-up. Nothing is written back to the notebooks.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def main() -> None:
    os.environ.setdefault("ECSLAB_PROGRESS_FILE", "off")
    os.environ.setdefault("ECSLAB_RENDERER", "graphviz-pure")
    total_cells = total_all = 0.0
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        client = NotebookClient(
            notebook,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": str(NOTEBOOKS)}},
        )
        started = time.perf_counter()
        with client.setup_kernel():
            ready = time.perf_counter()
            for index, cell in enumerate(notebook.cells):
                client.execute_cell(cell, index)
        cells, everything = time.perf_counter() - ready, time.perf_counter() - started
        total_cells += cells
        total_all += everything
        print(f"{path.name:28s} cells {cells:6.2f} s   with kernel start-up {everything:6.2f} s")
    print(
        f"{'whole course':28s} cells {total_cells:6.2f} s   with kernel start-up {total_all:6.2f} s"
    )


if __name__ == "__main__":
    main()
