"""``ecslab doctor``: is this machine ready for the course? (the findings: :mod:`ecslab.doctor`)"""

from __future__ import annotations

import argparse

from ecslab.doctor import report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``ecslab doctor`` takes no options."""


def run(args: argparse.Namespace) -> int:
    ok, text = report()
    print(text)
    print("All set." if ok else "Some pieces are missing: run the fixes above, then try again.")
    return 0 if ok else 1
