"""Secret values never show: in text, data, logs, errors, progress output and the lab's reprs."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator

import boto3
import pytest
from account_capstone import build_capstone

from ecslab.account.course_secrets import API_KEY, COURSE_SECRETS, DATABASE_PASSWORD
from ecslab.account.masking import (
    MASK,
    MaskingLogFilter,
    known_secrets,
    mask,
    mask_data,
    masked_error,
)
from ecslab.account.tagged_resources import inventory
from ecslab.account.wait_progress import WaitProgress
from ecslab.lab import Lab


@pytest.fixture
def lab() -> Iterator[Lab]:
    with Lab(name="masks") as opened:
        yield opened


def test_the_course_secrets_are_masked_in_text() -> None:
    """Each example secret of the course becomes ********."""
    for value in COURSE_SECRETS:
        assert mask(f"password={value};") == f"password={MASK};"


def test_a_secret_stored_through_the_lab_is_masked_from_then_on(lab: Lab) -> None:
    """CreateSecret's SecretString is remembered as it goes out."""
    lab.client("secretsmanager").create_secret(Name="masks/new", SecretString="fresh-value-981")
    assert mask("the value is fresh-value-981") == f"the value is {MASK}"


def test_a_secure_parameter_and_a_fetched_secret_are_remembered(lab: Lab) -> None:
    """SSM SecureString values and GetSecretValue answers count as secret."""
    lab.client("ssm").put_parameter(Name="/masks/k", Value="param-value-55", Type="SecureString")
    outsider = boto3.Session(region_name="us-east-1").client("secretsmanager")
    outsider.create_secret(Name="masks/other", SecretString="fetched-value-77")
    assert "fetched-value-77" not in known_secrets()
    lab.client("secretsmanager").get_secret_value(SecretId="masks/other")
    assert mask("param-value-55 fetched-value-77") == f"{MASK} {MASK}"


def test_plain_parameters_are_not_treated_as_secret(lab: Lab) -> None:
    """A String parameter is configuration, shown as it is."""
    lab.client("ssm").put_parameter(Name="/masks/colour", Value="ultramarine", Type="String")
    assert mask("ultramarine") == "ultramarine"


def test_answers_are_masked_field_by_field() -> None:
    """SecretString and SecureString values are hidden whatever they are; others masked."""
    answer = {
        "Name": "db",
        "SecretString": "anything-at-all",
        "Parameters": [{"Name": "/k", "Type": "SecureString", "Value": "v-123456"}],
        "Note": f"uses {API_KEY}",
    }
    assert mask_data(answer) == {
        "Name": "db",
        "SecretString": MASK,
        "Parameters": [{"Name": "/k", "Type": "SecureString", "Value": MASK}],
        "Note": f"uses {MASK}",
    }


def test_log_records_are_masked_while_a_lab_is_open(
    lab: Lab, caplog: pytest.LogCaptureFixture
) -> None:
    """Any logger, any handler: the record's message is masked when it is made."""
    with caplog.at_level(logging.INFO, logger="an.app"):
        logging.getLogger("an.app").info("connecting with %s", DATABASE_PASSWORD)
    assert caplog.messages == [f"connecting with {MASK}"]


def test_the_log_filter_masks_for_handlers_of_ones_own() -> None:
    """MaskingLogFilter works without a lab, on a handler."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskingLogFilter())
    logger = logging.getLogger("ecslab.test.masking")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("key=%s", API_KEY)
    finally:
        logger.removeHandler(handler)
    assert stream.getvalue() == f"key={MASK}\n"


def test_exception_messages_are_masked() -> None:
    """masked_error rewrites an error's message before it is shown."""
    error = masked_error(ValueError(f"bad password {DATABASE_PASSWORD}"))
    assert str(error) == f"bad password {MASK}"


def test_an_aws_error_is_masked_in_its_answer_too() -> None:
    """A ClientError's message and its response's Error.Message hide the value."""
    from botocore.exceptions import ClientError

    answer = {"Error": {"Code": "ValidationException", "Message": f"bad value {API_KEY}"}}
    error = masked_error(ClientError(answer, "PutParameter"))
    assert API_KEY not in str(error)
    assert error.response["Error"]["Message"] == f"bad value {MASK}"


def test_progress_output_is_masked() -> None:
    """Events written by the progress bar pass through mask()."""
    out = io.StringIO()
    with WaitProgress("waiting", 10, file=out) as bar:
        bar.event(f"leaked {API_KEY}")
        bar.update(5, f"status {API_KEY}")
    assert API_KEY not in out.getvalue()
    assert f"leaked {MASK}" in out.getvalue()


def test_the_labs_own_reprs_never_hold_a_secret_value(lab: Lab) -> None:
    """Inventory, cost and teardown reports name secrets, never their values."""
    build_capstone(lab.client, prefix="masks")
    shown = " ".join(
        [repr(inventory(lab.client, "masks")), repr(lab.cost()), repr(lab.teardown())]
    )
    assert "masks/db-password" in shown
    assert DATABASE_PASSWORD not in shown


def test_exceptions_shown_in_ipython_are_masked(capsys: pytest.CaptureFixture[str]) -> None:
    """In a notebook, a traceback's message and source lines hide the secret value."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        with Lab(name="masks"):
            result = shell.run_cell(f"raise ValueError('bad password ' + {DATABASE_PASSWORD!r})")
        shown = re.sub(r"\x1b\[[0-9;]*m", "", capsys.readouterr().out)  # without colours
        assert isinstance(result.error_in_exec, ValueError)
        assert "ValueError: bad password ********" in shown
        assert DATABASE_PASSWORD not in shown
        assert shell.custom_exceptions == ()  # closing the lab put the shell back as it was
    finally:
        InteractiveShell.clear_instance()
