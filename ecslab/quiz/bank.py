"""Question banks: one YAML file per lesson inside the package, checked against a JSON schema.

Instructors read and edit ``ecslab/quiz/banks/<lesson>.yaml``; ``bank.schema.json`` beside this
module says what a bank may hold, and :func:`load_bank` refuses a file that breaks it with the
schema's own words and the place in the file. Questions written for jupyterquiz (its JSON list of
``multiple_choice``, ``many_choice`` and ``string`` questions) load with :func:`load_jupyterquiz`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ecslab.errors import ConfigurationError
from ecslab.quiz.model import BLANK, Blank, Choice, Pair, Question, Step

DEFAULT_MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class Bank:
    """A lesson's questions, in the order the lesson asks them."""

    lesson: str
    title: str
    questions: tuple[Question, ...]
    max_attempts: int = DEFAULT_MAX_ATTEMPTS

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        known = ", ".join(q.id for q in self.questions)
        raise ConfigurationError(
            f"Lesson {self.lesson} has no question {question_id!r}. Its questions: {known}."
        )


def _banks_dir() -> Any:
    return resources.files("ecslab.quiz") / "banks"


def lessons() -> list[str]:
    """The lessons that have a bank, in course order (``00_big_picture`` … ``09_capstone``)."""
    return sorted(
        p.name[: -len(".yaml")] for p in _banks_dir().iterdir() if p.name.endswith(".yaml")
    )


@cache
def schema() -> dict[str, Any]:
    """The JSON schema every bank follows (``bank.schema.json``)."""
    return json.loads((resources.files("ecslab.quiz") / "bank.schema.json").read_text("utf-8"))


def validate(data: Any, source: str = "bank") -> None:
    """Raise :class:`ConfigurationError` naming the place and the rule ``data`` breaks."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        error = jsonschema.exceptions.best_match(errors)
        where = "/".join(str(part) for part in error.absolute_path) or "(top level)"
        raise ConfigurationError(f"{source}: at {where}: {error.message}")


@cache
def load_bank(lesson: str) -> Bank:
    """The built-in bank of ``lesson`` (e.g. ``"06_cicd"``).

    The schema check of the built-in banks runs in the test suite, not here: importing jsonschema
    can take seconds (some of its optional format checkers build parsers on import), too long for
    a lesson's quiz cell. A bank edited by hand still gets its structure checked while it is built.
    """
    known = lessons()
    if lesson not in known:
        raise ConfigurationError(
            f"There is no question bank for lesson {lesson!r}. Lessons: {', '.join(known)}."
        )
    text = (_banks_dir() / f"{lesson}.yaml").read_text("utf-8")
    bank = bank_from_yaml(text, source=f"banks/{lesson}.yaml", check_schema=False)
    if bank.lesson != lesson:
        raise ConfigurationError(f"banks/{lesson}.yaml says it is lesson {bank.lesson!r}.")
    return bank


def load_bank_file(path: str | Path) -> Bank:
    """An instructor's own bank from a YAML or JSON file, validated like the built-in ones."""
    path = Path(path)
    return bank_from_yaml(path.read_text("utf-8"), source=str(path))


def bank_from_yaml(text: str, source: str = "bank", *, check_schema: bool = True) -> Bank:
    """Parse, validate and build a bank (JSON is YAML too, so both load here)."""
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ConfigurationError(f"{source} is not valid YAML: {error}") from None
    if check_schema:
        validate(data, source)
    return bank_from_data(data, source)


def bank_from_data(data: dict[str, Any], source: str = "bank") -> Bank:
    try:
        lesson = data["lesson"]
        questions = tuple(_question(q, lesson) for q in data["questions"])
    except ValueError as error:
        raise ConfigurationError(f"{source}: {error}") from None
    except (KeyError, TypeError, AttributeError) as error:
        raise ConfigurationError(
            f"{source} does not follow bank.schema.json ({type(error).__name__}: {error}); "
            "load it with load_bank_file() to see where."
        ) from None
    ids = [q.id for q in questions]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ConfigurationError(f"{source}: question ids repeat: {', '.join(duplicates)}.")
    return Bank(lesson, data["title"], questions, data.get("max_attempts", DEFAULT_MAX_ATTEMPTS))


def _question(q: dict[str, Any], lesson: str) -> Question:
    return Question(
        id=q["id"],
        kind=q["type"],
        prompt=q["prompt"].strip(),
        explanation=q["explanation"].strip(),
        lesson=lesson,
        hint=q.get("hint", "").strip(),
        choices=tuple(
            Choice(c["text"], c.get("correct", False), c["feedback"].strip())
            for c in q.get("choices", ())
        ),
        blanks=tuple(
            Blank(
                tuple(b["accept"]),
                tuple((tuple(w["answers"]), w["feedback"].strip()) for w in b.get("wrong", ())),
                b["feedback"].strip(),
            )
            for b in q.get("blanks", ())
        ),
        steps=tuple(Step(s["text"], s["why"].strip()) for s in q.get("steps", ())),
        pairs=tuple(Pair(p["left"], p["right"], p["why"].strip()) for p in q.get("pairs", ())),
        distractors=tuple(q.get("distractors", ())),
        shuffle=q.get("shuffle", True),
        max_attempts=q.get("max_attempts"),
    )


def load_jupyterquiz(
    source: str | Path | list[dict[str, Any]], lesson: str = "jupyterquiz"
) -> Bank:
    """Questions in jupyterquiz's JSON format (a list, or a file holding one) as a bank.

    ``multiple_choice`` becomes ``single``, ``many_choice`` becomes ``multiple`` and ``string``
    becomes a one-blank question; ``numeric`` questions have no counterpart here and are refused
    with a message. jupyterquiz has no ids, so questions are numbered ``q1``, ``q2``, ...
    Format: https://github.com/jmshea/jupyterquiz (README, ``schema/*.json``).
    """
    items = source if isinstance(source, list) else json.loads(Path(source).read_text("utf-8"))
    questions = []
    for number, item in enumerate(items, 1):
        kind = item.get("type")
        qid = f"q{number}"
        answers = item.get("answers", [])
        prompt = item.get("question", "").strip()
        if item.get("code"):
            prompt = f"{prompt}\n\n{item['code']}"
        if kind in ("multiple_choice", "many_choice"):
            choices = tuple(
                Choice(
                    a.get("answer") or a.get("code", ""),
                    bool(a.get("correct")),
                    a.get("feedback", "Correct." if a.get("correct") else "Not this one."),
                )
                for a in answers
            )
            kind_here = "single" if kind == "multiple_choice" else "multiple"
            questions.append(_checked(qid, lesson, kind_here, prompt, choices=choices))
        elif kind == "string":
            right = [a for a in answers if a.get("correct") and a.get("type") != "default"]
            wrong = [a for a in answers if not a.get("correct") and a.get("type") != "default"]
            default = next((a for a in answers if a.get("type") == "default"), {})
            if not right:
                raise ConfigurationError(
                    f"jupyterquiz question {number} is a string question with no correct answer."
                )
            blank = Blank(
                tuple(a["answer"] for a in right),
                tuple(((a["answer"],), a.get("feedback", "")) for a in wrong),
                default.get("feedback", "Not what was expected."),
            )
            text = prompt if BLANK in prompt else f"{prompt}\n\nAnswer: {BLANK}"
            questions.append(_checked(qid, lesson, "blanks", text, blanks=(blank,)))
        else:
            raise ConfigurationError(
                f"jupyterquiz question {number} has type {kind!r}; ecslab reads "
                "multiple_choice, many_choice and string questions."
            )
    return Bank(lesson, lesson, tuple(questions))


def _checked(qid: str, lesson: str, kind: str, prompt: str, **parts: Any) -> Question:
    right = [c.text for c in parts.get("choices", ()) if c.correct]
    explanation = "The answer: " + (", ".join(right) if right else "see the feedback above.")
    if kind == "blanks":
        explanation = "The answer: " + parts["blanks"][0].accept[0] + "."
    try:
        return Question(qid, kind, prompt, explanation, lesson=lesson, **parts)
    except ValueError as error:
        raise ConfigurationError(f"jupyterquiz {error}") from None
