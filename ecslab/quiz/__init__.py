"""Knowledge checks that explain: ``ecslab.quiz("06_cicd")`` asks a lesson's questions.

::

    import ecslab
    quiz = ecslab.quiz("06_cicd", "ecr-vs-ecs")   # one question of lesson 06, by id
    quiz                                          # buttons in Jupyter; text and HTML elsewhere
    quiz.answer("ECS", "ECR")                     # or answer by typing: the same feedback

The questions live in ``ecslab/quiz/banks/<lesson>.yaml`` (see :mod:`ecslab.quiz.bank`).
Choices are shuffled with ``seed``, so a notebook shows the same order on every run; answers and
reveals go to the learner's progress file (:mod:`ecslab.progress`).
"""

from __future__ import annotations

import sys
import types
from typing import Any

from ecslab.errors import AnswerError
from ecslab.quiz.bank import Bank, lessons, load_bank, load_bank_file, load_jupyterquiz
from ecslab.quiz.model import Question
from ecslab.quiz.session import Feedback, Quiz, QuizQuestion

__all__ = [
    "AnswerError",
    "Bank",
    "Feedback",
    "Question",
    "Quiz",
    "QuizQuestion",
    "ask",
    "lessons",
    "load_bank",
    "load_bank_file",
    "load_jupyterquiz",
]


def ask(lesson: str | Bank, *question_ids: str, seed: int | str = 0, record: bool = True) -> Quiz:
    """The questions of ``lesson`` (all, or those named by id) as a :class:`Quiz`.

    ``lesson`` is a lesson id such as ``"01_ecr"`` or a :class:`Bank` of your own
    (:func:`load_bank_file`, :func:`load_jupyterquiz`). With ``record=False`` nothing is written
    to the progress file.
    """
    bank = lesson if isinstance(lesson, Bank) else load_bank(lesson)
    chosen = [bank.question(q) for q in question_ids] if question_ids else list(bank.questions)
    recorder = None
    if record:
        from ecslab.progress import record_answer as recorder
    asked = [
        QuizQuestion(q, seed=seed, max_attempts=bank.max_attempts, record=recorder) for q in chosen
    ]
    numbered = bank.lesson[:2].isdigit() and bank.lesson != bank.title
    return Quiz(f"Lesson {bank.lesson[:2]} · {bank.title}" if numbered else bank.title, asked)


class _CallableModule(types.ModuleType):
    """This package, callable: ``ecslab.quiz("06_cicd")`` is :func:`ask`.

    ``ecslab.quiz`` is then one object however it was reached (``import ecslab.quiz.bank``
    binds the package there too): call it to ask questions, or use what it holds, such as
    ``ecslab.quiz.load_bank_file``.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Quiz:
        return ask(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
#: ``ecslab``'s lazy exports look the name up here: the package itself.
quiz = sys.modules[__name__]
