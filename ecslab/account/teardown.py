"""Delete everything carrying a lab's tag, in dependency order, and nothing else.

``lab.teardown()`` and ``ecslab teardown [--lab NAME] [--dry-run]``. The order (services scaled to
zero and deleted, standalone tasks stopped, listener rules, listeners, load balancers, target
groups, NAT gateways, their Elastic IPs, clusters, task definitions deregistered, ECR
repositories with their images, secrets, parameters, log groups, IAM roles and policies, security
groups) follows what AWS refuses while a
dependent still exists:

- a cluster with services or tasks: ``ClusterContainsServicesException`` /
  ``ClusterContainsTasksException`` (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteCluster.html);
- a target group still used by a listener or rule: ``ResourceInUse``
  (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DeleteTargetGroup.html);
- a security group still attached to a network interface (the ALB's and the tasks' ENIs linger for
  minutes after they are deleted): ``DependencyViolation``
  (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteSecurityGroup.html);
- an Elastic IP still associated with a NAT gateway being deleted: ``InvalidIPAddress.InUse``
  (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ReleaseAddress.html);
- an IAM role with policies attached or a policy still attached: ``DeleteConflict``
  (https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRole.html).

Such refusals are retried with exponential backoff (through a ``sleep`` seam: the lab's virtual
clock on the simulated backends, real time on AWS), a resource already gone counts as done, and
the run ends by listing again: whatever still carries the tag is reported with the reason. Run it
again at any time; it picks up where it stopped.

Secrets are deleted without a recovery window (``ForceDeleteWithoutRecovery``), so their names can
be used again at once; deregistered task definitions stay visible as ``INACTIVE``, as in AWS, and
cost nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from ecslab.account.masking import mask
from ecslab.account.tagged_resources import KINDS, Clients, Resource, cached, inventory, is_gone
from ecslab.account.wait_progress import WaitProgress

if TYPE_CHECKING:
    from ecslab.lab import Lab

#: AWS's answers that mean "not yet, something still depends on it": worth waiting for.
RETRYABLE = frozenset(
    {
        "ClusterContainsServicesException",
        "ClusterContainsTasksException",
        "UpdateInProgressException",
        "ResourceInUse",
        "ResourceInUseException",
        "DependencyViolation",
        "DeleteConflict",
        "InvalidIPAddress.InUse",
        "Throttling",
        "ThrottlingException",
        "TooManyRequestsException",
    }
)
FIRST_DELAY = 2.0
MAX_DELAY = 30.0
#: How long teardown keeps retrying one kind of resource (an ALB's ENIs can take minutes to go).
DEFAULT_PATIENCE = 600.0


@dataclass
class TeardownReport:
    """What a teardown did, and what is left with the reason."""

    lab: str
    dry_run: bool = False
    deleted: list[Resource] = field(default_factory=list)
    already_gone: list[Resource] = field(default_factory=list)
    planned: list[Resource] = field(default_factory=list)
    failures: dict[Resource, str] = field(default_factory=dict)
    remaining: list[Resource] = field(default_factory=list)
    interrupted: bool = False

    @property
    def clean(self) -> bool:
        """True when the final check found nothing carrying the lab's tag."""
        return not self.dry_run and not self.interrupted and not self.remaining

    def reason(self, resource: Resource) -> str:
        return self.failures.get(resource, "still present after teardown")

    def lines(self) -> list[str]:
        tag = f"ecslab:lab={self.lab}"
        if self.dry_run:
            count = len(self.planned)
            head = [f"Teardown dry run for {tag}: {count} resource(s) would be deleted."]
            return head + [f"  would delete {r}" for r in self.planned]
        out = [f"Teardown of {tag}" + (" (interrupted)" if self.interrupted else "") + ":"]
        out += [f"  deleted {r}" for r in self.deleted]
        out += [f"  already gone {r}" for r in self.already_gone]
        out += [f"  NOT deleted {r}: {self.reason(r)}" for r in self.remaining]
        if self.interrupted:
            out.append("Stopped before the end. Run the teardown again to finish: it resumes.")
        elif self.remaining:
            out.append(f"{len(self.remaining)} resource(s) still carry {tag}; see the reasons.")
        else:
            out.append(f"Nothing carrying {tag} remains.")
        return out

    def __str__(self) -> str:
        return mask("\n".join(self.lines()))  # AWS's messages in the reasons may quote values

    def __repr__(self) -> str:
        return str(self)


def teardown(
    lab: Lab,
    dry_run: bool = False,
    *,
    sleep: Callable[[float], None] | None = None,
    patience: float = DEFAULT_PATIENCE,
    progress: bool | None = None,
) -> TeardownReport:
    """Delete everything carrying ``ecslab:lab=<lab.name>``; see the module docstring.

    A progress bar shows by default on a real account only (simulated teardowns are instant, and
    a notebook's outputs must not vary with time).
    """
    if sleep is None:
        sleep = lab.advance if lab.simulated else time.sleep
    if progress is None:
        progress = not lab.simulated
    return run_teardown(
        lab.client, lab.name, dry_run=dry_run, sleep=sleep, patience=patience, progress=progress
    )


def run_teardown(
    clients: Clients,
    lab: str,
    *,
    dry_run: bool = False,
    sleep: Callable[[float], None] = time.sleep,
    patience: float = DEFAULT_PATIENCE,
    progress: bool = False,
    file: IO[str] | None = None,
) -> TeardownReport:
    """The teardown itself, on any source of boto3 clients (``lab.client``)."""
    report = TeardownReport(lab=lab, dry_run=dry_run)
    clients = cached(clients)
    if dry_run:
        report.planned = inventory(clients, lab)
        return report
    bar = WaitProgress(
        f"Tearing down ecslab:lab={lab}", len(KINDS), file=file, enabled=progress, unit="steps"
    )
    try:
        for step, (kind, finder) in enumerate(KINDS):
            bar.update(step, f"{kind}: listing")
            found = finder(clients, lab)
            bar.update(step, f"{kind}: deleting {len(found)}")
            _delete_all(clients, found, report, sleep, patience, bar)
        bar.update(len(KINDS), "checking that nothing tagged remains")
    except KeyboardInterrupt:
        bar.close()
        report.interrupted = True
        report.remaining = _still_there(clients, lab)
        print(report)
        raise
    except Exception as error:
        bar.close()
        report.interrupted = True
        error.add_note(str(report))
        raise
    report.remaining = inventory(clients, lab)
    bar.close()
    return report


def _still_there(clients: Clients, lab: str) -> list[Resource]:
    try:
        return inventory(clients, lab)
    except Exception:  # the final listing must not hide the interrupt that stopped us
        return []


def _delete_all(
    clients: Clients,
    pending: list[Resource],
    report: TeardownReport,
    sleep: Callable[[float], None],
    patience: float,
    bar: WaitProgress,
) -> None:
    """Delete ``pending``, retrying AWS's "not yet" answers with backoff for ``patience`` s."""
    delay, waited = FIRST_DELAY, 0.0
    while pending:
        waiting: list[Resource] = []
        for resource in pending:
            try:
                DELETERS[resource.kind](clients, resource)
            except ClientError as error:
                code = error.response.get("Error", {}).get("Code", "")
                if is_gone(error):
                    report.already_gone.append(resource)
                    continue
                report.failures[resource] = f"{code}: {error.response['Error'].get('Message', '')}"
                if code in RETRYABLE:
                    waiting.append(resource)
                continue
            report.failures.pop(resource, None)
            report.deleted.append(resource)
        if not waiting or waited >= patience:
            return
        for resource in waiting:
            bar.event(f"waiting {delay:g} s for {resource}: {report.failures[resource]}")
        sleep(delay)
        waited += delay
        delay = min(delay * 2, MAX_DELAY)
        pending = waiting


# -- one deleter per kind ------------------------------------------------------------------------


def _service(clients: Clients, r: Resource) -> None:
    ecs, cluster = clients("ecs"), r.detail["clusterArn"]
    if r.detail.get("desiredCount", 0) and r.detail.get("status") == "ACTIVE":
        ecs.update_service(cluster=cluster, service=r.id, desiredCount=0)
    ecs.delete_service(cluster=cluster, service=r.id, force=True)


def _task(clients: Clients, r: Resource) -> None:
    clients("ecs").stop_task(cluster=r.detail["clusterArn"], task=r.id, reason="ecslab teardown")


def _iam_role(clients: Clients, r: Resource) -> None:
    iam, name = clients("iam"), r.name
    for page in iam.get_paginator("list_attached_role_policies").paginate(RoleName=name):
        for policy in page["AttachedPolicies"]:
            iam.detach_role_policy(RoleName=name, PolicyArn=policy["PolicyArn"])
    for page in iam.get_paginator("list_role_policies").paginate(RoleName=name):
        for policy_name in page["PolicyNames"]:
            iam.delete_role_policy(RoleName=name, PolicyName=policy_name)
    for page in iam.get_paginator("list_instance_profiles_for_role").paginate(RoleName=name):
        for profile in page["InstanceProfiles"]:
            iam.remove_role_from_instance_profile(
                InstanceProfileName=profile["InstanceProfileName"], RoleName=name
            )
    iam.delete_role(RoleName=name)


def _iam_policy(clients: Clients, r: Resource) -> None:
    """A lab's policy is detached from whatever uses it (AWS requires it), then deleted."""
    iam = clients("iam")
    for page in iam.get_paginator("list_entities_for_policy").paginate(PolicyArn=r.id):
        for role in page.get("PolicyRoles", []):
            iam.detach_role_policy(RoleName=role["RoleName"], PolicyArn=r.id)
        for user in page.get("PolicyUsers", []):
            iam.detach_user_policy(UserName=user["UserName"], PolicyArn=r.id)
        for group in page.get("PolicyGroups", []):
            iam.detach_group_policy(GroupName=group["GroupName"], PolicyArn=r.id)
    for version in iam.list_policy_versions(PolicyArn=r.id)["Versions"]:
        if not version["IsDefaultVersion"]:
            iam.delete_policy_version(PolicyArn=r.id, VersionId=version["VersionId"])
    iam.delete_policy(PolicyArn=r.id)


DELETERS: dict[str, Callable[[Clients, Resource], Any]] = {
    "ecs-service": _service,
    "ecs-task": _task,
    "listener-rule": lambda c, r: c("elbv2").delete_rule(RuleArn=r.id),
    "listener": lambda c, r: c("elbv2").delete_listener(ListenerArn=r.id),
    "load-balancer": lambda c, r: c("elbv2").delete_load_balancer(LoadBalancerArn=r.id),
    "nat-gateway": lambda c, r: c("ec2").delete_nat_gateway(NatGatewayId=r.id),
    "elastic-ip": lambda c, r: c("ec2").release_address(AllocationId=r.id),
    "target-group": lambda c, r: c("elbv2").delete_target_group(TargetGroupArn=r.id),
    "ecs-cluster": lambda c, r: c("ecs").delete_cluster(cluster=r.id),
    "ecs-task-definition": lambda c, r: c("ecs").deregister_task_definition(taskDefinition=r.id),
    "ecr-repository": lambda c, r: c("ecr").delete_repository(repositoryName=r.name, force=True),
    "secret": lambda c, r: c("secretsmanager").delete_secret(
        SecretId=r.id, ForceDeleteWithoutRecovery=True
    ),
    "parameter": lambda c, r: c("ssm").delete_parameter(Name=r.id),
    "log-group": lambda c, r: c("logs").delete_log_group(logGroupName=r.id),
    "iam-role": _iam_role,
    "iam-policy": _iam_policy,
    "security-group": lambda c, r: c("ec2").delete_security_group(GroupId=r.id),
}
