"""``ecslab pipeline run``: the example app's workflow, rehearsed in a simulated lab.

Sets up the stage with the example app as it is, changes the backend's version (as a commit
would), and runs the deploy job for it. ``--break-health`` makes the change break ``/health``
instead; ``--no-wait`` deploys without waiting for stability, then shows what ECS did.
"""

from __future__ import annotations

import argparse
from typing import Any

from ecslab.pipeline.source import Source, change_for
from ecslab.pipeline.stage import CLUSTER, service_name


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="pipeline_action", metavar="ACTION", required=True)
    run = actions.add_parser("run", help="set up the lab, change the backend, deploy it")
    run.add_argument("--version", default="1.1.0", help="the backend's new version (1.1.0)")
    run.add_argument(
        "--break-health", action="store_true", help="the change breaks /health (a rollback)"
    )
    run.add_argument(
        "--no-wait",
        action="store_true",
        help="deploy without waiting for stability (the false green), then follow ECS",
    )


def run(args: argparse.Namespace) -> int:
    from ecslab.lab import Lab
    from ecslab.pipeline.rehearsal import follow, prepare
    from ecslab.pipeline.rehearsal import run as run_pipeline

    source = Source.example()
    with Lab() as lab:
        prepare(lab, source)
        print()
        change = change_for(source, args.version, args.break_health)
        result = run_pipeline(lab, change, wait=not args.no_wait, services=["backend"])
        if args.no_wait:
            print()
            print("Meanwhile, in ECS (describe-services events):")
            follow(lab, "backend")
            print(aftermath(lab, result.deploys["backend"].task_definition_arn))
    return 0 if result.succeeded else 1


def aftermath(lab: Any, deployed: str) -> str:
    """One line on what the service runs now, against what the green job deployed."""
    service = lab.client("ecs").describe_services(
        cluster=CLUSTER, services=[service_name("backend")]
    )["services"][0]
    now = service["taskDefinition"].rsplit("/", 1)[-1]
    if service["taskDefinition"] == deployed:
        return f"The service runs {now}, the revision the job deployed."
    return (
        f"The job was green, yet the service runs {now} again: the revision it deployed, "
        f"{deployed.rsplit('/', 1)[-1]}, never became healthy and was rolled back."
    )
