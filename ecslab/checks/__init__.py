"""Exercise checks on the learner's real resources: ``ecslab.check.repository(lab, "api")``.

Each check reads the account through the lab's boto3 clients (describe and list calls only), so
it works on the simulated backends and on a real account alike, and answers with a
:class:`CheckResult`: ✓, or each thing missing in a plain sentence and where to look. Runs are
recorded in the learner's progress file (:mod:`ecslab.progress`).
"""

from __future__ import annotations

from ecslab.checks.clusters import cluster, running_task
from ecslab.checks.ecs import secret, service, task_definition
from ecslab.checks.group_access import security_groups
from ecslab.checks.repositories import repository
from ecslab.checks.result import CheckResult
from ecslab.checks.routes import route

__all__ = [
    "CheckResult",
    "Checks",
    "check",
    "cluster",
    "repository",
    "route",
    "running_task",
    "secret",
    "security_groups",
    "service",
    "task_definition",
]


class Checks:
    """The exercise checks, one method each in course order, as ``ecslab.check`` shows them.

    A new check is one line here (``name = staticmethod(function)``); :meth:`names` and the
    listing find it by itself.
    """

    cluster = staticmethod(cluster)  # lesson 00
    repository = staticmethod(repository)  # 01
    running_task = staticmethod(running_task)  # 02
    security_groups = staticmethod(security_groups)  # 02 and 05
    task_definition = staticmethod(task_definition)  # 03
    service = staticmethod(service)  # 04 (05 with a target group)
    route = staticmethod(route)  # 05
    secret = staticmethod(secret)  # 07

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
            doc = (getattr(self, name).__doc__ or "").strip().splitlines()[0].replace("``", "")
            lines.append(f"  check.{name}(lab, ...): {doc}")
        return "\n".join(lines)


#: ``ecslab.check``: every check, e.g. ``check.task_definition(lab, "api")``.
check = Checks()
