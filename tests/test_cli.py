"""The ecslab command: thin, and every subcommand answers --help."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ecslab import __version__
from ecslab.cli import COMMANDS, build_parser, main


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"ecslab {__version__}"


def test_every_subcommand_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert COMMANDS
    for name, _, help_text in COMMANDS:
        with pytest.raises(SystemExit):
            build_parser([name, "--help"]).parse_args([name, "--help"])
        assert help_text in capsys.readouterr().out


def test_only_the_subcommand_run_is_imported() -> None:
    """``ecslab --help`` imports no subcommand; ``ecslab rules`` imports only its own."""
    code = (
        "import sys; from ecslab.cli import COMMANDS, build_parser; "
        "build_parser(sys.argv[1:]); "
        "print(sorted(m for _, m, _ in COMMANDS if m in sys.modules))"
    )

    def imported(*argv: str) -> str:
        run = subprocess.run(
            [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True
        )
        return run.stdout.strip()

    assert imported("--help") == "[]"
    assert imported("rules", "--service", "ecs") == "['ecslab.cli.rules_cli']"


def test_doctor_reports_each_piece_with_a_mark(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["doctor"])
    out = capsys.readouterr().out
    for piece in ("python", "boto3", "moto", "backend", "diagrams", "widgets", "real AWS"):
        assert f" {piece}: " in out
    assert code in (0, 1)
    assert ("All set." in out) == (code == 0)


def test_doctor_never_prints_a_secret(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    main(["doctor"])
    out = capsys.readouterr().out
    assert "AKIAIOSFODNN7EXAMPLE" not in out and "EXAMPLEKEY" not in out
    assert "AWS_ACCESS_KEY_ID" in out


def test_doctor_gives_the_fix_for_a_bad_backend(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ECSLAB_BACKEND", "nonsense")
    assert main(["doctor"]) == 1
    assert "fix: unset ECSLAB_BACKEND" in capsys.readouterr().out
