"""Checks on the learner's task definitions and services, through the lab's boto3 clients.

Only describe/list calls: a check reads the account and never changes it, so it works the same on
the simulated backends and on a real account.

AWS facts used (botocore's ``ecs`` and ``elbv2`` service models, and the ECS developer guide):

- ``DescribeTaskDefinition`` with a family alone returns its latest ACTIVE revision; an unknown
  family is a ``ClientException``.
- Task ``cpu`` may be registered as CPU units (``"512"``) or as a vCPU string (``"0.5 vCPU"``) and
  ``memory`` as MiB (``"1024"``) or a GB string (``"1 GB"``); AWS stores the integer forms
  (RegisterTaskDefinition API reference). Both are accepted here.
- Fargate needs ``networkMode="awsvpc"``
  (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-defs.html).
- Secrets reach a container through ``secrets: [{name, valueFrom}]``; ECS fetches them with the
  task *execution* role when the task starts
  (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html).
- ``DescribeServices`` reports unknown services under ``failures`` with reason ``MISSING``.
- What a task runs is its own ``taskDefinitionArn`` (a service's tasks keep the revision they
  started with) and, once the image is pulled, each container's ``imageDigest``
  (DescribeTasks API reference, ``Container``). A tag is resolved to its digest with ECR's
  ``DescribeImages``, so a tag pushed again over another image is not mistaken for the new one.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from botocore.exceptions import ClientError

from ecslab.checks.result import CheckResult, error_code, recorded
from ecslab.semantics.arns import resource_name

CPU_UNITS_PER_VCPU = 1024
MIB_PER_GB = 1024


def cpu_units(value: Any) -> int | None:
    """``"512"``, ``512`` or ``"0.5 vCPU"`` → 512; None when absent or unreadable."""
    return _units(value, r"v?cpu", CPU_UNITS_PER_VCPU)


def memory_mib(value: Any) -> int | None:
    """``"1024"``, ``1024`` or ``"1 GB"`` → 1024; None when absent or unreadable."""
    return _units(value, r"gb", MIB_PER_GB)


def _units(value: Any, unit: str, scale: int) -> int | None:
    if value is None:
        return None
    text = str(value).strip().lower()
    match = re.fullmatch(rf"(\d+(?:\.\d+)?)\s*({unit})?", text)
    if not match:
        return None
    number = float(match.group(1))
    return round(number * scale) if match.group(2) else int(number)


def _describe_family(lab: Any, family: str) -> tuple[dict[str, Any] | None, str]:
    """The latest ACTIVE revision of ``family``, or None and a sentence saying what exists."""
    ecs = lab.client("ecs")
    try:
        return ecs.describe_task_definition(taskDefinition=family)["taskDefinition"], ""
    except ClientError as error:
        if error_code(error) not in ("ClientException", "InvalidParameterException"):
            raise
    families = ecs.list_task_definition_families(status="ACTIVE").get("families", [])
    missing = f"There is no task definition family '{family}' in {lab.region} yet."
    close = difflib.get_close_matches(family, families, n=1)
    if close:
        missing += f" There is one called '{close[0]}': is that the one you meant?"
    elif families:
        missing += f" The families there: {', '.join(sorted(families)[:10])}."
    missing += f" Register it with ecs.register_task_definition(family={family!r}, ...)."
    return None, missing


def task_definition(
    lab: Any,
    family: str,
    *,
    cpu: int | str = 512,
    memory: int | str = 1024,
    port: int = 8000,
    lesson: str = "03_task_definitions",
) -> CheckResult:
    """The latest revision of ``family`` is a Fargate task of ``cpu``/``memory`` on ``port``."""
    want_cpu, want_memory = cpu_units(cpu), memory_mib(memory)
    if want_cpu is None or want_memory is None:
        raise ValueError(f"cpu={cpu!r} and memory={memory!r} should be like 512 and 1024.")
    title = (
        f"Task definition '{family}': Fargate, {want_cpu / CPU_UNITS_PER_VCPU:g} vCPU / "
        f"{want_memory / MIB_PER_GB:g} GB, port {port}"
    )
    key = f"task definition {family}"
    found, missing = _describe_family(lab, family)
    if found is None:
        return recorded(CheckResult(title, False, missing=(missing,)), lesson, key)
    where = f"ecs.describe_task_definition(taskDefinition={family!r})['taskDefinition']"
    good = [f"registered as {found['family']}:{found['revision']}"]
    problems = []
    compatibilities = found.get("requiresCompatibilities") or []
    if "FARGATE" in compatibilities:
        good.append("requires Fargate")
    else:
        problems.append(
            f"It is not marked for Fargate (requiresCompatibilities is {compatibilities}). "
            "Register it with requiresCompatibilities=['FARGATE'], so ECS checks it against "
            "Fargate's rules."
        )
    mode = found.get("networkMode") or "bridge"
    if mode == "awsvpc":
        good.append("network mode awsvpc")
    else:
        problems.append(
            f"Its networkMode is '{mode}'; Fargate tasks need networkMode='awsvpc', which gives "
            "each task its own network interface and IP address."
        )
    have_cpu, have_memory = cpu_units(found.get("cpu")), memory_mib(found.get("memory"))
    if have_cpu == want_cpu:
        good.append(f"cpu {want_cpu} units ({want_cpu / CPU_UNITS_PER_VCPU:g} vCPU)")
    elif have_cpu is None:
        problems.append(
            f"It sets no task-level cpu; Fargate needs one. Use cpu='{want_cpu}' "
            f"({want_cpu / CPU_UNITS_PER_VCPU:g} vCPU, at {CPU_UNITS_PER_VCPU} units per vCPU)."
        )
    else:
        problems.append(
            f"It asks for cpu {have_cpu} units ({have_cpu / CPU_UNITS_PER_VCPU:g} vCPU); the "
            f"exercise wants {want_cpu / CPU_UNITS_PER_VCPU:g} vCPU, which is cpu='{want_cpu}'."
        )
    if have_memory == want_memory:
        good.append(f"memory {want_memory} MiB")
    elif have_memory is None:
        problems.append(f"It sets no task-level memory; Fargate needs one: memory='{want_memory}'.")
    else:
        problems.append(
            f"It asks for memory {have_memory} MiB; {want_memory / MIB_PER_GB:g} GB is "
            f"memory='{want_memory}' (the value is in MiB)."
        )
    ports = sorted(
        {
            mapping.get("containerPort")
            for container in found.get("containerDefinitions", [])
            for mapping in container.get("portMappings", [])
        }
        - {None}
    )
    if port in ports:
        good.append(f"a container maps port {port}")
    else:
        seen = f"the port mappings are {ports}" if ports else "no container maps any port"
        problems.append(
            f"No container maps port {port} ({seen}). Add portMappings=[{{'containerPort': "
            f"{port}, 'protocol': 'tcp'}}] to the container that serves the app."
        )
    result = CheckResult(title, not problems, tuple(good), tuple(problems), where)
    return recorded(result, lesson, key)


def service(
    lab: Any,
    cluster: str,
    name: str,
    *,
    running: int = 2,
    target_group: str | None = None,
    image: str | None = None,
    lesson: str | None = None,
) -> CheckResult:
    """Service ``name`` of ``cluster`` runs ``running`` tasks (behind ``target_group`` if named,
    each running ``image`` if given: what the tasks run, not what the service was asked for)."""
    lesson = lesson or ("05_alb" if target_group else "04_services")
    ecs = lab.client("ecs")
    behind = f" behind target group '{_short(target_group)}'" if target_group else ""
    title = f"Service '{name}' in cluster '{cluster}': {running} running tasks{behind}"
    key = f"service {cluster}/{name}"
    where = f"ecs.describe_services(cluster={cluster!r}, services=[{name!r}])['services'][0]"
    try:
        described = ecs.describe_services(cluster=cluster, services=[name])
    except ClientError as error:
        if error_code(error) != "ClusterNotFoundException":
            raise
        clusters = [resource_name(arn) for arn in ecs.list_clusters().get("clusterArns", [])]
        known = f" The clusters there: {', '.join(sorted(clusters))}." if clusters else ""
        missing = f"There is no cluster named '{cluster}' in {lab.region}.{known}"
        return recorded(CheckResult(title, False, missing=(missing,)), lesson, key)
    found = next((s for s in described.get("services", []) if s.get("status") != "INACTIVE"), None)
    if found is None:
        names = [
            resource_name(arn) for arn in ecs.list_services(cluster=cluster).get("serviceArns", [])
        ]
        missing = f"Cluster '{cluster}' has no active service named '{name}'."
        missing += (
            f" Its services: {', '.join(sorted(names))}." if names else " It has no services yet."
        )
        missing += (
            f" Create it with ecs.create_service(cluster={cluster!r}, serviceName={name!r}, ...)."
        )
        return recorded(CheckResult(title, False, missing=(missing,), where=where), lesson, key)
    good = [f"the service exists (status {found['status']})"]
    problems = []
    desired, actual = found.get("desiredCount", 0), found.get("runningCount", 0)
    if desired != running:
        problems.append(
            f"Its desiredCount is {desired}; the exercise wants {running}. Change it with "
            f"ecs.update_service(cluster={cluster!r}, service={name!r}, desiredCount={running})."
        )
    elif actual != running:
        problems.append(
            f"It wants {running} tasks but {actual} are running ({found.get('pendingCount', 0)} "
            f"pending). If they are still starting, lab.wait_stable({cluster!r}, {name!r}) "
            "waits for them; if they keep stopping, read the service's events and the stopped "
            "tasks' stoppedReason."
        )
    else:
        good.append(f"{actual} tasks running, as desired")
    if target_group:
        problems += _check_target_group(lab, found, target_group, running, good)
    if image:
        problems += _check_image(lab, cluster, name, image, good)
    result = CheckResult(title, not problems, tuple(good), tuple(problems), where)
    return recorded(result, lesson, key)


def _digest_of(lab: Any, image: str) -> str | None:
    """The digest ``image`` names: its own ``@sha256:...``, or its ECR tag's now; else None."""
    if "@" in image:
        return image.split("@", 1)[1]
    path = image.split("/", 1)[1] if "/" in image and ".ecr." in image else ""
    if not path or ":" not in path:
        return None
    repository, tag = path.rsplit(":", 1)
    try:
        details = lab.client("ecr").describe_images(
            repositoryName=repository, imageIds=[{"imageTag": tag}]
        )["imageDetails"]
    except ClientError as error:
        if error_code(error) not in ("ImageNotFoundException", "RepositoryNotFoundException"):
            raise
        return None
    return details[0]["imageDigest"] if details else None


def _check_image(lab: Any, cluster: str, name: str, image: str, good: list[str]) -> list[str]:
    """Every running task of the service runs ``image``: by digest where the task reports one,
    else by the image its own task definition revision names."""
    ecs = lab.client("ecs")
    arns = ecs.list_tasks(cluster=cluster, serviceName=name, desiredStatus="RUNNING")["taskArns"]
    tasks = ecs.describe_tasks(cluster=cluster, tasks=arns)["tasks"] if arns else []
    tasks = [t for t in tasks if t.get("lastStatus") == "RUNNING"]
    if not tasks:
        return [f"No task of '{name}' is running, so none runs {image.split('/')[-1]} yet."]
    want = _digest_of(lab, image)
    images: dict[str, str] = {}
    wrong = []
    for task in tasks:
        revision = task["taskDefinitionArn"]
        if revision not in images:
            definition = ecs.describe_task_definition(taskDefinition=revision)["taskDefinition"]
            images[revision] = " ".join(c["image"] for c in definition["containerDefinitions"])
        digests = {c.get("imageDigest") for c in task.get("containers", [])} - {None}
        if want and digests:
            runs = want in digests
        else:
            named = images[revision].split()
            same = bool(want) and any(_digest_of(lab, n) == want for n in named)
            runs = image in named or same
        if not runs:
            wrong.append(revision.split("/")[-1])
    short = image.split("/")[-1]
    if not wrong:
        good.append(f"its {len(tasks)} running tasks run {short}")
        return []
    first = next(arn for arn in images if arn.endswith("/" + wrong[0]))
    runs_now = ", ".join(i.split("/")[-1] for i in images[first].split())
    return [
        f"{len(wrong)} of its {len(tasks)} running tasks run {wrong[0]}, whose image is "
        f"{runs_now}, not {short}. Update the service to the revision that names {short}: the "
        "taskDefinitionArn that register_task_definition returned, rather than a revision "
        "number written by hand."
    ]


def why_not_stable(lab: Any, cluster: str, name: str, events: int = 3) -> str:
    """Where to look when a service does not settle: its latest events and the reason its last
    stopped task gives (read-only calls), as sentences to add to the waiter's error."""
    ecs = lab.client("ecs")
    try:
        found = ecs.describe_services(cluster=cluster, services=[name]).get("services", [])
    except ClientError:
        return ""
    if not found:
        return ""
    lines = [
        f"  {event['message']}"
        for event in found[0].get("events", [])[:events]  # ECS lists the newest first
    ]
    told = ["Its latest events (newest first):", *lines] if lines else []
    stopped = ecs.list_tasks(cluster=cluster, serviceName=name, desiredStatus="STOPPED")
    if stopped["taskArns"]:
        task = ecs.describe_tasks(cluster=cluster, tasks=stopped["taskArns"][:1])["tasks"][0]
        reason = task.get("stoppedReason") or (task.get("containers") or [{}])[0].get("reason")
        if reason:
            told.append(f"A stopped task says: {task.get('stopCode', 'stopped')}: {reason}")
    told.append(
        f"Read them in ecs.describe_services(cluster={cluster!r}, services=[{name!r}])"
        "['services'][0]['events'] and each stopped task's stoppedReason "
        f"(ecs.list_tasks(cluster={cluster!r}, serviceName={name!r}, desiredStatus='STOPPED'))."
    )
    return "\n".join(told)


def _short(target_group: str | None) -> str:
    """A target group's name, from its ARN (``...:targetgroup/<name>/<id>``) or as given."""
    if target_group and target_group.startswith("arn:"):
        return target_group.split(":")[-1].split("/")[1]
    return target_group or ""


def _check_target_group(
    lab: Any, found: dict[str, Any], target_group: str, running: int, good: list[str]
) -> list[str]:
    elbv2 = lab.client("elbv2")
    try:
        if target_group.startswith("arn:"):
            groups = elbv2.describe_target_groups(TargetGroupArns=[target_group])["TargetGroups"]
        else:
            groups = elbv2.describe_target_groups(Names=[target_group])["TargetGroups"]
    except ClientError as error:
        if error_code(error) != "TargetGroupNotFound":
            raise
        return [
            f"There is no target group '{_short(target_group)}' in {lab.region}. Create it with "
            "elbv2.create_target_group(..., TargetType='ip') and attach it to a listener."
        ]
    arn = groups[0]["TargetGroupArn"]
    attached = [lb.get("targetGroupArn") for lb in found.get("loadBalancers", [])]
    problems = []
    if arn in attached:
        good.append(f"attached to target group '{groups[0]['TargetGroupName']}'")
    else:
        problems.append(
            f"The service is not attached to target group '{groups[0]['TargetGroupName']}' "
            f"(its loadBalancers: {attached or 'none'}). Give the service loadBalancers=[{{"
            "'targetGroupArn': ..., 'containerName': ..., 'containerPort': ...}] so ECS "
            "registers each task with the target group."
        )
        return problems
    health = elbv2.describe_target_health(TargetGroupArn=arn)["TargetHealthDescriptions"]
    healthy = sum(t.get("TargetHealth", {}).get("State") == "healthy" for t in health)
    if healthy >= running:
        good.append(f"{healthy} healthy targets in the target group")
    else:
        states = ", ".join(sorted({t.get("TargetHealth", {}).get("State", "?") for t in health}))
        problems.append(
            f"The target group has {healthy} healthy target{'s' * (healthy != 1)} of "
            f"{len(health)} registered{f' ({states})' if health else ''}; the load balancer "
            f"needs {running} healthy to share requests between them. Read each target's "
            "TargetHealth.Reason in elbv2.describe_target_health(TargetGroupArn=...)."
        )
    return problems


def secret(
    lab: Any,
    family: str,
    variable: str,
    *,
    container: str | None = None,
    lesson: str = "07_secrets",
) -> CheckResult:
    """``variable`` reaches the container of ``family`` through ``secrets``/``valueFrom``."""
    title = f"Secret '{variable}' in task definition '{family}', referenced through valueFrom"
    key = f"secret {family}/{variable}"
    found, missing = _describe_family(lab, family)
    if found is None:
        return recorded(CheckResult(title, False, missing=(missing,)), lesson, key)
    where = (
        f"ecs.describe_task_definition(taskDefinition={family!r})['taskDefinition']"
        "['containerDefinitions'], each container's 'secrets' and 'environment'"
    )
    containers = found.get("containerDefinitions", [])
    if container is not None:
        containers = [c for c in containers if c.get("name") == container]
        if not containers:
            missing = (
                f"Revision {found['revision']} of '{family}' has no container named '{container}'."
            )
            return recorded(CheckResult(title, False, missing=(missing,), where=where), lesson, key)
    good: list[str] = []
    problems: list[str] = []
    for definition in containers:
        cname = definition.get("name", "?")
        if any(e.get("name") == variable for e in definition.get("environment", [])):
            problems.append(
                f"Container '{cname}' sets {variable} as a plain environment variable: its value "
                "is written into the task definition, where anyone allowed to describe it can read "
                f"it. Remove it from environment and add secrets=[{{'name': {variable!r}, "
                "'valueFrom': <the secret's or parameter's ARN>}] instead."
            )
    references = [
        (definition.get("name", "?"), s.get("valueFrom", ""))
        for definition in containers
        for s in definition.get("secrets", [])
        if s.get("name") == variable
    ]
    if not references:
        problems.append(
            f"No container has a secret named {variable}. Add secrets=[{{'name': {variable!r}, "
            "'valueFrom': <ARN of the Secrets Manager secret or SSM parameter>}] to the "
            "container that needs it."
        )
    for cname, value_from in references:
        trouble = _missing_source(lab, value_from)
        if trouble:
            problems.append(f"Container '{cname}': {trouble}")
        else:
            good.append(f"container '{cname}' reads {variable} from {value_from}")
    if references and not found.get("executionRoleArn"):
        problems.append(
            "The task definition has no executionRoleArn. ECS fetches secrets with the task "
            "execution role when the task starts, so without one the task cannot start. Add "
            "an execution role allowed to read the secret (secretsmanager:GetSecretValue or "
            "ssm:GetParameters)."
        )
    result = CheckResult(title, not problems, tuple(good), tuple(problems), where)
    return recorded(result, lesson, key)


def _missing_source(lab: Any, value_from: str) -> str:
    """A sentence if ``valueFrom`` names nothing that exists; "" when it does (read-only calls)."""
    if ":secretsmanager:" in value_from:
        # arn:aws:secretsmanager:region:account:secret:name-AbCdEf[:json-key:stage:version]
        secret_arn = ":".join(value_from.split(":")[:7])
        try:
            lab.client("secretsmanager").describe_secret(SecretId=secret_arn)
        except ClientError as error:
            if error_code(error) != "ResourceNotFoundException":
                raise
            return (
                f"valueFrom names {secret_arn}, but Secrets Manager has no such secret, so the "
                "task would stop with a ResourceInitializationError. Create the secret or fix "
                "the ARN (secretsmanager.list_secrets() shows what exists)."
            )
        return ""
    name = value_from.split(":parameter", 1)[1] if ":parameter" in value_from else value_from
    if not name:
        return "its valueFrom is empty: give the ARN of a Secrets Manager secret or SSM parameter."
    # "parameter/db" is the ARN of both "db" and "/db" (SSM's ARN format drops the slash).
    names = sorted({name, name.lstrip("/")})
    found = lab.client("ssm").describe_parameters(
        ParameterFilters=[{"Key": "Name", "Option": "Equals", "Values": names}]
    )["Parameters"]
    if found:
        return ""
    return (
        f"valueFrom names the SSM parameter {name}, which does not exist, so the task would stop "
        "with a ResourceInitializationError. Create it with ssm.put_parameter(Name=..., "
        "Type='SecureString', ...) or fix the name."
    )
