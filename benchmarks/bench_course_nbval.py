"""The whole course under nbval, now and at an earlier commit (goal: <= 1.10x CPU).

CI runs every lesson under nbval with its committed outputs compared; this times that run
(``pytest notebooks/ --nbval``, one pytest process for the ten lessons, as CI has it) with this
tree's code and with a git worktree of an earlier commit (``earlier_tree.py``), alternating, in
one run, and prints per lesson and in total the CPU seconds (the pytest process and the kernels
it started: user plus system time, ``RUSAGE_CHILDREN`` of the run) and the wall seconds, with the
ratio of the best of each. ``nbval_lesson_times.py`` splits a run by lesson.

Each tree runs its own notebooks, configuration (``pyproject.toml``, ``conftest.py``) and
``ecslab`` (first on ``PYTHONPATH``, so the kernels import it too), with this environment's
packages. A lesson that fails under nbval fails the benchmark: a faster run that no longer
matches its outputs is no figure.

Run: .venv/bin/python benchmarks/bench_course_nbval.py [COMMIT] [--rounds N] [--without NN]
[--only NN] (default: 6793235, the start of the round that made the world enforce the network;
2 rounds; ``--without 08`` also prints the totals without that lesson; ``--only 05`` runs that
lesson alone, for a quick look).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from earlier_tree import ROOT, earlier_tree

BEFORE = "6793235"
BENCHMARKS = Path(__file__).resolve().parent


def course_run(tree: Path, lessons: list[str]) -> dict[str, dict[str, float]]:
    """Per lesson and in total (``"course"``), CPU and wall seconds of the course under nbval
    (of the ``lessons`` only, ``["05", ...]``, when given)."""
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "lessons.json"
        env = dict(
            os.environ,
            PYTHONPATH=os.pathsep.join([str(tree), str(BENCHMARKS)]),
            ECSLAB_LESSON_TIMES=str(output),
        )
        notebooks = [
            str(p.relative_to(tree)) for n in lessons for p in tree.glob(f"notebooks/{n}_*.ipynb")
        ]
        command = [
            sys.executable,
            "-m",
            "pytest",
            *(notebooks or ["notebooks"]),
            "-q",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            "-p",
            "nbval_lesson_times",
        ]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        answer = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if answer.returncode != 0:
            sys.exit(f"the course failed under nbval in {tree}:\n{answer.stdout[-4000:]}")
        lessons = json.loads(output.read_text())
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {**lessons, "course": {"cpu": cpu, "wall": wall}}


def best(runs: list[dict[str, dict[str, float]]], name: str, measure: str) -> float:
    """The least of the runs' figures (the machine's noise only ever adds)."""
    return min(run[name][measure] for run in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commit", nargs="?", default=BEFORE)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--without", action="append", default=[], metavar="NN")
    parser.add_argument("--only", action="append", default=[], metavar="NN")
    arguments = parser.parse_args()
    runs: dict[str, list[dict[str, dict[str, float]]]] = {"before": [], "now": []}
    with earlier_tree(arguments.commit) as before:
        for _ in range(arguments.rounds):
            runs["before"].append(course_run(before, arguments.only))
            runs["now"].append(course_run(ROOT, arguments.only))
    lessons = sorted(set(runs["before"][0]) & set(runs["now"][0]) - {"course"})
    print(f"best of {arguments.rounds}: {arguments.commit} -> now (CPU s, wall s)")
    for name in [*lessons, "course"]:
        old, new = best(runs["before"], name, "cpu"), best(runs["now"], name, "cpu")
        old_wall, new_wall = best(runs["before"], name, "wall"), best(runs["now"], name, "wall")
        print(
            f"{name:28s} CPU {old:6.2f} -> {new:6.2f} {new / old:5.2f}x   "
            f"wall {old_wall:6.2f} -> {new_wall:6.2f} {new_wall / old_wall:5.2f}x"
        )
    for left_out in arguments.without:
        kept = [name for name in lessons if not name.startswith(f"{left_out}_")]
        old = min(sum(run[name]["cpu"] for name in kept) for run in runs["before"])
        new = min(sum(run[name]["cpu"] for name in kept) for run in runs["now"])
        print(
            f"lessons without {left_out}            CPU {old:6.2f} -> {new:6.2f} {new / old:5.2f}x"
        )
    old, new = best(runs["before"], "course", "cpu"), best(runs["now"], "course", "cpu")
    print(
        f"the course under nbval: {new / old:.2f}x the CPU time of {arguments.commit}"
        " (goal <= 1.10x)"
    )


if __name__ == "__main__":
    main()
