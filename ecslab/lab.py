"""``Lab``: the learner's entry point, the same on every backend.

::

    import ecslab
    lab = ecslab.Lab()                     # simulated AWS in this process: the default
    ecs = lab.client("ecs")                # a real boto3 client
    lab = ecslab.Lab(backend="server", endpoint_url="http://127.0.0.1:5000")
    lab = ecslab.Lab(backend="aws", confirm=True)    # a real account, explicit opt-in only

Everything AWS can do is done with real boto3 clients; the lab adds only the verbs AWS lacks.
"""

from __future__ import annotations

import os
from types import TracebackType
from typing import TYPE_CHECKING, Any

import boto3

from ecslab.backends.base import Backend
from ecslab.errors import ConfigurationError
from ecslab.world.world import DEFAULT_SEED

if TYPE_CHECKING:
    from ecslab.world.faults import Faults

BACKENDS = ("moto", "server", "aws")
BACKEND_VARIABLE = "ECSLAB_BACKEND"
ENDPOINT_VARIABLE = "ECSLAB_ENDPOINT_URL"
LEARNER_VARIABLE = "ECSLAB_LEARNER"
DEFAULT_REGION = "us-east-1"
#: Said when a second simulated lab opens in one process: it starts empty, the first one goes.
REPLACED = (
    "A new Lab() starts an empty simulated account: what the previous lab built is gone. "
    "To keep it, go on with the lab you had instead of re-running Lab(); after a kernel "
    "restart, ecslab.course.catch_up(lab, <lesson>) rebuilds the earlier lessons."
)


class Lab:
    """An AWS to learn on: simulated (``"moto"``, ``"server"``) or real (``"aws"``).

    The backend comes from the argument, else the ``ECSLAB_BACKEND`` environment variable, else
    ``"moto"``. A lab is a context manager; ``close()`` undoes everything it changed in the
    process (patches, environment variables).
    """

    def __init__(
        self,
        backend: str | None = None,
        *,
        region: str | None = None,
        seed: int = DEFAULT_SEED,
        endpoint_url: str | None = None,
        learner: str | None = None,
        confirm: bool = False,
        profile: str | None = None,
        name: str | None = None,
    ) -> None:
        chosen = backend or os.environ.get(BACKEND_VARIABLE) or "moto"
        if chosen not in BACKENDS:
            source = "backend=" if backend else f"{BACKEND_VARIABLE}="
            raise ConfigurationError(
                f"Unknown backend {source}{chosen!r}. Choose one of: "
                + ", ".join(repr(b) for b in BACKENDS)
                + "."
            )
        from ecslab import arguments

        if region is not None:
            arguments.region(region)
        arguments.seed(seed)
        self._closed = False
        self.name: str = _lab_name(name)
        if chosen == "moto" and _replaces_open_lab():
            print(REPLACED)
        self._backend = _open_backend(
            chosen,
            region=region,
            seed=seed,
            endpoint_url=endpoint_url or os.environ.get(ENDPOINT_VARIABLE),
            learner=learner or os.environ.get(LEARNER_VARIABLE),
            confirm=confirm,
            profile=profile,
        )
        self._open_account()

    # -- what it is -----------------------------------------------------------------------------

    @property
    def backend(self) -> str:
        """``"moto"``, ``"server"`` or ``"aws"``."""
        return self._backend.name

    @property
    def simulated(self) -> bool:
        """True when the lab's AWS is ecslab's simulation (time and faults are ours to control)."""
        return self._backend.simulated

    @property
    def region(self) -> str:
        return self._backend.region

    @property
    def account_id(self) -> str:
        return self._backend.account_id

    @property
    def session(self) -> boto3.Session:
        """A boto3 Session on this lab's AWS."""
        return self._backend.session

    def __repr__(self) -> str:
        state = " closed" if self._closed else ""
        return (
            f"<Lab {self._backend.describe()} account={self.account_id} "
            f"region={self.region}{state}>"
        )

    # -- AWS, through real boto3 ----------------------------------------------------------------

    def client(self, service: str, **kwargs: Any) -> Any:
        """A real boto3 client for ``service`` (``"ecs"``, ``"ecr"``, ``"elbv2"``, ...)."""
        return self._backend.client(service, **kwargs)

    # -- the verbs AWS lacks --------------------------------------------------------------------

    def advance(self, seconds: float) -> None:
        """Move the simulated world's clock forward by ``seconds``, letting it act on the way.

        ``seconds`` is a number from 0 up to an hour (3600); go further with more calls."""
        from ecslab import arguments

        self._backend.advance(arguments.seconds(seconds))

    @property
    def now(self) -> float:
        """Virtual seconds since the lab started (simulated backends only)."""
        return self._backend.now()

    @property
    def state_version(self) -> object | None:
        """Changes whenever the account may have changed (``None``: cannot tell, so assume it
        did); lets the live diagram skip re-reading an account no cell touched."""
        return self._backend.state_version()

    def reset(self) -> None:
        """Empty the simulated account: no resources, the clock and IDs back at their start."""
        self._backend.reset()

    def wait_stable(self, cluster: str, service: str, timeout: float = 600) -> float:
        """Wait until the service has reached a steady state; the seconds it took.

        Simulated backends move the virtual clock (no real waiting). Raises
        ``ServiceNotStable`` when ``timeout`` seconds pass first or the service does not exist."""
        from ecslab import arguments
        from ecslab.account.waiting import StableAfter
        from ecslab.errors import ServiceNotStable

        timeout = arguments.seconds(timeout, "lab.wait_stable's timeout")
        try:
            return StableAfter(self._backend.wait_stable(cluster, service, timeout))
        except (TimeoutError, LookupError) as error:
            from ecslab.checks.ecs import why_not_stable

            where = why_not_stable(self, cluster, service)
            raise ServiceNotStable(f"{error}\n{where}" if where else str(error)) from None

    def request(
        self,
        path_or_url: str,
        method: str = "GET",
        host: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        """Send one HTTP request through the simulated Application Load Balancer.

        The result shows the answer (``status``, ``body``) and the way it went (``rule_arn``,
        ``target_group_arn``, ``target_id``); it is also kept as ``lab.last_request``. A path
        in an account without a load balancer raises :class:`~ecslab.errors.NoLoadBalancer`,
        on every backend."""
        from ecslab import arguments

        path_or_url = arguments.request_path(path_or_url)
        self.last_request = self._backend.request(path_or_url, method, host, headers)
        return self.last_request

    #: The result of the latest :meth:`request`, or ``None``.
    last_request: Any = None

    @property
    def faults(self) -> Faults:
        """Break things on purpose (simulated backends): ``lab.faults.kill_task(...)``, ..."""
        from ecslab.world.faults import Faults

        return Faults(self._backend.fault)

    # -- what the lab owns: tags, plan, cost, teardown (ecslab.account) -------------------------

    def _open_account(self) -> None:
        from ecslab.account.masking import SecretWatcher, start_masking
        from ecslab.account.tags import AutoTagger, default_session

        self._creator: str | None = None
        self._tagger = AutoTagger(lambda: self.tags)
        self._tagger.install(self.session, default_session())
        self._secret_watcher = SecretWatcher()  # remembers secret values, so they can be masked
        self._secret_watcher.install(self.session, default_session())
        start_masking()  # log records and exceptions shown in IPython

    @property
    def tags(self) -> dict[str, str]:
        """The tags on everything this lab creates (added to the course's create calls)."""
        from ecslab.account.tags import lab_tags

        if self._creator is None:
            self._creator = (
                getattr(self._backend, "caller_arn", None)
                or (self.session.client("sts").get_caller_identity()["Arn"])
            )
        return lab_tags(self.name, self._creator)

    def prefixed(self, name: str) -> str:
        """``name`` with the lab's prefix: ``lab.prefixed("web")`` → ``"ecslab-web"``."""
        from ecslab.account.tags import prefixed

        return prefixed(name, self.name)

    def plan(self, lesson: str | None = None) -> Any:
        """What a lesson (or, by default, the whole course) will create, and its hourly cost."""
        from ecslab.account.plan import course_plan

        return course_plan(lesson, lab=self.name, region=self.region)

    def cost(self) -> Any:
        """An estimate of what the lab's tagged resources cost now, per hour and per day."""
        from ecslab.account.cost import estimate_cost

        return estimate_cost(self)

    def teardown(self, dry_run: bool = False) -> Any:
        """Delete everything carrying this lab's tag, in dependency order; nothing else.

        The live diagram stops redrawing first: it keeps the picture of what was built."""
        from ecslab.account.teardown import teardown
        from ecslab.views.lab_views import views_of

        if not dry_run:
            views_of(self).freeze()
        return teardown(self, dry_run=dry_run)

    # -- pictures of the account (ecslab.views) --------------------------------------------------

    def snapshot(self) -> Any:
        """The account read in one batch of describe calls: clusters, services, tasks, ALBs..."""
        from ecslab.views.lab_views import views_of

        return views_of(self).snapshot()

    def diagram(self, focus: str | None = None) -> Any:
        """The account drawn now; ``focus="web"`` keeps only what touches the resource named."""
        from ecslab.views.lab_views import views_of

        return views_of(self).diagram(focus)

    def live(self, focus: str | None = None, *, enabled: bool = True, beside: bool = False) -> Any:
        """A diagram redrawn after every cell, changes highlighted; ``lab.live(enabled=False)``
        (or ``.stop()`` on it) turns it off. ``beside=True`` also keeps it in a JupyterLab side
        panel, in sight while the notebook scrolls."""
        from ecslab.views.lab_views import views_of

        return views_of(self).live(focus, enabled=enabled, beside=beside)

    # -- lifetime -------------------------------------------------------------------------------

    def close(self) -> None:
        """Undo what the lab changed in this process. Safe to call twice."""
        if not self._closed:
            self._closed = True
            self._tagger.uninstall()
            self._secret_watcher.uninstall()
            from ecslab.account.masking import stop_masking

            stop_masking()
            self._backend.close()

    def __enter__(self) -> Lab:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _lab_name(name: str | None) -> str:
    from ecslab.account.tags import lab_name

    return lab_name(name)


def _open_backend(
    name: str,
    *,
    region: str | None,
    seed: int,
    endpoint_url: str | None,
    learner: str | None,
    confirm: bool,
    profile: str | None,
) -> Backend:
    if name == "moto":
        from ecslab.backends.inprocess import InProcessBackend

        return InProcessBackend(region or DEFAULT_REGION, seed)
    if name != "moto":  # a browser has no sockets, and AWS's endpoints refuse its requests
        from ecslab import pyodide_platform

        pyodide_platform.refuse_in_browser(
            f"Lab(backend={name!r})", "use Lab() here, or run the course on your machine"
        )
    if name == "server":
        from ecslab.backends.server import ServerBackend

        return ServerBackend(region or DEFAULT_REGION, endpoint_url, learner)
    from ecslab.backends.aws import AwsBackend

    return AwsBackend(region, profile, confirm)


def _replaces_open_lab() -> bool:
    import sys

    inprocess = sys.modules.get("ecslab.backends.inprocess")  # not imported: no lab opened yet
    return bool(inprocess and inprocess.lab_is_open())
