"""``ecslab progress [--export FILE] [--room URL]``: the learner's quiz and check results
(:mod:`ecslab.progress`), or, with ``--room``, every learner's from the workshop server."""

from __future__ import annotations

import argparse

from ecslab.progress import PROGRESS_VARIABLE, Progress, summary_lines, write_rows


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--export", metavar="FILE", help="write every answer and check to FILE")
    parser.add_argument(
        "--format", choices=("csv", "json"), help="format of --export (default: from FILE's suffix)"
    )
    parser.add_argument(
        "--file",
        metavar="PATH",
        help=f"the progress file to read (default: ${PROGRESS_VARIABLE} "
        "or the user's data directory)",
    )
    parser.add_argument(
        "--room",
        metavar="URL",
        help="read every learner's progress from the workshop server at URL instead "
        "(the instructor's view: one file for the whole room)",
    )


def run(args: argparse.Namespace) -> int:
    if args.room:
        return _run_room(args)
    progress = Progress(args.file) if args.file else Progress()
    if args.export:
        if progress.path is None:
            print(progress.summary())
            return 1
        written = progress.export(args.export, args.format)
        print(f"Wrote {len(progress.rows())} rows to {written}.")
        return 0
    print(progress.summary())
    return 0


def _run_room(args: argparse.Namespace) -> int:
    from ecslab.progress_room import collect

    rows = collect(args.room)
    learners = sorted({(row["learner"], row["account"]) for row in rows if row["account"]})
    if args.export:
        written = write_rows(rows, args.export, args.format)
        people = f"{len(learners)} learner{'s' * (len(learners) != 1)}"
        print(f"Wrote {len(rows)} rows of {people} to {written}.")
        return 0
    print(f"Room at {args.room}: {len(learners)} learner{'s' * (len(learners) != 1)}")
    for learner, account in learners:
        print(f"{learner or '(no name)'} (account {account})")
        print("\n".join(summary_lines([r for r in rows if r["account"] == account])))
    return 0
