"""A create cell run twice: AWS's answer, and one plain sentence saying what it means.

Re-running a cell is the commonest thing a learner does. Most of AWS's create calls refuse a
second identical create with an error that names the rule, not the situation ("Creation of
service was not idempotent."). :func:`explain` adds, as a note under AWS's own error (which stays
as it is, code and message), the sentence a learner needs: the thing exists, here is how to read
or change it. The lab's exception display in Jupyter calls it (:mod:`ecslab.account.masking`).

AWS's codes and messages: the ``CreateService`` API reference ("...not idempotent" when a
service of that name exists with other settings or client token), ``CreateRepository``
(``RepositoryAlreadyExistsException``), IAM ``CreateRole`` (``EntityAlreadyExists``), CloudWatch
Logs ``CreateLogGroup`` (``ResourceAlreadyExistsException``), Secrets Manager ``CreateSecret``
(``ResourceExistsException``), SSM ``PutParameter`` (``ParameterAlreadyExists``).
"""

from __future__ import annotations

from typing import Any

#: (operation, AWS error code) → what it means when the cell ran before.
EXPLANATIONS = {
    ("CreateService", "InvalidParameterException"): (
        "The service already exists (an earlier run of this cell created it): describe it with "
        "ecs.describe_services(...), change it with ecs.update_service(...), or delete it with "
        "ecs.delete_service(..., force=True) before creating it again."
    ),
    ("CreateRepository", "RepositoryAlreadyExistsException"): (
        "The repository already exists (an earlier run of this cell created it): "
        "ecr.describe_repositories(repositoryNames=[...]) shows it; there is nothing to create."
    ),
    ("CreateRole", "EntityAlreadyExists"): (
        "The role already exists (an earlier run of this cell created it): "
        "iam.get_role(RoleName=...) shows it, and attach_role_policy may be run again safely."
    ),
    ("CreateLogGroup", "ResourceAlreadyExistsException"): (
        "The log group already exists (an earlier run of this cell created it): nothing to do; "
        "logs.describe_log_groups(logGroupNamePrefix=...) shows it."
    ),
    ("CreateSecret", "ResourceExistsException"): (
        "The secret already exists (an earlier run of this cell created it): "
        "secretsmanager.describe_secret(SecretId=...) shows it, put_secret_value(...) changes it."
    ),
    ("PutParameter", "ParameterAlreadyExists"): (
        "The parameter already exists (an earlier run of this cell created it): read it with "
        "ssm.get_parameter(Name=..., WithDecryption=True), or change it with Overwrite=True."
    ),
}
#: Only ``CreateService``'s InvalidParameterException means "exists"; its other ones do not.
MESSAGES = {("CreateService", "InvalidParameterException"): "not idempotent"}


def explanation(error: BaseException) -> str:
    """The sentence for a botocore ``ClientError`` a re-run cell raises; "" for any other."""
    response: Any = getattr(error, "response", None)
    operation = getattr(error, "operation_name", "")
    if not isinstance(response, dict):
        return ""
    details = response.get("Error", {})
    key = (operation, details.get("Code", ""))
    if key not in EXPLANATIONS or MESSAGES.get(key, "") not in details.get("Message", ""):
        return ""
    return EXPLANATIONS[key]


def explain(error: BaseException) -> None:
    """Add the sentence as a note under AWS's error (once), leaving its code and message as is."""
    sentence = explanation(error)
    if sentence and sentence not in getattr(error, "__notes__", ()):
        error.add_note(sentence)
