"""An earlier commit's tree beside this one, for benchmarks that compare the two in one run.

The before/after benchmarks (``bench_world_task_start.py``, ``bench_world_hundred_services.py``)
run one plain-boto3 scenario in a fresh interpreter per measurement, once with this tree's code
and once with a git worktree of an earlier commit, alternating, so both share the machine's
noise. This module makes that worktree (always removed again) and runs a scenario against a tree.
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def earlier_tree(commit: str) -> Iterator[Path]:
    """A detached git worktree of ``commit`` for the duration of the block."""
    with tempfile.TemporaryDirectory() as scratch:
        before = Path(scratch) / "before"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(before), commit],
            check=True,
        )
        try:
            yield before
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before)], check=True
            )


def last_line(scenario: str, tree: Path, *arguments: str) -> str:
    """The last line ``scenario`` prints, run in a fresh interpreter with the code of ``tree``."""
    answer = subprocess.run(
        [sys.executable, "-c", scenario, str(tree), *arguments],
        check=True,
        capture_output=True,
        text=True,
    )
    return answer.stdout.strip().splitlines()[-1]


def earlier_commit(doc: str, default: str) -> str:
    """The earlier commit named on the command line, else ``default``; ``--help`` prints the
    first line of the benchmark's docstring ``doc`` (rather than a commit named "--help")."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("commit", nargs="?", default=default, help=f"default: {default}")
    return parser.parse_args().commit
