"""What a check answers: ✓, or what is missing and where to look, as text and as HTML."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CheckResult:
    """The verdict on one exercise: ``passed``, what was found right, and each thing missing.

    It is truthy when the check passed, so ``assert check.repository(lab, "api")`` works in a test.
    """

    title: str
    passed: bool
    found: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    where: str = ""

    def __bool__(self) -> bool:
        return self.passed

    def text(self) -> str:
        if self.passed:
            lines = [f"✓ {self.title}"]
            lines += [f"  ✓ {line}" for line in self.found]
            return "\n".join(lines)
        lines = [f"✗ {self.title}: not yet."]
        lines += [f"  ✓ {line}" for line in self.found]
        lines += [f"  • {line}" for line in self.missing]
        if self.where:
            lines.append(f"  Where to look: {self.where}")
        return "\n".join(lines)

    def html(self) -> str:
        colour = "#1a7f37" if self.passed else "#cf222e"
        mark = "✓" if self.passed else "✗"
        heading = f"{mark} {_inline(self.title)}" + ("" if self.passed else ": not yet.")
        items = [f"<li>✓ {_inline(line)}</li>" for line in self.found]
        items += [f"<li>{_inline(line)}</li>" for line in self.missing]
        body = f'<ul style="margin:0.2em 0">{"".join(items)}</ul>' if items else ""
        where = (
            f'<div style="color:#57606a">Where to look: {_inline(self.where)}</div>'
            if self.where and not self.passed
            else ""
        )
        return (
            f'<div class="ecslab-check" style="border-left:4px solid {colour};padding:0.2em 0.8em">'
            f'<strong style="color:{colour}">{heading}</strong>{body}{where}</div>'
        )

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return f"<CheckResult {'passed' if self.passed else 'not yet'}: {self.title}>"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/plain": self.text(), "text/html": self.html()}


def _inline(text: str) -> str:
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


def recorded(result: CheckResult, lesson: str, key: str) -> CheckResult:
    """Note the run in the learner's progress file, then hand the result back."""
    from ecslab.progress import record_check

    record_check(lesson, key, result.passed)
    return result


def error_code(error: Exception) -> str:
    """The AWS error code of a botocore ``ClientError`` ("" for anything else)."""
    response = getattr(error, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))
