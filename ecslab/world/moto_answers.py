"""Where moto's answers differ from AWS's in shape or in what they name, corrected.

What AWS does, and what moto 5.2 does instead:

* Secrets Manager: ``DescribeSecret`` answers ``VersionIdsToStages``, each ``ListSecrets``
  entry ``SecretVersionsToStages`` (botocore's secretsmanager model, ``DescribeSecretResponse``
  and ``SecretListEntry``); moto sends both names in both answers.
* CloudWatch Logs: ``GetLogEvents`` on a stream that does not exist, in a group that does,
  says "The specified log stream does not exist." (botocore's logs model,
  ``ResourceNotFoundException``; AWS's wording as users quote it); moto blames the group.
* An ARN naming another account: AWS authorises the caller against that account's resource, and
  an account's own ECS, ELB, ECR, Logs and Secrets Manager resources are not shared with it by
  default, so the call is denied (``AccessDeniedException``,
  https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html); moto
  ignores the account in the ARN and answers with the caller's own resource of that name.

Differs from AWS: the denial names the caller as moto's default user, and its wording is
IAM's general form (the exact text per service is not documented).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ecslab.world.call_handlers import ANY
from ecslab.world.moto_hooks import ApiCall, AwsError

if TYPE_CHECKING:
    from ecslab.world.call_handlers import Registrar
    from ecslab.world.world import World

#: The ARN namespace of each service's own resources (botocore's service names → ARN's).
ARN_SERVICES = {
    "ecs": "ecs",
    "elbv2": "elasticloadbalancing",
    "ecr": "ecr",
    "logs": "logs",
    "secretsmanager": "secretsmanager",
}


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _foreign_arn(call: Any) -> str | None:
    namespace = ARN_SERVICES.get(call.service)
    if namespace is None:
        return None
    for text in _strings(call.params):
        parts = text.split(":", 5)
        if len(parts) == 6 and parts[0] == "arn" and parts[2] == namespace:
            account = parts[4]
            if account and account != call.account:
                return text
    return None


class MotoAnswers:
    """The corrections above, as a world behaviour."""

    def register_calls(self, calls: Registrar) -> None:
        """Before moto: any call of a service whose ARNs name an account; GetLogEvents.
        After moto: Secrets Manager's two answers that list version stages."""
        for service in ARN_SERVICES:
            calls.before(service, ANY, self.foreign_arns)
        calls.before("logs", "GetLogEvents", self.log_stream_exists)
        calls.after("secretsmanager", ("DescribeSecret", "ListSecrets"), self.secret_answers)

    def foreign_arns(self, world: World, call: ApiCall) -> None:
        foreign = _foreign_arn(call)
        if foreign is not None:
            action = f"{ARN_SERVICES[call.service]}:{call.action}"
            raise AwsError(
                "AccessDeniedException",
                f"User: arn:aws:iam::{call.account}:user/moto is not authorized to perform: "
                f"{action} on resource: {foreign} because no resource-based policy allows the "
                f"{action} action",
            )

    def log_stream_exists(self, world: World, call: ApiCall) -> None:
        _log_stream_exists(call)

    def secret_answers(self, world: World, call: ApiCall) -> None:
        if call.status != 200:
            return
        if call.action == "DescribeSecret" and "SecretVersionsToStages" in call.response:
            call.replacement = dict(call.response)
            call.replacement.pop("SecretVersionsToStages")
        elif call.action == "ListSecrets":
            entries = call.response.get("SecretList") or []
            if any("VersionIdsToStages" in e for e in entries):
                call.replacement = call.response | {
                    "SecretList": [
                        {k: v for k, v in e.items() if k != "VersionIdsToStages"} for e in entries
                    ]
                }


def _log_stream_exists(call: Any) -> None:
    from ecslab.world.moto_adapter import logs_models

    name = call.params.get("logGroupName") or str(call.params.get("logGroupIdentifier", ""))
    group = name.split(":log-group:")[-1].removesuffix(":*")
    stream = call.params.get("logStreamName")
    exists = logs_models.group_exists(call.account, call.region, group)
    if (
        exists
        and stream
        and not logs_models.stream_exists(call.account, call.region, group, stream)
    ):
        raise AwsError("ResourceNotFoundException", "The specified log stream does not exist.")
