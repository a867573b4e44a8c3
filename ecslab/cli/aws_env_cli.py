"""``ecslab aws-env --room URL --learner NAME``: the lines that point one's own AWS tools (the
AWS CLI, the SDKs, ``ecs-deploy``) at ecslab server as that learner (:mod:`ecslab.aws_env`)."""

from __future__ import annotations

import argparse

from ecslab.aws_env import settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--room", required=True, help="the server's address, http://HOST:PORT")
    parser.add_argument("--learner", required=True, help="your name, as your notebooks use it")
    parser.add_argument("--region", default="us-east-1", help="region (default: %(default)s)")
    parser.add_argument(
        "--powershell", action="store_true", help='print $env:NAME="value" lines for PowerShell'
    )


def run(args: argparse.Namespace) -> int:
    for name, value in settings(args.room, args.learner, args.region).items():
        print(f'$env:{name}="{value}"' if args.powershell else f"export {name}={value}")
    return 0
