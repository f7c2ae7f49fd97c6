"""The quiz as a person sees it: a real pseudo-terminal at 80x24, its screen emulated.

Issue 13, items 1 and 2: the ✔ lines above the prompt always show the answers given so
far in this pass, exactly once each (after Back, after a changed answer, after a kept
one), and Esc then Enter at once on the first question takes the pointed-at choice.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .quizscreen import DOWN, ENTER, ESC, UP, ScreenQuiz

pytestmark = pytest.mark.slow


@pytest.fixture
def quizzes() -> Iterator[list[ScreenQuiz]]:
    started: list[ScreenQuiz] = []
    yield started
    for quiz in started:
        quiz.stop()


def _ticks(quiz: ScreenQuiz) -> list[str]:
    return [line for line in quiz.lines() if line.startswith("✔")]


def _above(quiz: ScreenQuiz, marker: str) -> list[str]:
    """The ✔ lines above the line that starts with ``marker``."""
    lines = quiz.lines()
    at = next(i for i, line in enumerate(lines) if line.startswith(marker))
    return [line for line in lines[:at] if line.startswith("✔")]


def test_the_answers_above_the_prompt_stay_true_after_back(
        tmp_path: Path, quizzes: list[ScreenQuiz]) -> None:
    quiz = ScreenQuiz([], tmp_path)
    quizzes.append(quiz)
    quiz.at("[1/13] What budget", ENTER)                      # moderate (the default)
    quiz.at("[2/13] How important", UP + ENTER)               # essential
    quiz.wait_for("[3/13] How much do you need")
    assert _ticks(quiz) == [
        "✔ Budget: Moderate: a real line in the budget, but every cost is questioned",
        "✔ Transparency: Essential: we must be able to inspect or explain the model"]
    quiz.child.send(ESC)                                      # back on question 2:
    quiz.wait_for("[2/13] How important")
    assert _above(quiz, "[2/13]") == [                        # its own line is gone
        "✔ Budget: Moderate: a real line in the budget, but every cost is questioned"]
    quiz.child.send(DOWN + ENTER)                             # essential -> preferred
    quiz.wait_for("[3/13] How much do you need")
    assert _ticks(quiz) == [
        "✔ Budget: Moderate: a real line in the budget, but every cost is questioned",
        "✔ Transparency: Preferred: it would help, but it is not a requirement"]
    quiz.child.send(ESC)
    quiz.at("[2/13] How important", ESC)                      # back to question 1...
    quiz.wait_for("[1/13] What budget")
    assert _above(quiz, "[1/13]") == []
    quiz.child.send(ENTER)                                    # ...and keep both answers
    quiz.at("[2/13] How important", ENTER)
    quiz.wait_for("[3/13] How much do you need")
    assert _ticks(quiz) == [                                  # each once, not twice
        "✔ Budget: Moderate: a real line in the budget, but every cost is questioned",
        "✔ Transparency: Preferred: it would help, but it is not a requirement"]
    quiz.child.sendcontrol("c")
    assert quiz.finish() == 130


def test_esc_then_enter_at_once_on_the_first_question_takes_the_choice(
        tmp_path: Path, quizzes: list[ScreenQuiz]) -> None:
    for keys in (ESC + ENTER, ESC + DOWN + ENTER):
        quiz = ScreenQuiz([], tmp_path)
        quizzes.append(quiz)
        quiz.at("[1/13] What budget", keys)                   # one write: no pause between
        quiz.wait_for("[2/13] How important")
        screen = quiz.text()
        assert "is not allowed" not in screen and "the text ''" not in screen
        expected = "✔ Budget: Moderate" if keys == ESC + ENTER else "✔ Budget: Large"
        assert _ticks(quiz)[0].startswith(expected), screen
        quiz.child.sendcontrol("c")
        assert quiz.finish() == 130
