"""The default rule set's behaviour, pinned: its own tests, its balance, its direction."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmchoice.answers.validate import validate
from llmchoice.authoring.monotonicity import monotonicity
from llmchoice.authoring.ruletest import chosen_path
from llmchoice.decide.engine import MIXED_RULE_ID, score
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
    answers = validate(RS, test.answers).answers
    s = score(RS, answers)
    fired = set(s.fired) | ({MIXED_RULE_ID} if any(c.rule == MIXED_RULE_ID
                                                   for c in s.contributions) else set())
    e = test.expect
    assert e.accepts(s.winner), s.scores
    assert e.accepts_path(chosen_path(RS, answers, s))
    assert set(e.fired) <= fired
    assert not set(e.not_fired) & fired
    if e.excluded is not None:
        assert sorted(e.excluded) == sorted(x.outcome for x in s.excluded)
    if e.min_confidence is not None:
        assert s.confidence >= e.min_confidence


def test_at_least_twelve_embedded_tests_across_all_outcomes(rs: RuleSet) -> None:
    assert len(rs.tests) >= 12
    assert {t.expect.recommendation for t in rs.tests} == {"open", "closed", "hybrid"}


def test_moving_any_answer_toward_its_declared_side_never_helps_the_other_side() -> None:
    """Every question of the default set declares its direction (monotone:); over all
    52,488 core profiles and a sample of optional answers, no one-step move toward a
    question's 'from' side lowers that side's score, raises the other's, or hands the
    verdict to the other side (moves that add or remove an exclusion are apart)."""
    found = monotonicity(RS, samples=200)
    assert found.questions == [q.id for q in RS.questions]
    assert found.violations == {"from-falls": 0, "to-rises": 0, "becomes-to": 0}
    assert found.profiles == 52_488 + 15 * 200
    assert found.moves > 358_668  # the core alone: 8 x 2/3 + 3 x 1/2 of 52,488
    # transparency -> essential and expertise -> some/none, data -> on_premises
    assert 0 < found.constraint_changes < found.moves / 10
    assert {m.question for m in found.constraint_examples} <= {"transparency", "expertise",
                                                                "data"}


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


def test_on_premises_data_rules_out_every_hosted_model_for_everyone() -> None:
    answers = {q: v[-1] for q, v in TOWARD_CLOSED.items() if q in REQUIRED}
    s = score(RS, {**answers, "data": "on_premises"})
    assert sorted(e.outcome for e in s.excluded) == ["closed", "hybrid"]
    assert s.winner == "open" and s.scores["closed"] > s.scores["open"]
    assert chosen_path(RS, {**answers, "data": "on_premises"}, s) == "open.self-hosted"


def test_extremes_follow_the_article() -> None:
    all_open = {q: v[0] for q, v in TOWARD_CLOSED.items() if q in REQUIRED}
    all_closed = {q: v[-1] for q, v in TOWARD_CLOSED.items() if q in REQUIRED}
    assert score(RS, all_open).winner == "open"
    assert score(RS, all_closed).winner == "closed"
    assert score(RS, all_open).confidence > 0.8
    assert score(RS, all_closed).confidence > 0.8


@pytest.mark.slow
@settings(deadline=None)  # examples: the hypothesis profile (conftest)
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
