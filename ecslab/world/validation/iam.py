"""IAM policies: a policy document is JSON.

What AWS does: a role's trust policy (``CreateRole.AssumeRolePolicyDocument``,
``UpdateAssumeRolePolicy.PolicyDocument``) and an inline or managed policy are JSON documents
("In IAM, you must provide a JSON policy that has been converted to a string", botocore's IAM
model); text that is not JSON is refused with ``MalformedPolicyDocument``: "This policy
contains invalid Json".

Source: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html.

Differs from AWS: only whether the text is JSON is checked here; moto checks the grammar of the
policies it validates (its words for those differ from AWS's).
"""

from __future__ import annotations

import json

from ecslab.world.moto_hooks import ApiCall, AwsError
from ecslab.world.validation.rules import rule

SOURCE = "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html"
#: The member that holds the policy document of each call.
DOCUMENTS = {
    "CreateRole": "AssumeRolePolicyDocument",
    "UpdateAssumeRolePolicy": "PolicyDocument",
    "PutRolePolicy": "PolicyDocument",
    "CreatePolicy": "PolicyDocument",
    "CreatePolicyVersion": "PolicyDocument",
}


@rule("iam", *DOCUMENTS, source=SOURCE)
def policy_document_is_json(call: ApiCall) -> None:
    """A policy document (a role's trust policy included) is JSON."""
    # Code: the model's MalformedPolicyDocumentException (wire code MalformedPolicyDocument).
    # Message: AWS's answer as Terraform users quote it ("creating IAM Role:
    # MalformedPolicyDocument: This policy contains invalid Json").
    document = call.params.get(DOCUMENTS[call.action])
    if not isinstance(document, str):
        return
    try:
        json.loads(document)
    except ValueError:
        raise AwsError("MalformedPolicyDocument", "This policy contains invalid Json") from None
