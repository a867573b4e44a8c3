"""moto's ELBv2 (``moto.elbv2.models``): load balancers, listeners, rules, target groups."""

from __future__ import annotations

from ecslab.semantics.service_models import shared_by_new_sessions

with shared_by_new_sessions():  # it imports moto's EC2, which makes botocore sessions
    from moto.elbv2.models import ELBv2Backend, FakeHealthStatus, FakeTargetGroup, elbv2_backends

from ecslab.world.moto_adapter.core import backend_of

__all__ = ["ELBv2Backend", "FakeHealthStatus", "FakeTargetGroup", "backend"]


def backend(account: str, region: str) -> ELBv2Backend:
    return backend_of(elbv2_backends, account, region)
