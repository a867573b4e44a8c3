"""The ``ecslab`` command: a thin layer over the same functions the notebooks use.

Each subcommand registers itself here through :data:`COMMANDS`: ``(name, module, help)``; the
module provides ``add_arguments(parser)`` and ``run(args) -> int`` and holds only the command
line (its options, what it prints, its exit code): ``ecslab doctor`` is ``doctor_cli`` over
:mod:`ecslab.doctor`, ``ecslab aws-env`` is ``aws_env_cli``, and so on, one ``<name>_cli`` module
per subcommand in this package (``ecslab server`` is ``server_cli`` over :mod:`ecslab.workshop`).
Only the subcommand being run is imported (``ecslab --help`` imports none), so one
command never waits for another's heavy imports or breaks on its missing pieces.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from ecslab import __version__
from ecslab.errors import EcslabError

COMMANDS: list[tuple[str, str, str]] = [
    (
        "doctor",
        "ecslab.cli.doctor_cli",
        "check this machine's set-up, with a fix for anything missing",
    ),
    ("server", "ecslab.cli.server_cli", "serve a simulated AWS for a room of learners"),
    (
        "aws-env",
        "ecslab.cli.aws_env_cli",
        "print the variables that point your own AWS tools at a server",
    ),
    ("pipeline", "ecslab.cli.pipeline_cli", "rehearse the example app's deploy workflow offline"),
    ("teardown", "ecslab.cli.teardown_cli", "delete everything a lab created (and only that)"),
    ("student", "ecslab.cli.student_cli", "write the learner edition of the lessons (learner/)"),
    ("diagrams", "ecslab.cli.diagrams_cli", "draw the lesson diagrams in diagrams/ as SVG"),
    (
        "rules",
        "ecslab.cli.rules_cli",
        "list every AWS rule the simulated world enforces, with sources",
    ),
    (
        "progress",
        "ecslab.cli.progress_cli",
        "your quiz and check results; --export FILE for a teacher",
    ),
    ("cheatsheet", "ecslab.cli.cheatsheet_cli", "write the printable handout (HTML, and PDF)"),
    ("present", "ecslab.cli.present_cli", "show one learner's account, drawn live, full-screen"),
]


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser for ``argv``: every subcommand named, the one ``argv`` runs complete."""
    parser = argparse.ArgumentParser(
        prog="ecslab", description="Learn git push → ECR → ECS on Fargate → ALB, offline."
    )
    parser.add_argument("--version", action="version", version=f"ecslab {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    chosen = _chosen(sys.argv[1:] if argv is None else argv)
    for name, module_name, help_text in COMMANDS:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        if name == chosen:
            module = importlib.import_module(module_name)
            module.add_arguments(sub)
            sub.set_defaults(_run=module.run)
    return parser


def _chosen(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` runs: its first word that is not an option."""
    words = [word for word in argv if not word.startswith("-")]
    return words[0] if words else None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 0
    try:
        return int(args._run(args) or 0)
    except EcslabError as error:
        print(f"ecslab: {error}", file=sys.stderr)
        return 2
