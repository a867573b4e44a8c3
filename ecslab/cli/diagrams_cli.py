"""``ecslab diagrams [--check]``: draw the lesson diagrams of ``diagrams/`` as SVG, or say which
committed SVG no longer matches its source (:mod:`ecslab.views.concepts`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ecslab.views.concepts import DIAGRAMS, draw_all, sources, stale


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--check", action="store_true", help="only report SVGs that differ from their sources"
    )
    parser.add_argument(
        "--directory", type=Path, default=DIAGRAMS, help=f"where the .dot files are ({DIAGRAMS})"
    )


def run(args: argparse.Namespace) -> int:
    found = sources(args.directory)
    if not found:
        print(f"No .dot files in {args.directory}.", file=sys.stderr)
        return 1
    if args.check:
        outdated = stale(args.directory)
        for source in outdated:
            print(f"out of date: {source.with_suffix('.svg').name} (run: ecslab diagrams)")
        if not outdated:
            print(f"{len(found)} diagrams up to date.")
        return 1 if outdated else 0
    written = draw_all(args.directory)
    for target in written:
        print(f"drew {target.name}")
    print(f"{len(found)} diagrams, {len(written)} drawn.")
    return 0
