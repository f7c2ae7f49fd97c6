"""Answers, checked directly: what each question type accepts and how a refusal reads, where
each problem points, questions that do not apply, and the fast :class:`Validator` giving
exactly what :func:`validate` gives (or the same problems).

Written to kill the mutants ``.ci/mutation.py answers`` found alive (docs/testing.md).
"""

from __future__ import annotations

import dataclasses
import io
import sys
from pathlib import Path

import pytest

from llmchoice.answers.validate import (
    MAX_ANSWERS_BYTES,
    Resolved,
    Validator,
    allowed_text,
    applicable,
    coerce,
    parse_sets,
    read_answers,
    to_plain,
    validate,
)
from llmchoice.io.errors import AnswersError, InputError
from llmchoice.ruleset.load import load_ruleset
from llmchoice.ruleset.model import Question, RuleSet

from .conftest import MIDDLE

# hosting first; gpus only applies when self-hosting; then optional questions of each type
SMALL = """\
ruleset: {id: small, version: "1", title: Small, source: test}
outcomes:
  open: {label: Open, summary: o}
  closed: {label: Closed, summary: c}
tradeoffs:
  t.one: {side: open, kind: perk, title: One, text: One.}
questions:
  - id: hosting
    prompt: Where?
    type: choice
    choices: [{value: cloud, label: Cloud}, {value: self, label: Self}]
  - id: gpus
    prompt: How many GPUs?
    type: number
    min: 1
    when: {hosting: self}
  - id: langs
    prompt: Languages?
    type: multi
    required: false
    choices: [{value: de, label: German}, {value: en, label: English}]
  - id: gdpr
    prompt: GDPR?
    type: confirm
    required: false
rules:
  - {id: r, when: {hosting: self}, points: {open: 1}, because: r, cites: [t.one]}
decision:
  tie_break: [open, closed]
"""

NUMBER = Question("n", "How many?", "", "number")
MULTI = Question("m", "Which?", "", "multi")


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> RuleSet:
    path = tmp_path_factory.mktemp("small") / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return load_ruleset(str(path))


def problems(rs: RuleSet, given: dict[str, object], **kw: object) -> tuple[str, list[str]]:
    with pytest.raises(AnswersError) as info:
        validate(rs, given, **kw)  # type: ignore[arg-type]
    return info.value.message, [str(p) for p in info.value.problems]


# ------------------------------------------------------------------- what is allowed


def test_allowed_text_for_each_type_and_bound(rs: RuleSet, small: RuleSet) -> None:
    assert allowed_text(small.question("gdpr")) == "true or false"
    assert allowed_text(small.question("langs")) == "a list of any of de, en"
    assert allowed_text(small.question("gpus")) == "a number >= 1"
    assert allowed_text(NUMBER) == "a number"
    assert allowed_text(dataclasses.replace(NUMBER, unit="GPUs")) == "a number (GPUs)"
    # bounds as written: a fraction stays a fraction, 2**53 and above in exponent form
    assert allowed_text(dataclasses.replace(NUMBER, minimum=2.5, maximum=2.0**53)) == \
        "a number >= 2.5 and <= 9.0072e+15"
    assert allowed_text(dataclasses.replace(NUMBER, maximum=2.0**53 - 1)) == \
        "a number <= 9007199254740991"


def test_confirm_reads_yes_and_no_words() -> None:
    confirm = Question("c", "Ok?", "", "confirm")
    for word in ("no", "N", " false ", "0", "off"):
        assert coerce(confirm, word) == (False, "")
    for word in ("yes", "Y", "true", "1", "on"):
        assert coerce(confirm, word) == (True, "")
    assert coerce(confirm, "maybe") == (None, "expected true or false, found the text 'maybe'")


def test_a_multi_answer_from_a_file_must_be_a_list() -> None:
    multi = dataclasses.replace(MULTI, choices=load_choices("de", "en"))
    assert coerce(multi, "de") == (
        None, "expected a list, found the text 'de'; allowed: a list of any of de, en")
    assert coerce(multi, "en, de", from_text=True) == (("de", "en"), "")


def load_choices(*values: str) -> tuple[object, ...]:
    from llmchoice.ruleset.model import Choice

    return tuple(Choice(v, v.upper()) for v in values)


def test_numbers_refused_say_what_was_found() -> None:
    assert coerce(NUMBER, True) == (None, "expected a number, found true/false (true)")
    assert coerce(NUMBER, "lots") == (None, "expected a number, found the text 'lots'")
    assert coerce(NUMBER, [1]) == (None, "expected a number, found a list")


def test_numbers_from_text_keep_integers_exact() -> None:
    value, _ = coerce(NUMBER, "200", from_text=True)
    assert value == 200 and type(value) is int
    for text in ("10_000", "10,000", "10 000"):  # thousands separators group digits
        value, _ = coerce(NUMBER, text)
        assert value == 10000 and type(value) is int
    value, problem = coerce(NUMBER, "10__000")  # not a grouping: refused (docs/numbers.md)
    assert value is None and "groups of three digits" in problem
    value, _ = coerce(NUMBER, str(2**53))  # too large to be exact as a float: stays a float
    assert type(value) is float
    value, _ = coerce(NUMBER, str(2**53 - 1))
    assert value == 2**53 - 1 and type(value) is int


def test_the_largest_finite_number_is_accepted_and_one_more_is_not() -> None:
    top = int(sys.float_info.max)
    assert coerce(NUMBER, top) == (top, "")
    assert coerce(NUMBER, -top) == (-top, "")
    assert coerce(NUMBER, top + 1) == (None, "expected a finite number, found a 309-digit number")


def test_a_maximum_is_inclusive_and_enforced(rs: RuleSet) -> None:
    q = rs.question("monthly_tokens")
    assert coerce(q, 100_000_000) == (100_000_000, "")
    assert coerce(q, 100_000_001)[1] == \
        "1e+08 is out of range; expected a number >= 0 and <= 100000000 (million tokens per month)"


def test_a_near_miss_choice_gets_a_hint(rs: RuleSet) -> None:
    _, found = problems(rs, {**MIDDLE, "budget": "minimall"})
    assert found == ["answers: budget: the text 'minimall' is not allowed (did you mean "
                     "'minimal'?); expected one of minimal, moderate, large"]


# ------------------------------------------------------------- where problems point


def test_one_problem_is_singular_and_points_at_the_source(rs: RuleSet) -> None:
    message, found = problems(rs, {k: v for k, v in MIDDLE.items() if k != "budget"})
    assert message == "answers: 1 problem with the answers"
    assert found == ["answers: missing answer to 'budget'; expected one of minimal, moderate, "
                     "large (or use --defaults)"]
    message, _ = problems(rs, {}, source="a.yaml")
    assert message.startswith("a.yaml: 11 problems with the answers")


def test_problems_in_a_file_point_at_the_key_or_the_value(rs: RuleSet, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("".join(f"{k}: {v}\n" for k, v in MIDDLE.items())
                    .replace("budget: moderate", "budget:   huge") + "colour:    red\n",
                    encoding="utf-8")
    doc = read_answers(path)
    _, found = problems(rs, doc.data, source=str(path), locate=doc)  # type: ignore[arg-type]
    assert found[0].startswith(f"{path}:12:1: unknown question 'colour'")  # the key
    assert found[1].startswith(f"{path}:1:11: budget: the text 'huge'")  # the value


def test_set_problems_point_at_set_and_file_keys_at_the_file(rs: RuleSet) -> None:
    _, found = problems(rs, {**MIDDLE, "colour": "red"}, sets={"colour": "blue",
                                                                "budget": "huge"})
    assert found[0].startswith("answers: unknown question 'colour'")  # in the file too
    assert found[1].startswith("answers: unknown question 'colour'")
    assert found[2].startswith("--set: budget: the text 'huge'")


# ---------------------------------------------------------- questions that do not apply


def test_answers_to_questions_that_do_not_apply_are_dropped(small: RuleSet) -> None:
    got = validate(small, {"hosting": "cloud", "gpus": 4, "gdpr": "yes"})
    assert got == Resolved({"hosting": "cloud", "gdpr": True}, ("gpus",))
    by_set = validate(small, {"hosting": "cloud"}, sets={"gpus": "4"})
    assert by_set == Resolved({"hosting": "cloud"}, ("gpus",))
    assert validate(small, {"hosting": "cloud"}) == Resolved({"hosting": "cloud"}, ())
    assert validate(small, {"hosting": "self", "gpus": 2}) == \
        Resolved({"hosting": "self", "gpus": 2}, ())
    assert validate(small, {"hosting": "cloud", "gpus": None}) == \
        Resolved({"hosting": "cloud"}, ())  # null is no answer: nothing to drop
    _, found = problems(small, {"hosting": "self"})
    assert found == ["answers: missing answer to 'gpus'; expected a number >= 1"]


def test_applicable_only_when_the_condition_holds(small: RuleSet) -> None:
    gpus = small.question("gpus")
    assert applicable(gpus, {"hosting": "self"})
    assert not applicable(gpus, {"hosting": "cloud"})
    assert not applicable(gpus, {})  # unknown counts as not applying
    assert applicable(small.question("hosting"), {})


# ------------------------------------------------------------------ the fast Validator


def test_validator_gives_validates_answers_in_question_order(rs: RuleSet) -> None:
    v = Validator(rs)
    given = {**MIDDLE, "monthly_tokens": "20", "$schema": "x"}
    expected = validate(rs, given)
    assert expected.answers["monthly_tokens"] == 20
    for order in (given, dict(reversed(list(given.items())))):
        assert v.validate(order) == expected
        assert v.answers(order) == expected.answers
        assert list(v.answers(order)) == list(expected.answers)
        assert list(v.answers(order)) == list(expected.answers)  # a remembered order


def test_validator_raises_validates_problems_with_the_source(rs: RuleSet) -> None:
    v = Validator(rs)
    for bad in ({"$schema": "x", **MIDDLE, "budget": "huge"}, {"budget": "minimal"},
                {**MIDDLE, "colour": "red"}, {**MIDDLE, "data": None, "budget": None}):
        with pytest.raises(AnswersError) as expected:
            validate(rs, bad, source="t.jsonl")
        for call in (v.validate, v.answers):
            with pytest.raises(AnswersError) as got:
                call(bad, source="t.jsonl")
            assert got.value.message == expected.value.message
            assert got.value.problems == expected.value.problems
        with pytest.raises(AnswersError, match="^answers: "):
            v.answers(bad)
        with pytest.raises(AnswersError, match="^answers: "):
            v.validate(bad)


def test_validator_on_answers_already_in_question_order(rs: RuleSet) -> None:
    assert Validator(rs).answers(MIDDLE) == MIDDLE
    assert Validator(rs).validate(MIDDLE) == Resolved(MIDDLE, ())


def test_validator_without_conditional_questions(tmp_path: Path) -> None:
    # every question applies: the fast path; gdpr is optional with a default
    path = tmp_path / "flat.yaml"
    path.write_text(SMALL.replace("    min: 1\n    when: {hosting: self}\n",
                                  "    min: 1\n    required: false\n")
                    .replace("    type: confirm\n", "    type: confirm\n    default: false\n"),
                    encoding="utf-8")
    flat = load_ruleset(str(path))
    v = Validator(flat)
    with pytest.raises(AnswersError) as info:
        v.answers({"hosting": "cloud", "langs": "de"})
    assert [p.message for p in info.value.problems] == [
        "langs: expected a list, found the text 'de'; allowed: a list of any of de, en"]
    filled = {"hosting": "cloud", "gdpr": False}
    assert v.answers({"hosting": "cloud"}, use_defaults=True) == filled
    # gdpr was filled from its default, and the Resolved says so
    assert v.validate({"hosting": "cloud"}, use_defaults=True) == \
        Resolved(filled, (), (), ("gdpr",))
    assert v.answers({"hosting": "cloud"}) == {"hosting": "cloud"}


def test_validator_takes_sets_and_defaults(rs: RuleSet) -> None:
    v = Validator(rs)
    assert v.validate(MIDDLE, sets={"budget": "large"}).answers["budget"] == "large"
    filled = validate(rs, {"budget": "large"}, use_defaults=True)
    assert v.validate({"budget": "large"}, use_defaults=True) == filled
    assert v.answers({"budget": "large"}, use_defaults=True) == filled.answers


def test_validator_with_questions_that_do_not_apply(small: RuleSet) -> None:
    v = Validator(small)
    given = {"hosting": "cloud", "gpus": 4}
    assert v.validate(given) == Resolved({"hosting": "cloud"}, ("gpus",))
    assert v.answers(given) == {"hosting": "cloud"}
    with pytest.raises(AnswersError):
        v.answers({"hosting": "cloud", "langs": "de"})  # a multi answer must be a list
    assert v.answers({"hosting": "self", "gpus": 1, "langs": ["en", "de"]}) == \
        {"hosting": "self", "gpus": 1, "langs": ("de", "en")}


# ------------------------------------------------------------------ reading answers


def test_parse_sets_splits_at_the_first_equals_sign() -> None:
    assert parse_sets(["note=a=b"]) == {"note": "a=b"}


def test_read_answers_from_stdin_and_its_refusals(tmp_path: Path) -> None:
    doc = read_answers("-", stdin=io.BytesIO(b"budget: minimal\n"))
    assert doc.data == {"budget": "minimal"}
    (tmp_path / "list.yaml").write_text("- budget\n", encoding="utf-8")
    with pytest.raises(AnswersError) as info:
        read_answers(tmp_path / "list.yaml")
    assert info.value.message == (
        f"{tmp_path / 'list.yaml'}:1:1: expected a mapping of question id to answer "
        "(for example 'budget: minimal'), found a list")
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * MAX_ANSWERS_BYTES + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="answers file"):
        read_answers(big)
    with pytest.raises(InputError) as missing:
        read_answers(tmp_path / "missing.yaml")
    assert missing.value.message == f"{tmp_path / 'missing.yaml'}: no such file (answers file)"


def test_to_plain_turns_multi_answers_into_lists() -> None:
    assert to_plain({"langs": ("de", "en"), "n": 2}) == {"langs": ["de", "en"], "n": 2}
