"""The lab's verbs on a real account, where ecslab controls neither the clock nor the ALB.

* ``advance(seconds)`` cannot move AWS's clock, so it waits that long in real time, with a
  progress bar, so a notebook written for the simulated world still reads true: "a minute
  later" is a minute later.
* ``request(path)`` sends a real HTTP request to the load balancer's DNS name. A real ALB does
  not say which rule, target group or target answered, so those fields stay empty.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from ecslab.errors import ConfigurationError, NoLoadBalancer
from ecslab.semantics.requests import REFUSED, TIMED_OUT, RequestResult

#: How long a request may take; an ALB's own connection timeout to a target is 10 s.
REQUEST_TIMEOUT = 15.0


def wait(seconds: float, sleep: Callable[[float], None] = time.sleep) -> None:
    """Wait ``seconds`` of real time, a progress bar counting them."""
    from tqdm.auto import tqdm

    whole = int(seconds)
    with tqdm(total=whole, unit="s", desc="real time passing", leave=False) as bar:
        for _ in range(whole):
            sleep(1.0)
            bar.update(1)
    if seconds > whole:
        sleep(seconds - whole)


def load_balancer_url(elbv2: Any) -> str:
    """``http://<dns>`` of the account's one Application Load Balancer.

    Raises :class:`~ecslab.errors.NoLoadBalancer` when there is none, as the simulated backends
    do, and :class:`~ecslab.errors.ConfigurationError` when there are several to choose from."""
    found = elbv2.describe_load_balancers()["LoadBalancers"]
    balancers = [b for b in found if b.get("Type") == "application"]
    if not balancers:
        raise NoLoadBalancer(
            "There is no Application Load Balancer in this account and region yet: create one "
            "with elbv2.create_load_balancer, or give lab.request a full address."
        )
    if len(balancers) != 1:
        names = ", ".join(b["LoadBalancerName"] for b in balancers) or "none"
        raise ConfigurationError(
            f"lab.request needs one load balancer to send a path to (found: {names}); give the "
            "full address instead: lab.request('http://<its DNS name>/path')."
        )
    return f"http://{balancers[0]['DNSName']}"


def request(
    url: str, method: str = "GET", host: str | None = None, headers: dict[str, str] | None = None
) -> RequestResult:
    """Send one real HTTP request; any HTTP status is an answer, not an error."""
    sent = dict(headers or {})
    if host:
        sent["Host"] = host
    outgoing = urllib.request.Request(url, method=method, headers=sent)
    try:
        with urllib.request.urlopen(outgoing, timeout=REQUEST_TIMEOUT) as answer:
            status, body, answer_headers = answer.status, answer.read(), dict(answer.headers)
    except urllib.error.HTTPError as error:
        status, body, answer_headers = error.code, error.read(), dict(error.headers)
    except (urllib.error.URLError, OSError) as error:
        # No HTTP answer: say what happened to the connection, as curl would, never a status.
        reason = getattr(error, "reason", error)
        refused = isinstance(reason, ConnectionRefusedError)
        timed_out = isinstance(reason, TimeoutError) or "timed out" in str(reason)
        what = REFUSED if refused else TIMED_OUT if timed_out else str(reason)
        return RequestResult(
            status=None,
            body="",
            method=method,
            url=url,
            error=f"{what} ({urlsplit(url).netloc}; a security group that does not admit the "
            "port drops the connection, and a new load balancer takes a few minutes to answer)",
        )
    return RequestResult(
        status=status,
        body=body.decode("utf-8", "replace"),
        method=method,
        url=url,
        headers={k.lower(): v for k, v in answer_headers.items()},
    )
