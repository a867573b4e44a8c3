"""Security-group rules, and whether a set of groups admits a peer on a TCP port.

What AWS does: rules only allow; a connection is allowed when *any* rule of *any* group of the
interface matches. A rule names a protocol (``tcp``, ``udp``, ``icmp``, a number, or ``-1`` for
all, which "allows traffic on all ports, regardless of any port range you specify"), a port
range, and exactly one source: an IPv4 range or another security group. A group reference
matches the *private* addresses of the interfaces in that group, so traffic from the internet
only ever matches IPv4 ranges. Groups are stateful: replies are always allowed.
Sources: https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html,
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html

Differs from AWS: IPv6 ranges and prefix lists are kept but never match (the world has no IPv6
traffic, and a prefix list is treated as the S3 gateway's own route, not as a rule source).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

ALL = "-1"
#: Protocol names AWS accepts besides numbers and -1 (botocore's ``IpPermission.IpProtocol``).
NAMED_PROTOCOLS = {"tcp": "6", "udp": "17", "icmp": "1", "icmpv6": "58"}


@dataclass(frozen=True)
class Rule:
    """One inbound or outbound rule: a protocol, a port range, and its peers."""

    protocol: str  # "-1", "6" (tcp), "17" (udp), ... as a number string
    from_port: int | None
    to_port: int | None
    cidrs: tuple[ipaddress.IPv4Network, ...] = ()
    groups: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls,
        protocol: str,
        from_port: int | None,
        to_port: int | None,
        cidrs: Iterable[str] = (),
        groups: Iterable[str] = (),
    ) -> Rule:
        number = NAMED_PROTOCOLS.get(str(protocol).lower(), str(protocol))
        return cls(
            number,
            from_port,
            to_port,
            tuple(ipaddress.IPv4Network(c, strict=False) for c in cidrs),
            frozenset(groups),
        )

    def covers_tcp(self, port: int) -> bool:
        """Whether the rule's protocol and ports include TCP ``port``."""
        if self.protocol == ALL or self.protocol not in ("6", "17", "1", "58"):
            return True  # -1 and other numbers: all ports (botocore's IpPermission)
        if self.protocol != "6":
            return False
        low = -1 if self.from_port is None else self.from_port
        high = 65535 if self.to_port is None else self.to_port
        return (low == -1 or low <= port) and (high == -1 or port <= high)

    def matches(self, peer_ip: ipaddress.IPv4Address, peer_groups: frozenset[str]) -> bool:
        """Whether the peer (its address, and its groups when it is inside the VPC) matches."""
        if self.groups & peer_groups:
            return True
        return any(peer_ip in network for network in self.cidrs)


@dataclass(frozen=True)
class Group:
    """A security group: its id, name, VPC and rules in both directions."""

    id: str
    name: str
    vpc: str
    inbound: tuple[Rule, ...] = ()
    outbound: tuple[Rule, ...] = ()


def admits(
    rules: Iterable[Rule], port: int, peer_ip: ipaddress.IPv4Address, peer_groups: frozenset[str]
) -> bool:
    """Whether any of ``rules`` lets a TCP connection with the peer through on ``port``."""
    return any(r.covers_tcp(port) and r.matches(peer_ip, peer_groups) for r in rules)
