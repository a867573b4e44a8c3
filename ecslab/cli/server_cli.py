"""``ecslab server [--host 127.0.0.1] [--port 5000] [--speed 1] [--advertise ADDRESS]
[--data-dir DIR] [--fresh]``."""

from __future__ import annotations

import argparse
from pathlib import Path


def default_data_dir() -> Path:
    """Where the server keeps its journal unless told otherwise (per user, survives reboots)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("ecslab")) / "server"


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
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="where every learner's account is kept across restarts "
        f"(default: {default_data_dir()})",
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="forget every account kept in the data directory and start empty",
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
    from ecslab.workshop.app import serve

    serve(
        host=args.host,
        port=args.port,
        speed=args.speed,
        advertise=args.advertise,
        data_dir=args.data_dir or default_data_dir(),
        fresh=args.fresh,
    )
    return 0
