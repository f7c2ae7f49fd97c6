"""The one field checker (``llmchoice.io.check``): how values are described, ranges worded,
near ids suggested, and problems collected with their positions."""

from __future__ import annotations

import math

import pytest

from llmchoice.io import yamlio
from llmchoice.io.check import Bounds, Checker, describe, did_you_mean, is_number, number_text
from llmchoice.io.errors import RuleSetError

HUGE = 10 ** 400


def _checker(text: str) -> tuple[Checker, object]:
    doc = yamlio.parse(text, "f.yaml")
    return Checker(doc), doc.data


def test_did_you_mean_suggests_only_a_close_match() -> None:
    assert did_you_mean("budgt", ["budget", "support"]) == " (did you mean 'budget'?)"
    assert did_you_mean("budget", ["budget"]) == " (did you mean 'budget'?)"
    assert did_you_mean("zzz", ["budget", "support"]) == ""
    assert did_you_mean("budgt", []) == ""
    assert did_you_mean("", ["a", "b"]) == ""
    assert did_you_mean("x" * 10_000, ["budget"]) == ""
    # options may be any iterable, even a one-shot generator or a dict's keys
    assert did_you_mean("suport", (o for o in ["support"])) == " (did you mean 'support'?)"
    assert did_you_mean("suport", {"support": 1}) == " (did you mean 'support'?)"


@pytest.mark.parametrize(("value", "text"), [
    (None, "nothing (null)"),
    (True, "true/false (true)"),
    (False, "true/false (false)"),
    (0, "the number 0"),
    (-2.5, "the number -2.5"),
    (math.nan, "NaN (not a number)"),
    (math.inf, "infinity"),
    (-math.inf, "minus infinity"),
    (HUGE, "a number of about 401 digits"),
    (-HUGE, "a number of about 401 digits"),
    ("high", "the text 'high'"),
    ("", "the text ''"),
    ("x" * 41, "the text '" + "x" * 37 + "...'"),
    ([1], "a list"),
    ({"a": 1}, "a mapping"),
    (b"x", "bytes"),
])
def test_describe_says_what_was_found(value: object, text: str) -> None:
    assert describe(value) == text


def test_number_text_reads_like_a_person_writes_it() -> None:
    assert number_text(1_000_000_000) == "1,000,000,000"
    assert number_text(1e9) == "1,000,000,000"
    assert number_text(0.25) == "0.25"
    assert number_text(1e-300) == "1e-300"
    assert number_text(1e300) == "1e+300"
    assert number_text(HUGE) == "a number of about 401 digits"


def test_is_number_refuses_what_cannot_become_a_finite_float() -> None:
    assert is_number(3) and is_number(-0.5) and is_number(2 ** 1000)
    assert not is_number(True) and not is_number("3") and not is_number(None)
    assert not is_number(math.nan) and not is_number(math.inf)
    assert not is_number(HUGE)  # float() of it would overflow


def test_bounds_word_the_range_and_refuse_what_lies_outside() -> None:
    share = Bounds(0, 1)
    assert share.text() == "a number at least 0 and at most 1"
    assert share.problem(0) is None and share.problem(1) is None and share.problem(0.5) is None
    assert share.problem(1.5) == "expected a number at least 0 and at most 1, found 1.5"
    assert share.problem(-0.1) == "expected a number at least 0 and at most 1, found -0.1"
    assert share.problem(True) == ("expected a number at least 0 and at most 1, "
                                   "found true/false (true)")
    assert share.problem(math.nan) == ("expected a number at least 0 and at most 1, "
                                       "found NaN (not a number)")
    assert share.problem(HUGE) == ("expected a number at least 0 and at most 1, "
                                   "found a number of about 401 digits")
    price = Bounds(0, 1000, min_inclusive=False)
    assert price.problem(0) == "expected a number more than 0 and at most 1,000, found 0"
    assert price.problem(1e9) == ("expected a number more than 0 and at most 1,000, "
                                  "found 1,000,000,000")
    gpus = Bounds(1, 1024, integer=True)
    assert gpus.problem(2.5) == "expected a whole number at least 1 and at most 1,024, found 2.5"
    assert gpus.problem(2.0) is None


def test_a_number_of_huge_magnitude_is_an_error_not_a_crash() -> None:
    chk, data = _checker(f"points: {HUGE}\nweight: {HUGE}\nbig: 1e308\nok: 1e12\n")
    assert isinstance(data, dict)
    assert chk.number(("points",), data["points"], "points") == 0.0
    assert chk.number(("weight",), data["weight"], "weight", bounds=Bounds(0, 5)) == 0.0
    assert chk.number(("big",), data["big"], "big") == 0.0  # finite, but over MAX_MAGNITUDE
    assert chk.number(("ok",), data["ok"], "ok") == 1e12
    assert [str(p) for p in chk.problems] == [
        "f.yaml:1:9: points: expected a finite number, found a number of about 401 digits",
        "f.yaml:2:9: weight: expected a number at least 0 and at most 5, "
        "found a number of about 401 digits",
        "f.yaml:3:6: big: expected a number at least -1,000,000,000,000 and at most "
        "1,000,000,000,000, found 1e+308",
    ]


def test_mapping_names_unknown_and_missing_keys_at_their_positions() -> None:
    chk, data = _checker("a:\n  nme: x\n  extra: 1\n")
    assert isinstance(data, dict)
    chk.mapping(("a",), data["a"], "thing", required=("name",), optional=("note",))
    assert [str(p) for p in chk.problems] == [
        "f.yaml:2:3: thing: unknown key 'nme' (did you mean 'name'?); expected one of name, note",
        "f.yaml:3:3: thing: unknown key 'extra'; expected one of name, note",
        "f.yaml:2:3: thing: missing key 'name'",
    ]


def test_mapping_with_open_keys_checks_only_required_ones() -> None:
    chk, data = _checker("a: {anything: 1}\n")
    assert isinstance(data, dict)
    assert chk.mapping(("a",), data["a"], "a", required=("id",), open_keys=True) == \
        {"anything": 1}
    assert [p.message for p in chk.problems] == ["a: missing key 'id'"]
    chk2, _ = _checker("a: 1\n")
    assert chk2.mapping(("a",), 1, "a") == {}
    assert [p.message for p in chk2.problems] == ["a: expected a mapping, found the number 1"]


def test_text_strict_and_with_a_length_limit() -> None:
    chk, _ = _checker("a: 1\n")
    assert chk.text(("a",), 12, "loose") == "12"
    assert chk.text(("a",), 12, "strict", strict=True) == ""
    chk.text(("a",), "  ", "blank")
    chk.text(("a",), "  ", "blank ok", allow_empty=True)
    chk.text(("a",), "y" * 601, "long", max_len=600)
    assert [p.message for p in chk.problems] == [
        "strict: expected text, found the number 12",
        "blank: expected text, found an empty string",
        "long: 601 characters is over the limit of 600; keep it to a sentence or two",
    ]


def test_seq_and_one_of() -> None:
    chk, _ = _checker("a: 1\n")
    assert chk.seq(("a",), "x", "remove_rules", of="rule ids") == []
    assert chk.seq(("a",), [], "rules", nonempty=True) == []
    assert chk.one_of(("a",), "opne", ["open", "closed"], "outcome") is None
    assert chk.one_of(("a",), 3, ["open"], "outcome") is None
    assert chk.one_of(("a",), "open", ["open"], "outcome") == "open"
    assert [p.message for p in chk.problems] == [
        "remove_rules: expected a list of rule ids, found the text 'x'",
        "rules: expected at least one item, found an empty list",
        "outcome: expected one of open, closed, found the text 'opne' (did you mean 'open'?)",
        "outcome: expected one of open, found the number 3",
    ]


def test_raise_if_any_counts_the_problems() -> None:
    chk, _ = _checker("a: 1\n")
    chk.raise_if_any(RuleSetError, "the rule set")  # nothing found: no error
    chk.error(("a",), "one")
    chk.error(("a",), "two")
    with pytest.raises(RuleSetError) as exc:
        chk.raise_if_any(RuleSetError, "the rule set")
    assert exc.value.message == "f.yaml: 2 problems in the rule set"
    assert [p.message for p in exc.value.problems] == ["one", "two"]
