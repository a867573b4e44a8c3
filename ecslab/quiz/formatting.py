"""Quizzes and feedback as plain text and as HTML: what a console, nbval, GitHub and nbviewer see.

The text and HTML of a question never contain its answer: only the prompt, the options in their
shown order and how to answer by typing. Both are pure functions of the quiz's state, with no
times or random ids, so a notebook's saved outputs repeat run after run.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from ecslab.quiz.model import BLANK

if TYPE_CHECKING:
    from ecslab.quiz.session import Feedback, Quiz, QuizQuestion

MUTED = "color:#57606a"
BOX = "border:1px solid #d0d7de;border-radius:6px;padding:0.5em 1em;margin:0.3em 0;max-width:48em"
COLOURS = {"right": "#1a7f37", "wrong": "#cf222e", "hint": "#9a6700", "solution": "#0969da"}
HEADINGS = {
    "right": "✓ Right.",
    "wrong": "✗ Not yet.",
    "hint": "Hint:",
    "solution": "The solution:",
}
KIND_NOTES = {
    "single": "one answer",
    "multiple": "all that apply",
    "blanks": "fill in the blanks",
    "ordering": "put in order",
    "matching": "match each item with a letter",
}


def _numbered_blanks(prompt: str, count: int) -> str:
    if count < 2:
        return prompt
    parts = prompt.split(BLANK)
    out = parts[0]
    for number, part in enumerate(parts[1:], 1):
        out += f"{BLANK}({number}){part}"
    return out


def _inline(text: str) -> str:
    """Escape for HTML, with `code` spans and line breaks kept."""
    escaped = html.escape(text)
    escaped = re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)
    return escaped.replace("\n\n", "<br><br>").replace("\n", " ")


def _options(asked: QuizQuestion) -> list[tuple[str, str]]:
    return list(zip(asked.layout.labels, asked.layout.options, strict=True))


def _status(asked: QuizQuestion) -> str:
    if asked.solved:
        return "solved"
    if asked.revealed:
        return "solution shown"
    if asked.attempts:
        return f"{asked.attempts} tr{'ies' if asked.attempts > 1 else 'y'} so far"
    return ""


# -- plain text ------------------------------------------------------------------------------------


def question_text(asked: QuizQuestion, number: int | None = None, *, prefix: str = "") -> str:
    q = asked.question
    head = f"{number}. " if number is not None else ""
    pad = " " * len(head)
    prompt = _numbered_blanks(q.prompt, len(q.blanks)).replace("\n\n", "\n").splitlines()
    lines = [head + prompt[0], *(pad + line for line in prompt[1:])]
    lines.append(f"{pad}({KIND_NOTES[q.kind]})")
    if q.kind == "matching":
        lines += [f"{pad}  {n}. {pair.left}" for n, pair in enumerate(q.pairs, 1)]
        lines.append(f"{pad}with:")
    lines += [f"{pad}  {label}. {text}" for label, text in _options(asked)]
    lines.append(f"{pad}Type: {prefix}{asked.usage()}")
    status = _status(asked)
    if status:
        lines.append(f"{pad}[{status}]")
    return "\n".join(lines)


def quiz_text(quiz: Quiz) -> str:
    count = len(quiz)
    header = f"Quiz · {quiz.title} · {count} question{'s' * (count != 1)}"
    note = (
        "Answer with the buttons when this runs in Jupyter, or by typing the line shown, "
        "with your letters or words in place of …"
    )
    if count == 1:
        body = [quiz.questions[0].text(prefix="quiz.")]
    else:
        body = [asked.text(n, prefix=f"quiz[{n}].") for n, asked in enumerate(quiz, 1)]
    return "\n\n".join([f"{header}\n{note}", *body])


def feedback_text(feedback: Feedback) -> str:
    lines = [HEADINGS.get(feedback.status, "")] if feedback.status in HEADINGS else []
    lines += [f"  {line}" for line in feedback.lines]
    if feedback.status == "wrong" and not feedback.solution:
        lines.append(_try_again(feedback))
    if feedback.solution:
        if feedback.status != "solution":
            lines.append("The solution:")
        lines += [f"  {line}" for line in feedback.solution]
    if feedback.explanation:
        lines.append(f"Why: {feedback.explanation}")
    return "\n".join(lines)


def _try_again(feedback: Feedback) -> str:
    left = feedback.tries_left
    again = f"Try again: {left} more tr{'ies' if left > 1 else 'y'} before the solution is shown."
    hint = " Stuck? Ask for a hint: the Hint button, or .hint() on the question."
    return again + hint if feedback.has_hint else again


# -- HTML ------------------------------------------------------------------------------------------


def question_html(asked: QuizQuestion, number: int | None = None, *, prefix: str = "") -> str:
    q = asked.question
    head = f"<strong>{number}.</strong> " if number is not None else ""
    parts = [
        f"<p>{head}{_inline(_numbered_blanks(q.prompt, len(q.blanks)))} "
        f'<span style="{MUTED}">({KIND_NOTES[q.kind]})</span></p>'
    ]
    if q.kind == "matching":
        items = "".join(f"<div>{n}. {_inline(p.left)}</div>" for n, p in enumerate(q.pairs, 1))
        parts.append(f'<div style="margin-left:1em">{items}</div><p>with:</p>')
    options = "".join(
        f"<div><strong>{label}.</strong> {_inline(text)}</div>" for label, text in _options(asked)
    )
    if options:
        parts.append(f'<div style="margin-left:1em">{options}</div>')
    status = _status(asked)
    status_html = f" [{status}]" if status else ""
    parts.append(
        f'<p style="{MUTED};font-size:90%">Type: '
        f"<code>{html.escape(prefix + asked.usage())}</code>{status_html}</p>"
    )
    return "".join(parts)


def quiz_html(quiz: Quiz) -> str:
    count = len(quiz)
    header = (
        f"<p><strong>Quiz · {html.escape(quiz.title)}</strong> "
        f'<span style="{MUTED}">· {count} question{"s" * (count != 1)} · answer with the buttons '
        "when this runs in Jupyter, or by typing as shown</span></p>"
    )
    if count == 1:
        body = [quiz.questions[0].html(prefix="quiz.")]
    else:
        body = [asked.html(n, prefix=f"quiz[{n}].") for n, asked in enumerate(quiz, 1)]
    return f'<div class="ecslab-quiz" style="{BOX}">{header}{"".join(body)}</div>'


def feedback_html(feedback: Feedback) -> str:
    colour = COLOURS.get(feedback.status, "#57606a")
    heading = HEADINGS.get(feedback.status, "")
    parts = [f'<strong style="color:{colour}">{html.escape(heading)}</strong>'] if heading else []
    if feedback.lines:
        items = "".join(f"<li>{_inline(line)}</li>" for line in feedback.lines)
        parts.append(f'<ul style="margin:0.2em 0">{items}</ul>')
    if feedback.status == "wrong" and not feedback.solution:
        parts.append(f'<div style="{MUTED}">{html.escape(_try_again(feedback))}</div>')
    if feedback.solution:
        if feedback.status != "solution":
            parts.append(
                f'<div><strong style="color:{COLOURS["solution"]}">The solution:</strong></div>'
            )
        items = "".join(f"<div>{_inline(line)}</div>" for line in feedback.solution)
        parts.append(f'<div style="margin-left:1em">{items}</div>')
    if feedback.explanation:
        parts.append(f"<div><em>Why:</em> {_inline(feedback.explanation)}</div>")
    return (
        f'<div class="ecslab-feedback ecslab-{feedback.status}" '
        f'style="border-left:4px solid {colour};padding:0.2em 0.8em">{"".join(parts)}</div>'
    )
