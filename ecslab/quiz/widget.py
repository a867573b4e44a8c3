"""The quiz as ipywidgets, for JupyterLab, Notebook and VS Code.

Each question gets inputs suited to its kind (radio buttons, checkboxes, text boxes, one drop-down
per position or per item), a Check button, a Hint button, a Show solution button and an HTML
feedback area whose value is replaced in place (the update pattern nbval and static views keep).
The buttons call the very :meth:`QuizQuestion.answer` that typing calls, and the feedback area
shows every feedback the question gives, so an answer typed in a cell appears there too.
ipywidgets is optional (the ``lab`` extra): without it quizzes show as text and HTML and are
answered by typing.
"""

from __future__ import annotations

import html
from functools import cache
from typing import TYPE_CHECKING, Any

from ecslab.errors import AnswerError
from ecslab.quiz import formatting

if TYPE_CHECKING:
    from ecslab.quiz.session import Feedback, Quiz, QuizQuestion


@cache
def widgets_available() -> bool:
    """True when ipywidgets can be imported (``pip install "ecslab[lab]"`` brings it)."""
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        return False
    return True


class QuestionWidget:
    """One question's inputs, buttons and feedback; tests set ``inputs`` and ``click()``."""

    def __init__(self, asked: QuizQuestion, number: int | None = None, prefix: str = "") -> None:
        import ipywidgets as w

        self.asked = asked
        layout = asked.layout
        kind = asked.question.kind
        full = w.Layout(width="auto")
        labelled = [
            (f"{label}. {text}", label)
            for label, text in zip(layout.labels, layout.options, strict=True)
        ]
        self.inputs: list[Any]
        if kind == "single":
            self.inputs = [w.RadioButtons(options=labelled, value=None, layout=full)]
        elif kind == "multiple":
            self.inputs = [
                w.Checkbox(value=False, description=text, indent=False, layout=full)
                for text, _ in labelled
            ]
        elif kind == "blanks":
            count = len(asked.question.blanks)
            self.inputs = [
                w.Text(
                    placeholder=f"blank {n}" if count > 1 else "your answer",
                    description=f"({n})" if count > 1 else "",
                )
                for n in range(1, count + 1)
            ]
        elif kind == "ordering":
            self.inputs = [
                w.Dropdown(
                    options=[("—", None), *labelled],
                    value=None,
                    description=f"Step {n}",
                    layout=full,
                )
                for n in range(1, len(layout.options) + 1)
            ]
        else:
            self.inputs = [
                w.Dropdown(
                    options=[("—", None), *labelled],
                    value=None,
                    description=f"{n}. {pair.left}",
                    style={"description_width": "initial"},
                    layout=full,
                )
                for n, pair in enumerate(asked.question.pairs, 1)
            ]
        self.check_button = w.Button(description="Check", button_style="primary")
        self.hint_button = w.Button(description="Hint", disabled=not asked.question.hint)
        self.solution_button = w.Button(description="Show solution")
        self.feedback = w.HTML(value="")
        head = f"<strong>{number}.</strong> " if number is not None else ""
        prompt = formatting._inline(
            formatting._numbered_blanks(asked.question.prompt, len(asked.question.blanks))
        )
        note = html.escape(formatting.KIND_NOTES[kind])
        self.prompt = w.HTML(
            value=f'<p>{head}{prompt} <span style="{formatting.MUTED}">({note})</span></p>'
        )
        if kind == "matching":
            self.prompt.value += "".join(
                f"<div>{label}. {formatting._inline(text)}</div>"
                for label, text in zip(layout.labels, layout.options, strict=True)
            )
        asked.listeners.append(self._show)
        self.check_button.on_click(lambda _: self.check())
        self.hint_button.on_click(lambda _: self.asked.hint())
        self.solution_button.on_click(lambda _: self.asked.solution())
        buttons = w.HBox([self.check_button, self.hint_button, self.solution_button])
        #: The same line the text view prints: what to type in a cell below to answer there.
        self.typed = w.HTML(
            value=f'<span style="{formatting.MUTED};font-size:90%">Or type: '
            f"<code>{html.escape(prefix + asked.usage())}</code></span>"
        )
        self.box = w.VBox([self.prompt, *self.inputs, buttons, self.typed, self.feedback])

    def response(self) -> tuple[Any, ...]:
        """What the inputs hold, in the form ``QuizQuestion.answer`` reads."""
        kind = self.asked.question.kind
        if kind == "single":
            value = self.inputs[0].value
            if value is None:
                raise AnswerError("Pick one of the options first.")
            return (value,)
        if kind == "multiple":
            labels = self.asked.layout.labels
            return tuple(label for label, box in zip(labels, self.inputs, strict=True) if box.value)
        if kind == "blanks":
            return tuple(box.value for box in self.inputs)
        values = tuple(box.value for box in self.inputs)
        if None in values:
            what = "position" if kind == "ordering" else "item"
            raise AnswerError(f"Choose a letter for every {what} first.")
        return values

    def check(self) -> Feedback | None:
        """Grade the inputs as the Check button does; the feedback also lands in ``feedback``."""
        from ecslab.quiz.session import Feedback

        try:
            result = self.asked.answer(*self.response())
        except AnswerError as error:
            message = str(error).split(" (question ")[0]
            self._show(Feedback(self.asked.question.key, "invalid", (message,)))
            return None
        return result

    def _show(self, feedback: Feedback) -> None:
        self.feedback.value = formatting.feedback_html(feedback)
        if feedback.status == "right" or feedback.solution:
            self.solution_button.disabled = True


class QuizWidget:
    """All questions of a quiz under its title, one :class:`QuestionWidget` each."""

    def __init__(self, quiz: Quiz) -> None:
        import ipywidgets as w

        numbered = len(quiz) > 1
        self.questions = [
            QuestionWidget(asked, n if numbered else None, f"quiz[{n}]." if numbered else "quiz.")
            for n, asked in enumerate(quiz, 1)
        ]
        title = w.HTML(value=f"<strong>Quiz · {html.escape(quiz.title)}</strong>")
        self.box = w.VBox([title, *(q.box for q in self.questions)])

    def __getitem__(self, number: int) -> QuestionWidget:
        """The widget of question ``number``, counted from 1 as shown."""
        return self.questions[number - 1]
