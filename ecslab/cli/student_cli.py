"""``ecslab student``: write the learner edition of the lessons (:mod:`ecslab.course.student`);
a lesson already in the learner's folder is kept (their work), unless ``--force``."""

from __future__ import annotations

import argparse
from pathlib import Path

from ecslab.course.student import LEARNER_DIR, write_student_versions


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--source",
        type=Path,
        default=Path("notebooks"),
        help="the lessons, with solutions (default: %(default)s)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(LEARNER_DIR),
        help="where the learner edition goes (default: %(default)s)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="write every lesson again, over the copies already there (a learner's work is lost)",
    )
    parser.add_argument(
        "--trust",
        action="store_true",
        help="sign the lessons written, as jupyter trust does, so their saved diagrams show",
    )
    from ecslab.course.tracks import TRACKS

    parser.add_argument(
        "--track",
        choices=sorted(TRACKS),
        help="only the lessons of this track, with its agenda as README.md (default: all)",
    )


def run(args: argparse.Namespace) -> int:
    from ecslab.course.tracks import track

    chosen = track(args.track) if getattr(args, "track", None) else None
    wanted = set(chosen.lessons) if chosen else None
    lessons = [
        path.stem
        for path in sorted(args.source.glob("[0-9][0-9]_*.ipynb"))
        if wanted is None or path.stem in wanted
    ]
    if not lessons:
        print(f"No lessons (NN_*.ipynb) found in {args.source}.")
        return 1
    written = write_student_versions(
        args.source, args.out, lessons, force=args.force, trust=args.trust
    )
    if chosen:
        missing = sorted(wanted - set(lessons))
        if missing:
            print(f"Track {chosen.name}: no {', '.join(missing)} in {args.source}.")
            return 1
        agenda = args.out / "README.md"
        agenda.write_text(chosen.agenda(), encoding="utf-8")
        written.append(agenda)
    for path in written:
        print(f"wrote {path}")
    kept = len(lessons) - len([p for p in written if p.suffix == ".ipynb"])
    if kept:
        print(
            f"kept {kept} lesson{'s' * (kept != 1)} already in {args.out} (your work); "
            "delete one to get it afresh, or use --force for all"
        )
    return 0
