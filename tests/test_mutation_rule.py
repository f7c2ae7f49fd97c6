"""The decision rule's edges, each worked out by hand: tie-break order, where the mixed bonus
bends, a side excluded, sums given as a tuple, rounding to 6 decimals, confidence never
above 1 when the runner-up scored below zero, the message when nothing is left, when the
mixed bonus applies, and the clarity scale of a middle outcome that won by its bonus.

Written to kill the mutants ``.ci/mutation.py rule`` found alive (docs/testing.md).
"""

from __future__ import annotations

import dataclasses

import pytest

from llmchoice.decide.rule import (
    breaks_tie,
    clarity_scale,
    confidence_of,
    decide,
    mixed_active,
    mixed_bends,
    no_outcome_left,
    winner_of,
)
from llmchoice.ruleset.model import Decision, Mixed

OUTCOMES = ("open", "closed", "hybrid")
TIES = Decision(tie_break=("hybrid", "open", "closed"))
# the middle gains 2 x (weaker side - 3) when the weaker side scores above 3
MIXED = Decision(tie_break=("hybrid", "open", "closed"),
                 mixed=Mixed("hybrid", ("open", "closed"), 2.0, 3.0, "both", ()))


def test_breaks_tie_follows_the_tie_break_order_and_never_favours_itself() -> None:
    assert breaks_tie(TIES, "hybrid", "open") and breaks_tie(TIES, "open", "closed")
    assert not breaks_tie(TIES, "closed", "open") and not breaks_tie(TIES, "open", "hybrid")
    assert not breaks_tie(TIES, "open", "open")  # an outcome does not beat itself
    with pytest.raises(ValueError, match="tuple.index"):
        breaks_tie(TIES, "open", "unknown")


def test_mixed_bends_where_the_sides_cross_and_at_min_points() -> None:
    sums = {"open": 7.0, "closed": 5.0, "hybrid": 1.0}
    assert mixed_bends(MIXED, sums, (), "open") == [5.0, 3.0, 0.0]  # the other side is closed
    assert mixed_bends(MIXED, sums, (), "closed") == [7.0, 3.0, 0.0]  # the other side is open


def test_mixed_bends_nowhere_for_the_middle_without_mixed_or_with_an_exclusion() -> None:
    sums = {"open": 7.0, "closed": 5.0, "hybrid": 1.0}
    assert mixed_bends(MIXED, sums, (), "hybrid") == []
    assert mixed_bends(TIES, sums, (), "open") == []
    for excluded in ("open", "closed", "hybrid"):
        assert mixed_bends(MIXED, sums, (excluded,), "open") == []


@pytest.mark.parametrize("excluded", ["open", "closed"])
def test_no_bonus_when_either_side_is_excluded(excluded: str) -> None:
    v = decide({"open": 6.0, "closed": 6.0, "hybrid": 1.0}, (excluded,), MIXED, OUTCOMES)
    assert v is not None and v.bonus == 0.0 and v.scores["hybrid"] == 1.0
    # with both sides allowed the middle gains 2 x (6 - 3) = 6 and wins
    both = decide({"open": 6.0, "closed": 6.0, "hybrid": 1.0}, (), MIXED, OUTCOMES)
    assert both is not None and both.bonus == 6.0 and both.winner == "hybrid"


def test_sums_as_a_tuple_in_outcome_order() -> None:
    v = decide((1, 4, 2), (), TIES, OUTCOMES)
    assert v is not None and v.winner == "closed"
    assert dict(v.scores) == {"open": 1.0, "closed": 4.0, "hybrid": 2.0}
    assert all(type(s) is float for s in v.scores.values())
    assert winner_of((1, 4, 2), ("closed",), TIES, OUTCOMES) == "hybrid"


def test_sums_for_other_outcomes_are_refused_not_cut_short() -> None:
    with pytest.raises(ValueError, match="zip"):
        decide([1.0, 2.0, 3.0, 4.0], (), TIES, OUTCOMES)


def test_scores_and_margin_are_rounded_to_6_decimals() -> None:
    v = decide({"open": 0.1234564, "closed": 0.0, "hybrid": 0.0}, (), TIES, OUTCOMES)
    assert v is not None
    assert v.scores["open"] == 0.123456 and v.margin == 0.123456
    w = decide([1.0000004, 1.0, 0.0], (), TIES, OUTCOMES)
    assert w is not None and w.winner == "open"  # 1.0000004 rounds to 1.0: a tie, open first
    assert w.margin == 0.0 and w.confidence == 0.0


def test_confidence_is_at_most_1_when_the_runner_up_is_negative() -> None:
    v = decide({"open": 2.0, "closed": -3.0, "hybrid": -4.0}, (), TIES, OUTCOMES)
    assert v is not None and v.margin == 5.0 and v.confidence == 1.0
    assert confidence_of(2.0, 5.0) == 1.0 and confidence_of(4.0, 1.0) == 0.25
    assert confidence_of(0.0, 3.0) == 0.0 and confidence_of(-1.0, 1.0) == 0.0


def test_nothing_left_gives_none_and_a_message_naming_the_rules() -> None:
    everything = ("open", "closed", "hybrid")
    assert decide([1.0, 2.0, 3.0], everything, TIES, OUTCOMES) is None
    assert winner_of([1.0, 2.0, 3.0], everything, TIES, OUTCOMES) is None
    err = no_outcome_left("a.yaml", ["r.b", "r.a", "r.b"])
    assert err.message == ("a.yaml: every outcome is excluded for these answers (by r.a, r.b); "
                           "the rule set's hard constraints contradict each other")
    assert err.exit_code == 2


def test_the_mixed_bonus_applies_only_with_mixed_set_and_none_of_its_outcomes_excluded() -> None:
    assert mixed_active(MIXED, ()) is True
    assert mixed_active(MIXED, ("other",)) is True  # an outcome outside mixed does not matter
    for excluded in ("open", "closed", "hybrid"):
        assert mixed_active(MIXED, (excluded,)) is False, excluded
    assert mixed_active(MIXED, ("open", "closed")) is False
    assert mixed_active(TIES, ()) is False  # no decision.mixed


def test_a_middle_outcome_that_won_by_its_bonus_is_measured_by_the_stronger_side() -> None:
    # open 8, closed 8: the middle gains 2 x (8 - 3) = 10 and leads open by 2; the largest
    # lead it could have at this strength is (2 - 1) x 8 = 8: clarity 2 / 8 = 0.25 (its
    # lead over its own score, 2 / 10 = 0.2, would understate a balanced hybrid)
    v = decide({"open": 8.0, "closed": 8.0, "hybrid": 0.0}, (), MIXED, OUTCOMES)
    assert v is not None
    assert (v.winner, v.bonus, v.margin, v.runner_up) == ("hybrid", 10.0, 2.0, "open")
    assert v.confidence == 0.25
    # open 9, closed 8: the middle gains 10 again and leads open by 1; the stronger side
    # sets the scale: (2 - 1) x 9 = 9, clarity 1 / 9
    w = decide({"open": 9.0, "closed": 8.0, "hybrid": 0.0}, (), MIXED, OUTCOMES)
    assert w is not None and (w.winner, w.margin) == ("hybrid", 1.0)
    assert w.confidence == 0.1111


def test_the_clarity_scale_is_the_winners_score_unless_the_middle_gained_a_bonus() -> None:
    bonus = {"open": 8.0, "closed": 9.0, "hybrid": 10.0}
    assert clarity_scale(MIXED, bonus, (), "hybrid") == 9.0  # (2 - 1) x max(8, 9)
    assert clarity_scale(MIXED, bonus, (), "closed") == 9.0  # a side: its own score
    assert clarity_scale(MIXED, {**bonus, "closed": 12.0}, (), "closed") == 12.0
    assert clarity_scale(TIES, bonus, (), "hybrid") == 10.0  # no decision.mixed
    # a side excluded: no bonus, so the middle's own score
    assert clarity_scale(MIXED, bonus, ("open",), "hybrid") == 10.0
    # open at min_points (3): no bonus, however strong closed is, so its own score 12
    assert clarity_scale(MIXED, {"open": 3.0, "closed": 8.0, "hybrid": 12.0}, (),
                         "hybrid") == 12.0


def test_a_hybrid_under_a_weight_of_one_or_less_is_scaled_by_its_own_score() -> None:
    """With weight 0.5 the bonus alone can never beat the stronger side: a hybrid with 5
    points of its own and open 4, closed 4 scores 5 + 0.5 x 4 = 7 and leads by 3, so its
    clarity is 3 / 7 (its own score is the scale), not 0."""
    mixed = Mixed("hybrid", ("open", "closed"), 0.5, 0.0, "b", ())
    decision = Decision(("hybrid", "open", "closed"), mixed)
    scores = {"open": 4.0, "closed": 4.0, "hybrid": 7.0}
    assert clarity_scale(decision, scores, (), "hybrid") == 7.0
    heavy = Decision(("hybrid", "open", "closed"), dataclasses.replace(mixed, weight=1.4))
    assert clarity_scale(heavy, scores, (), "hybrid") == pytest.approx(0.4 * 4.0)


def test_unclear_is_a_tie_or_a_lead_under_min_lead_between_allowed_outcomes() -> None:
    from llmchoice.decide.rule import unclear
    from llmchoice.ruleset.model import Decision

    d = Decision(tie_break=("a", "b"), mixed=None, min_lead=1.0)
    assert unclear(d, 0.0, True)  # a tie
    assert unclear(d, 0.999, True)  # under the lead a single answer moves
    assert not unclear(d, 1.0, True)  # exactly the minimum lead is clear
    assert not unclear(d, 0.0, False)  # one outcome allowed: forced, not close
    assert not unclear(Decision(tie_break=("a", "b"), mixed=None, min_lead=0.5), 0.7, True)
