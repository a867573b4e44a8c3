"""Questions as data, and how an answer is graded: no widgets, no files, no state.

Five kinds of question, each graded so that a wrong answer is explained, not only marked:

- ``single``: one choice is right; the chosen choice's own feedback says why.
- ``multiple``: several choices are right; each wrong pick is explained, missing ones are counted.
- ``blanks``: a sentence with ``___`` gaps; known wrong words (ECS where ECR belongs) have their
  own feedback.
- ``ordering``: steps to put in order; a misplaced step says why it cannot come there.
- ``matching``: jobs to match with the resource that does them; each wrong match is explained.

What the learner sees is a :class:`Layout`: the choices, steps or options shuffled by a seed, so a
notebook shows the same order on every run, labelled with letters (``A``, ``B``, ...) and, for
matching, the jobs numbered (``1``, ``2``, ...). Answers are given in those labels or in the
options' own words; anything else is an :class:`AnswerError` with a sentence saying what to type.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ecslab.errors import AnswerError

KINDS = ("single", "multiple", "blanks", "ordering", "matching")
BLANK = "___"
LETTERS = string.ascii_uppercase


@dataclass(frozen=True)
class Choice:
    """One option of a choice question, with the feedback that explains it."""

    text: str
    correct: bool = False
    feedback: str = ""


@dataclass(frozen=True)
class Blank:
    """One gap: the words accepted, and feedback for the wrong words learners often write."""

    accept: tuple[str, ...]
    wrong: tuple[tuple[tuple[str, ...], str], ...] = ()
    feedback: str = ""

    def accepts(self, word: str) -> bool:
        return _normal(word) in {_normal(a) for a in self.accept}

    def feedback_for(self, word: str) -> str:
        for words, feedback in self.wrong:
            if _normal(word) in {_normal(w) for w in words}:
                return feedback
        return self.feedback


@dataclass(frozen=True)
class Step:
    """One step of an ordering question; ``why`` says what must happen before or after it."""

    text: str
    why: str = ""


@dataclass(frozen=True)
class Pair:
    """A job (``left``) and the resource that does it (``right``); ``why`` explains the match."""

    left: str
    right: str
    why: str = ""


@dataclass(frozen=True)
class Question:
    """One question of a lesson's bank, exactly as the instructor wrote it."""

    id: str
    kind: str
    prompt: str
    explanation: str
    lesson: str = ""
    hint: str = ""
    choices: tuple[Choice, ...] = ()
    blanks: tuple[Blank, ...] = ()
    steps: tuple[Step, ...] = ()
    pairs: tuple[Pair, ...] = ()
    distractors: tuple[str, ...] = ()
    shuffle: bool = True
    max_attempts: int | None = None

    def __post_init__(self) -> None:
        problem = self._problem()
        if problem:
            raise ValueError(f"Question {self.key!r}: {problem}")

    @property
    def key(self) -> str:
        """``lesson/id``, unique across all banks."""
        return f"{self.lesson}/{self.id}" if self.lesson else self.id

    def _problem(self) -> str:
        if self.kind not in KINDS:
            return f"unknown type {self.kind!r}; use one of {', '.join(KINDS)}."
        if self.kind in ("single", "multiple"):
            right = sum(c.correct for c in self.choices)
            if len(self.choices) < 2:
                return "a choice question needs at least two choices."
            if self.kind == "single" and right != 1:
                return f"a single-choice question needs exactly one correct choice, not {right}."
            if self.kind == "multiple" and right < 1:
                return "a multiple-choice question needs at least one correct choice."
        if self.kind == "blanks":
            gaps = self.prompt.count(BLANK)
            if gaps != len(self.blanks) or not gaps:
                return f"the prompt has {gaps} '{BLANK}' gaps but {len(self.blanks)} blanks."
        if self.kind == "ordering" and len(self.steps) < 2:
            return "an ordering question needs at least two steps."
        if self.kind == "matching" and len(self.pairs) < 2:
            return "a matching question needs at least two pairs."
        return ""

    def layout(self, seed: int | str = 0) -> Layout:
        """What the learner sees, shuffled by ``seed`` and this question's id: repeatable."""
        rng = random.Random(f"{seed}:{self.key}")
        if self.kind in ("single", "multiple"):
            order = list(range(len(self.choices)))
            if self.shuffle:
                rng.shuffle(order)
            return Layout(self, tuple(order), tuple(self.choices[i].text for i in order))
        if self.kind == "ordering":
            order = list(range(len(self.steps)))
            while order == sorted(
                order
            ):  # a shuffle that leaves the answer in place teaches nothing
                rng.shuffle(order)
            return Layout(self, tuple(order), tuple(self.steps[i].text for i in order))
        if self.kind == "matching":
            options = list(dict.fromkeys([p.right for p in self.pairs] + list(self.distractors)))
            rng.shuffle(options)
            return Layout(self, tuple(range(len(options))), tuple(options))
        return Layout(self, (), ())


@dataclass(frozen=True)
class Grade:
    """The verdict on one answer: right or not, and the sentences that explain it."""

    correct: bool
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Layout:
    """A question as shown: ``options`` in the order displayed, ``order[i]`` their source index."""

    question: Question
    order: tuple[int, ...]
    options: tuple[str, ...]
    labels: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "labels", tuple(LETTERS[i] for i in range(len(self.options))))

    # -- reading an answer -------------------------------------------------------------------------

    def read(self, response: Sequence[Any]) -> Any:
        """The answer in a canonical form, or an :class:`AnswerError` saying what to type."""
        kind = self.question.kind
        response = _flatten(response, keep_mapping=kind == "matching")
        if kind == "single":
            if len(response) != 1:
                raise AnswerError(
                    f"This question has one right answer: give one letter, for example "
                    f"answer({self.labels[0]!r}); you gave {len(response)}."
                )
            return self._option(response[0])
        if kind == "multiple":
            if not response:
                raise AnswerError(
                    "Choose at least one option: give their letters, for example "
                    f"answer({self.labels[0]!r}, {self.labels[1]!r})."
                )
            return frozenset(self._option(r) for r in response)
        if kind == "blanks":
            count = len(self.question.blanks)
            if len(response) != count or not all(isinstance(r, str) for r in response):
                example = ", ".join(repr("…") for _ in range(count))
                raise AnswerError(
                    f"This sentence has {count} blank{'s' * (count > 1)}: give one word or name "
                    f"for each, in order, as text, for example answer({example})."
                )
            empty = [n for n, word in enumerate(response, 1) if not word.strip()]
            if empty:
                raise AnswerError(f"Blank {empty[0]} is empty: write a word or a name in it.")
            return tuple(response)
        if kind == "ordering":
            count = len(self.options)
            positions = tuple(self._option(r) for r in response)
            if len(positions) != count or len(set(positions)) != count:
                raise AnswerError(
                    f"Put all {count} steps in order, each once: give their letters from first to "
                    f"last, for example answer({', '.join(repr(label) for label in self.labels)})."
                )
            return positions
        return self._read_matching(response)

    def _read_matching(self, response: Sequence[Any]) -> tuple[int, ...]:
        lefts = [p.left for p in self.question.pairs]
        usage = (
            f"Give a letter for each of the {len(lefts)} numbered items, in order, for example "
            f"answer({', '.join(repr('…') for _ in lefts)}), or a dict such as "
            "answer({1: 'A', 2: 'B'})."
        )
        if len(response) == 1 and isinstance(response[0], Mapping):
            chosen: dict[int, int] = {}
            for key, value in response[0].items():
                number = _left_number(key, lefts)
                if number is None:
                    raise AnswerError(f"{key!r} is not one of the numbered items. {usage}")
                chosen[number] = self._option(value)
            if len(chosen) != len(lefts):
                raise AnswerError(f"Match every item, not {len(chosen)} of {len(lefts)}. {usage}")
            return tuple(chosen[i] for i in range(len(lefts)))
        if len(response) != len(lefts):
            raise AnswerError(usage)
        return tuple(self._option(r) for r in response)

    def _option(self, given: Any) -> int:
        if isinstance(given, str):
            text = given.strip()
            if text.upper() in self.labels and len(text) == 1:
                return self.labels.index(text.upper())
            for index, option in enumerate(self.options):
                if _normal(option) == _normal(text):
                    return index
            raise AnswerError(
                f"{given!r} is not one of the options: use a letter from "
                f"{self.labels[0]} to {self.labels[-1]}, or the option's words."
            )
        raise AnswerError(
            f"Answers are letters given as text, like {self.labels[0]!r}, not "
            f"{type(given).__name__} {given!r}."
        )

    # -- grading -----------------------------------------------------------------------------------

    def grade(self, response: Sequence[Any]) -> Grade:
        """Read ``response`` and say whether it is right, explaining every part that is not."""
        answer = self.read(response)
        grader = getattr(self, f"_grade_{self.question.kind}")
        return grader(answer)

    def _grade_single(self, picked: int) -> Grade:
        choice = self.question.choices[self.order[picked]]
        lines = (choice.feedback,) if choice.feedback else ()
        return Grade(choice.correct, lines)

    def _grade_multiple(self, picked: frozenset[int]) -> Grade:
        choices = [self.question.choices[self.order[i]] for i in range(len(self.options))]
        wrong = sorted(i for i in picked if not choices[i].correct)
        missed = [i for i, c in enumerate(choices) if c.correct and i not in picked]
        if not wrong and not missed:
            return Grade(
                True, tuple(choices[i].feedback for i in sorted(picked) if choices[i].feedback)
            )
        lines = [
            f"{self.labels[i]} does not belong: {choices[i].feedback}".rstrip(": ") for i in wrong
        ]
        if missed:
            lines.append(
                f"{len(missed)} right option{'s are' if len(missed) > 1 else ' is'} not picked yet."
            )
        return Grade(False, tuple(lines))

    def _grade_blanks(self, words: tuple[str, ...]) -> Grade:
        lines = []
        correct = True
        for number, (blank, word) in enumerate(zip(self.question.blanks, words, strict=True), 1):
            if blank.accepts(word):
                lines.append(f"Blank {number}: {word.strip()} ✓")
            else:
                correct = False
                why = blank.feedback_for(word)
                lines.append(f"Blank {number}: not {word.strip()!r}. {why}".rstrip())
        return Grade(correct, tuple(lines))

    def _grade_ordering(self, positions: tuple[int, ...]) -> Grade:
        placed = [self.order[i] for i in positions]
        in_place = sum(step == index for index, step in enumerate(placed))
        if in_place == len(placed):
            return Grade(True, ())
        first_wrong = next(i for i, step in enumerate(placed) if step != i)
        step = self.question.steps[placed[first_wrong]]
        lines = [
            f"{in_place} of {len(placed)} steps are in the right place.",
            f"Step {first_wrong + 1} cannot be “{step.text.rstrip('.')}”. {step.why}".rstrip(),
        ]
        return Grade(False, tuple(lines))

    def _grade_matching(self, picked: tuple[int, ...]) -> Grade:
        lines = []
        for number, (pair, option) in enumerate(zip(self.question.pairs, picked, strict=True), 1):
            if self.options[option] != pair.right:
                lines.append(
                    f"{number}. {pair.left} → not {self.options[option]}. {pair.why}".rstrip()
                )
        right = len(picked) - len(lines)
        if not lines:
            return Grade(True, ())
        return Grade(False, (f"{right} of {len(picked)} matches are right.", *lines))

    # -- the solution ------------------------------------------------------------------------------

    def solution(self) -> tuple[str, ...]:
        """The right answer, in the labels the learner sees."""
        q = self.question
        if q.kind in ("single", "multiple"):
            return tuple(
                f"{label}. {text}"
                for label, text, index in zip(self.labels, self.options, self.order, strict=True)
                if q.choices[index].correct
            )
        if q.kind == "blanks":
            filled = q.prompt
            for blank in q.blanks:
                filled = filled.replace(BLANK, blank.accept[0], 1)
            return (filled,)
        if q.kind == "ordering":
            return tuple(
                f"{n}. {self.labels[self.order.index(n - 1)]}. {step.text}"
                for n, step in enumerate(q.steps, 1)
            )
        return tuple(
            f"{n}. {pair.left} → {self.labels[self.options.index(pair.right)]}. {pair.right}"
            for n, pair in enumerate(q.pairs, 1)
        )

    def usage(self) -> str:
        """How to answer this question by typing: placeholders (``…``), never a letter, which
        would be the answer to some questions and mislead on the others."""
        kind = self.question.kind
        if kind == "single":
            return "answer('…')"
        if kind == "multiple":
            return "answer('…', '…', ...)"
        if kind == "blanks":
            return f"answer({', '.join(repr('…') for _ in self.question.blanks)})"
        if kind == "ordering":
            return f"answer({', '.join(repr('…') for _ in self.labels)}) from first to last"
        count = len(self.question.pairs)
        return f"answer({', '.join(repr('…') for _ in range(count))}), a letter per numbered item"


def _flatten(response: Sequence[Any], *, keep_mapping: bool) -> list[Any]:
    if len(response) == 1 and isinstance(response[0], list | tuple | set | frozenset):
        return (
            sorted(response[0]) if isinstance(response[0], set | frozenset) else list(response[0])
        )
    if len(response) == 1 and isinstance(response[0], Mapping) and not keep_mapping:
        raise AnswerError("Only matching questions take a dict; give letters here, like 'A'.")
    return list(response)


def _left_number(key: Any, lefts: list[str]) -> int | None:
    if isinstance(key, bool):
        return None
    if isinstance(key, int) and 1 <= key <= len(lefts):
        return key - 1
    if isinstance(key, str):
        if key.strip().isdigit() and 1 <= int(key) <= len(lefts):
            return int(key) - 1
        for index, left in enumerate(lefts):
            if _normal(left) == _normal(key):
                return index
    return None


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()
