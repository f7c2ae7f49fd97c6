"""One way to show an answer: the same value reads the same in every report, the quiz and
the rule-authoring texts."""

from __future__ import annotations

import pytest

from llmchoice.answers.show import show_answer, show_pairs, show_value
from llmchoice.quiz.prompts import answer_text
from llmchoice.report.authoring import render_diff

from .quizkit import default_rules, quiz_rules

RS = default_rules()


@pytest.mark.parametrize(("value", "shown"), [
    (None, "not answered"),
    (True, "yes"),
    (False, "no"),
    (5000, "5,000"),
    (5000.0, "5,000"),
    (1_000_000, "1,000,000"),
    (2.5, "2.5"),
    (0, "0"),
    (("code", "chat"), "code, chat"),
    (["code", "chat"], "code, chat"),
    ((), "none"),
    ("large", "large"),
])
def test_a_bare_value_in_prose(value: object, shown: str) -> None:
    assert show_value(value) == shown


def test_an_answer_with_its_question_shows_labels_and_units() -> None:
    budget = RS.question("budget")
    tokens = RS.question("monthly_tokens")
    assert show_answer(budget, "large").startswith("Large: ")
    assert show_answer(tokens, 1000) == "1,000 million tokens per month"
    assert show_answer(tokens, None) == "not answered"
    assert show_answer(tokens, None, unanswered="not sure") == "not sure"
    # a value the question does not know is shown as it is
    assert show_answer(budget, "huge") == "huge"


def test_several_labels_are_kept_apart_by_semicolons() -> None:
    needs = quiz_rules().question("needs")
    labels = [c.label for c in needs.choices[:2]]
    assert show_answer(needs, needs.values[:2]) == "; ".join(labels)
    assert show_answer(needs, ()) == "none"


def test_the_quiz_says_not_sure_and_no_longer_prints_large_numbers_in_e_notation() -> None:
    tokens = RS.question("monthly_tokens")
    assert answer_text(tokens, None) == "not sure"
    # it used to print '1e+06 million tokens per month'
    assert answer_text(tokens, 1_000_000) == "1,000,000 million tokens per month"


def test_pairs_on_one_line_stay_unambiguous() -> None:
    # commas separate the pairs, so numbers are not grouped and several values bracketed
    assert show_pairs({"budget": "high", "needs": ("code", "chat"), "tokens": 5000.0,
                       "hosting": True}) == "budget=high, needs=[code, chat], tokens=5000, " \
                                            "hosting=yes"


def test_rules_diff_examples_use_the_one_way() -> None:
    from llmchoice.authoring.analysis import Diff

    d = Diff(old={"id": "a", "version": "1", "source": "a.yaml"},
             new={"id": "a", "version": "2", "source": "b.yaml"},
             space=[], rule_changes={}, profiles=2, core_profiles=2, sampled_profiles=0, changed=1,
             transitions=[{"from": "open", "to": "closed", "profiles": 1}], drivers=[],
             examples=[{"old": "open", "new": "closed", "answers": {"needs": ["code"],
                                                                    "ok": False},
                        "old_scores": {"open": 2.0}, "new_scores": {"closed": 3.0}}])
    assert "open -> closed: needs=[code], ok=no" in render_diff(d)
