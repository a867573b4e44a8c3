"""What a lab asks of the running world: wait for a steady service, send a request, break something.

The in-process backend calls these directly; the ecslab server calls them from its control
routes. Each first lets the world catch up with its clock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ecslab.semantics.arns import service_key
from ecslab.semantics.fault_results import FaultResult
from ecslab.semantics.listener_rules import Request
from ecslab.semantics.requests import RequestResult
from ecslab.world import faults, routing
from ecslab.world.runtime import runtime_of, steady

if TYPE_CHECKING:
    from ecslab.world.world import World


def wait_stable(
    world: World, account: str, region: str, cluster: str, service: str, timeout: float
) -> float:
    """Move the clock, instant by instant, until the service is steady; the seconds waited.

    Raises ``TimeoutError`` when ``timeout`` virtual seconds pass first, ``LookupError`` for a
    service that does not exist."""
    runtime = runtime_of(world)
    world.tick()
    if service_key(account, region, cluster, service) not in runtime.services:
        raise LookupError(f"Service {service} does not exist in cluster {cluster}.")
    start = world.clock.now
    while not steady(runtime, account, region, cluster, service):
        due = world.clock.peek()
        left = start + timeout - world.clock.now
        if due is None or due - world.clock.now > left:
            world.advance(max(0.0, left))
            if steady(runtime, account, region, cluster, service):
                break
            raise TimeoutError(
                f"Service {service} did not reach a steady state within {timeout:g} seconds."
            )
        world.advance(due - world.clock.now)
    return float(world.clock.now - start)


def request(
    world: World,
    account: str,
    region: str,
    path_or_url: str,
    method: str = "GET",
    host: str | None = None,
    headers: dict[str, str] | None = None,
) -> RequestResult:
    """One request through the account's Application Load Balancer."""
    runtime = runtime_of(world)
    world.tick()
    parsed = Request.parse(path_or_url, method, host, headers)
    return routing.send(runtime, account, region, parsed, path_or_url)


def fault(world: World, account: str, region: str, kind: str, args: dict[str, Any]) -> FaultResult:
    """Apply one of :mod:`ecslab.world.faults`' faults."""
    runtime = runtime_of(world)
    world.tick()
    return faults.apply(runtime, account, region, kind, args)
