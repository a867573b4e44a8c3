"""Progress on long waits: a bar (tqdm.auto: a widget in Jupyter, text in a terminal) with the
latest service event, and a clear account of where things stand when the learner interrupts.

On a real account an ALB takes minutes to provision, a service minutes to settle, and draining
lasts the target group's deregistration delay (300 s by default). A bar that names what it waits
for and shows AWS's own events tells the learner the wait is normal and what is happening.
Everything written passes through :func:`~ecslab.account.masking.mask`.
"""

from __future__ import annotations

import sys
from typing import IO, Any

from ecslab.account.masking import mask


class WaitProgress:
    """A bar for one wait of at most ``total`` seconds (or steps); events are written above it."""

    def __init__(
        self,
        description: str,
        total: float,
        *,
        file: IO[str] | None = None,
        enabled: bool = True,
        unit: str = "s",
    ) -> None:
        self.description = description
        self.file = file
        self.enabled = enabled
        self.done = 0.0
        self.status = ""
        self._bar: Any = None
        if enabled:
            from tqdm.auto import tqdm

            self._bar = tqdm(
                total=total,
                desc=mask(description),
                file=file,
                unit=unit,
                bar_format="{desc}: {bar} {n:.0f}/{total:.0f} " + unit + "{postfix}",
                leave=True,
            )

    def update(self, elapsed: float, status: str) -> None:
        """Move the bar to ``elapsed`` (seconds or steps) and show ``status``."""
        self.status = mask(status)
        if self._bar is not None:
            self._bar.update(max(0.0, min(elapsed, self._bar.total) - self.done))
            self._bar.set_postfix_str(self.status, refresh=True)
        self.done = max(self.done, elapsed)

    def event(self, line: str) -> None:
        """Write one service event above the bar."""
        text = mask(line)
        if self._bar is not None:
            self._bar.write(text, file=self.file or sys.stderr)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> WaitProgress:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def interrupted_report(what: str, done: list[str], not_done: list[str], hint: str) -> str:
    """The text shown when the learner interrupts a wait: what is done, what is not, what next."""
    lines = [f"Interrupted {what}."]
    lines += [f"  done: {item}" for item in done] or ["  done: nothing yet"]
    lines += [f"  not done: {item}" for item in not_done]
    lines.append(hint)
    return mask("\n".join(lines))
