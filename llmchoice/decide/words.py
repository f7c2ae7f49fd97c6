"""Answers, points and outcomes in words, for explanations and reports."""

from __future__ import annotations

import math

from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import RuleSet


def label(rs: RuleSet, outcome: str) -> str:
    try:
        return rs.outcome(outcome).label
    except KeyError:
        return outcome


def value(value: Answer | None) -> str:
    if value is None:
        return "not answered"
    if isinstance(value, tuple):
        return ", ".join(value) if value else "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def num_toward(x: float, up: bool) -> str:
    """``x`` to two decimals, rounded in the direction of a change (up: the next
    hundredth above, down: below), so the figure shown is one that does what is said of
    it: a flip at 1.1450 reads 1.15 going up, never 1.14, at which nothing changes."""
    hundredths = round(x * 100, 6)  # 114.5 stays 114.5; 115.0000000001 becomes 115
    return num((math.ceil(hundredths) if up else math.floor(hundredths)) / 100)


def points(x: float) -> str:
    return f"{num(x)} point{'' if num(x) in ('1', '-1') else 's'}"
