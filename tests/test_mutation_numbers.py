"""The number reader, checked directly: the exact reason each refusal gives (the words a
user reads after "expected …, found …" in an answers file, ``--set`` or an option), the
type of what it returns and the edges of thousands grouping.

Written to kill the mutants ``.ci/mutation.py numbers`` found alive (docs/testing.md).

Equivalent mutants left alive (they cannot change behaviour):

- ``x_parse_number__mutmut_63``, ``_64``: ``sign < 0`` → ``sign <= 0`` / ``sign < 1`` in
  the infinity wording: ``sign`` is only ever -1 or 1.
- ``x_parse_number__mutmut_55``: ``s.lower().lstrip(".")`` → ``.lstrip("XX.XX")``: the
  characters stripped become ``X`` and ``.``, and a lower-cased text holds no ``X``.
- ``x_parse_number__mutmut_150``, ``_151``: ``value < 0`` → ``value <= 0`` / ``value < 1``
  in "(minus) infinity (too large)": there ``value`` is not finite, and it is never NaN
  (``float`` of a digit string never is, and the scale is 0.01 or 1), so it is ±inf.
- ``x_percent_scale__mutmut_4``: ``(unit or "")`` → ``(unit or "XXXX")``: ``"xxxx"``
  holds none of the words looked for, so no unit still reads as ``None``.
"""

from __future__ import annotations

import sys
from typing import Any

import pytest

from llmchoice.io.errors import UsageError
from llmchoice.io.numbers import (
    PERCENT,
    SHARE,
    NumberError,
    option_number,
    parse_number,
    percent_scale,
)

GROUPS = ("separators go only between groups of three digits, one kind per number "
          "(1,000 or 1 000 or 1_000)")


def _refusal(text: str, **kwargs: Any) -> NumberError:
    with pytest.raises(NumberError) as info:
        parse_number(text, **kwargs)
    assert info.value.text == text  # the text as typed, for the caller's message
    return info.value


@pytest.mark.parametrize(("text", "reason"), [
    ("", "the text is empty"),
    ("   ", "the text is empty"),
    ("50%", "a percent sign is only for shares; write the number alone"),
    ("1.000.000", "a point is the decimal point; group thousands with commas or spaces "
                  "(1,000,000)"),
    ("1.000,5", "a point is the decimal point, so separators go only before it (1,000.5)"),
    ("1,5", "a comma before 1 digit reads as a decimal comma; write 1.5 (a point for "
            "decimals), or group thousands in threes (1,500)"),
    ("12,50", "a comma before 2 digits reads as a decimal comma; write 12.50 (a point for "
              "decimals), or group thousands in threes (1,500)"),
    ("4__0", GROUPS),
    ("1,0000", GROUPS),
    # a point elsewhere: the comma cannot be a decimal comma, so no "write 1.5" hint
    ("1,5.5", GROUPS),
    # a first group of four digits is not grouped in threes, even with a 3-digit tail
    ("1000,000", GROUPS),
    ("1234,567", GROUPS),
    ("1.5", "expected a whole number"),
])
def test_each_refusal_gives_its_exact_reason(text: str, reason: str) -> None:
    err = _refusal(text, integer=True) if reason == "expected a whole number" else \
        _refusal(text)
    assert err.reason == reason
    assert str(err) == f"{text!r} is not a number: {reason}"


@pytest.mark.parametrize(("text", "found"), [
    ("nan", "NaN (not a number)"),
    ("NaN", "NaN (not a number)"),
    (".nan", "NaN (not a number)"),
    ("-nan", "NaN (not a number)"),
    ("inf", "infinity"),
    ("+Infinity", "infinity"),
    (".inf", "infinity"),
    ("-inf", "minus infinity"),
    ("-.Inf", "minus infinity"),
    ("1e999", "infinity (too large)"),
    ("-1e999", "minus infinity (too large)"),
    ("1" + "0" * 400, "a 401-digit number"),
])
def test_not_finite_says_what_it_found(text: str, found: str) -> None:
    assert _refusal(text).reason == f"expected a finite number, found {found}"


def test_a_text_that_is_no_number_has_no_reason() -> None:
    for text in ("lots", "X1", "+", "1e", "."):
        err = _refusal(text)
        assert err.reason == ""
        assert str(err) == f"{text!r} is not a number"
    # the error made without a reason has none either
    assert NumberError("x").reason == ""
    assert str(NumberError("x")) == "'x' is not a number"


def test_whole_numbers_written_plainly_are_ints_everything_else_floats() -> None:
    assert type(parse_number("1000")) is int
    assert type(parse_number("1,000")) is int
    assert type(parse_number("-3")) is int
    assert type(parse_number("1000.0")) is float
    assert type(parse_number("1e3")) is float
    assert type(parse_number("90%", percent=PERCENT)) is float
    assert type(parse_number("3e3", integer=True)) is int


def test_the_largest_finite_integer_is_read_and_one_more_is_not() -> None:
    biggest = int(sys.float_info.max)
    assert parse_number(str(biggest)) == biggest
    digits = len(str(biggest + 1))
    assert _refusal(str(biggest + 1)).reason == \
        f"expected a finite number, found a {digits}-digit number"


@pytest.mark.parametrize(("unit", "scale"), [
    ("share of requests", SHARE), ("Share", SHARE), ("FRACTION of traffic", SHARE),
    ("fraction", SHARE), ("percent", PERCENT), ("Percent of the team", PERCENT),
    ("%", PERCENT), ("% of requests", PERCENT), ("millions of tokens", None), ("", None),
    (None, None),
])
def test_percent_scale_by_unit(unit: str | None, scale: float | None) -> None:
    assert percent_scale(unit) == scale


def _usage(text: str, **kwargs: Any) -> str:
    with pytest.raises(UsageError) as info:
        option_number("--flag", text, **kwargs)
    return info.value.message


def test_option_words_each_case_exactly() -> None:
    # no reason: only what was expected
    assert _usage("lots") == "--flag 'lots': expected a number"
    assert _usage("lots", integer=True) == "--flag 'lots': expected a whole number"
    assert _usage("lots", percent=SHARE) == \
        "--flag 'lots': expected a share from 0 to 1 (0.5) or a percentage (50%)"
    # a reason that is a hint follows after a semicolon
    assert _usage("4__0", integer=True) == f"--flag '4__0': expected a whole number; {GROUPS}"
    # a reason that starts with "expected" is the whole message
    assert _usage("inf") == "--flag 'inf': expected a finite number, found infinity"
    assert _usage("1.5", integer=True) == "--flag '1.5': expected a whole number"


def test_option_words_with_what_the_option_expects() -> None:
    want = "a share from 0 to 1 (0.9) or a percentage (90%)"
    assert _usage("-inf", expected=want) == f"--flag '-inf': expected {want}, found minus " \
                                            "infinity"
    assert _usage("1e999", expected=want) == \
        f"--flag '1e999': expected {want}, found infinity (too large)"
    # "expected a whole number" says nothing found: no ", found" then
    assert _usage("1.5", integer=True, expected="a count") == "--flag '1.5': expected a count"
    assert _usage("1,5", expected="a count") == \
        "--flag '1,5': expected a count; a comma before 1 digit reads as a decimal comma; " \
        "write 1.5 (a point for decimals), or group thousands in threes (1,500)"
    # control characters in the typed text are made visible, not sent to the terminal
    assert "\x1b" not in _usage("inf\x1b[2J", expected="a count")
