"""What every report says, worded once: labels, confidence in words, what-if sentences."""

from __future__ import annotations

from dataclasses import dataclass

from llmchoice.conditions import Answer
from llmchoice.result import Contribution, Result, WhatIf
from llmchoice.ruleset import RuleSet


def confidence_words(confidence: float) -> str:
    if confidence >= 0.6:
        return "high: the answers point clearly one way"
    if confidence >= 0.3:
        return "moderate: a clear lead, with real arguments on the other side"
    if confidence > 0.0:
        return "low: a close call; read what speaks against it"
    return "none: a tie, broken by the rule set's tie-break order"


def outcome_label(rules: RuleSet, outcome: str) -> str:
    try:
        return rules.outcome(outcome).label
    except KeyError:
        return outcome


def answer_text(rules: RuleSet, qid: str, value: Answer | None) -> str:
    """An answer in words: the choice's value (its label is for longer texts)."""
    if value is None:
        return "not answered"
    if isinstance(value, tuple):
        return ", ".join(value) if value else "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def what_if_sentence(rules: RuleSet, w: WhatIf) -> str:
    """'If budget were large (not minimal), the recommendation would be Closed-source LLM.'"""
    label = outcome_label(rules, w.recommendation)
    to = answer_text(rules, w.question, w.to_value)
    if w.from_value is None:
        return f"If you answered {w.question} = {to}, the recommendation would be {label}."
    frm = answer_text(rules, w.question, w.from_value)
    return f"If {w.question} were {to} (not {frm}), the recommendation would be {label}."


def cite_titles(rules: RuleSet, cites: tuple[str, ...]) -> list[str]:
    out = []
    for c in cites:
        t = rules.tradeoffs.get(c)
        out.append(f"{t.title} ({c})" if t else c)
    return out


@dataclass(frozen=True, slots=True)
class Sides:
    """Contributions split into those for the winner and those for the other outcomes."""

    for_winner: tuple[Contribution, ...]
    against: tuple[Contribution, ...]


def sides(result: Result) -> Sides:
    win = result.recommendation
    pro = tuple(sorted((c for c in result.contributions if c.outcome == win),
                       key=lambda c: -c.points))
    con = tuple(sorted((c for c in result.contributions if c.outcome != win and c.points > 0),
                       key=lambda c: -c.points))
    return Sides(pro, con)


def scenario_id(scenario: str | None) -> str | None:
    """``future.hybrid-approach`` -> ``hybrid-approach`` (the JSON report's form)."""
    if scenario is None:
        return None
    return scenario.split(".", 1)[1] if "." in scenario else scenario
