"""The Application Load Balancer's data plane: which rule, which target group, which target.

What AWS does: a request reaches a listener by port; the listener evaluates its rules "in
priority order, from the lowest value to the highest value. The default rule is evaluated last."
(the ordering and the conditions: :mod:`ecslab.semantics.listener_rules`). A ``forward`` action
sends the request
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

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ecslab.errors import NoLoadBalancer
from ecslab.semantics.listener_rules import (
    Request,
    condition_matches,
    forward_target_group,
    priority_order,
)
from ecslab.semantics.requests import REFUSED, TIMED_OUT, RequestResult

if TYPE_CHECKING:
    from ecslab.world.moto_adapter.elbv2_models import Balancer, Listener, ListenerRule
    from ecslab.world.runtime import Runtime

ALB_503_BODY = "503 Service Temporarily Unavailable"
ALB_502_BODY = "502 Bad Gateway"
ALB_504_BODY = "504 Gateway Time-out"


def rule_order(rule: ListenerRule) -> tuple[int, int]:
    """A rule's place: by priority, the default rule last."""
    return priority_order(rule.priority, rule.is_default)


def choose_rule(rules: list[ListenerRule], request: Request) -> ListenerRule:
    """The first rule, by priority, whose every condition matches (the default rule last)."""
    for rule in sorted(rules, key=rule_order):
        if all(condition_matches(c, request) for c in rule.conditions or []):
            return rule
    raise LookupError("A listener always has a default rule.")


def action_of(rule: ListenerRule) -> dict[str, Any]:
    """The rule's terminal action (forward, fixed-response or redirect) as a dict."""
    actions = list(rule.actions)
    actions.sort(key=lambda a: int(a.get("Order", 0) or 0))
    return actions[-1] if actions else {}


def choose_target(targets: list[Any], counter: int) -> Any | None:
    """Round robin among healthy targets; fail open over the unhealthy ones when none is healthy.

    Targets still in ``initial`` get no traffic (they have not passed a check yet), so a group
    of only new targets answers 503 like an empty one (plausible; AWS does not say)."""
    healthy = [t for t in targets if t.state == "healthy"]
    pool = healthy or [t for t in targets if t.state == "unhealthy"]
    return pool[counter % len(pool)] if pool else None


def _balancer(account: str, region: str, request: Request) -> Balancer:
    from ecslab.world.moto_adapter import elbv2_models

    balancers = [lb for lb in elbv2_models.balancers(account, region) if lb.type == "application"]
    if not balancers:
        raise NoLoadBalancer(
            "There is no Application Load Balancer in this account and region yet: "
            "create one with elbv2.create_load_balancer."
        )
    host = request.host.split(":")[0].lower()
    named = [lb for lb in balancers if lb.dns_name.lower() == host]
    return (named or balancers)[0]


def _listener(account: str, region: str, balancer: Balancer, request: Request) -> Listener:
    from ecslab.world.moto_adapter import elbv2_models

    listeners = elbv2_models.listeners(account, region, balancer.arn)
    if not listeners:
        raise LookupError(f"The load balancer {balancer.name} has no listener yet.")
    port = request.port or 80
    same = [listener for listener in listeners if int(listener.port) == port]
    return (same or listeners)[0]


def send(runtime: Runtime, account: str, region: str, request: Request, url: str) -> RequestResult:
    """Send ``request`` through the account's ALB: listener, rule, target group, target, app."""
    from ecslab.world.moto_adapter import elbv2_models
    from ecslab.world.network import traffic

    balancer = _balancer(account, region, request)
    port = request.port or 80
    reached = traffic.client_reaches(runtime.world, account, region, balancer, port)
    if not reached:  # the SYN is dropped: the client waits, then gives up
        return RequestResult(
            None, "", request.method, url, balancer.arn, error=f"{TIMED_OUT} ({reached.detail})"
        )
    if not any(each.port == port for each in elbv2_models.listeners(account, region, balancer.arn)):
        return RequestResult(
            None,
            "",
            request.method,
            url,
            balancer.arn,
            error=f"{REFUSED} (no listener on port {port} of {balancer.name})",
        )
    listener = _listener(account, region, balancer, request)
    rule = choose_rule(list(listener.rules), request)
    action = action_of(rule)
    result = RequestResult(0, "", request.method, url, balancer.arn, listener.arn, rule.arn)
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
    return _forward(runtime, account, region, balancer, request, action, result)


def _forward(
    runtime: Runtime,
    account: str,
    region: str,
    balancer: Balancer,
    request: Request,
    action: Mapping[str, Any],
    result: RequestResult,
) -> RequestResult:
    """A forward action: the target group's next target, then its app (or the ALB's 503, 504
    or 502 when there is none, it cannot be reached, or nothing answers on its port)."""
    from ecslab.world.moto_adapter import elbv2_models
    from ecslab.world.network import traffic
    from ecslab.world.targets import answers
    from ecslab.world.task_effects import app_of, write_log

    group_arn = forward_target_group(action)
    result.target_group_arn = group_arn
    group = elbv2_models.target_group(account, region, group_arn) if group_arn else None
    registered = [
        t
        for target_id in (group.targets if group is not None else ())
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
