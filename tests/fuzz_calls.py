"""The course's operations with arbitrary values, for the fuzz tests (in-process and server).

Each operation is one boto3 call (botocore's own parameter validation off, so wrong types
reach the simulated AWS as a careless script's would) or one of the lab's verbs. The property:
the answer is AWS's error (``ClientError``, never HTTP 5xx) or ecslab's one sentence
(``EcslabError``), or success; never any other Python exception.
"""

from __future__ import annotations

from typing import Any

from botocore.config import Config
from botocore.exceptions import ClientError
from hypothesis import strategies as st

from ecslab.errors import EcslabError

UNCHECKED = Config(parameter_validation=False, retries={"max_attempts": 1})

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["", "[", "api:abc", "{", "arn:aws:secretmanager:x", " ", "BOGUS", "/"]),
)

OPERATIONS = {
    "create_cluster": ("ecs", "create_cluster", ("clusterName",)),
    "run_task": ("ecs", "run_task", ("cluster", "taskDefinition", "count")),
    "stop_task": ("ecs", "stop_task", ("cluster", "task")),
    "describe_task_definition": ("ecs", "describe_task_definition", ("taskDefinition",)),
    "list_tasks": ("ecs", "list_tasks", ("cluster", "desiredStatus")),
    "update_service": ("ecs", "update_service", ("cluster", "service", "desiredCount")),
    "register_task_definition": ("ecs", "register_task_definition", ("family", "cpu", "memory")),
    "describe_capacity_providers": ("ecs", "describe_capacity_providers", ()),
    "put_image": ("ecr", "put_image", ("repositoryName", "imageManifest", "imageTag")),
    "create_repository": ("ecr", "create_repository", ("repositoryName",)),
    "create_target_group": (
        "elbv2",
        "create_target_group",
        ("Name", "Port", "Protocol", "HealthCheckIntervalSeconds", "HealthCheckPath"),
    ),
    "describe_vpcs": ("ec2", "describe_vpcs", ()),
    "create_role": ("iam", "create_role", ("RoleName", "AssumeRolePolicyDocument")),
    "create_secret": ("secretsmanager", "create_secret", ("Name", "SecretString")),
}


@st.composite
def calls(draw: Any) -> tuple[str, dict[str, Any]]:
    """One operation and its parameters: each present or left out, each any value."""
    name = draw(st.sampled_from([*sorted(OPERATIONS), "advance", "request", "filters"]))
    if name in ("advance", "request"):
        return name, {"value": draw(values)}
    if name == "filters":
        return name, {"Filters": [{"Name": draw(values), "Values": [draw(values)]}]}
    keys = OPERATIONS[name][2]
    chosen = draw(st.lists(st.sampled_from(keys), unique=True)) if keys else []
    return name, {key: draw(values) for key in chosen}


def attempt(lab: Any, name: str, params: dict[str, Any]) -> str:
    """Make the call; what kind of answer came back ("ok", "aws", "ecslab"). Any other
    exception, or an AWS error with HTTP status 500 or more, fails the property."""
    try:
        if name == "advance":
            lab.advance(params["value"])
        elif name == "request":
            lab.request(params["value"])
        elif name == "filters":
            lab.client("ec2", config=UNCHECKED).describe_vpcs(**params)
        else:
            service, operation, _ = OPERATIONS[name]
            getattr(lab.client(service, config=UNCHECKED), operation)(**params)
    except ClientError as error:
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        assert status < 500, f"{name}({params!r}) answered HTTP {status}: {error}"
        return "aws"
    except EcslabError:
        return "ecslab"
    return "ok"
