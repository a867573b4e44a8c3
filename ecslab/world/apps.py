"""What the software inside each container image does, in the simulated world.

AWS runs the image; the world has no containers, so it asks an *app behaviour* instead: how long
the container takes to start answering, what it answers on each path (the ALB's requests and
health checks both come here), and whether it exits. Behaviours are registered per image, by
digest (``sha256:...``) or by image reference (``<registry>/<repo>:<tag>``); an image the world
knows nothing about (one put with a plain ``ecr.put_image``, say) is a generic web server that
answers 200 on every path of its container ports after a short start.

What a behaviour declares is what the task definition is judged against, so a mistake in the
task definition has the consequence it has on AWS: ``memory_mib`` (the app's working set: above
the container's ``memory`` hard limit, or the task's memory, the kernel kills it, exit 137),
``listen_port`` (the port the process binds; ``None`` binds whatever port the task maps: a
port mapping or target group on another port gets no answer), ``startup_seconds`` (a slow start
outlasts a short health-check grace period), ``entrypoint`` (what fails with ``exec format
error`` on the wrong CPU architecture) and ``exit_code`` (what makes it crash). Only
``startup_seconds``, ``answer`` and ``exit_code`` are required; :func:`memory_need`,
:func:`listens_on` and :func:`entrypoint_of` give the others' defaults.

Lessons and the example app's pipeline register their own behaviours.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class HttpAnswer:
    """One HTTP answer from a container."""

    status: int
    body: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)


@runtime_checkable
class AppBehaviour(Protocol):
    """What one image's containers do. ``environment`` is the container's environment as ECS
    sets it: the task definition's ``environment`` plus resolved ``secrets``."""

    #: Seconds from the container starting until it answers requests.
    startup_seconds: float

    def answer(
        self, method: str, path: str, headers: Mapping[str, str], environment: Mapping[str, str]
    ) -> HttpAnswer:
        """Answer one request (``path`` may carry a query string)."""

    def exit_code(self, environment: Mapping[str, str]) -> int | None:
        """``None`` while the container keeps running; otherwise the code it exits with, right
        after starting (a crash on boot)."""


#: Defaults for a behaviour that does not declare them: a small web server (plausible, not
#: measured: nginx's own footprint is a few MiB; the margin keeps every Fargate size safe).
DEFAULT_MEMORY_MIB = 64
DEFAULT_ENTRYPOINT = "/usr/local/bin/docker-entrypoint.sh"


def memory_need(app: AppBehaviour) -> int:
    """MiB the app's processes use once started."""
    return int(getattr(app, "memory_mib", DEFAULT_MEMORY_MIB))


def listens_on(app: AppBehaviour, mapped: int | None) -> int | None:
    """The port the app's process binds, given the port its task definition maps."""
    port = getattr(app, "listen_port", None)
    return mapped if port is None else int(port)


def entrypoint_of(app: AppBehaviour) -> str:
    """The executable the container starts (what ``exec`` names when it cannot run it)."""
    return str(getattr(app, "entrypoint", DEFAULT_ENTRYPOINT))


@dataclass
class GenericWebServer:
    """The behaviour of an image the world knows nothing about: 200 on every path of whatever
    port it is mapped to, started in 5 s, in 64 MiB (plausible small defaults)."""

    startup_seconds: float = 5.0
    body: str = "OK"
    memory_mib: int = DEFAULT_MEMORY_MIB
    listen_port: int | None = None
    entrypoint: str = DEFAULT_ENTRYPOINT

    def answer(
        self, method: str, path: str, headers: Mapping[str, str], environment: Mapping[str, str]
    ) -> HttpAnswer:
        return HttpAnswer(200, self.body, {"content-type": "text/plain"})

    def exit_code(self, environment: Mapping[str, str]) -> int | None:
        return None


class AppRegistry:
    """Image → behaviour, for one world (every account in it)."""

    def __init__(self) -> None:
        self._by_key: dict[str, AppBehaviour] = {}
        self.default: AppBehaviour = GenericWebServer()

    def register(self, image: str, behaviour: AppBehaviour) -> None:
        """Use ``behaviour`` for containers of ``image`` (a digest or an image reference)."""
        self._by_key[image] = behaviour

    def unregister(self, image: str) -> None:
        self._by_key.pop(image, None)

    def lookup(self, image: str, digest: str | None = None) -> AppBehaviour:
        """The behaviour for a container: by digest first, then by reference, else the default."""
        if digest and digest in self._by_key:
            return self._by_key[digest]
        return self._by_key.get(image, self.default)

    def clear(self) -> None:
        self._by_key.clear()
