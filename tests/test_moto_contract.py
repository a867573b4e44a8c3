"""Everything of moto's that ecslab relies on, named in one place.

moto is pinned exactly (``pyproject.toml``); only the adapter (``ecslab/world/moto_adapter/``)
imports it or touches its objects, and it reaches into moto's insides: private methods it
replaces, methods it calls positionally, attributes it reads and writes on moto's records. A
moto upgrade that renames or reorders any of them would otherwise show up as silently wrong
behaviour (a rule without ``priority`` becomes the default rule). These tests list each name,
and fail with the list of what changed, so an upgrade fails here first; the last one fails when
the adapter uses an attribute the lists do not name.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import os
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

import boto3
import pytest

ROOT = Path(__file__).resolve().parent.parent
ACCOUNT, REGION = "123456789012", "us-east-1"
MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"

#: The moto release these names were read from; pyproject.toml pins the same one.
PINNED = "5.2.5"

#: Every name ecslab imports from moto, by module.
NAMES: dict[str, tuple[str, ...]] = {
    "moto": ("backends", "mock_aws"),
    "moto.core": ("responses",),
    "moto.core.base_backend": ("AccountSpecificBackend", "BackendDict"),
    "moto.core.models": ("botocore_stubber",),
    "moto.core.responses": ("ActionResult", "BaseResponse", "gen_amzn_requestid_long"),
    "moto.core.exceptions": ("ServiceException",),
    "moto.core.utils": ("get_service_model", "utcnow"),
    "moto.moto_api._internal": ("mock_random",),
    "moto.ecs.models": ("Container", "EC2ContainerServiceBackend", "Task", "ecs_backends"),
    "moto.elbv2.models": ("ELBv2Backend", "FakeHealthStatus", "FakeTargetGroup", "elbv2_backends"),
    "moto.ec2.models": ("EC2Backend", "ec2_backends"),
    "moto.ec2.models.elastic_network_interfaces": ("NetworkInterface",),
    "moto.ec2.models.internet_gateways": ("InternetGateway",),
    "moto.ec2.utils": ("generate_dns_from_ip",),
    # ``datetime`` and ``time``: the stray clocks the world replaces (core._stray_clocks).
    "moto.ecr.models": ("ECRBackend", "ECR_REPOSITORY_NAME_PATTERN", "datetime", "ecr_backends"),
    "moto.secretsmanager.models": ("SecretsManagerBackend", "secretsmanager_backends", "time"),
    "moto.iam.models": ("AWSManagedPolicy", "IAMBackend", "iam_backends"),
    "moto.iam.access_control": ("IAMPolicy", "PermissionResult"),
    "moto.iam.aws_managed_policies": ("aws_managed_policies_data",),
    "moto.logs.models": ("LogsBackend", "logs_backends"),
    "moto.ssm.models": ("SimpleSystemManagerBackend", "ssm_backends"),
    "moto.moto_server.werkzeug_app": (
        "DomainDispatcherApplication",
        "MotoRequestHandler",
        "create_backend_app",
    ),
}

#: The parameters, in order, of every moto callable ecslab replaces, wraps or calls
#: positionally: a replacement must accept what moto passes, a positional call must line up.
SIGNATURES: dict[str, str] = {
    "moto.core.responses.BaseResponse.call_action": "self",
    "moto.core.responses.BaseResponse._dispatch": "self, request, full_url, headers",
    "moto.core.responses.BaseResponse._get_action": "self",
    "moto.core.responses.BaseResponse.setup_class": (
        "self, request, full_url, headers, use_raw_body"
    ),
    "moto.core.responses.BaseResponse.serialized": "self, action_result",
    "moto.core.responses.BaseResponse.parse_parameters": "self, request",
    "moto.core.responses.ActionResult.__init__": "self, result",
    "moto.core.responses.gen_amzn_requestid_long": "headerdict",
    "moto.core.utils.utcnow": "",
    # The server's lookups done once (werkzeug_app.remember_lookups, make_service_apps).
    "moto.backends.list_of_moto_modules": "",
    "moto.core.responses.method_names_from_class": "clazz",
    "moto.moto_server.werkzeug_app.DomainDispatcherApplication.__init__": "self, create_app",
    "moto.ecs.models.EC2ContainerServiceBackend.list_tasks": (
        "self, cluster_str, container_instance, family, started_by, service_name, desiredStatus"
    ),
    "moto.ecs.models.EC2ContainerServiceBackend.run_task": (
        "self, cluster_str, task_definition_str, count, overrides, started_by, tags, launch_type, "
        "networking_configuration, group, platform_version, capacity_provider_strategy"
    ),
    "moto.ecs.models.EC2ContainerServiceBackend._calculate_task_resource_requirements": (
        "task_definition"
    ),
    "moto.ecs.models.EC2ContainerServiceBackend._get_service": "self, cluster_str, service_str",
    "moto.ecs.models.EC2ContainerServiceBackend.describe_capacity_providers": "self, names",
    "moto.ecs.models.EC2ContainerServiceBackend.describe_task_definition": (
        "self, task_definition_str"
    ),
    "moto.elbv2.models.FakeTargetGroup.health_for": "self, target, ec2_backend",
    "moto.elbv2.models.FakeHealthStatus.__init__": (
        "self, instance_id, port, health_port, status, reason, description"
    ),
    "moto.ec2.utils.generate_dns_from_ip": "ip, dns_type",
    "moto.ec2.models.EC2Backend.get_subnet": "self, subnet_id",
    "moto.ec2.models.EC2Backend.delete_network_interface": "self, eni_id",
    "moto.ec2.models.EC2Backend.get_default_security_group": "self, vpc_id",
    "moto.ec2.models.EC2Backend.get_security_group_from_id": "self, group_id",
    "moto.ecr.models.ECRBackend.create_repository": (
        "self, repository_name, registry_id, encryption_config, image_scan_config, "
        "image_tag_mutability, tags, image_tag_mutability_exclusion_filters"
    ),
    "moto.secretsmanager.models.SecretsManagerBackend.delete_secret": (
        "self, secret_id, recovery_window_in_days, force_delete_without_recovery"
    ),
    "moto.secretsmanager.models.SecretsManagerBackend.get_secret_value": (
        "self, secret_id, version_id, version_stage"
    ),
    "moto.ssm.models.SimpleSystemManagerBackend.get_parameter": "self, name",
    "moto.iam.access_control.IAMPolicy.__init__": "self, policy",
    "moto.iam.access_control.IAMPolicy.is_action_permitted": (
        "self, action, resource, principal, incoming_condition_values"
    ),
    "moto.core.base_backend.AccountSpecificBackend.get_session": "",
    "moto.core.base_backend.BackendDict.__init__": (
        "self, backend, service_name, use_boto3_regions, additional_regions"
    ),
    "moto.core.models.MockAWS.start": "self, reset",
    "moto.core.models.MockAWS.stop": "self, remove_data",
    "moto.ec2.models.EC2Backend.create_route": (
        "self, route_table_id, destination_cidr_block, destination_ipv6_cidr_block, "
        "destination_prefix_list_id, local, gateway_id, instance_id, nat_gateway_id, "
        "egress_only_igw_id, transit_gateway_id, interface_id, vpc_peering_connection_id, "
        "carrier_gateway_id, vpc_endpoint_id"
    ),
    "moto.ec2.models.EC2Backend.authorize_security_group_ingress": (
        "self, group_name_or_id, ip_protocol, from_port, to_port, ip_ranges, sgrule_tags, "
        "source_groups, prefix_list_ids, security_rule_ids, vpc_id"
    ),
    "moto.ec2.models.internet_gateways.InternetGateway.__init__": "self, ec2_backend",
    "moto.elbv2.models.FakeTargetGroup.register": "self, targets",
    "moto.elbv2.models.FakeTargetGroup.deregister": "self, targets",
    "moto.logs.models.LogsBackend.create_log_group": "self, log_group_name, tags, kwargs",
    "moto.logs.models.LogsBackend.create_log_stream": "self, log_group_name, log_stream_name",
    "moto.logs.models.LogsBackend.put_log_events": (
        "self, log_group_name, log_stream_name, log_events"
    ),
    "moto.iam.models.AWSManagedPolicy.from_data": "name, account_id, region_name, data",
    "moto.ssm.models.Parameter.decrypt": "self, value",
}

#: Attributes the world reads or writes on moto's records, by record; each is checked on a
#: record moto made itself (an attribute set only in ``__init__`` is invisible on the class).
#: The world reads these directly, except the few moto sets only sometimes (and the world reads
#: with a default): a task's ``network_configuration`` (awsvpc only), a task definition's
#: ``execution_role_arn`` (when given), a target group's ``matcher`` and ``health_check_port``
#: (not for TCP).
ATTRIBUTES: dict[str, str] = {
    # The workshop server's dispatcher: its applications, one per service, made at start.
    "server.Dispatcher": "app_instances",
    "ecs.Task": (
        "id task_arn task_definition_arn attachments containers group desired_status "
        "stopped_reason network_configuration _transitions last_status"
    ),
    "ecs.Container": (
        "container_arn task_arn name image last_status exitCode network_interfaces health_status "
        "cpu memory environment command"
    ),
    "ecs.TaskDefinition": (
        "arn container_definitions memory execution_role_arn runtime_platform "
        "requires_compatibilities network_mode"
    ),
    "ecs.Service": (
        "arn status network_configuration launch_type running_count pending_count desired_count "
        "deployments events task_definition load_balancers"
    ),
    "ecs.Backend": "tasks services clusters capacity_providers account_id region_name",
    "elbv2.TargetGroup": (
        "arn name port vpc_id target_type attributes register deregister health_for "
        "targets health_check_port health_check_path matcher health_check_interval_seconds "
        "health_check_timeout_seconds healthy_threshold_count unhealthy_threshold_count "
        "health_check_enabled load_balancer_arns protocol health_check_protocol"
    ),
    "elbv2.LoadBalancer": (
        "arn name type dns_name listeners security_groups scheme subnets state activate"
    ),
    "elbv2.Listener": "arn port protocol rules _default_rule default_actions",
    "elbv2.Action": "data",
    # A listener's rules, its default rule among them: routing orders them by these.
    "elbv2.Rule": "arn priority is_default conditions actions",
    "elbv2.DefaultRule": "arn priority is_default conditions actions",
    "elbv2.Backend": "load_balancers target_groups",
    "ec2.Backend": (
        "enis groups internet_gateways vpcs route_tables subnets nat_gateways vpc_end_points"
    ),
    "ec2.Vpc": "id cidr_block enable_dns_support enable_dns_hostnames is_default",
    "ec2.RouteTable": "id vpc_id routes main_association_id _associations",
    "ec2.Subnet": "id vpc_id cidr_block availability_zone map_public_ip_on_launch",
    "ec2.NatGateway": "id subnet_id vpc_id state",
    "ec2.VpcEndpoint": (
        "id vpc_id service_name vpc_endpoint_type state private_dns_enabled subnet_ids "
        "network_interface_ids security_group_ids route_table_ids"
    ),
    "ec2.NetworkInterface": ("subnet private_ip_address private_ip_addresses private_dns_name"),
    "ec2.InternetGateway": "id vpc",
    "ec2.SecurityGroup": "id name vpc_id ingress_rules egress_rules",
    "ec2.SecurityGroupRule": "id ip_protocol from_port to_port ip_range source_group",
    "ec2.Route": (
        "destination_cidr_block local gateway nat_gateway interface vpc_pcx transit_gateway "
        "vpc_endpoint_id"
    ),
    "ecr.Backend": "repositories",
    "ecr.Repository": "images image_tag_mutability image_tag_mutability_exclusion_filters",
    "ecr.Image": "image_digest image_tags image_manifest image_manifest_media_type",
    "logs.Backend": "groups",
    "logs.LogGroup": "streams",
    "iam.Backend": "roles managed_policies",
    "iam.Role": "arn policies managed_policies",
    "ssm.Parameter": "value",
    "core.mock_random": "seed randint uuid4 getstate setstate",
    "iam.PermissionResult": "DENIED PERMITTED",
    # What the call hook reads of every call moto answers.
    "core.BaseResponse": (
        "boto3_service_name current_account region params body normalized_request "
        "parse_parameters serialized setup_class _get_action"
    ),
}


#: Attributes the world sets on a moto task that moto's own task lacks, and the DescribeTasks
#: member each must come out as: moto serialises a record by the output shape's member names
#: (``stopCode`` from ``stop_code``), so a renamed member would drop the world's value.
SERIALISED: dict[str, str] = {
    "stop_code": "stopCode",
    "created_at": "createdAt",
    "started_at": "startedAt",
    "pull_started_at": "pullStartedAt",
    "pull_stopped_at": "pullStoppedAt",
    "stopping_at": "stoppingAt",
    "stopped_at": "stoppedAt",
    "execution_stopped_at": "executionStoppedAt",
    "availability_zone": "availabilityZone",
    "connectivity": "connectivity",
    "platform_family": "platformFamily",
    "health_status": "healthStatus",
}


def _resolve(dotted: str) -> Any:
    """``moto.a.b.Class.method`` → the object, importing the longest module prefix."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            found = getattr(found, name)
        return found
    raise ImportError(dotted)


def test_moto_is_pinned_to_the_release_these_names_were_read_from() -> None:
    """pyproject.toml pins moto exactly, to the release installed and listed here."""
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert f'"moto[server]=={PINNED}; ' in pyproject  # the browser edition pins the same
    assert f'"moto=={PINNED}; ' in pyproject
    assert version("moto") == PINNED


def test_every_moto_name_ecslab_imports_exists() -> None:
    missing = []
    for module_name, names in NAMES.items():
        try:
            module = importlib.import_module(module_name)
        except ImportError as error:
            missing.append(f"{module_name} ({error})")
            continue
        missing += [f"{module_name}.{name}" for name in names if not hasattr(module, name)]
    assert missing == [], "\n".join(missing)


def test_every_moto_signature_ecslab_relies_on_is_unchanged() -> None:
    changed = []
    for dotted, expected in SIGNATURES.items():
        try:
            found = ", ".join(inspect.signature(_resolve(dotted)).parameters)
        except (ImportError, AttributeError) as error:
            changed.append(f"{dotted}: gone ({error})")
            continue
        if found != expected:
            changed.append(f"{dotted}: {found} (was {expected})")
    assert changed == []


@pytest.fixture(scope="module")
def moto_made() -> Iterator[tuple[Any, dict[str, Any]]]:
    """One of each moto record the world touches, made by moto itself through boto3 (with no
    endpoint variable in the environment: another test's server lab may have left one)."""
    from moto import mock_aws
    from moto.ec2.models import ec2_backends
    from moto.ecr.models import ecr_backends
    from moto.ecs.models import ecs_backends
    from moto.elbv2.models import elbv2_backends
    from moto.iam.models import iam_backends
    from moto.logs.models import logs_backends
    from moto.ssm.models import ssm_backends

    with pytest.MonkeyPatch.context() as env, mock_aws():
        for name in [n for n in os.environ if n.startswith("AWS_ENDPOINT_URL")]:
            env.delenv(name)  # moto answers AWS's own endpoints only
        session = boto3.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
        )
        ec2, ecs, elbv2 = (session.client(n) for n in ("ec2", "ecs", "elbv2"))
        vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
        subnets = [s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]][:2]
        group = ec2.describe_security_groups()["SecurityGroups"][0]["GroupId"]
        ec2.attach_internet_gateway(
            InternetGatewayId=ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"],
            VpcId=ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"],
        )
        allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
        ec2.create_nat_gateway(SubnetId=subnets[0], AllocationId=allocation)
        ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=f"com.amazonaws.{REGION}.s3")
        ecs.create_cluster(clusterName="c")
        ecs.register_task_definition(
            family="f",
            requiresCompatibilities=["FARGATE"],
            networkMode="awsvpc",
            cpu="256",
            memory="512",
            executionRoleArn=f"arn:aws:iam::{ACCOUNT}:role/r",
            runtimePlatform={"operatingSystemFamily": "LINUX"},
            containerDefinitions=[{"name": "app", "image": "nginx", "memory": 512}],
        )
        network = {"awsvpcConfiguration": {"subnets": subnets[:1], "securityGroups": [group]}}
        ecs.run_task(
            cluster="c", taskDefinition="f", launchType="FARGATE", networkConfiguration=network
        )
        ecs.create_service(
            cluster="c",
            serviceName="s",
            taskDefinition="f",
            desiredCount=0,
            launchType="FARGATE",
            networkConfiguration=network,
        )
        target_group = elbv2.create_target_group(
            Name="tg", Protocol="HTTP", Port=80, VpcId=vpc, TargetType="ip"
        )["TargetGroups"][0]["TargetGroupArn"]
        balancer = elbv2.create_load_balancer(Name="lb", Subnets=subnets, SecurityGroups=[group])[
            "LoadBalancers"
        ][0]["LoadBalancerArn"]
        forward = [{"Type": "forward", "TargetGroupArn": target_group}]
        listener = elbv2.create_listener(
            LoadBalancerArn=balancer, Protocol="HTTP", Port=80, DefaultActions=forward
        )["Listeners"][0]["ListenerArn"]
        elbv2.create_rule(
            ListenerArn=listener,
            Priority=10,
            Actions=forward,
            Conditions=[{"Field": "path-pattern", "Values": ["/api/*"]}],
        )
        ecr = session.client("ecr")
        ecr.create_repository(repositoryName="app")
        manifest = {"schemaVersion": 2, "mediaType": MANIFEST, "config": {}, "layers": []}
        ecr.put_image(repositoryName="app", imageManifest=json.dumps(manifest), imageTag="v1")
        session.client("logs").create_log_group(logGroupName="/ecs/app")
        session.client("iam").create_role(RoleName="r", AssumeRolePolicyDocument="{}")
        session.client("ssm").put_parameter(Name="p", Value="v", Type="String")

        from moto.core.responses import BaseResponse

        answered: list[Any] = []
        original = BaseResponse.call_action
        env.setattr(
            BaseResponse, "call_action", lambda self: answered.append(self) or original(self)
        )
        ecs.list_clusters()
        env.setattr(BaseResponse, "call_action", original)
        ecs_backend = ecs_backends[ACCOUNT][REGION]
        elbv2_backend = elbv2_backends[ACCOUNT][REGION]
        ec2_backend = ec2_backends[ACCOUNT][REGION]
        (task,) = ecs_backend.tasks["c"].values()
        moto_balancer = elbv2_backend.load_balancers[balancer]
        moto_listener = moto_balancer.listeners[listener]
        (rule,) = (r for r in moto_listener.rules.values() if not r.is_default)
        routes = [r for t in ec2_backend.route_tables.values() for r in t.routes]
        yield (
            ecs,
            {
                "ecs.Task": task,
                "ecs.Container": task.containers[0],
                "ecs.TaskDefinition": ecs_backend.describe_task_definition("f"),
                "ecs.Service": ecs_backend._get_service("c", "s"),
                "ecs.Backend": ecs_backend,
                "elbv2.TargetGroup": elbv2_backend.target_groups[target_group],
                "elbv2.LoadBalancer": moto_balancer,
                "elbv2.Listener": moto_listener,
                "elbv2.Rule": rule,
                "elbv2.DefaultRule": next(iter(moto_listener._default_rule.values())),
                "elbv2.Backend": elbv2_backend,
                "ec2.Backend": ec2_backend,
                "ec2.client": ec2,
                "ec2.Vpc": ec2_backend.vpcs[vpc],
                "ec2.RouteTable": next(iter(ec2_backend.route_tables.values())),
                "ec2.Subnet": ec2_backend.get_subnet(subnets[0]),
                "ec2.NatGateway": next(iter(ec2_backend.nat_gateways.values())),
                "ec2.VpcEndpoint": next(iter(ec2_backend.vpc_end_points.values())),
                "ec2.NetworkInterface": next(iter(ec2_backend.enis.values())),
                "ec2.InternetGateway": next(iter(ec2_backend.internet_gateways.values())),
                "ec2.SecurityGroup": ec2_backend.get_security_group_from_id(group),
                "ec2.Route": routes[0],
                "ecr.Backend": ecr_backends[ACCOUNT][REGION],
                "ecr.Repository": ecr_backends[ACCOUNT][REGION].repositories["app"],
                "ecr.Image": ecr_backends[ACCOUNT][REGION].repositories["app"].images[0],
                "logs.Backend": logs_backends[ACCOUNT][REGION],
                "logs.LogGroup": logs_backends[ACCOUNT][REGION].groups["/ecs/app"],
                "iam.Backend": iam_backends[ACCOUNT]["global"],
                "iam.Role": next(iter(iam_backends[ACCOUNT]["global"].roles.values())),
                "ssm.Parameter": ssm_backends[ACCOUNT][REGION].get_parameter("p"),
                "ec2.SecurityGroupRule": ec2_backend.get_security_group_from_id(group).egress_rules[
                    0
                ],
                "elbv2.Action": moto_listener.default_actions[0],
                "core.BaseResponse": answered[0],
                "iam.PermissionResult": importlib.import_module(
                    "moto.iam.access_control"
                ).PermissionResult,
                "core.mock_random": importlib.import_module("moto.moto_api._internal").mock_random,
                "server.Dispatcher": importlib.import_module(
                    "moto.moto_server.werkzeug_app"
                ).DomainDispatcherApplication(lambda service: None),
            },
        )


def test_every_attribute_the_world_reads_on_moto_records_exists(moto_made: Any) -> None:
    _, records = moto_made
    assert sorted(r for r in records if r != "ec2.client") == sorted(ATTRIBUTES)
    missing = [
        f"{kind}.{name}"
        for kind, names in ATTRIBUTES.items()
        for name in names.split()
        if not hasattr(records[kind], name)
    ]
    assert missing == [], "\n".join(missing)


def test_what_the_world_writes_on_a_task_comes_out_of_describe_tasks(moto_made: Any) -> None:
    ecs, records = moto_made
    task = records["ecs.Task"]
    for name in SERIALISED:
        setattr(task, name, _sample(name))
    (described,) = ecs.describe_tasks(cluster="c", tasks=[task.task_arn])["tasks"]
    assert sorted(m for m in SERIALISED.values() if m not in described) == []


#: The same for a service: what the world sets that moto's service lacks (or leaves empty).
SERVICE_SERIALISED: dict[str, str] = {
    "deployment_configuration": "deploymentConfiguration",
    "health_check_grace_period_seconds": "healthCheckGracePeriodSeconds",
    "created_at": "createdAt",
    "created_by": "createdBy",
    "platform_family": "platformFamily",
    "current_service_deployment": "currentServiceDeployment",
}


def test_what_the_world_writes_on_a_service_comes_out_of_describe_services(
    moto_made: Any,
) -> None:
    ecs, records = moto_made
    service = records["ecs.Service"]
    samples = {"deployment_configuration": {"maximumPercent": 200}}
    samples["health_check_grace_period_seconds"] = 30  # type: ignore[assignment]
    for name in SERVICE_SERIALISED:
        setattr(service, name, samples.get(name, _sample(name)))
    (described,) = ecs.describe_services(cluster="c", services=["s"])["services"]
    assert sorted(m for m in SERVICE_SERIALISED.values() if m not in described) == []


def test_what_the_world_writes_on_containers_and_nat_gateways_comes_out(moto_made: Any) -> None:
    """A container's ``reason`` and ``image_digest``; a NAT gateway's failure code and message."""
    ecs, records = moto_made
    task, nat = records["ecs.Task"], records["ec2.NatGateway"]
    container = task.containers[0]
    container.reason, container.image_digest = "X", "sha256:x"
    nat.state, nat.failure_code, nat.failure_message = "failed", "Gateway.NotAttached", "X"
    (described,) = ecs.describe_tasks(cluster="c", tasks=[task.task_arn])["tasks"]
    assert {"reason", "imageDigest"} <= set(described["containers"][0])
    ec2 = records["ec2.client"]
    (shown,) = ec2.describe_nat_gateways(NatGatewayIds=[nat.id])["NatGateways"]
    assert {"FailureCode", "FailureMessage"} <= set(shown)


def _sample(name: str) -> Any:
    import datetime as dt

    return dt.datetime(2025, 1, 1, 12, 0, 0) if name.endswith("_at") else "X"


def _moto_imports() -> set[tuple[str, str]]:
    """Every ``from moto... import name`` (and ``import moto.x as y``) in ecslab/."""
    found: set[tuple[str, str]] = set()
    for path in sorted((ROOT / "ecslab").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "moto":
                found.update((str(node.module), alias.name) for alias in node.names)
            elif isinstance(node, ast.Import):
                found.update(
                    (alias.name, "") for alias in node.names if alias.name.split(".")[0] == "moto"
                )
    return found


def test_the_list_names_every_moto_import_in_ecslab() -> None:
    """A new reach into moto is added to NAMES, so the list stays the whole contract."""
    imports = _moto_imports()
    assert imports, "no moto import found under ecslab/"
    unlisted = sorted(
        f"{module}.{name}" if name else module
        for module, name in imports
        if (name and name not in NAMES.get(module, ())) or (not name and module not in NAMES)
    )
    assert unlisted == []


#: Attribute names the adapter reads or writes that are not moto's: Python's own, and those of
#: ecslab's records and the world's call objects.
NOT_MOTO = frozenset(
    [
        "cache",  # functools.cache
        "environ",  # os.environ
        "IPv4Network",
        "JSONDecoder",
        "Lock",
        "Random",
        "PlacedInterface",
        "__class__",
        "__dict__",
        "__new__",
        "_mock",
        "account",
        "active_host",
        "add",
        "after_call",
        "answer",
        "append",
        "before_call",
        "broadcast_address",
        "cluster",
        "code",
        "container_health",
        "container_name",
        "container_reason",
        "contextmanager",
        "copy",
        "desired",
        "dumps",
        "encode",
        "entered_at",
        "exit_code",
        "find",
        "get",
        "hexdigest",
        "index",
        "inet_ntoa",
        "install",
        "ip",
        "ip_network",
        "isdigit",
        "items",
        "join",
        "loads",
        "lower",
        "message",
        "modules",
        "network_address",
        "of",
        "on_undo",
        "pack",
        "place_interface",
        "pop",
        "raw_decode",
        "removeprefix",
        "replace",
        "replace_item",
        "replacement",
        "reset",
        "response",
        "setter",
        "share",
        "sha256",
        "split",
        "start_failure",
        "startswith",
        "suppress",
        "values",
        "ecslab_held",
        "ecslab_status",
        "_ecslab_watched",
    ]
)

#: Written by the world on moto's records and shown by moto under the member's name
#: (checked by the ``comes_out`` tests above).
WRITTEN = frozenset({"reason", "image_digest", "failure_code", "failure_message"})


def test_every_attribute_the_adapter_uses_is_listed_here() -> None:
    """An attribute the adapter starts to read or write on a moto object is listed above
    (ATTRIBUTES, SIGNATURES, NAMES, the written ones) before an upgrade can rename it unseen."""
    listed = set(NOT_MOTO) | WRITTEN | set(SERIALISED) | set(SERVICE_SERIALISED)
    for names in ATTRIBUTES.values():
        listed |= set(names.split())
    listed |= {dotted.split(".")[-1] for dotted in SIGNATURES}
    for imported in NAMES.values():
        listed |= set(imported)
    adapter = sorted((ROOT / "ecslab" / "world" / "moto_adapter").glob("*.py"))
    assert adapter, "no adapter module found"
    used = {
        node.attr
        for path in adapter
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Attribute)
    }
    assert sorted(used - listed) == []
