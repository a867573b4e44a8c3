"""AWS managed IAM policies, there when a call names one.

AWS: every account can attach AWS's managed policies, such as
``arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy`` (the execution role's
usual policy, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html).

moto ships their documents but loads all of them (about 1,500) only when told to, which costs
two seconds per account. The world instead loads the one a call names, the first time it does.

Differs from AWS: a managed policy appears in ``list_policies(Scope="AWS")`` only after a call
has named it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecslab.world.call_handlers import ANY
from ecslab.world.moto_hooks import ApiCall

if TYPE_CHECKING:
    from ecslab.world.call_handlers import Registrar
    from ecslab.world.world import World

PREFIX = "arn:aws:iam::aws:policy/"


def ensure(account: str, arn: str) -> None:
    """Make the managed policy ``arn`` exist in ``account`` (a no-op when it is unknown)."""
    from ecslab.world.moto_adapter import iam_models

    if iam_models.has_managed_policy(account, arn):
        return
    name = arn.rsplit("/", 1)[-1]
    data = iam_models.managed_policy_document(name)
    if data is None or f"{PREFIX}{str(data.get('Path', '/')).lstrip('/')}{name}" != arn:
        return
    iam_models.add_managed_policy(account, name, data)


class ManagedPolicies:
    """A world behaviour: before an IAM call that names an AWS managed policy, load it."""

    def register_calls(self, calls: Registrar) -> None:
        """Before moto: every IAM call (any of them may name a managed policy)."""
        calls.before("iam", ANY, self.load)

    def load(self, world: World, call: ApiCall) -> None:
        arn = call.params.get("PolicyArn")
        if isinstance(arn, str) and arn.startswith(PREFIX):
            ensure(call.account, arn)
