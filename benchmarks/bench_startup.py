"""How long a learner waits: ``import ecslab``, and the first ``Lab()`` in a fresh process.

Run: ``.venv/bin/python benchmarks/bench_startup.py [repeats]``. Each figure is measured in a new
Python process (so nothing is already imported); the median of the repeats is printed.
"""

from __future__ import annotations

import statistics
import subprocess
import sys

PROBES = {
    "import ecslab": "import time; t = time.perf_counter(); import ecslab; "
    "print(time.perf_counter() - t)",
    "first Lab()": "import time, ecslab; t = time.perf_counter(); lab = ecslab.Lab(); "
    "print(time.perf_counter() - t); lab.close()",
    "import boto3 (reference)": "import time; t = time.perf_counter(); import boto3; "
    "print(time.perf_counter() - t)",
}


def measure(code: str, repeats: int) -> list[float]:
    return [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout.split()[-1]
        )
        for _ in range(repeats)
    ]


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    for name, code in PROBES.items():
        times = measure(code, repeats)
        print(
            f"{name:28s} median {statistics.median(times) * 1000:7.1f} ms   "
            f"min {min(times) * 1000:7.1f} ms   max {max(times) * 1000:7.1f} ms   (n={repeats})"
        )


if __name__ == "__main__":
    main()
