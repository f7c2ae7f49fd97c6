"""The quiz as a person sees it: a real pseudo-terminal at 80x24, its screen emulated.

Issue 13, items 1 and 2: the ✔ lines above the prompt always show the answers given so
far in this pass, exactly once each (after Back, after a changed answer, after a kept
one), and Esc then Enter at once on the first question takes the pointed-at choice.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
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
    quiz = ScreenQuiz(["--fixed"], tmp_path)
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
        quiz = ScreenQuiz(["--fixed"], tmp_path)
        quizzes.append(quiz)
        quiz.at("[1/13] What budget", keys)                   # one write: no pause between
        quiz.wait_for("[2/13] How important")
        screen = quiz.text()
        assert "is not allowed" not in screen and "the text ''" not in screen
        expected = "✔ Budget: Moderate" if keys == ESC + ENTER else "✔ Budget: Large"
        assert _ticks(quiz)[0].startswith(expected), screen
        quiz.child.sendcontrol("c")
        assert quiz.finish() == 130


def _replay(path: Path, cwd: Path) -> dict[str, object]:
    proc = subprocess.run([sys.executable, "-m", "llmchoice", "recommend", str(path),
                           "--format", "json"], capture_output=True, text=True, cwd=cwd,
                          timeout=60, env={**os.environ, "LLMCHOICE_RULES": ""})
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def test_the_adaptive_quiz_stops_early_and_the_saved_file_replays(
        tmp_path: Path, quizzes: list[ScreenQuiz]) -> None:
    """An essential need to inspect the model settles the outcome, not how to run it: the
    quiz asks where the data may go next, saying why. A bank (data on premises) is then
    settled on self-hosting, but not the report's advice: it is asked how much it adapts
    the model (fine-tune, or run it as it is?) and about its in-house expertise (hire
    first, or learn to serve models?) before the stop is offered."""
    saved, report = tmp_path / "answers.yaml", tmp_path / "report.json"
    quiz = ScreenQuiz(["--save", str(saved), "--output", str(report)], tmp_path)
    quizzes.append(quiz)
    quiz.wait_for("[1/13] How important is it to see")
    assert "» Asked now: an answer to it can rule out Closed-source LLM and Hybrid" \
        in quiz.text()
    quiz.child.send(UP + ENTER)                                         # essential
    # (the offer to stop reads "... cannot change the recommendation (Open-source LLM)."; the
    # header's own "cannot change the recommendation." would match at once)
    quiz.wait_any("[2/13]", "cannot change the recommendation (")
    words = " ".join(quiz.text().split())  # as read, whatever the line breaks
    assert "[2/13] Where may your data go?" in words, quiz.text()
    assert "» Asked now: it decides how to run Open-source LLM: self-hosted, through a " \
        "hosted API or in a private endpoint." in words
    assert all(len(line) <= 80 for line in quiz.lines())
    # the cursor opens on the first real choice of the optional question, not "Not sure"
    assert "» It must stay on our own infrastructure" in quiz.text()
    quiz.child.send(ENTER)                                              # on premises
    quiz.wait_any("[3/13]", "Stop here: review the answers")
    words = " ".join(quiz.text().split())
    # how much to adapt the model decides a Skill Up step (fine-tune, or run it as it is)
    assert "[3/13] How much do you need to adapt the model" in words, quiz.text()
    assert "» Asked now: it decides the report's advice: next steps under Skill Up" in words
    quiz.child.send(ENTER)                                              # the preselected
    quiz.wait_any("[4/13]", "Stop here: review the answers")
    words = " ".join(quiz.text().split())
    assert "[4/13] How much in-house machine-learning" in words, quiz.text()
    assert "» Asked now: it decides the report's advice: next steps under Skill Up" in words
    quiz.child.send(DOWN + ENTER)                                       # expertise: none
    asked = 4
    while quiz.wait_any(f"[{asked + 1}/13]", "Stop here: review the answers") != \
            "Stop here: review the answers":
        assert "» Asked now: it decides the report's advice" in quiz.text()
        quiz.child.send(ENTER)                                          # the preselected
        asked += 1
    left = 13 - asked
    assert 0 < left < 11
    quiz.wait_for(f"The remaining {left} questions cannot change the recommendation")
    words = " ".join(quiz.text().split())
    assert "recommendation (Open-source LLM — Open weights, self-hosted)." in words
    assert "Answer them anyway" in words
    quiz.child.send(ENTER)                                              # stop here
    quiz.wait_for("Is this right?")
    assert "not asked: it could not change the" in quiz.text()
    assert all(len(line) <= 80 for line in quiz.lines())
    quiz.child.send(ENTER)
    assert quiz.finish() == 0
    lines = saved.read_text(encoding="utf-8").splitlines()
    assert "transparency: essential" in lines and "data: on_premises" in lines
    assert "expertise: none" in lines and "budget: moderate" in lines  # the budget: asked too
    assert "support: not_asked" in lines
    assert sum(line.endswith(": not_asked") for line in lines) == left
    replayed = _replay(saved, tmp_path)
    assert replayed["recommendation"] == "open"
    assert replayed["path"]["id"] == "open.self-hosted"
    groups = replayed["explanation"]["next_steps"]  # type: ignore[index]
    steps = [s["id"] for g in groups for s in g["steps"]]
    assert "get-the-skill-first" in steps  # "First get the skill: ... Hire one engineer"
    assert replayed == json.loads(report.read_text(encoding="utf-8"))


def test_the_adaptive_quiz_answered_to_the_end_replays_the_same(
        tmp_path: Path, quizzes: list[ScreenQuiz]) -> None:
    saved, report = tmp_path / "answers.json", tmp_path / "report.json"
    quiz = ScreenQuiz(["--save", str(saved), "--output", str(report)], tmp_path)
    quizzes.append(quiz)
    quiz.at("[1/13] How important", ENTER)                              # preferred
    offered = False
    for n in range(2, 14):
        seen = quiz.wait_any(f"[{n}/13]", "Stop here: review the answers")
        if seen != f"[{n}/13]":
            offered = True
            quiz.child.send(DOWN + ENTER)                               # answer them anyway
            quiz.wait_for(f"[{n}/13]")
        quiz.child.send(ENTER)                                          # the preselected
    assert offered
    quiz.at("Is this right?", ENTER)
    assert quiz.finish() == 0
    answers = json.loads(saved.read_text(encoding="utf-8"))
    assert answers.pop("rule_set")["id"] == "llmchoice-default"
    assert "not_asked" not in answers.values() and len(answers) == 13
    assert _replay(saved, tmp_path) == json.loads(report.read_text(encoding="utf-8"))
