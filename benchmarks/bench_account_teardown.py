"""How long the account verbs take on the capstone's resources, in process and over HTTP.

Run: ``.venv/bin/python benchmarks/bench_account_teardown.py [repeats]``. For each backend
(in-process moto; an ``ecslab server`` started on a free port) it builds the capstone's 13
resources with plain boto3, then times the tagged inventory, ``lab.cost()`` and ``lab.teardown()``;
the median of the repeats is printed.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from account_capstone import build_capstone  # noqa: E402
from server_fixture import running_server  # noqa: E402

from ecslab.account.tagged_resources import inventory  # noqa: E402
from ecslab.lab import Lab  # noqa: E402


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def measure(open_lab: Callable[[int], Lab], repeats: int) -> dict[str, list[float]]:
    figures: dict[str, list[float]] = {}
    for run in range(repeats):
        with open_lab(run) as lab:
            steps = {
                "build capstone (13 resources)": lambda: build_capstone(lab.client, "bench"),
                "tagged inventory": lambda: inventory(lab.client, lab.name),
                "lab.cost()": lab.cost,
                "lab.teardown()": lambda: lab.teardown(),
            }
            for name, action in steps.items():
                figures.setdefault(name, []).append(timed(action))
    return figures


def show(title: str, figures: dict[str, list[float]]) -> None:
    print(title)
    for name, values in figures.items():
        print(f"  {name:32s} {statistics.median(values) * 1000:8.0f} ms")


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    show("in-process (moto)", measure(lambda run: Lab(name="bench"), repeats))
    with running_server() as url:
        show(
            f"ecslab server at {url}",
            measure(
                lambda run: Lab(
                    backend="server", endpoint_url=url, learner=f"bench{run}", name="bench"
                ),
                repeats,
            ),
        )


if __name__ == "__main__":
    main()
