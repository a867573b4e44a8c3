"""A security-group review of what a lab's load balancers and services use, as AWS would run it.

Read with describe calls only, it applies:

- AWS Config ``vpc-sg-open-only-to-authorized-ports`` with Security Hub's default authorised TCP
  ports 80 and 443 (control EC2.18): a rule open to ``0.0.0.0/0`` or ``::/0`` must be TCP on those
  ports only (https://docs.aws.amazon.com/config/latest/developerguide/vpc-sg-open-only-to-authorized-ports.html);
- AWS Config ``vpc-sg-port-restriction-check``: nothing open to the world on 22 or 3389
  (https://docs.aws.amazon.com/config/latest/developerguide/vpc-sg-port-restriction-check.html);
- the ALB guide: targets' groups "accept traffic solely from the load balancer", by naming the
  load balancer's group as the source, on the target port
  (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html);
- neither the load balancer nor the tasks in the VPC's ``default`` group.

It answers a list of findings: empty when the design passes.
"""

from __future__ import annotations

from typing import Any

WORLD = {"0.0.0.0/0", "::/0"}
AUTHORIZED_TCP = {80, 443}
RESTRICTED = {22, 3389}


def _ports(rule: dict[str, Any]) -> tuple[int, int]:
    if rule["IpProtocol"] in ("-1", "all"):
        return 0, 65535
    return rule.get("FromPort", 0), rule.get("ToPort", 65535)


def _open_to_world(rule: dict[str, Any]) -> bool:
    cidrs = {r["CidrIp"] for r in rule.get("IpRanges", [])}
    cidrs |= {r["CidrIpv6"] for r in rule.get("Ipv6Ranges", [])}
    return bool(cidrs & WORLD)


def review(client: Any) -> list[str]:
    """Findings on every group the lab's load balancers and services use (``client`` is
    ``lab.client``)."""
    ec2, elbv2, ecs = client("ec2"), client("elbv2"), client("ecs")
    balancers = elbv2.describe_load_balancers()["LoadBalancers"]
    alb_groups = {g: b["LoadBalancerName"] for b in balancers for g in b.get("SecurityGroups", [])}
    target_ports: dict[str, tuple[int, list[str]]] = {}  # task group → port, its ALB's groups
    task_groups: dict[str, str] = {}
    for cluster in ecs.list_clusters()["clusterArns"]:
        arns = ecs.list_services(cluster=cluster)["serviceArns"]
        for service in (
            ecs.describe_services(cluster=cluster, services=arns)["services"] if arns else []
        ):
            network = service["networkConfiguration"]["awsvpcConfiguration"]
            for group in network.get("securityGroups", []):
                task_groups[group] = service["serviceName"]
            for attached in service.get("loadBalancers", []):
                target = elbv2.describe_target_groups(TargetGroupArns=[attached["targetGroupArn"]])[
                    "TargetGroups"
                ][0]
                fronting = [
                    g
                    for b in balancers
                    if b["LoadBalancerArn"] in target["LoadBalancerArns"]
                    for g in b.get("SecurityGroups", [])
                ]
                for group in network.get("securityGroups", []):
                    target_ports[f"{group}:{attached['containerPort']}"] = (
                        attached["containerPort"],
                        fronting,
                    )
    used = set(alb_groups) | set(task_groups)
    if not used:
        return ["nothing to review: no load balancer or service uses a security group"]
    described = {
        g["GroupId"]: g
        for g in ec2.describe_security_groups(GroupIds=sorted(used))["SecurityGroups"]
    }
    findings = []
    for group_id, group in sorted(described.items()):
        name = group["GroupName"]
        if name == "default":
            findings.append(f"{name} ({group_id}) is the VPC's default group, used by the course")
        for rule in group["IpPermissions"]:
            if not _open_to_world(rule):
                continue
            low, high = _ports(rule)
            if rule["IpProtocol"] != "tcp" or not set(range(low, high + 1)) <= AUTHORIZED_TCP:
                findings.append(f"{name} is open to the world beyond TCP 80/443: {rule}")
            if set(range(low, high + 1)) & RESTRICTED:
                findings.append(f"{name} is open to the world on 22 or 3389: {rule}")
    for key, (port, fronting) in sorted(target_ports.items()):
        group = described[key.split(":")[0]]
        admitting = [
            rule for rule in group["IpPermissions"] if _ports(rule)[0] <= port <= _ports(rule)[1]
        ]
        sources = [
            pair["GroupId"] for rule in admitting for pair in rule.get("UserIdGroupPairs", [])
        ]
        if not admitting or not set(sources) & set(fronting):
            findings.append(f"{group['GroupName']} does not admit port {port} from the ALB's group")
        if any(rule.get("IpRanges") or rule.get("Ipv6Ranges") for rule in admitting):
            findings.append(
                f"{group['GroupName']} admits port {port} from addresses, not only the ALB"
            )
    return findings
