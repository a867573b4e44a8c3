"""``ecslab teardown [--lab NAME] [--dry-run]``: the same teardown as ``lab.teardown()``.

On a real account (the default here) running the command is the opt-in: it only ever deletes
what carries the lab's tag, and it first says whose account it is. ``--dry-run`` lists what would
go without touching anything.
"""

from __future__ import annotations

import argparse
import os

from ecslab.account.tags import DEFAULT_LAB_NAME, LAB_NAME_VARIABLE


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lab",
        default=os.environ.get(LAB_NAME_VARIABLE, DEFAULT_LAB_NAME),
        help="the lab's name, as in Lab(name=...) (default: %(default)s)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="list what would be deleted; delete nothing"
    )
    parser.add_argument(
        "--backend",
        choices=("aws", "server", "moto"),
        default=os.environ.get("ECSLAB_BACKEND", "aws"),
        help="where the lab's resources are (default: %(default)s)",
    )
    parser.add_argument("--endpoint-url", help="the ecslab server, for --backend server")
    parser.add_argument("--learner", help="the learner's name on an ecslab server")
    parser.add_argument("--profile", help="AWS profile, for --backend aws")
    parser.add_argument("--region", help="AWS region (default: the profile's)")


def run(args: argparse.Namespace) -> int:
    from ecslab.lab import Lab

    with Lab(
        args.backend,
        name=args.lab,
        region=args.region,
        endpoint_url=args.endpoint_url,
        learner=args.learner,
        profile=args.profile,
        confirm=True,
    ) as lab:
        print(f"Lab {lab.name!r} on {lab!r}")
        report = lab.teardown(dry_run=args.dry_run)
        print(report)
        return 0 if (report.dry_run or report.clean) else 1
