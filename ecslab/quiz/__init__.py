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

from ecslab.quiz.bank import Bank, lessons, load_bank, load_bank_file, load_jupyterquiz
from ecslab.quiz.model import AnswerError, Question
from ecslab.quiz.session import Feedback, Quiz, QuizQuestion

__all__ = [
    "AnswerError",
    "Bank",
    "Feedback",
    "Question",
    "Quiz",
    "QuizQuestion",
    "lessons",
    "load_bank",
    "load_bank_file",
    "load_jupyterquiz",
    "quiz",
]


def quiz(lesson: str | Bank, *question_ids: str, seed: int | str = 0, record: bool = True) -> Quiz:
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
    """Lets ``ecslab.quiz(...)`` work even when this package, not the function, is bound there.

    Importing any ``ecslab.quiz.*`` submodule binds the package to ``ecslab.quiz``; calling it
    then asks the questions as the function would.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Quiz:
        return quiz(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
