"""Timestamps in UTC, whatever the machine's time zone.

botocore turns the epoch numbers AWS (and moto) send into datetimes in the *local* time zone, so
the same response would print differently on a laptop in Paris and in CI. Notebook outputs must
repeat everywhere, so the lab's sessions parse every timestamp as UTC; the instant is unchanged.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.utils import parse_timestamp

from ecslab.semantics import service_models


def parse_utc(value: Any) -> datetime:
    """botocore's own parser, then expressed in UTC."""
    return parse_timestamp(value).astimezone(UTC)


def use_utc_timestamps(session: boto3.Session) -> boto3.Session:
    """Make clients made from ``session`` from now on return UTC datetimes."""
    factory = session._session.get_component("response_parser_factory")
    factory.set_parser_defaults(timestamp_parser=parse_utc)
    return session


def configure_default_session() -> boto3.Session:
    """Create boto3's default session (what a plain ``boto3.client(...)`` uses), in UTC, reading
    botocore's models through the process's one loader."""
    boto3.setup_default_session()
    assert boto3.DEFAULT_SESSION is not None
    return use_utc_timestamps(service_models.share(boto3.DEFAULT_SESSION))
