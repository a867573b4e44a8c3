"""``check.security_groups(lab, "course-alb", "course-tasks")``: what each group lets open to whom.

AWS evaluates a connection against the groups at both ends: an *inbound* rule of the receiver's
groups and an *outbound* rule of the sender's must admit it; a rule names addresses (a CIDR) or a
group (then it matches the private IPs of that group's members); rules only allow, and the reply
to an allowed connection is always let back (stateful). A group made with ``CreateSecurityGroup``
starts with no inbound rule and one outbound rule to anywhere
(https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html).

Beyond explaining the rules, the check reads who uses each group (load balancers, services) and
says what would fail on AWS:

- an internet-facing ALB whose groups do not admit its listener ports from anywhere: browsers time
  out (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html);
- a service's tasks whose groups do not admit the container port from the ALB's group (or an
  address range holding the ALB's subnets): health checks time out, ``Target.Timeout``
  (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html);
- an ALB whose groups may not connect out to the tasks on that port;
- tasks that may not connect out on 443: they cannot pull their image from ECR
  (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html);
- a rule open to the whole internet on a port other than 80 or 443 (AWS Config's
  ``vpc-sg-open-only-to-authorized-ports`` with Security Hub's default ports:
  https://docs.aws.amazon.com/config/latest/developerguide/vpc-sg-open-only-to-authorized-ports.html);
- the VPC's ``default`` group on an ALB or tasks: it admits only its own members.

Describe calls only, so it answers the same on a real account.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any

from ecslab.checks.result import CheckResult, recorded

WORLD = ("0.0.0.0/0", "::/0")
#: Ports a review accepts open to the whole internet (Security Hub control EC2.18's default).
AUTHORIZED_PORTS = (80, 443)
HTTPS = 443


@dataclass
class _Account:
    """What the check read: every group by ID, load balancers by ARN, subnets' CIDRs."""

    groups: dict[str, dict[str, Any]]
    balancers: dict[str, dict[str, Any]]
    subnets: dict[str, str]

    def name(self, group: str) -> str:
        return self.groups.get(group, {}).get("GroupName", group)

    def cidrs(self, subnets: list[str]) -> list[str]:
        return [self.subnets[s] for s in subnets if s in self.subnets]


@dataclass
class _Uses:
    """Who uses a group: load balancers (name → its record) and services (name → record)."""

    balancers: dict[str, dict[str, Any]] = field(default_factory=dict)
    services: dict[str, dict[str, Any]] = field(default_factory=dict)


def security_groups(lab: Any, *groups: str, lesson: str = "05_alb") -> CheckResult:
    """What each security group admits from whom, and what would fail on AWS because of it.

    ``groups`` are names or IDs; by default, every group the lab's load balancers and services
    use.
    """
    ec2 = lab.client("ec2")
    balancers, services = _balancers(lab), _services(lab)
    chosen = list(groups) or sorted(
        {g for b in balancers for g in b.get("SecurityGroups", [])}
        | {g for s in services for g in _network(s).get("securityGroups", [])}
    )
    title = "Security groups: what is open to whom"
    where = "ec2.describe_security_groups(GroupIds=[...])['SecurityGroups'][0]['IpPermissions']"
    if not chosen:
        missing = "No load balancer or service uses a security group yet: name the groups."
        return recorded(CheckResult(title, False, missing=(missing,), where=where), lesson, title)
    everyone = _every_group(ec2)
    described, unknown = _describe(everyone, chosen)
    account = _Account(
        everyone,
        {b["LoadBalancerArn"]: b for b in balancers},
        _subnet_cidrs(ec2, balancers, services),
    )
    title = f"Security groups {', '.join(g['GroupName'] for g in described) or ', '.join(chosen)}"
    found: list[str] = []
    missing = [
        f"There is no security group {name!r}: ec2.describe_security_groups() lists them."
        for name in unknown
    ]
    for group in described:
        uses = _uses(group["GroupId"], balancers, services)
        found.append(_explain(group, uses, account))
        missing += _problems(group, uses, account)
    result = CheckResult(title, not missing, tuple(found), tuple(missing), where)
    return recorded(result, lesson, f"security groups {' '.join(sorted(chosen))}")


# -- reading the account ---------------------------------------------------------------------------


def _balancers(lab: Any) -> list[dict[str, Any]]:
    elbv2 = lab.client("elbv2")
    balancers = elbv2.describe_load_balancers()["LoadBalancers"]
    for balancer in balancers:
        listeners = elbv2.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])
        balancer["_ports"] = sorted({listener["Port"] for listener in listeners["Listeners"]})
    return balancers


def _services(lab: Any) -> list[dict[str, Any]]:
    ecs, elbv2 = lab.client("ecs"), lab.client("elbv2")
    found = []
    for cluster in ecs.list_clusters()["clusterArns"]:
        arns = ecs.list_services(cluster=cluster)["serviceArns"]
        for start in range(0, len(arns), 10):  # DescribeServices takes up to 10
            described = ecs.describe_services(cluster=cluster, services=arns[start : start + 10])
            found += [s for s in described["services"] if s.get("status") == "ACTIVE"]
    for service in found:
        fronts = []
        for attached in service.get("loadBalancers", []):
            if "targetGroupArn" not in attached:
                continue
            group = elbv2.describe_target_groups(TargetGroupArns=[attached["targetGroupArn"]])
            balancers = group["TargetGroups"][0].get("LoadBalancerArns", [])
            fronts += [(arn, attached.get("containerPort", 0)) for arn in balancers]
        service["_fronts"] = fronts
    return found


def _network(service: dict[str, Any]) -> dict[str, Any]:
    return (service.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}


def _describe(
    every: dict[str, dict[str, Any]], chosen: list[str]
) -> tuple[list[dict[str, Any]], list[str]]:
    """The groups named by ID or name, in the order given; and the names that match none."""
    described, unknown = [], []
    for wanted in chosen:
        match = every.get(wanted) or next(
            (g for g in every.values() if g["GroupName"] == wanted), None
        )
        if match is None:
            unknown.append(wanted)
        elif match not in described:
            described.append(match)
    return described, unknown


def _every_group(ec2: Any) -> dict[str, dict[str, Any]]:
    groups = []
    for page in ec2.get_paginator("describe_security_groups").paginate():
        groups += page["SecurityGroups"]
    return {g["GroupId"]: g for g in groups}


def _subnet_cidrs(ec2: Any, balancers: list[dict], services: list[dict]) -> dict[str, str]:
    ids = {z["SubnetId"] for b in balancers for z in b.get("AvailabilityZones", [])}
    ids |= {s for service in services for s in _network(service).get("subnets", [])}
    if not ids:
        return {}
    described = ec2.describe_subnets(SubnetIds=sorted(ids))["Subnets"]
    return {s["SubnetId"]: s["CidrBlock"] for s in described}


def _uses(group_id: str, balancers: list[dict], services: list[dict]) -> _Uses:
    uses = _Uses()
    for balancer in balancers:
        if group_id in balancer.get("SecurityGroups", []):
            uses.balancers[balancer["LoadBalancerName"]] = balancer
    for service in services:
        if group_id in _network(service).get("securityGroups", []):
            uses.services[service["serviceName"]] = service
    return uses


# -- explaining ------------------------------------------------------------------------------------


def _ports(rule: dict[str, Any]) -> str:
    protocol = rule.get("IpProtocol", "-1")
    if protocol in ("-1", "all"):
        return "all traffic"
    low, high = rule.get("FromPort"), rule.get("ToPort")
    name = {"6": "tcp", "17": "udp", "1": "icmp"}.get(protocol, protocol).upper()
    if name == "ICMP" or low is None:
        return name
    return f"{name} {low}" if low == high else f"{name} {low}-{high}"


def _sources(rule: dict[str, Any], own: str, account: _Account) -> list[str]:
    out = []
    for cidr in [r["CidrIp"] for r in rule.get("IpRanges", [])] + [
        r["CidrIpv6"] for r in rule.get("Ipv6Ranges", [])
    ]:
        out.append(f"anywhere ({cidr})" if cidr in WORLD else cidr)
    for pair in rule.get("UserIdGroupPairs", []):
        group = pair.get("GroupId", "")
        out.append("its own members" if group == own else f"members of {account.name(group)}")
    out += [f"prefix list {p['PrefixListId']}" for p in rule.get("PrefixListIds", [])]
    return out


def _rules_text(rules: list[dict[str, Any]], own: str, account: _Account, way: str) -> str:
    """Rules with the same sources said once: "TCP 8000 and TCP 8501 from members of alb"."""
    by_source: dict[str, list[str]] = {}
    for rule in rules:
        by_source.setdefault(" or ".join(_sources(rule, own, account)), []).append(_ports(rule))
    return "; ".join(f"{' and '.join(ports)} {way} {who}" for who, ports in by_source.items())


def _explain(group: dict[str, Any], uses: _Uses, account: _Account) -> str:
    own = group["GroupId"]
    users = [f"load balancer {name}" for name in uses.balancers]
    users += [f"service {name}" for name in uses.services]
    head = group["GroupName"] + (f" (used by {', '.join(users)})" if users else "")
    inbound = group.get("IpPermissions", [])
    outbound = group.get("IpPermissionsEgress", [])
    admits = (
        f"admits {_rules_text(inbound, own, account, 'from')}"
        if inbound
        else "admits nothing: nobody can open a connection to it"
    )
    sends = (
        f"may connect out: {_rules_text(outbound, own, account, 'to')}"
        if outbound
        else "may connect nowhere"
    )
    return f"{head}: {admits}; {sends}"


# -- what would fail on AWS ------------------------------------------------------------------------


def _covers_port(rule: dict[str, Any], port: int) -> bool:
    if rule.get("IpProtocol") in ("-1", "all"):
        return True
    if rule.get("IpProtocol") not in ("tcp", "6"):
        return False
    return rule.get("FromPort", 0) <= port <= rule.get("ToPort", 65535)


def _cidrs(rule: dict[str, Any]) -> list[str]:
    return [r["CidrIp"] for r in rule.get("IpRanges", [])]


def _admits(rules: list[dict], port: int, groups: set[str], cidrs: list[str]) -> bool:
    """Some rule covers ``port`` from a member of ``groups`` or from every one of ``cidrs``
    (``cidrs`` empty: from the internet, which only ``0.0.0.0/0`` covers)."""
    for rule in rules:
        if not _covers_port(rule, port):
            continue
        if groups & {p.get("GroupId") for p in rule.get("UserIdGroupPairs", [])}:
            return True
        networks = [ipaddress.ip_network(c, strict=False) for c in _cidrs(rule)]
        wanted = [ipaddress.ip_network(c) for c in cidrs] or [ipaddress.ip_network("0.0.0.0/0")]
        if networks and all(any(w.subnet_of(n) for n in networks) for w in wanted):
            return True
    return False


def _open_to_world(rule: dict[str, Any]) -> bool:
    cidrs = _cidrs(rule) + [r["CidrIpv6"] for r in rule.get("Ipv6Ranges", [])]
    return bool(set(cidrs) & set(WORLD))


def _authorized(rule: dict[str, Any]) -> bool:
    """TCP on 80 or 443 only: what a review accepts open to the world."""
    if rule.get("IpProtocol") not in ("tcp", "6"):
        return False
    ports = range(rule.get("FromPort", 0), rule.get("ToPort", 65535) + 1)
    return set(ports) <= set(AUTHORIZED_PORTS)


def _all_rules(groups: list[str], everyone: dict[str, dict], key: str) -> list[dict[str, Any]]:
    """The rules of ``groups`` together: AWS aggregates every group of an interface."""
    return [rule for g in groups for rule in everyone.get(g, {}).get(key, [])]


def _problems(
    group: dict[str, Any],
    uses: _Uses,
    account: _Account,
) -> list[str]:
    name, problems = group["GroupName"], []
    if name == "default" and (uses.balancers or uses.services):
        problems.append(
            f"{name} is the VPC's default group: it admits only its own members, so nothing "
            "from the internet reaches what uses it. Give the load balancer and the tasks "
            "groups of their own."
        )
    for rule in group.get("IpPermissions", []):
        if _open_to_world(rule) and not _authorized(rule):
            problems.append(
                f"{name} admits {_ports(rule)} from anywhere on the internet. Open only 80 or "
                "443 to the world, and admit other ports from a group (the load balancer's)."
            )
    for balancer in uses.balancers.values():
        if balancer.get("Scheme") != "internet-facing":
            continue
        rules = _all_rules(balancer.get("SecurityGroups", []), account.groups, "IpPermissions")
        for port in balancer["_ports"]:
            if not _admits(rules, port, set(), []):
                problems.append(
                    f"Load balancer {balancer['LoadBalancerName']}'s groups do not admit TCP "
                    f"{port} from anywhere (0.0.0.0/0): browsers get no answer, the "
                    "connection times out."
                )
    for service in uses.services.values():
        problems += _service_problems(service, account)
    return problems


def _service_problems(service: dict[str, Any], account: _Account) -> list[str]:
    name, network, problems = service["serviceName"], _network(service), []
    task_groups = network.get("securityGroups", [])
    task_cidrs = account.cidrs(network.get("subnets", []))
    inbound = _all_rules(task_groups, account.groups, "IpPermissions")
    outbound = _all_rules(task_groups, account.groups, "IpPermissionsEgress")
    if not any(_covers_port(rule, HTTPS) for rule in outbound):
        problems.append(
            f"Service {name}'s tasks may not connect out on TCP 443: they cannot reach ECR to "
            "pull their image (nor CloudWatch Logs or Secrets Manager)."
        )
    for balancer_arn, port in service.get("_fronts", []):
        alb = account.balancers.get(balancer_arn)
        if alb is None:
            continue
        alb_groups = alb.get("SecurityGroups", [])
        alb_cidrs = account.cidrs([z["SubnetId"] for z in alb.get("AvailabilityZones", [])])
        if not _admits(inbound, port, set(alb_groups), alb_cidrs):
            shown = " or ".join(account.name(g) for g in alb_groups)
            problems.append(
                f"Service {name}'s tasks do not admit TCP {port} from the load balancer "
                f"({shown}): its health checks time out (Target.Timeout) and ECS replaces the "
                "tasks. Add an inbound rule naming the load balancer's group."
            )
        alb_out = _all_rules(alb_groups, account.groups, "IpPermissionsEgress")
        if not _admits(alb_out, port, set(task_groups), task_cidrs):
            problems.append(
                f"Load balancer {alb['LoadBalancerName']}'s groups may not connect out to "
                f"service {name}'s tasks on TCP {port}."
            )
    return problems
