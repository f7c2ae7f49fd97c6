"""The default rule set's behaviour, pinned: its own tests, its balance, its direction."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmchoice.answers.validate import validate
from llmchoice.decide.compiled import compile_ruleset
from llmchoice.decide.engine import MIXED_RULE_ID, Scored, score
from llmchoice.ruleset.load import load_ruleset
from llmchoice.ruleset.model import RuleSet

RS = load_ruleset("default")

# Each question's values from the open-source side of the article to the closed-source side.
TOWARD_CLOSED = {
    "budget": ["minimal", "moderate", "large"],
    "transparency": ["essential", "preferred", "unimportant"],
    "customization": ["deep", "moderate", "none"],
    "support": ["self", "community", "dedicated"],
    "expertise": ["strong", "some", "none"],
    "performance": ["good_enough", "cutting_edge"],
    "quality": ["standard", "strict"],
    "lock_in": ["avoid", "tolerate"],
    "domain": ["research", "general", "specialized_industry"],
    "control": ["critical", "moderate", "low"],
    "time_to_market": ["flexible", "normal", "urgent"],
    "data": ["on_premises", "regulated", "unrestricted"],
}
REQUIRED = [q.id for q in RS.questions if q.required]

profiles = st.fixed_dictionaries(
    {qid: st.sampled_from(RS.question(qid).values) for qid in REQUIRED},
    optional={"data": st.sampled_from(TOWARD_CLOSED["data"]),
              "monthly_tokens": st.integers(0, 100_000)},
)


@pytest.mark.parametrize("test", RS.tests, ids=[t.name for t in RS.tests])
def test_embedded_tests_pass(test: object) -> None:
    from llmchoice.ruleset.model import RuleTest

    assert isinstance(test, RuleTest)
    s = score(RS, validate(RS, test.answers).answers)
    fired = set(s.fired) | ({MIXED_RULE_ID} if any(c.rule == MIXED_RULE_ID
                                                   for c in s.contributions) else set())
    e = test.expect
    assert e.recommendation in (None, s.winner), s.scores
    assert set(e.fired) <= fired
    assert not set(e.not_fired) & fired
    if e.excluded is not None:
        assert sorted(e.excluded) == sorted(x.outcome for x in s.excluded)
    if e.min_confidence is not None:
        assert s.confidence >= e.min_confidence


def test_at_least_twelve_embedded_tests_across_all_outcomes(rs: RuleSet) -> None:
    assert len(rs.tests) >= 12
    assert {t.expect.recommendation for t in rs.tests} == {"open", "closed", "hybrid"}


def _all_profiles() -> dict[tuple[str, ...], Scored]:
    """Every combination of the required questions, scored once (compiled: same results)."""
    crs = compile_ruleset(RS)
    return {combo: crs.score(dict(zip(REQUIRED, combo, strict=True)))
            for combo in itertools.product(*(TOWARD_CLOSED[q] for q in REQUIRED))}


def test_moving_any_answer_toward_one_side_never_helps_the_other_side_exhaustive() -> None:
    """All 52,488 profiles, every one-step move toward the open side of each question:
    the open score never falls, the closed score never rises, the verdict never becomes
    closed; and so, read backwards, a move toward closed never makes the verdict open."""
    table = _all_profiles()
    assert len(table) == 52_488
    moves = 0
    for combo, before in table.items():
        for i, qid in enumerate(REQUIRED):
            k = TOWARD_CLOSED[qid].index(combo[i])
            if k == 0:
                continue
            after = table[(*combo[:i], TOWARD_CLOSED[qid][k - 1], *combo[i + 1:])]
            moves += 1
            assert after.scores["open"] >= before.scores["open"], (combo, qid)
            assert after.scores["closed"] <= before.scores["closed"], (combo, qid)
            assert before.winner == "closed" or after.winner != "closed", (combo, qid)
            assert after.winner == "open" or before.winner != "open", (combo, qid)
    assert moves > 100_000


@pytest.mark.parametrize("data", ["on_premises", "regulated", "unrestricted"])
@settings(max_examples=150, deadline=None)
@given(profile=profiles, q=st.sampled_from([*TOWARD_CLOSED, "monthly_tokens"]))
def test_moves_with_optional_answers_keep_the_direction(profile: dict[str, object], q: str,
                                                        data: str) -> None:
    base = {**profile, "data": data}
    if q == "monthly_tokens":
        low = int(base.get("monthly_tokens", 0))  # type: ignore[call-overload]
        before = score(RS, {**base, "monthly_tokens": low})  # type: ignore[arg-type]
        after = score(RS, {**base, "monthly_tokens": low + 5000})  # type: ignore[arg-type]
    else:
        order = TOWARD_CLOSED[q]
        i = order.index(str(base[q]))
        if i == 0:
            return
        before = score(RS, base)  # type: ignore[arg-type]
        after = score(RS, {**base, q: order[i - 1]})  # type: ignore[arg-type]
    assert after.scores["open"] >= before.scores["open"]
    assert after.scores["closed"] <= before.scores["closed"]
    assert before.winner == "closed" or after.winner != "closed"


@settings(max_examples=200, deadline=None)
@given(profile=profiles, more=st.integers(1, 100_000))
def test_more_volume_never_favours_closed(profile: dict[str, object], more: int) -> None:
    tokens = int(profile.get("monthly_tokens", 0))  # type: ignore[call-overload]
    before = score(RS, {**profile, "monthly_tokens": tokens})  # type: ignore[arg-type]
    after = score(RS, {**profile, "monthly_tokens": tokens + more})  # type: ignore[arg-type]
    assert after.scores["open"] >= before.scores["open"]
    assert after.scores["closed"] <= before.scores["closed"]


def test_on_premises_data_rules_out_closed_for_everyone() -> None:
    answers = {q: v[-1] for q, v in TOWARD_CLOSED.items() if q in REQUIRED}
    s = score(RS, {**answers, "data": "on_premises"})
    assert [e.outcome for e in s.excluded] == ["closed"]
    assert s.winner != "closed" and s.scores["closed"] > s.scores["open"]


def test_extremes_follow_the_article() -> None:
    all_open = {q: v[0] for q, v in TOWARD_CLOSED.items() if q in REQUIRED}
    all_closed = {q: v[-1] for q, v in TOWARD_CLOSED.items() if q in REQUIRED}
    assert score(RS, all_open).winner == "open"
    assert score(RS, all_closed).winner == "closed"
    assert score(RS, all_open).confidence > 0.8
    assert score(RS, all_closed).confidence > 0.8


@settings(max_examples=150, deadline=None)
@given(profile=profiles)
def test_every_valid_answer_set_scores_and_renders_deterministically(
        profile: dict[str, object]) -> None:
    from llmchoice.decide.engine import evaluate
    from llmchoice.report import render

    answers = validate(RS, profile).answers
    first = render(evaluate(RS, answers), RS, "json")
    second = render(evaluate(RS, dict(answers)), RS, "json")
    assert first == second
    for fmt in ("markdown", "terminal"):
        assert render(evaluate(RS, answers), RS, fmt)
