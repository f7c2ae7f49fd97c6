"""Answers: one validation path for files, --set and defaults; every problem listed at once."""

from __future__ import annotations

import pytest

from llmchoice.answers.validate import coerce, parse_sets, validate
from llmchoice.io.errors import AnswersError, UsageError
from llmchoice.ruleset.model import RuleSet

from .conftest import MIDDLE


def messages(rs: RuleSet, given: dict[str, object], **kw: object) -> list[str]:
    with pytest.raises(AnswersError) as info:
        validate(rs, given, **kw)  # type: ignore[arg-type]
    return [str(p) for p in info.value.problems]


def test_valid_answers_pass_through_in_question_order(rs: RuleSet) -> None:
    got = validate(rs, dict(reversed(list(MIDDLE.items()))))
    assert list(got.answers) == list(MIDDLE)


def test_precedence_set_over_file_over_defaults(rs: RuleSet) -> None:
    got = validate(rs, {"budget": "minimal"}, sets={"budget": "large"}, use_defaults=True)
    assert got.answers["budget"] == "large"
    assert got.answers["transparency"] == rs.question("transparency").default
    assert "data" not in got.answers  # optional, no default: stays unanswered


def test_defaults_only_when_asked(rs: RuleSet) -> None:
    found = messages(rs, {"budget": "minimal"})
    assert len(found) == 10
    assert "missing answer to 'transparency'; expected one of essential, preferred, " \
           "unimportant (or use --defaults)" in found[0]


def test_every_problem_at_once_with_allowed_values(rs: RuleSet) -> None:
    given = {**MIDDLE, "budget": "huge", "bugdet": "minimal", "monthly_tokens": -5,
             "performance": True}
    found = messages(rs, given, source="a.yaml")
    assert found == [
        "a.yaml: unknown question 'bugdet' (did you mean 'budget'?); questions are: "
        + ", ".join(q.id for q in rs.questions),
        "a.yaml: budget: the text 'huge' is not allowed; expected one of minimal, moderate, "
        "large",
        "a.yaml: performance: true/false (true) is not allowed; expected one of cutting_edge, "
        "good_enough",
        "a.yaml: monthly_tokens: -5 is out of range; expected a number >= 0 and <= 100000000 "
        "(million tokens per month)",
    ]


def test_null_means_not_answered(rs: RuleSet) -> None:
    assert "data" not in validate(rs, {**MIDDLE, "data": None}).answers
    assert any("missing answer to 'budget'" in m for m in messages(rs, {**MIDDLE, "budget": None}))


def test_schema_key_is_ignored(rs: RuleSet) -> None:
    assert validate(rs, {**MIDDLE, "$schema": "./answers.schema.json"}).answers == MIDDLE


@pytest.mark.parametrize(("raw", "expected"), [
    ("1000", 1000), ("1_000", 1000), ("2.5", 2.5), (7, 7), (1e3, 1e3),
])
def test_numbers_from_text_and_data(rs: RuleSet, raw: object, expected: float) -> None:
    value, problem = coerce(rs.question("monthly_tokens"), raw, from_text=True)
    assert (value, problem) == (expected, "")


@pytest.mark.parametrize("raw", ["lots", "nan", "inf", True, [1], None, "-1"])
def test_bad_numbers_are_refused(rs: RuleSet, raw: object) -> None:
    value, problem = coerce(rs.question("monthly_tokens"), raw, from_text=True)
    assert value is None and problem


def test_parse_sets() -> None:
    assert parse_sets(["budget=minimal", " data = on_premises ", "budget=large"]) == {
        "budget": "large", "data": "on_premises"}
    with pytest.raises(UsageError, match="expected ID=VALUE"):
        parse_sets(["budget"])
    with pytest.raises(UsageError, match="expected ID=VALUE"):
        parse_sets(["=x"])


def test_unknown_set_id_is_named_with_its_origin(rs: RuleSet) -> None:
    found = messages(rs, MIDDLE, sets={"buget": "x"})
    assert found[0].startswith("--set: unknown question 'buget' (did you mean 'budget'?)")


def test_problems_are_data_question_kind_and_default() -> None:
    from llmchoice.answers.validate import AnswerProblem
    from llmchoice.ruleset.load import load_ruleset

    rs = load_ruleset()
    with pytest.raises(AnswersError) as info:
        validate(rs, {"budget": "huge", "colour": "red"})
    problems = [p for p in info.value.problems if isinstance(p, AnswerProblem)]
    assert len(problems) == len(info.value.problems)
    kinds = {(p.question, p.kind) for p in problems}
    assert ("colour", "unknown") in kinds
    assert ("budget", "invalid") in kinds
    assert ("transparency", "missing") in kinds
    missing = next(p for p in problems if p.question == "transparency")
    assert missing.has_default == (rs.question("transparency").default is not None)
