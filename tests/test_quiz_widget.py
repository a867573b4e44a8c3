"""Every question type driven through the widget: set a value, click Check, read the feedback."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecslab.quiz import Quiz
from ecslab.quiz import ask as quiz
from ecslab.quiz.bank import bank_from_yaml
from ecslab.quiz.widget import QuestionWidget, QuizWidget
from tests.quiz_toy import TOY_BANK, letter

pytest.importorskip("ipywidgets")


@pytest.fixture(autouse=True)
def progress_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "progress.json"
    monkeypatch.setenv("ECSLAB_PROGRESS_FILE", str(path))
    return path


@pytest.fixture
def toy() -> Quiz:
    return quiz(bank_from_yaml(TOY_BANK))


@pytest.fixture
def view(toy: Quiz) -> QuizWidget:
    return toy.widget()


def test_single_choice_by_radio_buttons(toy: Quiz, view: QuizWidget) -> None:
    """Pick the wrong radio button, click: red feedback with its reason; then the right one."""
    question = view[1]
    question.inputs[0].value = letter(toy, 1, "ECS")
    question.check_button.click()
    assert "Not yet." in question.feedback.value
    assert "stores no images" in question.feedback.value
    question.inputs[0].value = letter(toy, 1, "ECR")
    question.check_button.click()
    assert "✓ Right." in question.feedback.value
    assert question.solution_button.disabled


def test_multiple_choice_by_checkboxes(toy: Quiz, view: QuizWidget) -> None:
    """Tick the right boxes and the question is solved."""
    question = view[2]
    for box, text in zip(question.inputs, toy[2].layout.options, strict=True):
        box.value = text in ("the image", "cpu and memory")
    question.check_button.click()
    assert "✓ Right." in question.feedback.value
    assert toy[2].solved


def test_blanks_by_text_boxes(toy: Quiz, view: QuizWidget) -> None:
    """Type into each blank: the ECR/ECS mix-up is explained in the feedback."""
    question = view[3]
    question.inputs[0].value = "ECS"
    question.inputs[1].value = "ECS"
    question.check_button.click()
    assert "ECS runs containers; it stores no images." in question.feedback.value
    question.inputs[0].value = "ECR"
    question.check_button.click()
    assert "✓ Right." in question.feedback.value


def test_ordering_by_drop_downs(toy: Quiz, view: QuizWidget) -> None:
    """One drop-down per position; an unfilled one asks for a choice instead of grading."""
    question = view[4]
    question.check_button.click()
    assert "Choose a letter for every position first." in question.feedback.value
    assert toy[4].attempts == 0
    for box, step in zip(question.inputs, ("build", "push", "deploy"), strict=True):
        box.value = letter(toy, 4, step)
    question.check_button.click()
    assert "✓ Right." in question.feedback.value


def test_matching_by_drop_downs(toy: Quiz, view: QuizWidget) -> None:
    """One drop-down per item; a wrong match is explained."""
    question = view[5]
    question.inputs[0].value = letter(toy, 5, "ECS")
    question.inputs[1].value = letter(toy, 5, "ECS")
    question.check_button.click()
    assert "1. stores images → not ECS. A registry stores images." in question.feedback.value


def test_hint_and_solution_buttons(toy: Quiz, view: QuizWidget) -> None:
    """Hint shows the hint; Show solution shows the answer and why, and is then disabled."""
    question = view[1]
    question.hint_button.click()
    assert "R for Registry." in question.feedback.value
    question.solution_button.click()
    assert "The solution:" in question.feedback.value
    assert "ECR is the registry." in question.feedback.value
    assert question.solution_button.disabled and toy[1].revealed


def test_a_single_choice_without_a_pick(view: QuizWidget) -> None:
    """Clicking Check with nothing chosen asks for a choice; no attempt is spent."""
    view[1].check_button.click()
    assert "Pick one of the options first." in view[1].feedback.value


def test_the_widget_and_typing_share_one_state(toy: Quiz, view: QuizWidget) -> None:
    """An answer typed after a click counts as the next attempt of the same question."""
    view[1].inputs[0].value = letter(toy, 1, "ALB")
    view[1].check_button.click()
    assert toy[1].answer("ECR").attempt == 2


def test_mimebundle_holds_the_widget_and_stable_fallbacks(toy: Quiz) -> None:
    """The bundle carries the widget view plus our own text/plain and text/html."""
    bundle = toy._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == toy.text()
    assert bundle["text/html"] == toy.html()


def test_a_question_widget_on_its_own() -> None:
    """A QuestionWidget can be built for one question, unnumbered."""
    one = quiz("06_cicd", "ecr-vs-ecs")
    widget = QuestionWidget(one[1])
    widget.inputs[0].value, widget.inputs[1].value = "ECR", "ECS"
    assert widget.check() is not None and one[1].solved


def test_a_typed_answer_shows_in_the_widget_too(toy: Quiz, view: QuizWidget) -> None:
    """Keyboard and mouse meet: quiz[3].answer(...) fills the widget's feedback area as well."""
    toy[3].answer("ECS", "ECS")
    assert "ECS runs containers; it stores no images." in view[3].feedback.value
