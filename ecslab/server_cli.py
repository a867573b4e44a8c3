"""``ecslab server [--host 127.0.0.1] [--port 5000] [--speed 1]``."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    parser.add_argument("--port", type=int, default=5000, help="port (default: %(default)s)")
    parser.add_argument(
        "--speed",
        type=float,
        default=1.0,
        help="virtual seconds per wall-clock second (default: %(default)s)",
    )


def run(args: argparse.Namespace) -> int:
    from ecslab.server import serve

    serve(host=args.host, port=args.port, speed=args.speed)
    return 0
