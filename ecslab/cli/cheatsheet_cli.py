"""``ecslab cheatsheet``: write the one-page handout, HTML and PDF, from the README and the
instructor guide (:mod:`ecslab.course.cheatsheet`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ecslab.course.cheatsheet import write


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--readme", type=Path, default=Path("README.md"), help="(%(default)s)")
    parser.add_argument(
        "--guide", type=Path, default=Path("docs/instructor-guide.md"), help="(%(default)s)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("build/cheatsheet"),
        help="where it goes, without suffix: .html, and .pdf (default: %(default)s)",
    )


def run(args: argparse.Namespace) -> int:
    for path in (args.readme, args.guide):
        if not path.is_file():
            print(f"No {path} here: run this in the course's folder, or give --readme/--guide.")
            return 1
    written = write(args.readme, args.guide, args.out)
    for path in written:
        print(f"wrote {path}")
    if len(written) == 1:
        print('For a PDF too: pip install -e ".[handout]" (fpdf2), then run this again.')
    return 0
