"""``ecslab rules [--service ecs]``: everything the simulated AWS enforces, with its source."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--service",
        help="only the rules of this boto3 service (ecs, elbv2, ecr, ec2, iam)",
        default=None,
    )


def render(service: str | None = None) -> str:
    """The listing ``ecslab rules`` prints: rules by service, then the moto crash fixes."""
    from ecslab.world.validation import MOTO_FIXES, all_rules

    rules = [r for r in all_rules() if service in (None, r.service)]
    lines = [f"{len(rules)} rules, run before moto stores anything:", ""]
    for each in rules:
        lines.append(f"{each.service} {', '.join(each.actions)} · {each.kind} · {each.name}")
        lines.append(f"    {each.summary}")
        lines.append(f"    source: {each.source}")
    if service is None:
        lines += ["", f"{len(MOTO_FIXES)} moto crashes on valid input, corrected at run time:", ""]
        for fix in MOTO_FIXES:
            lines.append(f"{fix.name}: {fix.aws}")
            lines.append(f"    corrects: {fix.corrects}")
            lines.append(f"    source: {fix.source}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    print(render(args.service))
    return 0
