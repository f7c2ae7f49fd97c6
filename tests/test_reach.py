"""Reachability (llmchoice.decide.reach) against brute force: every completion of the open
questions scored by the compiled evaluator (the engine's verdicts), over a richer set of
values than the reach module tries (every set of ticks, many numbers), so that both the
answer space and the sum sets are checked."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from itertools import combinations, product

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmchoice.decide.compiled import compiled_for
from llmchoice.decide.reach import answer_space, reachable, reacher_for
from llmchoice.decide.rule import NoOutcomeLeft
from llmchoice.quiz.flow import effective
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.load import load_ruleset
from llmchoice.ruleset.model import Question, RuleSet

from .test_compiled import rule_sets

DEFAULT = load_ruleset()
NUMBERS = (0, 0.1, 1, 2.5, 5, 10, 10.2, 10.5, 30, 50, 70, 99, 99.5, 100, 3999, 4000, 4001,
           10**8)


def rich_values(q: Question) -> list[Answer]:
    """More values than reach tries: a brute force must find the same outcomes."""
    if q.type == "choice":
        return list(q.values)
    if q.type == "confirm":
        return [True, False]
    if q.type == "multi":
        return [tuple(v for n, v in enumerate(q.values) if mask >> n & 1)
                for mask in range(1 << len(q.values))]
    lo = q.minimum if q.minimum is not None else -1e9
    hi = q.maximum if q.maximum is not None else 1e12
    return [n for n in NUMBERS if lo <= n <= hi]


def brute(rs: RuleSet, answers: Mapping[str, Answer], open_: Sequence[str], *,
          missing: bool = True) -> set[str]:
    crs = compiled_for(rs)
    won: set[str] = set()
    spaces = [[*rich_values(rs.question(q)), *([None] if missing else [])] for q in open_]
    for combo in product(*spaces):
        full = {k: v for k, v in answers.items() if k not in open_}
        full.update({q: v for q, v in zip(open_, combo, strict=True) if v is not None})
        with contextlib.suppress(NoOutcomeLeft):
            won.add(crs.verdict(effective(rs, full)).winner)
    return won


@st.composite
def partial(draw: st.DrawFn, rs: RuleSet, most_open: int) -> tuple[dict[str, Answer],
                                                                  list[str]]:
    ids = [q.id for q in rs.questions]
    open_ = draw(st.lists(st.sampled_from(ids), max_size=most_open, unique=True))
    answers: dict[str, Answer] = {}
    for q in rs.questions:
        if q.id not in open_ and draw(st.integers(0, 5)):
            answers[q.id] = draw(st.sampled_from(rich_values(q)))
    return answers, open_


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(partial(DEFAULT, 4), st.booleans())
def test_default_rule_set_reach_is_exactly_the_brute_force(
        case: tuple[dict[str, Answer], list[str]], missing: bool) -> None:
    answers, open_ = case
    assert reachable(DEFAULT, answers, open_, missing=missing) == \
        brute(DEFAULT, answers, open_, missing=missing)


@pytest.mark.slow
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # profile: conftest
@given(st.data())
def test_random_rule_sets_reach_and_each_answer_is_exactly_the_brute_force(
        data: st.DataObject) -> None:
    rs = data.draw(rule_sets())
    answers, open_ = data.draw(partial(rs, 3))
    assert reachable(rs, answers, open_) == brute(rs, answers, open_)
    reach = reacher_for(rs).analyse(answers, open_)
    assert set(reach.reachable) == brute(rs, answers, open_)
    for qr in reach.questions:
        rest = [q for q in open_ if q != qr.question]
        for value, won in qr.outcomes:
            fixed = {**answers, qr.question: value} if value is not None else \
                {k: v for k, v in answers.items() if k != qr.question}
            assert set(won) == brute(rs, fixed, rest), (qr.question, value)


def test_the_whole_default_answer_space_reaches_every_outcome_and_constraints_cut_it() -> None:
    everything = [q.id for q in DEFAULT.questions]
    assert reachable(DEFAULT, {}, everything) == {"open", "closed", "hybrid"}
    # data on premises excludes closed and hybrid, whatever else is answered
    rest = [q for q in everything if q != "data"]
    assert reachable(DEFAULT, {"data": "on_premises"}, rest) == {"open"}
    # an essential need to inspect the model leaves open alone too
    assert reachable(DEFAULT, {"transparency": "essential"},
                     [q for q in everything if q != "transparency"]) == {"open"}


def test_the_answer_space_tells_every_region_apart() -> None:
    tokens = DEFAULT.question("monthly_tokens")
    space = answer_space(DEFAULT, tokens)
    assert 4000 in space and any(v < 4000 for v in space) and any(v > 4000 for v in space)
    assert all(0 <= v <= 100_000_000 for v in space)  # type: ignore[operator]


def test_pairs_of_open_questions_on_the_default_set_match_the_brute_force() -> None:
    """Every pair of open questions, the rest answered as one profile: each answer's
    reachable outcomes are exactly those of the brute force."""
    profile: dict[str, Answer] = {
        "budget": "moderate", "transparency": "preferred", "customization": "moderate",
        "support": "community", "expertise": "some", "performance": "good_enough",
        "quality": "standard", "lock_in": "tolerate", "domain": "general",
        "control": "moderate", "time_to_market": "normal"}
    r = reacher_for(DEFAULT)
    for pair in combinations([q.id for q in DEFAULT.questions], 2):
        reach = r.analyse(profile, pair)
        assert set(reach.reachable) == brute(DEFAULT, profile, pair), pair
