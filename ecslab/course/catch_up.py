"""``ecslab.course.catch_up(lab, "05_alb")``: what the earlier lessons built, in one call.

Every lesson opens a fresh lab, so a learner can start at any lesson. This rebuilds, with the
same plain boto3 calls the earlier lessons teach, what a lesson expects to find, and says what it
made. The names are the course's: cluster ``course``, repositories and services ``api`` (the
FastAPI backend) and ``web`` (the Streamlit frontend).

The network is the one that works on AWS: tasks in the default VPC's public subnets with a public
IP (``assignPublicIp: ENABLED``), so they can reach ECR and CloudWatch Logs through the internet
gateway; two security groups, ``course-alb`` (admits TCP 80 from anywhere) for the load balancer
and ``course-tasks`` (admits 8000 and 8501 only from ``course-alb``) for the tasks. The VPC's
``default`` group is never used: it admits only its own members.

Until lesson 07 moves it into Secrets Manager, the backend's ``SECRET_KEY`` travels as a plain
environment variable: the shortcut lesson 07 exists to undo.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

LESSONS = (
    "00_big_picture",
    "01_ecr",
    "02_ecs_fargate",
    "03_task_definitions",
    "04_services",
    "05_alb",
    "06_cicd",
    "07_secrets",
    "08_troubleshooting",
    "09_capstone",
)
CLUSTER = "course"
#: The first lesson whose tasks run in the course's security groups.
FIRST_SERVICES = "04_services"
EXECUTION_ROLE = "api-execution"
EXECUTION_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
PORTS = {"api": 8000, "web": 8501}
#: Task sizes as lesson 03 registers them: (cpu units, MiB).
SIZES = {"api": (512, 1024), "web": (1024, 2048)}
HEALTH_PATHS = {"api": "/health", "web": "/_stcore/health"}
#: Which folder of the example app each repository's image is built from.
SOURCES = {"api": "backend", "web": "frontend"}
#: A placeholder until lesson 07: visible to anyone who can read the task definition.
PLAIN_SECRET_KEY = "plain-text-until-lesson-07"
TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Principal": {"Service": "ecs-tasks.amazonaws.com"},
        }
    ],
}


@dataclass
class CatchUp:
    """What was built, and the names a lesson needs next (subnets, target groups, ...)."""

    lesson: str
    made: list[str] = field(default_factory=list)
    subnets: list[str] = field(default_factory=list)
    #: The load balancer's group: TCP 80 from anywhere.
    alb_security_group: str = ""
    #: The tasks' group: each container port, only from the load balancer's group.
    task_security_group: str = ""
    vpc: str = ""
    images: dict[str, str] = field(default_factory=dict)
    target_groups: dict[str, str] = field(default_factory=dict)
    load_balancer_dns: str = ""

    def __repr__(self) -> str:
        lines = [f"Ready for lesson {self.lesson}: what the earlier lessons built"]
        lines += [f"  ✓ {line}" for line in self.made] or ["  (nothing: this lesson starts empty)"]
        return "\n".join(lines)

    def network(self, subnets: int = 2) -> dict[str, Any]:
        """The ``networkConfiguration`` of the course's services: public subnets, the tasks'
        group, and a public IP so that the task can pull its image through the internet
        gateway (Fargate gives none unless asked)."""
        return {
            "awsvpcConfiguration": {
                "subnets": self.subnets[:subnets],
                "securityGroups": [self.task_security_group],
                "assignPublicIp": "ENABLED",
            }
        }


def catch_up(lab: Any, lesson: str, section: int | None = None) -> CatchUp:
    """Build what the lessons before ``lesson`` built; return the names it needs.

    With ``section``, also re-run ``lesson``'s own cells before that section (``## `` headings
    after the set-up, from 1), so that after a restart the next cell finds what it expects
    (:mod:`ecslab.course.sections`)."""
    if lesson not in LESSONS:
        from ecslab.errors import ConfigurationError

        raise ConfigurationError(f"No lesson {lesson!r}. The lessons: {', '.join(LESSONS)}.")
    done = CatchUp(lesson)
    _network(lab, done)
    builders = {
        "01_ecr": _repositories,
        "02_ecs_fargate": _cluster,
        "03_task_definitions": _task_definitions,
        # Lesson 04's services had no load balancer; lesson 05 made them again behind one.
        "05_alb": _load_balanced_services,
    }
    for built_in, build in builders.items():
        if LESSONS.index(built_in) < LESSONS.index(lesson):
            build(lab, done)
    from ecslab.progress import record_caught_up

    record_caught_up(list(LESSONS[: LESSONS.index(lesson)]), lesson)  # caught up, not done
    if section is not None:
        from ecslab.course import sections

        done.made += sections.replay(lab, lesson, section, done, sections.namespace())
    return done


def _network(lab: Any, done: CatchUp) -> None:
    from ecslab.pipeline.stage import default_network

    done.vpc, done.subnets = default_network(lab.client("ec2"))
    if LESSONS.index(done.lesson) >= LESSONS.index(FIRST_SERVICES):
        _security_groups(lab, done)


def _security_groups(lab: Any, done: CatchUp) -> None:
    from ecslab.pipeline.stage import create_security_groups

    done.alb_security_group, done.task_security_group = create_security_groups(
        lab.client("ec2"), vpc=done.vpc, prefix=CLUSTER, ports=PORTS.values()
    )
    ports = " and ".join(str(port) for port in PORTS.values())
    # One line each, short enough not to wrap in a notebook on a laptop screen.
    done.made += [
        f"security group {CLUSTER}-alb: TCP 80 from anywhere (lesson 05 explains both)",
        f"security group {CLUSTER}-tasks: {ports} only from {CLUSTER}-alb, for the services",
    ]


def _repositories(lab: Any, done: CatchUp) -> None:
    from ecslab import pipeline

    ecr = lab.client("ecr")
    source = pipeline.Source.example()
    for name, folder in SOURCES.items():
        ecr.create_repository(repositoryName=name, imageScanningConfiguration={"scanOnPush": True})
        pushed = pipeline.push(ecr, pipeline.build(source, folder), name, "v1")
        done.images[name] = pushed.uri
        done.made.append(f"ECR repository {name} with image {name}:v1 (lesson 01)")


def _cluster(lab: Any, done: CatchUp) -> None:
    lab.client("ecs").create_cluster(
        clusterName=CLUSTER, capacityProviders=["FARGATE", "FARGATE_SPOT"]
    )
    done.made.append(f"ECS cluster {CLUSTER} on Fargate (lesson 02)")


def _task_definitions(lab: Any, done: CatchUp) -> None:
    iam, logs, ecs = lab.client("iam"), lab.client("logs"), lab.client("ecs")
    role = iam.create_role(
        RoleName=EXECUTION_ROLE, AssumeRolePolicyDocument=json.dumps(TRUST_POLICY)
    )["Role"]["Arn"]
    iam.attach_role_policy(RoleName=EXECUTION_ROLE, PolicyArn=EXECUTION_POLICY)
    done.made.append(f"IAM execution role {EXECUTION_ROLE} (lesson 03)")
    environments = {
        "api": [
            {"name": "GREETING", "value": "Hello from Fargate"},
            {"name": "SECRET_KEY", "value": PLAIN_SECRET_KEY},
        ],
        "web": [],
    }
    for name, port in PORTS.items():
        group = f"/ecs/{name}"
        logs.create_log_group(logGroupName=group)
        container = {
            "name": name,
            "image": done.images.get(name) or f"{name}:v1",
            "portMappings": [{"containerPort": port}],
            "environment": environments[name],
            "logConfiguration": {
                "logDriver": "awslogs",
                "options": {
                    "awslogs-group": group,
                    "awslogs-region": lab.region,
                    "awslogs-stream-prefix": "ecs",
                },
            },
        }
        ecs.register_task_definition(
            family=name,
            requiresCompatibilities=["FARGATE"],
            networkMode="awsvpc",
            cpu=str(SIZES[name][0]),
            memory=str(SIZES[name][1]),
            executionRoleArn=role,
            containerDefinitions=[container],
        )
        vcpu, gb = SIZES[name][0] / 1024, SIZES[name][1] / 1024
        done.made.append(
            f"task definition {name}:1, {vcpu:g} vCPU / {gb:g} GB, port {port} (lesson 03)"
        )


def _load_balanced_services(lab: Any, done: CatchUp) -> None:
    _load_balancer(lab, done)
    _services(lab, done)


def _load_balancer(lab: Any, done: CatchUp) -> None:
    from ecslab.pipeline.stage import create_path_routed_alb

    balancer, done.target_groups = create_path_routed_alb(
        lab.client("elbv2"),
        name="course-alb",
        subnets=done.subnets[:2],
        security_group=done.alb_security_group,
        vpc=done.vpc,
        groups={name: (port, HEALTH_PATHS[name]) for name, port in PORTS.items()},
        api="api",
        default="web",
    )
    done.load_balancer_dns = balancer["DNSName"]
    done.made.append("ALB course-alb: /api/* → target group api, everything else → web (lesson 05)")


def _services(lab: Any, done: CatchUp) -> None:
    ecs = lab.client("ecs")
    for name, port in PORTS.items():
        ecs.create_service(
            cluster=CLUSTER,
            serviceName=name,
            taskDefinition=name,
            desiredCount=2,
            launchType="FARGATE",
            networkConfiguration=done.network(),
            loadBalancers=[
                {
                    "targetGroupArn": done.target_groups[name],
                    "containerName": name,
                    "containerPort": port,
                }
            ],
            healthCheckGracePeriodSeconds=30,
        )
    for name in PORTS:
        lab.wait_stable(CLUSTER, name)
    done.made.append("services api and web, 2 tasks each behind the ALB, stable (lessons 04-05)")
