"""Which behaviours make up the standard simulated world, in the order they act.

Validation comes first (it may reject a call before anything else sees it); then the pieces
that make the world run. Each behaviour module documents what AWS does and where ecslab differs.
"""

from __future__ import annotations

from typing import Any


def standard_behaviours() -> list[Any]:
    """Fresh instances of every behaviour of the standard world."""
    from ecslab.world.balancer_provisioning import BalancerProvisioning
    from ecslab.world.elbv2_idempotency import Elbv2Idempotency
    from ecslab.world.image_platform import ImageBlobs
    from ecslab.world.managed_policies import ManagedPolicies
    from ecslab.world.moto_answers import MotoAnswers
    from ecslab.world.network.default_vpc import NetworkShape
    from ecslab.world.runtime import Runtime
    from ecslab.world.validation import Validation

    return [
        Validation(),
        NetworkShape(),
        MotoAnswers(),
        Elbv2Idempotency(),
        BalancerProvisioning(),
        ManagedPolicies(),
        ImageBlobs(),
        Runtime(),
    ]
