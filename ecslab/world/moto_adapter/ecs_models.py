"""moto's ECS (``moto.ecs.models``): tasks, containers, services, task definitions."""

from __future__ import annotations

from ecslab.semantics.service_models import shared_by_new_sessions

with shared_by_new_sessions():  # it imports moto's EC2, which makes botocore sessions
    from moto.ecs.models import Container, EC2ContainerServiceBackend, Task, ecs_backends

from ecslab.world.moto_adapter.core import backend_of

__all__ = ["Container", "EC2ContainerServiceBackend", "Task", "backend"]


def backend(account: str, region: str) -> EC2ContainerServiceBackend:
    return backend_of(ecs_backends, account, region)
