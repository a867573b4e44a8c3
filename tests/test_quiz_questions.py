"""Every question type answered by typing: right, wrong with its explanation, retries, solution."""

from __future__ import annotations

from pathlib import Path

import pytest

import ecslab
from ecslab.quiz import AnswerError, Quiz
from ecslab.quiz import ask as quiz
from ecslab.quiz.bank import bank_from_yaml
from tests.quiz_toy import TOY_BANK, letter


@pytest.fixture(autouse=True)
def progress_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "progress.json"
    monkeypatch.setenv("ECSLAB_PROGRESS_FILE", str(path))
    return path


@pytest.fixture
def toy() -> Quiz:
    return quiz(bank_from_yaml(TOY_BANK))


def test_single_choice_right_and_wrong(toy: Quiz) -> None:
    """A wrong pick is explained by its own feedback; the right one says why."""
    wrong = toy[1].answer(letter(toy, 1, "ECS"))
    assert not wrong.correct
    assert "stores no images" in wrong.text()
    assert "1 more try" in wrong.text()
    right = toy[1].answer(letter(toy, 1, "ECR"))
    assert right.correct and right.attempt == 2
    assert "ECR is the registry." in right.text()


def test_single_choice_accepts_the_option_words(toy: Quiz) -> None:
    """Typing the option itself works as well as its letter."""
    assert toy[1].answer("ecr").correct


def test_multiple_choice_explains_wrong_picks_and_counts_missing(toy: Quiz) -> None:
    """A wrong pick is named with its reason; a missing right one is counted, not revealed."""
    feedback = toy[2].answer(letter(toy, 2, "the image"), letter(toy, 2, "desired count"))
    assert not feedback.correct
    assert "That is the service's desiredCount." in feedback.text()
    assert "1 right option is not picked yet." in feedback.text()
    assert "cpu and memory" not in feedback.text()
    assert toy[2].answer([letter(toy, 2, "the image"), letter(toy, 2, "cpu and memory")]).correct


def test_blanks_give_feedback_per_blank(toy: Quiz) -> None:
    """The known ECR/ECS mix-up gets its own explanation, blank by blank."""
    feedback = toy[3].answer("ECS", "ECS")
    assert not feedback.correct
    assert "Blank 1: not 'ECS'. ECS runs containers; it stores no images." in feedback.text()
    assert "Blank 2: ECS ✓" in feedback.text()
    assert toy[3].answer(" ecr ", "ecs").correct


def test_ordering_names_the_first_misplaced_step(toy: Quiz) -> None:
    """A wrong order says how many are in place and why the first wrong step cannot be there."""
    feedback = toy[4].answer(*(letter(toy, 4, s) for s in ("push", "build", "deploy")))
    assert "1 of 3 steps are in the right place." in feedback.text()
    assert "Step 1 cannot be “push”. Only a built image can be pushed." in feedback.text()
    assert toy[4].answer("build", "push", "deploy").correct


def test_matching_by_letters_or_by_dict(toy: Quiz) -> None:
    """Each wrong match is explained; a dict keyed by item number works too."""
    feedback = toy[5].answer(letter(toy, 5, "S3"), letter(toy, 5, "ECS"))
    assert "1. stores images → not S3. A registry stores images." in feedback.text()
    assert "1 of 2 matches are right." in feedback.text()
    assert toy[5].answer({1: letter(toy, 5, "ECR"), "2": "ECS"}).correct


def test_solution_after_max_attempts(toy: Quiz) -> None:
    """After the bank's max_attempts wrong answers the solution and explanation are shown."""
    toy[1].answer(letter(toy, 1, "ALB"))
    feedback = toy[1].answer(letter(toy, 1, "ECS"))
    assert feedback.solution == (f"{letter(toy, 1, 'ECR')}. ECR",)
    assert "The solution:" in feedback.text() and "ECR is the registry." in feedback.text()
    assert toy[1].revealed


def test_solution_and_hint_on_request(toy: Quiz) -> None:
    """The hint helps without answering; the solution is there whenever asked."""
    assert "R for Registry." in toy[1].hint().text()
    assert "No hint for this one" in toy[2].hint().text()
    shown = toy[3].solution()
    assert shown.solution == ("Push to ECR, then update ECS.",)
    assert toy[3].revealed and not toy[3].solved


@pytest.mark.parametrize(
    ("number", "response", "says"),
    [
        (1, (1,), "Answers are letters given as text, like 'A', not int 1."),
        (1, ("A", "B"), "This question has one right answer: give one letter"),
        (1, ("Z",), "'Z' is not one of the options: use a letter from A to C"),
        (2, (), "Choose at least one option"),
        (3, ("ECR",), "This sentence has 2 blanks: give one word or name for each"),
        (3, ("ECR", " "), "Blank 2 is empty"),
        (4, ("A", "A", "B"), "Put all 3 steps in order, each once"),
        (5, ({7: "A"},), "7 is not one of the numbered items."),
        (1, ({1: "A"},), "Only matching questions take a dict"),
    ],
)
def test_a_wrong_answer_type_gets_a_plain_sentence(
    toy: Quiz, number: int, response: tuple, says: str
) -> None:
    """An answer in the wrong form is an AnswerError that says what to type; no attempt is used."""
    with pytest.raises(AnswerError, match=None) as raised:
        toy[number].answer(*response)
    assert says in str(raised.value)
    assert toy[number].attempts == 0


def test_many_questions_need_a_number(toy: Quiz) -> None:
    """quiz.answer on a quiz of several questions says how to pick one."""
    with pytest.raises(AnswerError, match=r"This quiz has 5 questions.*quiz\[1\]\.answer"):
        toy.answer("A")
    with pytest.raises(IndexError, match="numbered from 1 to 5"):
        toy[0]
    assert toy["flow"] is toy[3]


def test_the_ecr_vs_ecs_question() -> None:
    """The lesson's key question: ECS in the first blank is explained, ECR/ECS is right."""
    q = ecslab.quiz("06_cicd", "ecr-vs-ecs")
    wrong = q.answer("ECS", "ECR")
    assert "ECS runs containers; it stores no images" in wrong.text()
    assert "ECR only stores images" in wrong.text()
    assert q.answer("Amazon ECR", "ECS").correct


def test_shuffling_is_seeded() -> None:
    """The same seed shows the same order; another seed may differ but stays repeatable."""
    first = [q.layout.options for q in quiz("06_cicd")]
    again = [q.layout.options for q in quiz("06_cicd")]
    other = [q.layout.options for q in quiz("06_cicd", seed=7)]
    assert first == again
    assert other == [q.layout.options for q in quiz("06_cicd", seed=7)]
    assert first != other


def test_ordering_never_shows_the_answer_in_place() -> None:
    """An ordering question is never displayed already in order, whatever the seed."""
    for seed in range(50):
        layout = quiz("06_cicd", "rolling-steps", seed=seed)[1].layout
        assert list(layout.order) != sorted(layout.order)


@pytest.mark.parametrize(
    "first", ["import ecslab", "import ecslab.quiz.bank; import ecslab", "from ecslab import quiz"]
)
def test_ecslab_quiz_is_one_callable_package_whichever_import_came_first(first: str) -> None:
    """ecslab.quiz is the package, callable, however it was first reached (fresh process)."""
    import subprocess
    import sys

    script = (
        f"{first}\n"
        "import sys, ecslab\n"
        "assert ecslab.quiz is sys.modules['ecslab.quiz'], ecslab.quiz\n"
        "from ecslab import quiz\n"
        "assert quiz is ecslab.quiz\n"
        "print(type(ecslab.quiz('01_ecr', 'why-ecr', record=False)).__name__,"
        " ecslab.quiz.load_bank_file.__name__)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.strip() == "Quiz load_bank_file", done.stderr


def test_without_ipywidgets_the_quiz_shows_as_text_and_html(
    toy: Quiz, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No widget view without ipywidgets: the same text and HTML, answered by typing."""
    import sys

    from ecslab.quiz.widget import widgets_available

    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # makes `import ipywidgets` fail
    widgets_available.cache_clear()
    try:
        bundle = toy._repr_mimebundle_()
    finally:
        widgets_available.cache_clear()
    assert set(bundle) == {"text/plain", "text/html"}
    assert bundle["text/plain"].startswith("Quiz · Lesson 99 · Toy · 5 questions")
    assert toy[1].answer("ECR").correct
