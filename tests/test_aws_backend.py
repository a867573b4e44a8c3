"""The real-account backend never starts without an explicit opt-in, and explains itself."""

from __future__ import annotations

import os

import pytest

from ecslab.errors import BackendUnavailable, RealAwsNotConfirmed
from ecslab.lab import Lab


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: os.PathLike[str]) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path) + "/none")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path) + "/none")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.delenv("ECSLAB_ALLOW_REAL_AWS", raising=False)


@pytest.mark.usefixtures("no_credentials")
def test_refuses_without_opt_in() -> None:
    with pytest.raises(RealAwsNotConfirmed, match=r"confirm=True.*ECSLAB_ALLOW_REAL_AWS=1"):
        Lab(backend="aws")


@pytest.mark.usefixtures("no_credentials")
def test_environment_variable_backend_still_needs_opt_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECSLAB_BACKEND", "aws")
    with pytest.raises(RealAwsNotConfirmed):
        Lab()


@pytest.mark.usefixtures("no_credentials")
def test_missing_credentials_is_one_sentence_with_the_fix() -> None:
    with pytest.raises(BackendUnavailable, match=r"No AWS credentials found.*aws configure"):
        Lab(backend="aws", confirm=True, region="us-east-1")


@pytest.mark.usefixtures("no_credentials")
def test_unknown_profile_is_named() -> None:
    with pytest.raises(BackendUnavailable, match="No AWS profile named 'nope'"):
        Lab(backend="aws", confirm=True, profile="nope")


@pytest.mark.usefixtures("no_credentials")
def test_opt_in_through_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """ECSLAB_ALLOW_REAL_AWS=1 counts as the opt-in (here it then finds no credentials)."""
    monkeypatch.setenv("ECSLAB_ALLOW_REAL_AWS", "1")
    with pytest.raises(BackendUnavailable, match="No AWS credentials"):
        Lab(backend="aws", region="us-east-1")
