"""Exercise checks on the learner's real resources: ``ecslab.check.repository(lab, "api")``.

Each check reads the account through the lab's boto3 clients (describe and list calls only), so
it works on the simulated backends and on a real account alike, and answers with a
:class:`CheckResult`: ✓, or each thing missing in a plain sentence and where to look. Runs are
recorded in the learner's progress file (:mod:`ecslab.progress`).
"""

from __future__ import annotations

from ecslab.checks.ecr import repository
from ecslab.checks.ecs import secret, service, task_definition
from ecslab.checks.result import CheckResult

__all__ = ["CheckResult", "Checks", "check", "repository", "secret", "service", "task_definition"]


class Checks:
    """The exercise checks, one method each, as ``ecslab.check`` shows them.

    A new check is one line here (``name = staticmethod(function)``); :meth:`names` and the
    listing find it by itself.
    """

    repository = staticmethod(repository)
    task_definition = staticmethod(task_definition)
    service = staticmethod(service)
    secret = staticmethod(secret)

    def names(self) -> list[str]:
        """Every check, in the order the class lists them."""
        return [
            name
            for name, value in vars(Checks).items()
            if isinstance(value, staticmethod) and not name.startswith("_")
        ]

    def __repr__(self) -> str:
        lines = ["Exercise checks (each takes your lab first):"]
        for name in self.names():
            doc = (getattr(self, name).__doc__ or "").strip().splitlines()[0]
            lines.append(f"  check.{name}(lab, ...): {doc}")
        return "\n".join(lines)


#: ``ecslab.check``: every check, e.g. ``check.task_definition(lab, "api")``.
check = Checks()
