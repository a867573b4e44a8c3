"""The lab's tags, added to every resource the course creates, and its name prefix.

Tags are how the lab knows what is its own: teardown deletes only what carries
``ecslab:lab=<lab name>``, and cost estimates count only that. Rather than asking every lesson to
remember ``tags=[...]``, the lab registers a botocore ``before-parameter-build`` handler that adds
its tags to the create calls the course makes, in each service's own tag shape (from botocore's
service models: ECS ``tags=[{key, value}]``; ECR, ELBv2, Secrets Manager, SSM, IAM
``Tags=[{Key, Value}]``; CloudWatch Logs ``tags={key: value}``; EC2 ``TagSpecifications``).
Tags the learner passes are kept; the lab's are added beside them.

Tag rules (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html): keys up to 128
and values up to 256 characters of letters, digits, spaces and ``+ - = . _ : / @``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, MutableMapping
from typing import Any

import boto3

from ecslab.errors import ConfigurationError

LAB_TAG = "ecslab:lab"
CREATOR_TAG = "ecslab:creator"
DEFAULT_LAB_NAME = "ecslab"
LAB_NAME_VARIABLE = "ECSLAB_LAB"

#: Lab names become tag values and name prefixes: short enough that ``<lab>-<resource>`` fits
#: ELBv2's 32-character names, in the characters every service's names allow.
_LAB_NAME = re.compile(r"^[a-z][a-z0-9-]{0,19}$")
#: SSM PutParameter, Name: "A parameter name can't be prefixed with "aws" or "ssm"
#: (case-insensitive)" (botocore ssm service model), and parameters are named /<lab>/...
RESERVED_PREFIXES = ("aws", "ssm")
_NOT_TAG_CHARACTER = re.compile(r"[^\w\s+\-=.:/@]")

# The shape each create call takes its tags in (botocore service models, service-2.json).
ECS_LIST = "ecs-list"  # tags=[{"key": k, "value": v}]
KEY_VALUE_LIST = "key-value-list"  # Tags=[{"Key": k, "Value": v}] (or tags= for ECR)
LOGS_MAP = "logs-map"  # tags={k: v}
EC2_SPEC = "ec2-tag-specifications"  # TagSpecifications=[{"ResourceType": ..., "Tags": [...]}]

#: (botocore service name, operation) → (parameter, shape, EC2 resource type or None).
TAGGED_CALLS: dict[tuple[str, str], tuple[str, str, str | None]] = {
    ("ecs", "CreateCluster"): ("tags", ECS_LIST, None),
    ("ecs", "RegisterTaskDefinition"): ("tags", ECS_LIST, None),
    ("ecs", "CreateService"): ("tags", ECS_LIST, None),
    ("ecs", "RunTask"): ("tags", ECS_LIST, None),
    ("ecr", "CreateRepository"): ("tags", KEY_VALUE_LIST, None),
    ("elbv2", "CreateLoadBalancer"): ("Tags", KEY_VALUE_LIST, None),
    ("elbv2", "CreateTargetGroup"): ("Tags", KEY_VALUE_LIST, None),
    ("elbv2", "CreateListener"): ("Tags", KEY_VALUE_LIST, None),
    ("elbv2", "CreateRule"): ("Tags", KEY_VALUE_LIST, None),
    ("secretsmanager", "CreateSecret"): ("Tags", KEY_VALUE_LIST, None),
    ("ssm", "PutParameter"): ("Tags", KEY_VALUE_LIST, None),
    ("logs", "CreateLogGroup"): ("tags", LOGS_MAP, None),
    ("iam", "CreateRole"): ("Tags", KEY_VALUE_LIST, None),
    ("iam", "CreatePolicy"): ("Tags", KEY_VALUE_LIST, None),
    ("ec2", "CreateSecurityGroup"): ("TagSpecifications", EC2_SPEC, "security-group"),
    ("ec2", "CreateNatGateway"): ("TagSpecifications", EC2_SPEC, "natgateway"),
    ("ec2", "AllocateAddress"): ("TagSpecifications", EC2_SPEC, "elastic-ip"),
}


def lab_name(name: str | None = None) -> str:
    """The lab's name: the argument, else ``ECSLAB_LAB``, else ``"ecslab"``; checked."""
    chosen = name or os.environ.get(LAB_NAME_VARIABLE) or DEFAULT_LAB_NAME
    if chosen.startswith(RESERVED_PREFIXES):
        raise ConfigurationError(
            f"Lab name {chosen!r} cannot be used: the lab's SSM parameters are named "
            f"/{chosen}/..., and SSM reserves names that begin with 'aws' or 'ssm'. "
            "Choose another name, for example name='ecslab-ana'."
        )
    if not _LAB_NAME.match(chosen):
        raise ConfigurationError(
            f"Lab name {chosen!r} cannot be used: it prefixes resource names and tags, so it "
            "must be 1-20 characters of lowercase letters, digits and hyphens, starting with a "
            "letter (for example name='ecslab-ana')."
        )
    return chosen


def lab_tags(name: str, creator: str) -> dict[str, str]:
    """The tags every resource of lab ``name`` carries."""
    return {LAB_TAG: name, CREATOR_TAG: tag_value(creator)}


def tag_value(text: str) -> str:
    """``text`` made into a valid tag value (disallowed characters become ``_``)."""
    return _NOT_TAG_CHARACTER.sub("_", text)[:256]


def prefixed(name: str, lab: str) -> str:
    """``name`` with the lab's prefix (``web`` → ``ecslab-web``), unless it already has it."""
    prefix = f"{lab}-"
    return name if name.startswith(prefix) or name == lab else prefix + name


def is_lab_resource(tags: Iterable[Any] | MutableMapping[str, str] | None, name: str) -> bool:
    """True when ``tags``, in any service's shape, carry ``ecslab:lab=<name>``."""
    return as_dict(tags).get(LAB_TAG) == name


def as_dict(tags: Iterable[Any] | MutableMapping[str, str] | None) -> dict[str, str]:
    """Tags in any service's shape (list of Key/Value or key/value, or a map) as a dict."""
    if not tags:
        return {}
    if isinstance(tags, MutableMapping):
        return dict(tags)
    result = {}
    for tag in tags:
        key = tag.get("Key", tag.get("key"))
        value = tag.get("Value", tag.get("value", ""))
        if key is not None:
            result[key] = value
    return result


def add_tags(
    params: dict[str, Any], tags: dict[str, str], where: tuple[str, str, str | None]
) -> None:
    """Add ``tags`` to a create call's ``params`` in place, keeping any the caller gave."""
    parameter, shape, resource_type = where
    if shape == LOGS_MAP:
        existing = params.setdefault(parameter, {})
        for key, value in tags.items():
            existing.setdefault(key, value)
        return
    if shape == EC2_SPEC:
        specs = params.setdefault(parameter, [])
        spec = next((s for s in specs if s.get("ResourceType") == resource_type), None)
        if spec is None:
            spec = {"ResourceType": resource_type, "Tags": []}
            specs.append(spec)
        _extend(spec.setdefault("Tags", []), tags, "Key", "Value")
        return
    key_name, value_name = ("key", "value") if shape == ECS_LIST else ("Key", "Value")
    _extend(params.setdefault(parameter, []), tags, key_name, value_name)


def _extend(existing: list[dict[str, str]], tags: dict[str, str], key: str, value: str) -> None:
    present = {tag.get(key) for tag in existing}
    existing.extend({key: k, value: v} for k, v in tags.items() if k not in present)


#: id(session) → the tagger that tags on it now (one per session: the newest lab's).
_ACTIVE: dict[int, AutoTagger] = {}


class AutoTagger:
    """Adds a lab's tags to the course's create calls, on the given boto3 sessions.

    Handlers are registered on each session's event emitter, so clients created *after*
    :meth:`install` (the lab's and plain ``boto3.client(...)`` on the default session) tag what
    they create. :meth:`uninstall` removes them when the lab closes.
    """

    def __init__(self, tags: Callable[[], dict[str, str]]) -> None:
        self._tags = tags
        self._unique_id = f"ecslab-autotag-{id(self)}"
        self._sessions: list[boto3.Session] = []

    def install(self, *sessions: boto3.Session) -> None:
        """Tag on ``sessions``; on each, a newer lab's tagger replaces an older one's.

        A re-run first cell opens a new lab without closing the old one: the old lab's tagger
        must not go on tagging plain ``boto3.client(...)`` calls with the old lab's name.
        """
        for session in sessions:
            if any(session is s for s in self._sessions):
                continue
            previous = _ACTIVE.get(id(session))
            if previous is not None and previous is not self:
                previous._remove(session)
            session.events.register(
                "before-parameter-build", self._handle, unique_id=self._unique_id
            )
            self._sessions.append(session)
            _ACTIVE[id(session)] = self

    def uninstall(self) -> None:
        for session in list(self._sessions):
            self._remove(session)

    def _remove(self, session: boto3.Session) -> None:
        session.events.unregister("before-parameter-build", self._handle, unique_id=self._unique_id)
        self._sessions = [s for s in self._sessions if s is not session]
        if _ACTIVE.get(id(session)) is self:
            del _ACTIVE[id(session)]

    def _handle(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        where = TAGGED_CALLS.get((model.service_model.service_name, model.name))
        if where is None:
            return
        if model.name == "PutParameter" and params.get("Overwrite"):
            # SSM refuses Tags together with Overwrite=True (ValidationException, "tags and
            # overwrite can't be used together"); an overwritten parameter keeps its tags.
            return
        add_tags(params, self._tags(), where)


def default_session() -> boto3.Session:
    """boto3's default session (what ``boto3.client(...)`` uses), created if needed."""
    if boto3.DEFAULT_SESSION is None:
        boto3.setup_default_session()
    assert boto3.DEFAULT_SESSION is not None
    return boto3.DEFAULT_SESSION
