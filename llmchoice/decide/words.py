"""Answers, points and outcomes in words, for explanations and reports."""

from __future__ import annotations

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


def points(x: float) -> str:
    return f"{num(x)} point{'' if num(x) in ('1', '-1') else 's'}"
