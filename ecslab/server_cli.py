"""``ecslab server [--host 127.0.0.1] [--port 5000] [--speed 1] [--data-dir DIR] [--fresh]``."""

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
        "--speed",
        type=_speed,
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


def _speed(text: str) -> float:
    import math

    value = float(text)
    if not math.isfinite(value) or not 0 < value <= 1000:
        raise argparse.ArgumentTypeError("--speed takes a number above 0, up to 1000.")
    return value


def run(args: argparse.Namespace) -> int:
    from ecslab.server import serve

    serve(
        host=args.host,
        port=args.port,
        speed=args.speed,
        data_dir=args.data_dir or default_data_dir(),
        fresh=args.fresh,
    )
    return 0
