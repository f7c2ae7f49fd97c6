"""The engine: constraints first, weighted sums, mixed needs, ties, confidence, what-if."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from llmchoice.answers.validate import validate
from llmchoice.decide.engine import NoOutcomeLeft, evaluate, score, with_answer
from llmchoice.ruleset.load import load_ruleset
from llmchoice.ruleset.model import RuleSet

from .conftest import CLOSED_TEAM, MIDDLE, OPEN_TEAM

TINY = """\
ruleset: {id: tiny, version: "1", title: Tiny, source: test}
outcomes:
  open: {label: Open, summary: o}
  closed: {label: Closed, summary: c}
  hybrid: {label: Hybrid, summary: h}
tradeoffs:
  t.one: {side: open, kind: perk, title: One, text: One.}
questions:
  - id: a
    prompt: A?
    type: choice
    choices: [{value: x, label: X}, {value: y, label: Y}, {value: z, label: Z}]
  - id: b
    prompt: B?
    type: choice
    choices: [{value: x, label: X}, {value: y, label: Y}]
  - id: opt
    prompt: Optional?
    type: choice
    required: false
    choices: [{value: on_site, label: On site}, {value: anywhere, label: Anywhere}]
  - id: n
    prompt: How many?
    type: number
    required: false
    min: 0
rules:
  - id: a-x
    when: {a: x}
    points: {open: 4}
    because: A is x.
    cites: [t.one]
  - id: a-z
    when: {a: z}
    points: {closed: 4}
    because: A is z.
    cites: [t.one]
  - id: b-x
    when: {b: x}
    points: {closed: 3, hybrid: 1}
    because: B is x.
    cites: [t.one]
  - id: b-y
    when: {b: y}
    points: {open: 1}
    because: B is y.
    cites: [t.one]
  - id: not-on-site
    when: {not: {opt: on_site}}
    points: {hybrid: 1}
    because: Not on site.
    cites: [t.one]
  - id: on-site
    when: {opt: on_site}
    exclude: [closed]
    because: Must stay on site.
    cites: [t.one]
  - id: many
    when: {n: {gte: 100}}
    points: {open: 2}
    because: Many.
    cites: [t.one]
decision:
  tie_break: [hybrid, open, closed]
  mixed: {outcome: hybrid, between: [open, closed], weight: 0.5, min_points: 1,
          because: Both., cites: [t.one]}
"""


@pytest.fixture
def tiny(write: Callable[[str, str], Path]) -> RuleSet:
    return load_ruleset(write("tiny.yaml", TINY))


def test_weighted_sum_mixed_bonus_and_confidence(tiny: RuleSet) -> None:
    s = score(tiny, {"a": "x", "b": "x"})
    # open 4, closed 3, hybrid 1 + 0.5 * (min(4, 3) - 1) = 2
    assert s.scores == {"open": 4.0, "closed": 3.0, "hybrid": 2.0}
    assert s.winner == "open"
    # the winner's lead as a share of its own score: (4 - 3) / 4
    assert s.confidence == 0.25
    assert [c.rule for c in s.contributions] == ["a-x", "b-x", "b-x", "decision.mixed"]


def test_mixed_bonus_needs_both_sides_to_reach_min_points(tiny: RuleSet) -> None:
    s = score(tiny, {"a": "y", "b": "x"})
    assert s.scores == {"open": 0.0, "closed": 3.0, "hybrid": 1.0}
    assert "decision.mixed" not in [c.rule for c in s.contributions]


def test_ties_break_by_the_declared_order(tiny: RuleSet) -> None:
    s = score(tiny, {"a": "y", "b": "y", "opt": "anywhere"})
    assert s.scores == {"open": 1.0, "closed": 0.0, "hybrid": 1.0}
    assert s.winner == "hybrid" and s.margin == 0 and s.confidence == 0


def test_excluded_outcome_cannot_win_whatever_its_score(tiny: RuleSet) -> None:
    s = score(tiny, {"a": "z", "b": "x", "opt": "on_site"})
    assert s.scores["closed"] == 7.0
    assert s.winner == "hybrid"
    assert [e.outcome for e in s.excluded] == ["closed"]
    # an excluded side gets no mixed bonus
    assert "decision.mixed" not in [c.rule for c in s.contributions]


def test_unanswered_optional_questions_skip_rules_even_under_not(tiny: RuleSet) -> None:
    s = score(tiny, {"a": "x", "b": "y"})
    skipped = {k.rule: k.missing for k in s.skipped}
    assert skipped == {"not-on-site": ("opt",), "on-site": ("opt",), "many": ("n",)}
    assert "not-on-site" not in s.fired


def test_every_outcome_excluded_is_an_error_not_a_crash(write: Callable[[str, str], Path]) -> None:
    text = TINY.replace("exclude: [closed]", "exclude: [closed, open, hybrid]")
    rs = load_ruleset(write("all-out.yaml", text))
    with pytest.raises(NoOutcomeLeft, match="every outcome is excluded"):
        score(rs, {"a": "x", "b": "x", "opt": "on_site"})


def test_what_if_lists_exactly_the_changes_that_flip(tiny: RuleSet) -> None:
    answers = {"a": "x", "b": "x"}
    result = evaluate(tiny, answers)
    for w in result.what_if:
        changed = with_answer(tiny, answers, w.question, w.to_value)
        assert score(tiny, changed).winner == w.recommendation != result.recommendation
    flips = {(w.question, w.to_value) for w in result.what_if}
    assert ("a", "z") in flips and ("opt", "on_site") not in flips
    margins = [w.margin for w in result.what_if]
    assert margins == sorted(margins, reverse=True)


def test_numbers_get_representative_what_if_values(tiny: RuleSet) -> None:
    result = evaluate(tiny, {"a": "y", "b": "y", "opt": "anywhere", "n": 10})
    assert any(w.question == "n" and w.to_value == 100 and w.recommendation == "open"
               for w in result.what_if)


def test_confidence_in_unit_interval_and_results_deterministic(rs: RuleSet) -> None:
    for team in (MIDDLE, OPEN_TEAM, CLOSED_TEAM):
        answers = validate(rs, team).answers
        first, second = evaluate(rs, answers), evaluate(rs, answers)
        assert first == second
        assert 0.0 <= first.confidence <= 1.0


def test_scenario_follows_the_answers(rs: RuleSet) -> None:
    assert evaluate(rs, validate(rs, OPEN_TEAM).answers).scenario == "future.niche-domination"
    closed = evaluate(rs, validate(rs, CLOSED_TEAM).answers)
    assert (closed.recommendation, closed.scenario) == ("closed", "future.niche-domination")
    # open 3 (preferred transparency 1, community support 2), closed 4 (cutting edge 3,
    # tolerate lock-in 1): hybrid 4.2. Prompts and retrieval (customization moderate) are
    # no longer the article's Hybrid Approach, so the hybrid gets the Collaboration one.
    middle = evaluate(rs, validate(rs, {**MIDDLE, "performance": "cutting_edge"}).answers)
    assert (middle.recommendation, middle.scenario) == ("hybrid", "future.collaboration")
    # deep customization, strict quality: open 6 (+3 deep), closed 6 (+2 strict), hybrid
    # 8.4: a hybrid verdict is always the Collaboration scenario (the Hybrid Approach,
    # layers on an open base, is an open verdict's scenario: one meaning of hybrid).
    layers = evaluate(rs, validate(rs, {**MIDDLE, "performance": "cutting_edge",
                                        "customization": "deep", "quality": "strict"}).answers)
    assert (layers.scores["open"], layers.scores["closed"], layers.scores["hybrid"]) == \
        (6.0, 6.0, 8.4)
    assert (layers.recommendation, layers.scenario) == ("hybrid", "future.collaboration")
