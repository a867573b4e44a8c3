"""The Application Load Balancer's data plane: which rule, which target group, which target.

What AWS does: a request reaches a listener by port; the listener evaluates its rules "in
priority order, from the lowest value to the highest value. The default rule is evaluated last."
Conditions: ``path-pattern`` (case sensitive, ``*`` and ``?`` wildcards, "compared only to the
path of the URL, not to its query string"), ``host-header`` (case insensitive, wildcards),
``http-header``, ``http-request-method``, ``query-string``. A ``forward`` action sends the request
to a target group, which picks a healthy target round robin; "If a target group contains only
unhealthy registered targets, the load balancer routes requests to all those targets"; with no
registered target the answer is HTTP 503.
Sources: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html,
https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html,
botocore's elbv2 model (``PathPatternConditionConfig``, ``HostHeaderConditionConfig``),
https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html

Differs from AWS: ``source-ip`` conditions never match (the world has no client address); a
``forward`` to several weighted target groups goes to the heaviest one; no stickiness.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

ALB_503_BODY = "503 Service Temporarily Unavailable"
ALB_502_BODY = "502 Bad Gateway"
ALB_504_BODY = "504 Gateway Time-out"
#: What a client sees when its connection never opens, in curl's words.
TIMED_OUT = "connection timed out"
REFUSED = "connection refused"


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


def rule_order(rule: Any) -> tuple[int, int]:
    """Rules by priority, the default rule last."""
    priority = getattr(rule, "priority", "default")
    if getattr(rule, "is_default", False) or priority == "default":
        return (1, 0)
    return (0, int(priority))


def choose_rule(rules: list[Any], request: Request) -> Any:
    """The first rule, by priority, whose every condition matches (the default rule last)."""
    for rule in sorted(rules, key=rule_order):
        if all(condition_matches(c, request) for c in getattr(rule, "conditions", []) or []):
            return rule
    raise LookupError("A listener always has a default rule.")


def action_of(rule: Any) -> dict[str, Any]:
    """The rule's terminal action (forward, fixed-response or redirect) as a dict."""
    actions = [getattr(a, "data", a) for a in getattr(rule, "actions", [])]
    actions.sort(key=lambda a: int(a.get("Order", 0) or 0))
    return actions[-1] if actions else {}


def forward_target_group(action: Mapping[str, Any]) -> str | None:
    if action.get("TargetGroupArn"):
        return str(action["TargetGroupArn"])
    groups = (action.get("ForwardConfig") or {}).get("TargetGroups") or []
    if not groups:
        return None
    heaviest = max(groups, key=lambda g: int(g.get("Weight", 1) or 0))
    return str(heaviest["TargetGroupArn"])


@dataclass
class RequestResult:
    """What one request through the load balancer met on its way, and what it got back.

    ``status`` is ``None`` when no HTTP answer came at all; ``error`` then says what happened
    to the connection (``connection timed out``, ``connection refused``) and why, if known."""

    status: int | None
    body: str
    method: str
    url: str
    load_balancer_arn: str | None = None
    listener_arn: str | None = None
    rule_arn: str | None = None
    target_group_arn: str | None = None
    target_id: str | None = None
    task_arn: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    #: The matched rule's priority, or ``"default"``.
    rule_priority: str | None = None
    #: Why there was no HTTP answer (``status`` is ``None``), or why the ALB answered 5xx.
    error: str | None = None

    def __repr__(self) -> str:
        if self.status is None:
            return f"<{self.method} {self.url} → no answer: {self.error}>"
        via = []
        if self.rule_priority == "default":
            via.append("default rule")
        elif self.rule_priority:
            via.append(f"rule {self.rule_priority}")
        if self.target_group_arn:
            via.append("target group " + self.target_group_arn.split("/")[-2])
        if self.target_id:
            via.append("target " + self.target_id)
        path = f" via {', '.join(via)}" if via else ""
        body = self.body if len(self.body) <= 60 else self.body[:57] + "..."
        return f"<{self.method} {self.url} → {self.status}{path}: {body!r}>"

    __str__ = __repr__

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


def choose_target(targets: list[Any], counter: int) -> Any | None:
    """Round robin among healthy targets; fail open over the unhealthy ones when none is healthy.

    Targets still in ``initial`` get no traffic (they have not passed a check yet), so a group
    of only new targets answers 503 like an empty one (plausible; AWS does not say)."""
    healthy = [t for t in targets if t.state == "healthy"]
    pool = healthy or [t for t in targets if t.state == "unhealthy"]
    return pool[counter % len(pool)] if pool else None


def _balancer(backend: Any, request: Request) -> Any:
    balancers = [lb for lb in backend.load_balancers.values() if lb.type == "application"]
    if not balancers:
        raise LookupError(
            "There is no Application Load Balancer in this account and region yet: "
            "create one with elbv2.create_load_balancer."
        )
    host = request.host.split(":")[0].lower()
    named = [lb for lb in balancers if lb.dns_name.lower() == host]
    return (named or balancers)[0]


def _listener(balancer: Any, request: Request) -> Any:
    listeners = list(balancer.listeners.values())
    if not listeners:
        raise LookupError(f"The load balancer {balancer.name} has no listener yet.")
    port = request.port or 80
    same = [listener for listener in listeners if int(listener.port) == port]
    return (same or listeners)[0]


def send(runtime: Any, account: str, region: str, request: Request, url: str) -> RequestResult:
    """Send ``request`` through the account's ALB: listener, rule, target group, target, app."""
    from ecslab.world import moto_state
    from ecslab.world.network import traffic
    from ecslab.world.targets import answers
    from ecslab.world.task_effects import app_of, write_log

    balancer = _balancer(moto_state.elbv2(account, region), request)
    port = request.port or 80
    reached = traffic.client_reaches(runtime.world, account, region, balancer, port)
    if not reached:  # the SYN is dropped: the client waits, then gives up
        return RequestResult(
            None, "", request.method, url, balancer.arn, error=f"{TIMED_OUT} ({reached.detail})"
        )
    if not any(int(each.port) == port for each in balancer.listeners.values()):
        return RequestResult(
            None,
            "",
            request.method,
            url,
            balancer.arn,
            error=f"{REFUSED} (no listener on port {port} of {balancer.name})",
        )
    listener = _listener(balancer, request)
    rule = choose_rule(list(listener.rules.values()), request)
    action = action_of(rule)
    result = RequestResult(
        0, "", request.method, url, balancer.arn, listener.arn, getattr(rule, "arn", None)
    )
    result.rule_priority = str(rule_order(rule)[1]) if rule_order(rule)[0] == 0 else "default"
    kind = action.get("Type")
    if kind == "fixed-response":
        config = action.get("FixedResponseConfig") or {}
        result.status = int(config.get("StatusCode", 200))
        result.body = str(config.get("MessageBody", ""))
        return result
    if kind == "redirect":
        config = action.get("RedirectConfig") or {}
        result.status = int(str(config.get("StatusCode", "HTTP_301")).removeprefix("HTTP_"))
        result.headers["location"] = _location(config, request)
        return result
    group_arn = forward_target_group(action)
    result.target_group_arn = group_arn
    group = moto_state.elbv2(account, region).target_groups.get(group_arn)
    registered = [
        t
        for target_id in (group.targets if group is not None else {})
        if (t := runtime.targets.get((group_arn, target_id))) is not None and t.state != "draining"
    ]
    counters = runtime.round_robin
    target = choose_target(registered, counters.get(group_arn, 0))
    counters[group_arn] = counters.get(group_arn, 0) + 1
    if target is None:
        result.status, result.body = 503, ALB_503_BODY
        return result
    result.target_id = target.target_id
    record = runtime.tasks.get(runtime.by_ip.get((account, region, target.target_id), ""))
    way = traffic.balancer_reaches(runtime.world, balancer, record, target.port) if record else None
    if way is not None and not way:  # the ALB's connect times out after 10 s: 504
        result.status, result.body = 504, ALB_504_BODY
        result.error = f"the load balancer could not connect to the target: {way.detail}"
        return result
    if not answers(runtime, record) or target.port != record.listen_port:  # reset: 502
        result.status, result.body = 502, ALB_502_BODY
        return result
    result.task_arn = record.arn
    answer = app_of(runtime, record).answer(
        request.method, request.target, dict(request.headers), record.environment
    )
    result.status, result.body = answer.status, answer.body
    result.headers = dict(answer.headers)
    write_log(runtime, record, [f'"{request.method} {request.target} HTTP/1.1" {answer.status}'])
    return result


def _location(config: Mapping[str, Any], request: Request) -> str:
    protocol = str(config.get("Protocol", "#{protocol}")).replace("#{protocol}", "http").lower()
    host = str(config.get("Host", "#{host}")).replace("#{host}", request.host)
    port = str(config.get("Port", "#{port}")).replace("#{port}", str(request.port or 80))
    path = str(config.get("Path", "/#{path}")).replace("/#{path}", request.path)
    query = str(config.get("Query", "#{query}")).replace("#{query}", request.query)
    return f"{protocol}://{host}:{port}{path}" + (f"?{query}" if query else "")
