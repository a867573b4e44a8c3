"""moto's ECS (``moto.ecs.models``): tasks, containers, services, task definitions."""

from __future__ import annotations

from moto.ecs.models import Container, EC2ContainerServiceBackend, Task, ecs_backends

__all__ = ["Container", "EC2ContainerServiceBackend", "Task", "backend"]


def backend(account: str, region: str) -> EC2ContainerServiceBackend:
    return ecs_backends[account][region]
