"""moto's EC2 (``moto.ec2``): VPCs, subnets, route tables, gateways, network interfaces."""

from __future__ import annotations

from ecslab.semantics.service_models import shared_by_new_sessions

with shared_by_new_sessions():  # its region table makes three botocore sessions
    from moto.ec2.models import EC2Backend, ec2_backends
    from moto.ec2.models.elastic_network_interfaces import NetworkInterface
    from moto.ec2.models.internet_gateways import InternetGateway
    from moto.ec2.utils import generate_dns_from_ip

from ecslab.world.moto_adapter.core import backend_of

__all__ = [
    "EC2Backend",
    "InternetGateway",
    "NetworkInterface",
    "backend",
    "backend_if_made",
    "generate_dns_from_ip",
]


def backend(account: str, region: str) -> EC2Backend:
    """The account's EC2 in ``region`` (moto makes it, with its default VPC, on first use)."""
    return backend_of(ec2_backends, account, region)


def backend_if_made(account: str, region: str) -> EC2Backend | None:
    """The account's EC2 in ``region`` if moto has made it already, else ``None``."""
    if account not in ec2_backends or region not in ec2_backends[account]:
        return None
    return ec2_backends[account][region]
