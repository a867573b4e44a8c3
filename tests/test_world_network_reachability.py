"""The reachability function, rule by rule (VPC and ALB guides' security-group semantics)."""

from __future__ import annotations

import ipaddress

from ecslab.world.network.reachability import (
    BLOCKED,
    CLIENT,
    NO_PUBLIC_IP,
    NO_ROUTE,
    Interface,
    Internet,
    reach,
)
from ecslab.world.network.security_groups import Group, Rule
from ecslab.world.network.topology import NatGateway, Route, Subnet, Topology, Vpc

NET = ipaddress.IPv4Network
ALL_OUT = Rule.of("-1", None, None, ["0.0.0.0/0"])
ECR = Internet(ipaddress.IPv4Address("44.213.79.104"), "api.ecr.us-east-1.amazonaws.com")


def _topology(*groups: Group, nat_state: str = "available", attached: bool = True) -> Topology:
    vpc = Vpc("vpc-1", NET("10.0.0.0/16"), "igw-1" if attached else None)
    local = Route(NET("10.0.0.0/16"), "local")
    return Topology(
        vpcs={"vpc-1": vpc, "vpc-2": Vpc("vpc-2", NET("10.9.0.0/16"))},
        subnets={
            "public": Subnet("public", "vpc-1", "a", NET("10.0.1.0/24"), "rtb-public"),
            "private": Subnet("private", "vpc-1", "a", NET("10.0.2.0/24"), "rtb-private"),
            "isolated": Subnet("isolated", "vpc-1", "a", NET("10.0.3.0/24"), "rtb-local"),
            "other": Subnet("other", "vpc-2", "a", NET("10.9.1.0/24"), "rtb-other"),
        },
        route_tables={
            "rtb-public": (local, Route(NET("0.0.0.0/0"), "igw-1")),
            "rtb-private": (local, Route(NET("0.0.0.0/0"), "nat-1")),
            "rtb-local": (local,),
            "rtb-other": (Route(NET("10.9.0.0/16"), "local"),),
        },
        groups={g.id: g for g in groups},
        nat_gateways={"nat-1": NatGateway("nat-1", "public", nat_state)},
    )


def _eni(name: str, ip: str, subnet: str, *groups: str, public: bool = False) -> Interface:
    vpc = "vpc-2" if subnet == "other" else "vpc-1"
    return Interface(name, ipaddress.IPv4Address(ip), subnet, vpc, frozenset(groups), public)


ALB_SG = Group("sg-alb", "alb", "vpc-1", (Rule.of("tcp", 80, 80, ["0.0.0.0/0"]),), (ALL_OUT,))
TASK_SG = Group(
    "sg-task", "task", "vpc-1", (Rule.of("tcp", 8000, 8000, groups=["sg-alb"]),), (ALL_OUT,)
)
NEW_SG = Group("sg-new", "new", "vpc-1", (), (ALL_OUT,))
DEFAULT_SG = Group(
    "sg-default",
    "default",
    "vpc-1",
    (Rule.of("-1", None, None, groups=["sg-default"]),),
    (ALL_OUT,),
)


def test_a_group_reference_admits_members_of_that_group() -> None:
    """Task SG admits 8000 from the ALB's SG: the ALB node gets in, another member does not."""
    net = _topology(ALB_SG, TASK_SG, NEW_SG)
    node = _eni("alb-node", "10.0.1.5", "public", "sg-alb")
    task = _eni("task", "10.0.1.20", "public", "sg-task")
    stranger = _eni("other", "10.0.1.30", "public", "sg-new")
    assert reach(net, node, task, 8000)
    verdict = reach(net, stranger, task, 8000)
    assert verdict.kind == BLOCKED and verdict.groups == ("sg-task",)


def test_the_port_range_decides() -> None:
    """A rule for 8000 does not admit 8501."""
    net = _topology(ALB_SG, TASK_SG)
    node = _eni("alb-node", "10.0.1.5", "public", "sg-alb")
    task = _eni("task", "10.0.1.20", "public", "sg-task")
    assert not reach(net, node, task, 8501)


def test_minus_one_means_every_protocol_and_port() -> None:
    """The default group admits its own members on every port."""
    net = _topology(DEFAULT_SG)
    one = _eni("a", "10.0.1.5", "public", "sg-default")
    two = _eni("b", "10.0.1.6", "public", "sg-default")
    assert reach(net, one, two, 8501) and reach(net, one, two, 22)


def test_a_cidr_rule_admits_addresses_inside_it() -> None:
    """An inbound 10.0.0.0/16 rule admits any interface of the VPC, whatever its groups."""
    vpc_wide = Group("sg-vpc", "vpc", "vpc-1", (Rule.of("tcp", 80, 80, ["10.0.0.0/16"]),), ())
    net = _topology(vpc_wide, NEW_SG)
    assert reach(
        net,
        _eni("a", "10.0.2.9", "private", "sg-new"),
        _eni("b", "10.0.1.9", "public", "sg-vpc"),
        80,
    )


def test_a_new_group_admits_nothing_inbound() -> None:
    """CreateSecurityGroup's group: no inbound rule, so nothing gets in."""
    net = _topology(NEW_SG, ALB_SG)
    verdict = reach(
        net,
        _eni("a", "10.0.1.5", "public", "sg-alb"),
        _eni("b", "10.0.1.6", "public", "sg-new"),
        80,
    )
    assert verdict.kind == BLOCKED and "inbound" in verdict.detail


def test_outbound_is_checked_on_the_source() -> None:
    """A source group without an outbound rule cannot open anything."""
    closed = Group("sg-closed", "closed", "vpc-1", (), ())
    net = _topology(closed, DEFAULT_SG)
    verdict = reach(
        net,
        _eni("a", "10.0.1.5", "public", "sg-closed"),
        _eni("b", "10.0.1.6", "public", "sg-default"),
        80,
    )
    assert verdict.kind == BLOCKED and "outbound" in verdict.detail


def test_the_internet_matches_cidr_rules_only() -> None:
    """A client reaches the ALB's 0.0.0.0/0 rule; a group-only rule never admits the internet."""
    net = _topology(ALB_SG, DEFAULT_SG)
    alb = _eni("alb", "10.0.1.5", "public", "sg-alb", public=True)
    assert reach(net, CLIENT, alb, 80)
    in_default = _eni("alb", "10.0.1.5", "public", "sg-default", public=True)
    assert reach(net, CLIENT, in_default, 80).kind == BLOCKED


def test_from_the_internet_needs_a_public_address_and_a_public_subnet() -> None:
    """No public IP, or a subnet without an internet gateway route: no way in."""
    net = _topology(ALB_SG)
    assert reach(net, CLIENT, _eni("a", "10.0.1.5", "public", "sg-alb"), 80).kind == NO_PUBLIC_IP
    private = _eni("a", "10.0.2.5", "private", "sg-alb", public=True)
    assert reach(net, CLIENT, private, 80).kind == NO_ROUTE


def test_out_through_the_internet_gateway_needs_a_public_ip() -> None:
    """A public subnet and a public IP reach ECR; without the public IP, no."""
    net = _topology(NEW_SG)
    assert reach(net, _eni("t", "10.0.1.9", "public", "sg-new", public=True), ECR, 443)
    verdict = reach(net, _eni("t", "10.0.1.9", "public", "sg-new"), ECR, 443)
    assert verdict.kind == NO_PUBLIC_IP


def test_a_public_ip_without_an_internet_gateway_route_does_not_help() -> None:
    """VPC guide: private-subnet instances cannot use the gateway even with public IPs."""
    net = _topology(NEW_SG)
    verdict = reach(net, _eni("t", "10.0.3.9", "isolated", "sg-new", public=True), ECR, 443)
    assert verdict.kind == NO_ROUTE


def test_a_detached_internet_gateway_leads_nowhere() -> None:
    """A route to a gateway that is not attached to the VPC does not lead out."""
    net = _topology(NEW_SG, attached=False)
    verdict = reach(net, _eni("t", "10.0.1.9", "public", "sg-new", public=True), ECR, 443)
    assert verdict.kind == NO_ROUTE


def test_out_through_an_available_nat_gateway_in_a_public_subnet() -> None:
    """A private subnet routed to an available NAT gateway reaches the internet."""
    assert reach(_topology(NEW_SG), _eni("t", "10.0.2.9", "private", "sg-new"), ECR, 443)
    pending = _topology(NEW_SG, nat_state="pending")
    assert reach(pending, _eni("t", "10.0.2.9", "private", "sg-new"), ECR, 443).kind == NO_ROUTE


def test_a_nat_gateway_in_a_subnet_without_gateway_route_leads_nowhere() -> None:
    """The NAT gateway must sit in a public subnet."""
    net = _topology(NEW_SG)
    moved = Topology(
        net.vpcs,
        net.subnets,
        net.route_tables,
        net.groups,
        {"nat-1": NatGateway("nat-1", "isolated", "available")},
    )
    assert reach(moved, _eni("t", "10.0.2.9", "private", "sg-new"), ECR, 443).kind == NO_ROUTE


def test_outbound_443_must_be_allowed_to_go_out() -> None:
    """A task group whose egress allows only 80 cannot reach ECR on 443."""
    web_only = Group("sg-80", "80", "vpc-1", (), (Rule.of("tcp", 80, 80, ["0.0.0.0/0"]),))
    net = _topology(web_only)
    verdict = reach(net, _eni("t", "10.0.1.9", "public", "sg-80", public=True), ECR, 443)
    assert verdict.kind == BLOCKED


def test_two_vpcs_are_not_connected() -> None:
    """Without peering, an interface in another VPC is unreachable."""
    net = _topology(DEFAULT_SG)
    verdict = reach(
        net,
        _eni("a", "10.9.1.5", "other", "sg-default"),
        _eni("b", "10.0.1.6", "public", "sg-default"),
        80,
    )
    assert verdict.kind == NO_ROUTE
