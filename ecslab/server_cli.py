"""``ecslab server [--host 127.0.0.1] [--port 5000] [--speed 1] [--advertise ADDRESS]``."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    parser.add_argument("--port", type=int, default=5000, help="port (default: %(default)s)")
    parser.add_argument(
        "--advertise",
        metavar="ADDRESS",
        help="the address learners should use, printed in the connect line "
        "(default: this machine's addresses)",
    )
    parser.add_argument(
        "--speed",
        type=positive_speed,
        default=1.0,
        help="virtual seconds per wall-clock second (default: %(default)s)",
    )


def positive_speed(text: str) -> float:
    """``--speed``: a finite number of virtual seconds per wall-clock second, above zero."""
    import math

    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(
            f"{text!r}: give a number above 0 (1 is real time, 5 five times faster)"
        )
    return value


def run(args: argparse.Namespace) -> int:
    from ecslab.server import serve

    serve(host=args.host, port=args.port, speed=args.speed, advertise=args.advertise)
    return 0
