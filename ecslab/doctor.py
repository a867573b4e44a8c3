"""Is this machine ready for the course? Each finding comes with its fix.

``ecslab doctor`` prints the report (:mod:`ecslab.cli.doctor_cli`). It reads the machine; it
never changes anything and never prints a secret (for real AWS credentials it says only where
they were found).
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecslab import __version__, pyodide_platform


@dataclass(frozen=True)
class Finding:
    """One line of the report: ``ok`` or not, what was seen, and how to fix it when not."""

    name: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        mark = "✓" if self.ok else "✗"
        text = f"{mark} {self.name}: {self.detail}"
        return text if self.ok or not self.fix else f"{text}\n    fix: {self.fix}"


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def check_versions() -> list[Finding]:
    findings = [
        Finding(
            "python",
            sys.version_info >= (3, 11),
            platform.python_version(),
            "ecslab needs Python 3.11 or newer.",
        ),
        Finding("ecslab", True, __version__),
    ]
    for package, fix in (
        ("boto3", 'pip install -e ".[lab]"'),
        ("moto", 'pip install -e ".[lab]"'),
    ):
        version = _version(package)
        findings.append(Finding(package, version is not None, version or "not installed", fix))
    return findings


def check_platform() -> Finding:
    """Where ecslab runs: a machine's Python, or the browser edition's Pyodide."""
    if pyodide_platform.IN_BROWSER:
        return Finding(
            "platform",
            True,
            f"{pyodide_platform.name()}: the simulated backend only, no workshop server, real "
            "account or subprocesses",
        )
    return Finding("platform", True, f"{platform.system() or sys.platform} ({platform.machine()})")


def check_backend() -> Finding:
    from ecslab.lab import BACKEND_VARIABLE, BACKENDS

    chosen = os.environ.get(BACKEND_VARIABLE) or "moto"
    if pyodide_platform.IN_BROWSER and chosen != "moto":
        return Finding(
            "backend",
            False,
            pyodide_platform.cannot_in_browser(f"{BACKEND_VARIABLE}={chosen!r}", "use Lab()"),
            f"unset {BACKEND_VARIABLE}",
        )
    if chosen not in BACKENDS:
        return Finding(
            "backend",
            False,
            f"{BACKEND_VARIABLE}={chosen!r} is not a backend",
            f"unset {BACKEND_VARIABLE}, or set it to one of {', '.join(BACKENDS)}",
        )
    where = {
        "moto": "simulated, in the notebook's own process",
        "server": "simulated, on a workshop server shared by the room",
        "aws": "a real AWS account",
    }[chosen]
    return Finding("backend", True, f"{chosen} ({where})")


def check_room() -> list[Finding]:
    """With the server backend: does the workshop server answer, and who will this learner be?"""
    import json
    import urllib.error
    import urllib.request

    from ecslab.backends.server import account_for
    from ecslab.lab import BACKEND_VARIABLE, ENDPOINT_VARIABLE, LEARNER_VARIABLE

    if os.environ.get(BACKEND_VARIABLE) != "server":
        return []
    banner = "the address the instructor's `ecslab server` banner shows"
    url = os.environ.get(ENDPOINT_VARIABLE, "").strip().rstrip("/")
    if not url:
        found = Finding(
            "room", False, f"{ENDPOINT_VARIABLE} is not set", f"set {ENDPOINT_VARIABLE} to {banner}"
        )
    else:
        try:
            with urllib.request.urlopen(f"{url}/_ecslab/status", timeout=5) as response:
                status = json.loads(response.read())
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", None) or error
            found = Finding(
                "room",
                False,
                f"nothing answers at {url} ({reason})",
                f"check {ENDPOINT_VARIABLE} against {banner}, and that this machine is on the "
                "room's network",
            )
        else:
            ours = isinstance(status, dict) and status.get("server") == "ecslab"
            found = Finding(
                "room",
                ours,
                f"ecslab server at {url}, clock at {status.get('speed', 1)}× real time"
                if ours
                else f"{url} answers, but it is not an ecslab server",
                f"set {ENDPOINT_VARIABLE} to {banner}",
            )
    return [found, _learner_finding(os.environ.get(LEARNER_VARIABLE, ""), account_for)]


def _learner_finding(name: str, account_for: Any) -> Finding:
    from ecslab.backends.learner_names import learner_name
    from ecslab.errors import ConfigurationError
    from ecslab.lab import LEARNER_VARIABLE

    fix = f'set {LEARNER_VARIABLE} to your name, e.g. {LEARNER_VARIABLE}="Ada Lovelace"'
    if not name.strip():
        return Finding("learner", False, "no learner name is set", fix)
    try:
        shown = learner_name(name)
    except ConfigurationError as error:
        return Finding("learner", False, str(error), fix)
    return Finding("learner", True, f"{shown!r}, your own account {account_for(shown)}")


def check_graphviz() -> Finding:
    """Which renderer will draw the diagrams, and whether it really draws."""
    from ecslab.errors import RenderError
    from ecslab.views.render import INSTALL_HINT, find_renderer

    try:
        renderer = find_renderer()
        renderer.render("digraph { a -> b }")
    except (RenderError, OSError) as error:
        return Finding("diagrams", False, f"cannot draw: {error}".splitlines()[0], INSTALL_HINT)
    return Finding("diagrams", True, f"drawn by {renderer.name}")


def check_widgets() -> Finding:
    version = _version("jupyterlab_widgets")
    if pyodide_platform.IN_BROWSER:  # the extension is part of the site, not of this Python
        return Finding("widgets", True, f"JupyterLab widgets extension {version}, in the site")
    extension = Path(
        sys.prefix, "share", "jupyter", "labextensions", "@jupyter-widgets", "jupyterlab-manager"
    )
    if version and extension.is_dir():
        return Finding("widgets", True, f"JupyterLab widgets extension {version}")
    return Finding(
        "widgets",
        False,
        "the JupyterLab widgets extension is not installed",
        'pip install -e ".[lab]"  (or: pip install ipywidgets)',
    )


def check_real_aws() -> Finding:
    """Where real credentials would come from, without reading or printing them."""
    sources = [name for name in ("AWS_ACCESS_KEY_ID", "AWS_PROFILE") if os.environ.get(name)]
    credentials = Path(os.environ.get("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"))
    config = Path(os.environ.get("AWS_CONFIG_FILE", "~/.aws/config"))
    sources += [str(p) for p in (credentials, config) if p.expanduser().is_file()]
    if sources:
        return Finding(
            "real AWS",
            True,
            "credentials may come from "
            + ", ".join(sources)
            + " (used only with Lab(backend='aws', confirm=True))",
        )
    return Finding(
        "real AWS",
        True,
        "no credentials found: fine, the course runs offline "
        "(for a real account later: aws configure)",
    )


def findings() -> list[Finding]:
    return [
        check_platform(),
        *check_versions(),
        check_backend(),
        *check_room(),
        check_graphviz(),
        check_widgets(),
        check_real_aws(),
    ]


def report() -> tuple[bool, str]:
    """Every finding as text, and whether all are fine."""
    found = findings()
    return all(f.ok for f in found), "\n".join(f.line() for f in found)
