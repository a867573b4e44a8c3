"""A quiz being taken: attempts, hints, the solution after a set number of tries or on request.

:class:`Quiz` holds the questions of one sitting; each is a :class:`QuizQuestion` that remembers
its attempts. Answers come in the same way from the buttons of the widget and from typing
(``quiz.answer("B")``): both return a :class:`Feedback`, and both record to the progress file.
Everything shown is deterministic (no times, no random ids), so notebook outputs repeat.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ecslab.errors import AnswerError
from ecslab.quiz import formatting
from ecslab.quiz.model import Layout, Question

#: Called after each answer or reveal: (lesson, question id, correct, revealed, attempted).
Recorder = Callable[[str, str, bool, bool, bool], None]


@dataclass(frozen=True)
class Feedback:
    """What the learner is told after an answer, a hint request or a reveal."""

    question: str
    status: str  # "right", "wrong", "hint", "solution" or "invalid"
    lines: tuple[str, ...] = ()
    attempt: int = 0
    tries_left: int = 0
    solution: tuple[str, ...] = ()
    explanation: str = ""
    #: Whether the question has a hint to ask for (only then does the feedback suggest one).
    has_hint: bool = False

    @property
    def correct(self) -> bool:
        return self.status == "right"

    def __bool__(self) -> bool:
        return self.correct

    def text(self) -> str:
        return formatting.feedback_text(self)

    def html(self) -> str:
        return formatting.feedback_html(self)

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return f"<Feedback {self.question} {self.status} attempt={self.attempt}>"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/plain": self.text(), "text/html": self.html()}


class QuizQuestion:
    """One question being asked: its shuffled layout and the learner's attempts so far."""

    def __init__(
        self, question: Question, *, seed: int | str, max_attempts: int, record: Recorder | None
    ) -> None:
        self.question = question
        self.layout: Layout = question.layout(seed)
        self.max_attempts = question.max_attempts or max_attempts
        self.attempts = 0
        self.solved = False
        self.revealed = False
        self._record = record
        #: Called with every Feedback given, typed or clicked: the widget shows typed answers too.
        self.listeners: list[Callable[[Feedback], None]] = []

    @property
    def id(self) -> str:
        return self.question.id

    def answer(self, *response: Any) -> Feedback:
        """Grade ``response`` (letters, words or a dict, see :meth:`usage`) and explain it."""
        try:
            grade = self.layout.grade(response)
        except AnswerError as error:
            raise AnswerError(f"{error} (question {self.question.key})") from None
        self.attempts += 1
        if grade.correct:
            self.solved = True
        show_solution = not grade.correct and self.attempts >= self.max_attempts
        if show_solution:
            self.revealed = True
        self._note(grade.correct, attempted=True)
        return self._tell(
            question=self.question.key,
            status="right" if grade.correct else "wrong",
            lines=grade.lines,
            attempt=self.attempts,
            tries_left=0 if grade.correct else max(self.max_attempts - self.attempts, 0),
            solution=self.layout.solution() if show_solution else (),
            explanation=self.question.explanation if grade.correct or show_solution else "",
            has_hint=bool(self.question.hint),
        )

    def hint(self) -> Feedback:
        """The question's hint, or a nudge towards the lesson when it has none."""
        text = self.question.hint or "No hint for this one: the lesson's last section has it."
        return self._tell(self.question.key, "hint", (text,), attempt=self.attempts)

    def solution(self) -> Feedback:
        """Show the answer and why, now (it counts as revealed in the progress file)."""
        self.revealed = True
        self._note(self.solved, attempted=False)
        return self._tell(
            self.question.key,
            "solution",
            attempt=self.attempts,
            solution=self.layout.solution(),
            explanation=self.question.explanation,
        )

    def usage(self) -> str:
        return self.layout.usage()

    def _tell(self, *args: Any, **kwargs: Any) -> Feedback:
        feedback = Feedback(*args, **kwargs)
        for listener in self.listeners:
            listener(feedback)
        return feedback

    def _note(self, correct: bool, *, attempted: bool) -> None:
        if self._record is not None:
            self._record(self.question.lesson, self.question.id, correct, self.revealed, attempted)

    def text(self, number: int | None = None, *, prefix: str = "") -> str:
        return formatting.question_text(self, number, prefix=prefix)

    def html(self, number: int | None = None, *, prefix: str = "") -> str:
        return formatting.question_html(self, number, prefix=prefix)

    def __repr__(self) -> str:
        return f"<QuizQuestion {self.question.key} attempts={self.attempts}>"


class Quiz:
    """Questions asked together, shown as a widget where widgets run and as text everywhere else.

    With one question, ``quiz.answer(...)`` answers it; with several, ``quiz[2].answer(...)``
    answers the second (numbered as shown, from 1) and ``quiz["ecr-vs-ecs"]`` finds one by id.
    """

    def __init__(self, title: str, questions: list[QuizQuestion]) -> None:
        self.title = title
        self.questions = questions
        self._widget: Any = None

    def __len__(self) -> int:
        return len(self.questions)

    def __iter__(self) -> Iterator[QuizQuestion]:
        return iter(self.questions)

    def __getitem__(self, key: int | str) -> QuizQuestion:
        if isinstance(key, str):
            for asked in self.questions:
                if key in (asked.id, asked.question.key):
                    return asked
            known = ", ".join(q.id for q in self.questions)
            raise KeyError(f"No question {key!r} in this quiz; its questions are: {known}.")
        if isinstance(key, int) and not isinstance(key, bool) and 1 <= key <= len(self):
            return self.questions[key - 1]
        raise IndexError(
            f"Questions are numbered from 1 to {len(self)} as shown; {key!r} is not one of them."
        )

    def _only(self) -> QuizQuestion:
        if len(self) != 1:
            raise AnswerError(
                f"This quiz has {len(self)} questions: answer them one at a time, for example "
                f"quiz[1].{self.questions[0].usage()}."
            )
        return self.questions[0]

    def answer(self, *response: Any) -> Feedback:
        """Answer a one-question quiz; the feedback says whether, and why."""
        return self._only().answer(*response)

    def hint(self) -> Feedback:
        return self._only().hint()

    def solution(self) -> Feedback:
        return self._only().solution()

    @property
    def score(self) -> tuple[int, int]:
        """(questions solved, questions asked)."""
        return sum(q.solved for q in self.questions), len(self)

    # -- how it shows ------------------------------------------------------------------------------

    def text(self) -> str:
        return formatting.quiz_text(self)

    def html(self) -> str:
        return formatting.quiz_html(self)

    def __repr__(self) -> str:
        return f"<Quiz {self.title!r}: {len(self)} question{'s' * (len(self) != 1)}>"

    def widget(self) -> Any:
        """The ipywidgets view (built once; every display shows the same live widget)."""
        if self._widget is None:
            from ecslab.quiz.widget import QuizWidget

            self._widget = QuizWidget(self)
        return self._widget

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """The widget where widgets run; the same stable text and HTML everywhere else.

        nbval compares ``text/plain`` and ``text/html`` and skips the widget view, GitHub and
        nbviewer show the HTML, a console the text: none of them holds the answers.
        """
        bundle: dict[str, Any] = {}
        from ecslab.quiz.widget import widgets_available

        if widgets_available():
            bundle.update(self.widget().box._repr_mimebundle_())
        bundle["text/plain"] = self.text()
        bundle["text/html"] = self.html()
        return bundle
