"""Listener rules as AWS evaluates them: in priority order, the default rule last; conditions
matched against one request.

AWS: "Rules are evaluated in priority order, from the lowest value to the highest value. The
default rule is evaluated last." Conditions: ``path-pattern`` (case sensitive, ``*`` and ``?``
wildcards, "compared only to the path of the URL, not to its query string"), ``host-header``
(case insensitive, wildcards), ``http-header``, ``http-request-method``, ``query-string``.
Sources: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html,
https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html,
botocore's elbv2 model (``PathPatternConditionConfig``, ``HostHeaderConditionConfig``).

Pure functions over boto3-shaped conditions and actions: the simulated ALB (``ecslab.world``)
and the route check (``ecslab.checks``) both evaluate rules with them, so a check answers on a
real account exactly as the simulated load balancer routes.

Differs from AWS: ``source-ip`` conditions never match (there is no client address); a
``forward`` to several weighted target groups goes to the heaviest one.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass(frozen=True)
class Request:
    """One HTTP request as the load balancer sees it."""

    method: str
    path: str
    query: str = ""
    host: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    port: int | None = None

    @classmethod
    def parse(
        cls,
        path_or_url: str,
        method: str = "GET",
        host: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Request:
        parts = urlsplit(path_or_url if "://" in path_or_url else "http://_" + path_or_url)
        url_host = parts.hostname if "://" in path_or_url else None
        lowered = {k.lower(): v for k, v in (headers or {}).items()}
        chosen = host or lowered.get("host") or url_host or ""
        lowered["host"] = chosen
        return cls(method.upper(), parts.path or "/", parts.query, chosen, lowered, parts.port)

    @property
    def target(self) -> str:
        """The path with its query string, as the app receives it."""
        return self.path + (f"?{self.query}" if self.query else "")


def _wildcard(pattern: str, value: str, *, case_sensitive: bool) -> bool:
    if not case_sensitive:
        pattern, value = pattern.lower(), value.lower()
    regex = fnmatch.translate(pattern).replace("[", r"\[")  # only * and ? are wildcards
    return re.fullmatch(regex, value, flags=re.DOTALL) is not None


def _values(condition: Mapping[str, Any], config: str) -> list[Any]:
    return list((condition.get(config) or {}).get("Values") or condition.get("Values") or [])


def condition_matches(condition: Mapping[str, Any], request: Request) -> bool:
    """Whether one rule condition (as boto3 sends it) matches ``request``."""
    kind = condition.get("Field")
    if kind == "path-pattern":
        return any(
            _wildcard(p, request.path, case_sensitive=True)
            for p in _values(condition, "PathPatternConfig")
        )
    if kind == "host-header":
        host = request.host.split(":")[0]
        return any(
            _wildcard(p, host, case_sensitive=False) for p in _values(condition, "HostHeaderConfig")
        )
    if kind == "http-request-method":
        return request.method in _values(condition, "HttpRequestMethodConfig")
    if kind == "http-header":
        config = condition.get("HttpHeaderConfig") or {}
        value = request.headers.get(str(config.get("HttpHeaderName", "")).lower())
        return value is not None and any(
            _wildcard(p, value, case_sensitive=False) for p in config.get("Values") or []
        )
    if kind == "query-string":
        pairs = parse_qsl(request.query, keep_blank_values=True)
        wanted = (condition.get("QueryStringConfig") or {}).get("Values") or []
        return any(
            any(
                (pair.get("Key") is None or _wildcard(pair["Key"], k, case_sensitive=False))
                and _wildcard(pair.get("Value", "*"), v, case_sensitive=False)
                for k, v in pairs
            )
            for pair in wanted
        )
    return False  # source-ip: the world has no client address


def priority_order(priority: object, is_default: bool = False) -> tuple[int, int]:
    """The sort key of a rule of ``priority`` (a number, or ``"default"``): lowest first, the
    default rule last."""
    if is_default or priority == "default":
        return (1, 0)
    return (0, int(str(priority)))


def forward_target_group(action: Mapping[str, Any]) -> str | None:
    if action.get("TargetGroupArn"):
        return str(action["TargetGroupArn"])
    groups = (action.get("ForwardConfig") or {}).get("TargetGroups") or []
    if not groups:
        return None
    heaviest = max(groups, key=lambda g: int(g.get("Weight", 1) or 0))
    return str(heaviest["TargetGroupArn"])
