"""The register of rules: every rule is named, sourced, listed by `ecslab rules`, and tested."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ecslab.cli import main
from ecslab.world.assembly import standard_behaviours
from ecslab.world.validation import MOTO_FIXES, Rule, Validation, all_rules

RULES = all_rules()
TESTS = Path(__file__).parent


def validation_test_names() -> list[str]:
    names = []
    for path in sorted(TESTS.glob("test_validation_*.py")):
        tree = ast.parse(path.read_text())
        names += [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
    return names


def test_there_are_rules_for_every_area() -> None:
    """Each area has rules: ECS, ELBv2, ECR, the EC2 network, IAM, Logs, Secrets Manager, SSM."""
    assert {r.service for r in RULES} == {
        "ecs",
        "elbv2",
        "ecr",
        "ec2",
        "iam",
        "logs",
        "secretsmanager",
        "ssm",
    }
    assert len(RULES) >= 25


def test_every_rule_has_a_unique_name_a_summary_and_an_aws_source() -> None:
    """A reader can find each rule by name and follow it to AWS's page or model."""
    assert len({r.name for r in RULES}) == len(RULES)
    for each in RULES:
        assert each.summary != each.name, each.name
        assert each.source.startswith(("https://docs.aws.amazon.com/", "botocore ")), each.name
        assert each.kind in ("rejects", "fills in")


@pytest.mark.parametrize("each", RULES, ids=lambda r: r.name)
def test_every_rule_is_tested(each: Rule) -> None:
    """A rejecting rule has a test that it rejects and one that it accepts; others a test."""
    names = [n for n in validation_test_names() if n.startswith(f"test_{each.name}")]
    if each.kind == "rejects":
        assert any("reject" in n for n in names), names
        assert any("accept" in n for n in names), names
    else:
        assert names


def test_validation_is_the_first_behaviour_of_the_standard_world() -> None:
    """Validation runs before anything else can react to a call AWS would refuse."""
    assert isinstance(standard_behaviours()[0], Validation)


def test_ecslab_rules_prints_every_rule_and_fix(capsys: pytest.CaptureFixture[str]) -> None:
    """`ecslab rules` lists each rule with its summary and source, then the moto fixes."""
    assert main(["rules"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"{len(RULES)} rules, run before moto stores anything:")
    for each in [*RULES, *MOTO_FIXES]:
        assert each.name in printed
        assert each.source in printed


def test_ecslab_rules_filters_by_service(capsys: pytest.CaptureFixture[str]) -> None:
    """`--service ecr` lists the ECR rules only."""
    assert main(["rules", "--service", "ecr"]) == 0
    printed = capsys.readouterr().out
    ecr = [r for r in RULES if r.service == "ecr"]
    assert printed.startswith(f"{len(ecr)} rules")
    assert "fargate" not in printed
