"""The quizzes as the lessons print them: the typed-answer line works in its cell, as printed,
and the questions agree with the lessons they follow."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml

import ecslab
from ecslab.quiz import Feedback

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
TYPED = re.compile(r"^\s*Type: (?P<line>quiz(?:\[\d+\])?\.answer\(.*\))", re.M)


def _quiz_cells() -> list[tuple[str, str]]:
    return [
        (path.stem, cell.source)
        for path in LESSONS
        for cell in nbformat.read(path, as_version=4).cells
        if cell.cell_type == "code" and "ecslab.quiz(" in cell.source
    ]


QUIZ_CELLS = _quiz_cells()


def test_every_lesson_has_quiz_cells() -> None:
    assert len({lesson for lesson, _ in QUIZ_CELLS}) == 10 and len(QUIZ_CELLS) >= 20


def _filled(line: str, question: ecslab.quiz.QuizQuestion) -> str:
    """The printed line with each placeholder replaced by something the question can read."""
    kind = question.question.kind
    if kind == "ordering":
        labels = iter(question.layout.labels)
        return re.sub("'…'", lambda _: repr(next(labels)), line).replace(" from first to last", "")
    if kind == "blanks":
        return line.replace("'…'", "'ECR'")
    line = line.replace(", ...)", ")").split("), a letter")[0].rstrip(")") + ")"
    return line.replace("'…'", "'A'")


@pytest.mark.parametrize("lesson, source", QUIZ_CELLS, ids=lambda v: v[:40])
def test_the_typed_line_works_in_its_cell(lesson: str, source: str) -> None:
    """Run the cell, then type exactly what it printed (placeholders filled): feedback, no
    NameError; and the printed line holds a placeholder, never a letter."""
    namespace: dict[str, object] = {"ecslab": ecslab}
    *body, last = source.splitlines()
    exec("\n".join(body), namespace)
    shown = eval(last, namespace)
    lines = TYPED.findall(shown.text())
    assert len(lines) == len(shown), shown.text()
    for number, line in enumerate(lines, 1):
        assert not re.search(r"'[A-Z]'", line), f"a letter in the printed line: {line}"
        asked = shown[number] if len(shown) > 1 else shown.questions[0]
        feedback = eval(_filled(line, asked), namespace)
        assert isinstance(feedback, Feedback) and feedback.status in ("right", "wrong")


def test_a_hint_is_suggested_only_when_there_is_one() -> None:
    with_hint = ecslab.quiz("07_secrets", "github-vs-aws", record=False)
    assert with_hint.questions[0].question.hint
    assert "Ask for a hint" in with_hint.answer("A", "A", "A", "A").text()
    bank = ecslab.quiz.load_bank("06_cicd")
    hintless = next(q for q in bank.questions if not q.hint and q.kind == "single")
    asked = ecslab.quiz("06_cicd", hintless.id, record=False)
    wrong = next(
        label
        for label, i in zip(
            asked.questions[0].layout.labels, asked.questions[0].layout.order, strict=True
        )
        if not hintless.choices[i].correct
    )
    feedback = asked.answer(wrong).text()
    assert "Try again" in feedback and "hint" not in feedback.lower()


def test_the_role_arn_is_a_variable_as_lesson_06_teaches() -> None:
    """07's github-vs-aws puts the role's ARN where 06's workflow reads it: vars, not secrets."""
    workflow = yaml.safe_load((ROOT / "examples/app/.github/workflows/deploy.yml").read_text())
    credentials = next(
        step
        for step in workflow["jobs"]["deploy"]["steps"]
        if "configure-aws-credentials" in step.get("uses", "")
    )
    assert credentials["with"]["role-to-assume"] == "${{ vars.AWS_ROLE_ARN }}"
    question = ecslab.quiz.load_bank("07_secrets").question("github-vs-aws")
    role = next(p for p in question.pairs if "role the workflow assumes" in p.left)
    assert role.right == "a GitHub Actions variable" and "secret" not in role.right.lower()
    lesson = (ROOT / "notebooks/06_cicd.ipynb").read_text()
    assert "vars.AWS_ROLE_ARN" in lesson and "not even a secret" in lesson
