"""Who is asking the ecslab server: each learner's access key, and AWS's answer to any other key.

moto alone would answer an unknown access key from its shared default account, so a stale lab
would quietly read and write someone else's resources. Here every learner gets one key, made
once and kept in the journal (a second ``Lab()`` for the same learner gets the same key, so the
first lab's clients keep working, across restarts too); a request signed with any other key is
refused with the error AWS answers for a key it does not know:

* JSON services (ECS, ECR, Logs, Secrets Manager, SSM): ``UnrecognizedClientException``, "The
  security token included in the request is invalid." (HTTP 400);
* query services (STS, IAM, ELBv2): ``InvalidClientTokenId``, same message (HTTP 403);
* EC2: ``AuthFailure``, "AWS was not able to validate the provided access credentials" (401).

Source: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/CommonErrors.html and
https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html (``InvalidClientTokenId``:
"The X.509 certificate or AWS access key ID provided does not exist in our records.");
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html (``AuthFailure``).
Differs from AWS: the messages are the ones AWS's CLI prints for such keys; the documentation
pages word the meaning, not the message.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import threading
from typing import Any
from urllib.parse import parse_qs

from ecslab.backends.learner_names import learner_key
from ecslab.backends.server import account_for
from ecslab.workshop.journal import Journal, Learner

_CREDENTIAL = re.compile(r"Credential=([A-Za-z0-9]+)/[^/]*/[^/]*/([^/]+)/")
INVALID_TOKEN = "The security token included in the request is invalid."
EC2_AUTH_FAILURE = "AWS was not able to validate the provided access credentials"


class Identities:
    """The learners' keys, from the journal; which account a request's key belongs to."""

    def __init__(self, journal: Journal) -> None:
        self._journal = journal
        self._by_key = {row.key_id: row for row in journal.learners()}
        self._lock = threading.Lock()  # two first labs of one learner at once make one key

    def learner(self, name: str) -> Learner:
        """The learner's key (made and journalled on first use)."""
        with self._lock:
            for row in self._by_key.values():
                if learner_key(row.learner) == learner_key(name):  # "Alice", "alice": one
                    return row
            key_id = "AKIA" + base64.b32encode(secrets.token_bytes(10)).decode()[:16]
            row = Learner(name, account_for(name), key_id, secrets.token_urlsafe(30))
            self._journal.add_learner(row)
            self._by_key = {**self._by_key, key_id: row}  # readers see the old or the new
            return row

    def all(self) -> list[Learner]:
        return sorted(self._by_key.values(), key=lambda row: row.learner)

    def account_of(self, environ: dict[str, Any]) -> str | None:
        """The account of the request's access key; ``None`` when the key is not a learner's."""
        key = request_key(environ)[0]
        row = self._by_key.get(key or "")
        return row.account if row else None


def request_key(environ: dict[str, Any]) -> tuple[str | None, str]:
    """The access key ID a request was signed with, and the service its signature names."""
    found = _CREDENTIAL.search(environ.get("HTTP_AUTHORIZATION", ""))
    if found:
        return found.group(1), found.group(2)
    query = parse_qs(environ.get("QUERY_STRING", ""))
    credential = (query.get("X-Amz-Credential") or [""])[0].split("/")
    if len(credential) >= 4:
        return credential[0], credential[3]
    return None, ""


def refusal(environ: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
    """AWS's answer to a request whose key it does not know, in the service's protocol."""
    service = request_key(environ)[1]
    if environ.get("HTTP_X_AMZ_TARGET"):
        body = json.dumps({"__type": "UnrecognizedClientException", "message": INVALID_TOKEN})
        return 400, [("Content-Type", "application/x-amz-json-1.1")], body.encode()
    if service == "ec2":
        xml = (
            "<Response><Errors><Error><Code>AuthFailure</Code>"
            f"<Message>{EC2_AUTH_FAILURE}</Message></Error></Errors>"
            "<RequestID>ecslab</RequestID></Response>"
        )
        return 401, [("Content-Type", "text/xml")], xml.encode()
    xml = (
        "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code>"
        f"<Message>{INVALID_TOKEN}</Message></Error><RequestId>ecslab</RequestId></ErrorResponse>"
    )
    return 403, [("Content-Type", "text/xml")], xml.encode()
