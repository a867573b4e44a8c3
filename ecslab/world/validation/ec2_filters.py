"""EC2 filters: a Describe call filters by the names AWS lists for it, or is refused.

What AWS does: each EC2 Describe call documents the filter names it takes (botocore's EC2 model,
the ``Filters`` member of ``DescribeSubnetsRequest`` and the others below, as on the API
reference pages); ``tag:<key>`` filters by any tag. A name it does not know is refused with
``InvalidParameterValue``: "The filter 'default-for-zone' is invalid" (as AWS answers
DescribeSubnets, quoted verbatim in users' notes; the documented name is ``default-for-az``).

Source: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSubnets.html and
the model's documentation of each call's ``Filters``.

Differs from AWS: the names are read from the pinned botocore's documentation, which may list
fewer than AWS takes; ``isDefault`` (a spelling of ``is-default`` that moto also reads) is let
through. A documented name that moto cannot filter by still gets the world's general answer.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from ecslab.semantics import service_models
from ecslab.world.moto_hooks import ApiCall, AwsError
from ecslab.world.validation.rules import rule

SOURCE = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSubnets.html"
#: The Describe calls of the network a container course builds.
DESCRIBE_CALLS = (
    "DescribeAddresses",
    "DescribeAvailabilityZones",
    "DescribeInternetGateways",
    "DescribeNetworkAcls",
    "DescribeNetworkInterfaces",
    "DescribeRouteTables",
    "DescribeSecurityGroupRules",
    "DescribeSecurityGroups",
    "DescribeSubnets",
    "DescribeVpcEndpoints",
    "DescribeVpcs",
)
#: [UNVERIFIED] names AWS is widely seen to take without documenting them.
UNDOCUMENTED = {"DescribeVpcs": frozenset({"isDefault"})}
_NAME = re.compile(r"<li>\s*<p>\s*<code>([^<]+)</code>")


def _ec2_model() -> Any:
    """botocore's EC2 model, read once per process (the lab's clients read the same)."""
    return service_models.service_model("ec2")


@functools.cache
def documented_filters(action: str) -> frozenset[str]:
    """The filter names botocore's EC2 model documents for ``action`` (``tag`` for tag:<key>)."""
    members = _ec2_model().operation_model(action).input_shape.members
    documentation = members["Filters"].documentation if "Filters" in members else ""
    return frozenset(_NAME.findall(documentation))


@rule("ec2", *DESCRIBE_CALLS, source=SOURCE)
def filter_names_are_the_documented_ones(call: ApiCall) -> None:
    """An EC2 Describe call filters only by the names AWS documents for it (and tag:<key>)."""
    for each in call.params.get("Filters") or call.params.get("Filter") or []:
        name = each.get("Name") if isinstance(each, dict) else None
        if not isinstance(name, str) or name.startswith("tag:"):
            continue
        known = documented_filters(call.action) | UNDOCUMENTED.get(call.action, frozenset())
        if known and name not in known:
            raise AwsError("InvalidParameterValue", f"The filter '{name}' is invalid")
