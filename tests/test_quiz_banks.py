"""The question banks: present for every lesson, valid against the schema, never leaking answers."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml

from ecslab.errors import ConfigurationError
from ecslab.quiz import ask as quiz
from ecslab.quiz import lessons, load_bank, load_bank_file, load_jupyterquiz
from ecslab.quiz.bank import bank_from_yaml, schema

EXPECTED_LESSONS = [
    "00_big_picture",
    "01_ecr",
    "02_ecs_fargate",
    "03_task_definitions",
    "04_services",
    "05_alb",
    "06_cicd",
    "07_secrets",
    "08_troubleshooting",
    "09_capstone",
]

BANK_FILES = sorted(
    (
        path
        for path in (resources.files("ecslab.quiz") / "banks").iterdir()
        if path.name.endswith(".yaml")
    ),
    key=lambda path: path.name,
)


@pytest.fixture(autouse=True)
def progress_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECSLAB_PROGRESS_FILE", "off")


def test_there_is_a_bank_per_lesson() -> None:
    """One bank for each of the ten lessons, found in the package."""
    assert lessons() == EXPECTED_LESSONS
    assert [p.name for p in BANK_FILES] == [f"{lesson}.yaml" for lesson in EXPECTED_LESSONS]


@pytest.mark.parametrize("path", BANK_FILES, ids=lambda p: p.name)
def test_each_bank_file_validates_against_the_shipped_schema(path: Path) -> None:
    """Validated by jsonschema directly, not only through the loader."""
    jsonschema.Draft202012Validator.check_schema(schema())
    data = yaml.safe_load(path.read_text("utf-8"))
    jsonschema.validate(data, schema(), cls=jsonschema.Draft202012Validator)
    assert data["lesson"] == path.name.removesuffix(".yaml")


@pytest.mark.parametrize("lesson", EXPECTED_LESSONS)
def test_each_lesson_has_enough_questions_of_its_own(lesson: str) -> None:
    """At least five questions a lesson (the implied ones plus three on misconceptions)."""
    bank = load_bank(lesson)
    assert len(bank.questions) >= 5
    assert all(q.key.startswith(f"{lesson}/") for q in bank.questions)


def test_every_question_type_appears_in_the_banks() -> None:
    """The banks use all five kinds."""
    kinds = {q.kind for lesson in lessons() for q in load_bank(lesson).questions}
    assert kinds == {"single", "multiple", "blanks", "ordering", "matching"}


def test_the_lesson_material_questions_are_there() -> None:
    """The questions the lesson material implies exist under their ids."""
    for lesson, ids in {
        "01_ecr": ["why-ecr"],
        "02_ecs_fargate": ["who-runs", "ecs-fargate-ec2"],
        "03_task_definitions": ["what-it-holds"],
        "04_services": ["why-separate"],
        "05_alb": ["target-group-for", "alb-does"],
        "06_cicd": ["ecr-vs-ecs", "rolling-steps", "why-update-service"],
        "07_secrets": ["github-vs-aws"],
    }.items():
        for question_id in ids:
            load_bank(lesson).question(question_id)


@pytest.mark.parametrize("lesson", EXPECTED_LESSONS)
def test_static_views_do_not_give_the_answer_away(lesson: str) -> None:
    """No feedback, explanation or filled-in sentence appears in the text or HTML fallback."""
    shown = quiz(lesson)
    views = shown.text() + shown.html()
    for question in load_bank(lesson).questions:
        assert question.explanation not in views
        for choice in question.choices:
            assert choice.feedback not in views
        if question.kind == "blanks":
            filled = question.layout().solution()[0]
            assert filled not in views
        for pair in question.pairs:
            assert pair.why not in views


def test_a_broken_bank_is_refused_with_the_place() -> None:
    """A choice without feedback is reported with its path in the file."""
    broken = """
lesson: "99_x"
title: "x"
questions:
  - id: q
    type: single
    prompt: "?"
    explanation: "!"
    choices: [{text: "a", correct: true}, {text: "b", feedback: "no"}]
"""
    with pytest.raises(ConfigurationError, match=r"at questions/0/choices/0: 'feedback'"):
        bank_from_yaml(broken)


def test_gaps_and_blanks_must_agree() -> None:
    """A blanks question whose prompt has fewer gaps than blanks is refused."""
    broken = """
lesson: "99_x"
title: "x"
questions:
  - id: q
    type: blanks
    prompt: "Only one ___ here"
    explanation: "!"
    blanks: [{accept: ["a"], feedback: "f"}, {accept: ["b"], feedback: "f"}]
"""
    with pytest.raises(ConfigurationError, match="1 '___' gaps but 2 blanks"):
        bank_from_yaml(broken)


def test_an_unknown_lesson_lists_the_known_ones() -> None:
    with pytest.raises(ConfigurationError, match="Lessons: 00_big_picture, 01_ecr"):
        load_bank("11_kubernetes")


def test_an_instructors_own_bank_file(tmp_path: Path) -> None:
    """A JSON bank file loads like a YAML one."""
    path = tmp_path / "mine.json"
    path.write_text(
        json.dumps(
            {
                "lesson": "42_extra",
                "title": "Extra",
                "questions": [
                    {
                        "id": "q",
                        "type": "single",
                        "prompt": "2 + 2?",
                        "explanation": "Arithmetic.",
                        "choices": [
                            {"text": "4", "correct": True, "feedback": "Yes."},
                            {"text": "5", "feedback": "One too many."},
                        ],
                    }
                ],
            }
        )
    )
    bank = load_bank_file(path)
    assert quiz(bank).answer("4").correct


def test_jupyterquiz_questions_load(tmp_path: Path) -> None:
    """multiple_choice, many_choice and string questions from jupyterquiz's JSON work here."""
    source = [
        {
            "question": "Which service stores container images?",
            "type": "multiple_choice",
            "answers": [
                {"answer": "ECR", "correct": True, "feedback": "Right: the registry."},
                {"answer": "ECS", "correct": False, "feedback": "ECS runs them."},
            ],
        },
        {
            "question": "Which run containers?",
            "type": "many_choice",
            "answers": [
                {"answer": "ECS", "correct": True, "feedback": "Yes."},
                {"answer": "Fargate", "correct": True, "feedback": "Yes, as capacity."},
                {"answer": "ECR", "correct": False, "feedback": "It stores them."},
            ],
        },
        {
            "question": "The registry's short name?",
            "type": "string",
            "answers": [
                {"answer": "ECR", "correct": True, "feedback": "Yes."},
                {"answer": "ECS", "correct": False, "feedback": "That one runs containers."},
                {"type": "default", "feedback": "Think of R for Registry."},
            ],
        },
    ]
    path = tmp_path / "questions.json"
    path.write_text(json.dumps(source))
    asked = quiz(load_jupyterquiz(path), record=False)
    assert [q.question.kind for q in asked] == ["single", "multiple", "blanks"]
    assert "ECS runs them." in asked[1].answer("ECS").text()
    assert asked[2].answer("ECS", "Fargate").correct
    assert "That one runs containers." in asked[3].answer("ECS").text()
    assert "Think of R for Registry." in asked[3].answer("S3").text()
    assert asked[3].answer("ecr").correct


def test_jupyterquiz_numeric_is_refused_plainly() -> None:
    with pytest.raises(ConfigurationError, match="type 'numeric'"):
        load_jupyterquiz([{"question": "?", "type": "numeric", "answers": []}])


def test_jupyterquiz_string_without_a_correct_answer_is_refused() -> None:
    source = [
        {"question": "?", "type": "string", "answers": [{"type": "default", "feedback": "x"}]}
    ]
    with pytest.raises(ConfigurationError, match="no correct answer"):
        load_jupyterquiz(source)


def test_a_broken_builtin_bank_still_fails_plainly() -> None:
    """Built-in banks skip jsonschema at run time (tests check them), yet fail with a sentence."""
    with pytest.raises(
        ConfigurationError, match=r"does not follow bank.schema.json .*load_bank_file"
    ):
        bank_from_yaml('lesson: "99_x"\ntitle: "x"\nquestions: [{id: q}]', check_schema=False)
