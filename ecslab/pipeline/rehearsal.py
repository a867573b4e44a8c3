"""The workflow's deploy job, run against the lab and narrated like a CI log.

``examples/app/.github/workflows/deploy.yml`` deploys each service in six steps; :func:`run`
takes the same six, with the same names, against the lab's AWS:

1. **Check out the code**: a :class:`~ecslab.pipeline.source.Source` (its SHA is the tag);
2. **Configure AWS credentials**: the lab's own (on GitHub: the role GitHub's OIDC token assumes);
3. **Log in to Amazon ECR**: GetAuthorizationToken, as amazon-ecr-login does;
4. **Build, tag, and push**: offline build and blob-by-blob push on a simulated lab; the local
   Docker on a real account (:mod:`ecslab.pipeline.docker`);
5. **Render the task definition**: as amazon-ecs-render-task-definition does;
6. **Deploy the task definition**: RegisterTaskDefinition, UpdateService, then, like
   amazon-ecs-deploy-task-definition with ``wait-for-service-stability: true``, wait until the
   service is stable and fail if the new deployment is not the one that became stable (the check
   the action added for circuit-breaker rollbacks: aws-actions/amazon-ecs-deploy-task-definition
   issue #191, pull request #860).

With ``wait=False`` the deploy step ends as soon as ECS has accepted the update, and reports
success whatever happens next: the *false green* (the action's default; issue #494 there).
:func:`follow` then shows what ECS did meanwhile, in the service's own events.

Every image pushed into a simulated world in this process behaves as the app it holds
(:func:`ecslab.pipeline.registry.push`, :mod:`ecslab.pipeline.images`): new tasks run new code.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from ecslab.errors import ConfigurationError, EcslabError
from ecslab.pipeline import stage as stage_module
from ecslab.pipeline import taskdef
from ecslab.pipeline.build import build
from ecslab.pipeline.registry import PushedImage, push
from ecslab.pipeline.source import Source
from ecslab.pipeline.stage import CLUSTER, SERVICES, Stage, create_stage

#: The deploy job's steps, named as in the workflow file (a test keeps the two the same).
STEPS = (
    "Check out the code",
    "Configure AWS credentials",
    "Log in to Amazon ECR",
    "Build, tag, and push the image to Amazon ECR",
    "Render the task definition with the new image",
    "Deploy the task definition to the ECS service",
)
#: The workflow's ``wait-for-minutes``.
WAIT_MINUTES = 15
#: How often :func:`follow` looks at the service's events, as the services-stable waiter
#: polls (https://docs.aws.amazon.com/cli/latest/reference/ecs/wait/services-stable.html).
POLL_SECONDS = 15

Print = Callable[[str], None]


@dataclass
class ServiceDeploy:
    """One service's deploy job: what it pushed, registered and started, and how it ended."""

    service: str
    image: PushedImage | None = None
    task_definition_arn: str = ""
    deployment_id: str = ""
    succeeded: bool = False
    error: str = ""


@dataclass
class PipelineRun:
    """One run of the workflow: a commit, a deploy job per service, and the log."""

    commit: str
    message: str
    deploys: dict[str, ServiceDeploy] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)

    @property
    def succeeded(self) -> bool:
        return all(deploy.succeeded for deploy in self.deploys.values())

    def __repr__(self) -> str:
        outcome = "succeeded" if self.succeeded else "failed"
        return f"<PipelineRun {self.commit[:7]} {outcome}: {', '.join(self.deploys)}>"


class _Log:
    """Lines of the CI log, printed as they come and kept."""

    def __init__(self, out: Print | None, lines: list[str]) -> None:
        self._out = out
        self.lines = lines

    def __call__(self, line: str) -> None:
        self.lines.append(line)
        if self._out is not None:
            self._out(line)


def _stdout(line: str) -> None:
    print(line, file=sys.stdout)


# -- the workflow ---------------------------------------------------------------------------------


def run(
    lab: Any,
    source: Source,
    *,
    wait: bool = True,
    services: Iterable[str] = SERVICES,
    out: Print | None = _stdout,
) -> PipelineRun:
    """Run the deploy job for each service, as a push of ``source`` would on GitHub."""
    result = PipelineRun(source.sha, source.message)
    log = _Log(out, result.log)
    log(f"Workflow 'Deploy to Amazon ECS' on commit {source.short_sha}: {source.message}")
    for service in services:
        result.deploys[service] = _deploy_job(lab, source, service, wait, log)
    log("")
    outcome = "succeeded" if result.succeeded else "failed"
    log(
        f"Workflow {outcome}: "
        + ", ".join(
            f"{name} {'✔' if deploy.succeeded else '✖'}" for name, deploy in result.deploys.items()
        )
    )
    return result


def _deploy_job(lab: Any, source: Source, service: str, wait: bool, log: _Log) -> ServiceDeploy:
    deploy = ServiceDeploy(service)
    ecr = lab.client("ecr")
    log("")
    log(f"── Deploy {service} " + "─" * (60 - len(service)))
    log(f"▶ {STEPS[0]}")
    log(f"  {source.short_sha} {source.message} ({len(source.files)} files)")
    log(f"▶ {STEPS[1]}")
    if lab.simulated:
        log(f"  account {lab.account_id}, {lab.region}: the lab's credentials stand in for the")
        log("  role that GitHub's OIDC token assumes (no access keys in GitHub)")
    else:
        log(f"  account {lab.account_id}, {lab.region}")
    log(f"▶ {STEPS[2]}")
    endpoint = ecr.get_authorization_token()["authorizationData"][0]["proxyEndpoint"]
    log(f"  registry {endpoint.removeprefix('https://')}")

    try:
        _build_render_deploy(lab, source, deploy, wait, log)
    except (ClientError, ConfigurationError) as error:  # the step fails; the job stops there
        deploy.succeeded, deploy.error = False, f"Error: {_message(error)}"
        log(f"  {deploy.error}")
    log(
        f"{'✔' if deploy.succeeded else '✖'} Deploy {service} "
        + ("succeeded" if deploy.succeeded else "failed")
    )
    return deploy


def _message(error: Exception) -> str:
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        return f"{details.get('Code', 'Error')}: {details.get('Message', '')}"
    return str(error)


def _build_render_deploy(
    lab: Any, source: Source, deploy: ServiceDeploy, wait: bool, log: _Log
) -> None:
    """Steps 4 to 6: build and push, render, register and update (and wait)."""
    service, ecs = deploy.service, lab.client("ecs")
    log(f"▶ {STEPS[3]}")
    deploy.image = _build_and_push(lab, source, service, log)

    log(f"▶ {STEPS[4]}")
    file = taskdef.load(source.folder(service)["task-definition.json"])
    variables = {"BACKEND_URL": _backend_url(lab)} if service == "frontend" else None
    rendered = taskdef.render(
        taskdef.for_account(file, lab.account_id, lab.region), service, deploy.image.uri, variables
    )
    log(f"  container {service}: image {deploy.image.uri}")
    for name, value in (variables or {}).items():
        log(f"  environment {name}={value}")

    log(f"▶ {STEPS[5]}")
    registered = ecs.register_task_definition(**taskdef.registrable(rendered))["taskDefinition"]
    deploy.task_definition_arn = registered["taskDefinitionArn"]
    log(f"  registered task definition {registered['family']}:{registered['revision']}")
    name = stage_module.service_name(service)
    before = _primary(ecs, name)
    ecs.update_service(cluster=CLUSTER, service=name, taskDefinition=deploy.task_definition_arn)
    # The new PRIMARY deployment, as DescribeServices shows it once ECS has made it.
    deploy.deployment_id = _primary(ecs, name).get("id", "")
    log(f"  updated service {name}: deployment {deploy.deployment_id}")
    if not wait:
        log("  not waiting for the service to become stable")
        deploy.succeeded = True
    else:
        deploy.succeeded, deploy.error = _wait_and_check(lab, ecs, name, deploy, before, log)


def _build_and_push(lab: Any, source: Source, service: str, log: _Log) -> PushedImage:
    repository = stage_module.repository(service)
    if not lab.simulated:
        from ecslab.pipeline.docker import DockerPush

        return DockerPush(lab.client("ecr")).build_and_push(source, service, repository, log)
    image = build(source, service)
    log(f"  built {service}/ ({len(image.files)} files): {image.digest[:19]}")
    pushed = push(lab.client("ecr"), image, repository, source.sha)
    log(f"  pushed {pushed.uri}")
    log(f"  {pushed.uploaded_blobs} blobs uploaded, digest {pushed.digest[:19]}")
    _note_server_world(lab, log)
    return pushed


def _note_server_world(lab: Any, log: _Log) -> None:
    """On the ecslab server the world lives in another process: it cannot run the app's code."""
    from ecslab.world.moto_hooks import active_host

    if active_host() is None:
        log("  the ecslab server runs this image as a generic web server: the app's own code")
        log("  runs in the simulated world of an in-process lab only (Lab())")


def _backend_url(lab: Any) -> str:
    """The workflow's ``vars.BACKEND_URL``: the load balancer's address."""
    balancers = lab.client("elbv2").describe_load_balancers(Names=["ecslab-alb"])
    return f"http://{balancers['LoadBalancers'][0]['DNSName']}"


# -- waiting, and what the action checks afterwards -----------------------------------------------


_TARGET_GROUP_ARN = re.compile(r"arn:aws[\w-]*:elasticloadbalancing:\S+:targetgroup/([^/]+)/\w+")


def _short_arns(message: str) -> str:
    """An event with each target group named, not spelled out as its whole ARN."""
    return _TARGET_GROUP_ARN.sub(r"\1", message)


def _primary_of(service: Mapping[str, Any]) -> dict[str, Any]:
    return next((d for d in service.get("deployments", []) if d.get("status") == "PRIMARY"), {})


def _primary(ecs: Any, name: str) -> dict[str, Any]:
    return _primary_of(ecs.describe_services(cluster=CLUSTER, services=[name])["services"][0])


def _wait_and_check(
    lab: Any, ecs: Any, name: str, deploy: ServiceDeploy, before: Mapping[str, Any], log: _Log
) -> tuple[bool, str]:
    log(f"  waiting for service stability (up to {WAIT_MINUTES} minutes)")
    started = lab.now if lab.simulated else None
    try:
        wait_stable(lab, name, WAIT_MINUTES * 60)
    except (EcslabError, TimeoutError) as error:
        message = f"Error: service {name} did not become stable: {error}"
        log(f"  {message}")
        return False, message
    described = ecs.describe_services(cluster=CLUSTER, services=[name])["services"][0]
    if started is not None:
        log(
            f"  the service is stable after {lab.now - started:.0f} s: "
            f"{described['runningCount']}/{described['desiredCount']} tasks running"
        )
    ours = [d for d in described.get("deployments", []) if d.get("id") == deploy.deployment_id]
    primary = _primary_of(described)
    rolled_back = (
        not ours
        or ours[0].get("rolloutState") == "FAILED"
        or (primary.get("taskDefinition") != deploy.task_definition_arn)
    )
    if rolled_back and deploy.deployment_id != before.get("id"):
        back_to = primary.get("taskDefinition", "").rsplit("/", 1)[-1]
        # The action's own words (v2.6.2, pull request #860): the deployment it started is gone.
        message = (
            f"Error: Deployment {deploy.deployment_id} not found after stabilization. The "
            "deployment was likely rolled back by the deployment circuit breaker."
            if not ours
            else f"Error: Deployment {deploy.deployment_id} failed: rolloutState FAILED."
        )
        log(f"  {message}")
        log(f"  (the service is stable again on {back_to}, the revision it ran before)")
        return False, message
    return True, ""


def wait_stable(lab: Any, service: str, timeout: float) -> None:
    """Wait until ``service`` is stable: ``lab.wait_stable`` (the virtual clock moves on a
    simulated lab; a real account is polled as the services-stable waiter does)."""
    lab.wait_stable(CLUSTER, service, timeout=timeout)


# -- the set-up, and what happened after a run that did not wait -----------------------------------


def prepare(
    lab: Any,
    source: Source,
    *,
    desired_count: int = 2,
    wait: bool = True,
    out: Print | None = _stdout,
) -> Stage:
    """Make the stage and the two services running ``source``'s first images; wait until
    both are stable unless ``wait`` is false."""
    log = _Log(out, [])
    log(f"Set-up (once, before the workflow's first run) from commit {source.short_sha}")
    stage = create_stage(lab)
    log(
        f"  repositories, cluster {CLUSTER}, secret, execution role, load balancer "
        f"{stage.load_balancer_dns}"
    )
    ecs = lab.client("ecs")
    for service in SERVICES:
        pushed = _build_and_push(lab, source, service, _Log(None, []))
        file = taskdef.for_account(
            taskdef.load(source.folder(service)["task-definition.json"]), lab.account_id, lab.region
        )
        variables = {"BACKEND_URL": stage.backend_url} if service == "frontend" else None
        rendered = taskdef.render(file, service, pushed.uri, variables)
        arn = ecs.register_task_definition(**taskdef.registrable(rendered))["taskDefinition"][
            "taskDefinitionArn"
        ]
        name = stage_module.service_name(service)
        ecs.create_service(
            cluster=CLUSTER,
            serviceName=name,
            taskDefinition=arn,
            desiredCount=desired_count,
            launchType="FARGATE",
            networkConfiguration={
                "awsvpcConfiguration": {
                    "subnets": stage.subnets,
                    "securityGroups": stage.security_groups,
                    "assignPublicIp": "ENABLED",
                }
            },
            loadBalancers=[
                {
                    "targetGroupArn": stage.target_groups[service],
                    "containerName": service,
                    "containerPort": stage_module.PORTS[service],
                }
            ],
            deploymentConfiguration={
                "deploymentCircuitBreaker": {"enable": True, "rollback": True},
                "maximumPercent": 200,
                "minimumHealthyPercent": 100,
            },
        )
        log(f"  service {name}: {desired_count} tasks of {arn.rsplit('/', 1)[-1]}")
    if wait:
        for service in SERVICES:
            wait_stable(lab, stage_module.service_name(service), WAIT_MINUTES * 60)
        log("  both services stable")
    return stage


def follow(
    lab: Any,
    service: str,
    *,
    minutes: float = WAIT_MINUTES,
    about: Iterable[str] = (),
    out: Print | None = _stdout,
) -> list[str]:
    """Move the clock until ``service`` settles, printing the events ECS writes meanwhile.

    With ``about`` (words such as ``"unhealthy"``), only the events that mention one of them are
    shown, and one line counts the others; the same message twice at one time shows once, ×2."""
    ecs = lab.client("ecs")
    name = stage_module.service_name(service)
    seen = {e["id"] for e in _service(ecs, name).get("events", [])}
    lines: list[str] = []
    log = _Log(out, lines)
    words = tuple(about)
    waited, left_out = 0.0, 0
    while waited < minutes * 60:
        lab.advance(POLL_SECONDS)
        waited += POLL_SECONDS
        described = _service(ecs, name)
        fresh = []
        for event in reversed(described.get("events", [])):  # ECS lists the newest first
            if event["id"] not in seen:
                seen.add(event["id"])
                fresh.append(_short_arns(event["message"]))
        for message in dict.fromkeys(fresh):
            if words and not any(word in message for word in words):
                left_out += fresh.count(message)
                continue
            times = fresh.count(message)
            log(f"  +{waited:4.0f} s  {message}" + (f" (×{times})" if times > 1 else ""))
        settled = len(described["deployments"]) == 1 and _primary_of(described).get(
            "rolloutState", "COMPLETED"
        ) in ("COMPLETED", "FAILED")
        if settled and described["runningCount"] == described["desiredCount"]:
            break
    if left_out:
        log(f"  ({left_out} other events left out: only those about {', '.join(words)})")
    return lines


def _service(ecs: Any, name: str) -> dict[str, Any]:
    return ecs.describe_services(cluster=CLUSTER, services=[name])["services"][0]
