"""Conditions, checked directly: every operator on both sides of its edge, the three-valued
``all``/``any``/``not`` (an unanswered question is unknown, never false), and the words a
reader sees for each operator in reports and ``rules show``.

Written to kill the mutants ``.ci/mutation.py conditions`` found alive (docs/testing.md).
"""

from __future__ import annotations

import pytest

from llmchoice.ruleset.conditions import ALWAYS, All, Any, Not, leaves
from llmchoice.ruleset.conditions import Test as Leaf  # named so pytest does not collect it

ANSWERS = {"budget": "minimal", "users": 100, "ratio": 0.5, "gdpr": True,
           "langs": ("de", "en")}
YES, NO, UNKNOWN = Leaf("gdpr", "eq", True), Leaf("gdpr", "eq", False), Leaf("x", "eq", "y")


@pytest.mark.parametrize(("test", "expected"), [
    (Leaf("budget", "eq", "minimal"), True),
    (Leaf("budget", "eq", "large"), False),
    (Leaf("budget", "in", ("minimal", "large")), True),
    (Leaf("budget", "in", ("large",)), False),
    (Leaf("budget", "not_in", ("large",)), True),
    (Leaf("budget", "not_in", ("minimal", "large")), False),
    (Leaf("langs", "eq", ("en", "de")), True),  # a multi-choice answer is a set
    (Leaf("langs", "eq", ("en",)), False),
    (Leaf("langs", "contains_any", ("fr", "en")), True),
    (Leaf("langs", "contains_any", ("fr", "it")), False),
    (Leaf("langs", "contains_all", ("en", "de")), True),
    (Leaf("langs", "contains_all", ("en", "fr")), False),
    (Leaf("users", "lt", 100), False), (Leaf("users", "lt", 101), True),
    (Leaf("users", "lte", 100), True), (Leaf("users", "lte", 99), False),
    (Leaf("users", "gt", 100), False), (Leaf("users", "gt", 99), True),
    (Leaf("users", "gte", 100), True), (Leaf("users", "gte", 101), False),
    (Leaf("ratio", "lt", "0.75"), True),  # numbers compare as numbers
    (Leaf("gdpr", "answered", True), True), (Leaf("gdpr", "answered", False), False),
    (Leaf("other", "answered", True), False), (Leaf("other", "answered", False), True),
])
def test_each_operator_on_both_sides_of_its_edge(test: Leaf, expected: bool) -> None:
    assert test.evaluate(ANSWERS) is expected


@pytest.mark.parametrize("op", ["eq", "in", "not_in", "lt", "lte", "gt", "gte",
                                "contains_any", "contains_all"])
def test_an_unanswered_question_is_unknown_for_every_operator(op: str) -> None:
    assert Leaf("missing", op, ("a",) if "in" in op or "contains" in op else 1).evaluate(
        ANSWERS) is None


def test_all_is_false_on_any_false_else_unknown_on_any_unknown() -> None:
    assert All((YES, YES)).evaluate(ANSWERS) is True
    assert All((YES, NO)).evaluate(ANSWERS) is False
    assert All((UNKNOWN, NO)).evaluate(ANSWERS) is False  # false wins over unknown
    assert All((YES, UNKNOWN)).evaluate(ANSWERS) is None
    assert All((UNKNOWN, YES)).evaluate(ANSWERS) is None
    assert ALWAYS.evaluate({}) is True


def test_any_is_true_on_any_true_else_unknown_on_any_unknown() -> None:
    assert Any((NO, YES)).evaluate(ANSWERS) is True
    assert Any((UNKNOWN, YES)).evaluate(ANSWERS) is True  # true wins over unknown
    assert Any((NO, NO)).evaluate(ANSWERS) is False
    assert Any((NO, UNKNOWN)).evaluate(ANSWERS) is None
    assert Any((UNKNOWN, NO)).evaluate(ANSWERS) is None
    assert Any(()).evaluate({}) is False


def test_not_flips_true_and_false_and_keeps_unknown() -> None:
    assert Not(YES).evaluate(ANSWERS) is False
    assert Not(NO).evaluate(ANSWERS) is True
    assert Not(UNKNOWN).evaluate(ANSWERS) is None


@pytest.mark.parametrize(("test", "text"), [
    (Leaf("budget", "eq", "minimal"), "budget is minimal"),
    (Leaf("budget", "in", ("minimal", "large")), "budget is one of [minimal, large]"),
    (Leaf("budget", "not_in", ["large"]), "budget is not one of [large]"),
    (Leaf("users", "lt", 10.0), "users < 10"),
    (Leaf("users", "lte", 10.5), "users <= 10.5"),
    (Leaf("users", "gt", 3), "users > 3"),
    (Leaf("users", "gte", 0.0), "users >= 0"),
    (Leaf("langs", "contains_any", ("de", "en")), "langs includes any of [de, en]"),
    (Leaf("langs", "contains_all", ("de",)), "langs includes all of [de]"),
    (Leaf("gdpr", "eq", True), "gdpr is yes"),
    (Leaf("gdpr", "eq", False), "gdpr is no"),
    (Leaf("gdpr", "answered", True), "gdpr is answered"),
    (Leaf("gdpr", "answered", False), "gdpr is not answered"),
])
def test_each_operator_reads_in_words(test: Leaf, text: str) -> None:
    assert test.describe() == text


def test_nested_conditions_are_parenthesised_only_where_needed() -> None:
    a, b, c = Leaf("a", "eq", "x"), Leaf("b", "eq", "y"), Leaf("c", "eq", "z")
    assert All((a, Any((b, c)))).describe() == "a is x and (b is y or c is z)"
    assert Any((All((a, b)), c)).describe() == "(a is x and b is y) or c is z"
    assert All((a, Any((b,)))).describe() == "a is x and b is y"  # one item: no brackets
    assert Not(All((a, b))).describe() == "not (a is x and b is y)"
    assert Not(a).describe() == "not a is x"


def test_leaves_and_questions_list_every_test_in_order() -> None:
    a, b, c = Leaf("a", "eq", "x"), Leaf("b", "eq", "y"), Leaf("c", "eq", "z")
    tree = All((a, Not(Any((b, c))), a))
    assert leaves(tree) == [a, b, c, a]
    assert tree.questions() == {"a", "b", "c"}
    assert Not(b).questions() == {"b"} and leaves(Not(b)) == [b]
