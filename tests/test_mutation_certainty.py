"""Certainty's edges, each worked out by hand: answers that are all defaults (one outcome
left, a tie, a close call), a rule set with one outcome, clarity exactly on the labels'
bounds, and a forcing constraint whose remaining exclusions still force the winner.

Written to kill the mutants ``.ci/mutation.py certainty`` found alive (docs/testing.md).
"""

from __future__ import annotations

from llmchoice.decide.certainty import certainty, clarity_label
from llmchoice.decide.result import Certainty
from llmchoice.decide.rule import Verdict, decide
from llmchoice.ruleset.model import Decision, Mixed

OUTCOMES = ("open", "closed", "hybrid")
PLAIN = Decision(tie_break=("hybrid", "open", "closed"))
# the middle gains 1.4 x the weaker side
MIXED = Decision(tie_break=("hybrid", "open", "closed"),
                 mixed=Mixed("hybrid", ("open", "closed"), 1.4, 0.0, "both", ()))


def verdict(sums: dict[str, float], excluded: tuple[str, ...] = (),
            decision: Decision = PLAIN) -> Verdict:
    v = decide(sums, excluded, decision, OUTCOMES)
    assert v is not None
    return v


def test_defaults_alone_give_no_verdict_and_name_the_close_pair() -> None:
    # open 5, closed 4: a lead of 1 (enough for a verdict from real answers) of 5
    sums = {"open": 5.0, "closed": 4.0, "hybrid": 0.0}
    v = verdict(sums)
    assert certainty(v, sums, (), PLAIN, OUTCOMES) == Certainty("scores", 0.2, "moderate")
    assert certainty(v, sums, (), PLAIN, OUTCOMES, defaults=True) == \
        Certainty("defaults", 0.2, "none", close=("open", "closed"))


def test_defaults_alone_that_tie_name_the_tied_pair() -> None:
    sums = {"open": 4.0, "closed": 4.0, "hybrid": 0.0}
    v = verdict(sums)
    assert certainty(v, sums, (), PLAIN, OUTCOMES, defaults=True) == \
        Certainty("defaults", 0.0, "none", tied=("open", "closed"))


def test_defaults_alone_with_one_outcome_left_name_no_pair_and_no_constraint() -> None:
    # the defaults' answers exclude closed and hybrid: still no basis for a verdict
    sums = {"open": 1.0, "closed": 8.0, "hybrid": 0.0}
    v = verdict(sums, ("closed", "hybrid"))
    assert (v.winner, v.runner_up, v.confidence) == ("open", None, 1.0)
    exclusions = (("closed", "wall"), ("hybrid", "wall"))
    assert certainty(v, sums, exclusions, PLAIN, OUTCOMES, defaults=True) == \
        Certainty("defaults", 1.0, "none")


def test_a_rule_set_with_one_outcome_reads_high_on_its_scores() -> None:
    # nothing excluded and nothing else to win: margin 0, clarity 1, not a tie
    one = Decision(tie_break=("open",))
    v = decide({"open": 3.0}, (), one, ("open",))
    assert v is not None and (v.winner, v.margin, v.confidence, v.runner_up) == \
        ("open", 0.0, 1.0, None)
    assert certainty(v, {"open": 3.0}, (), one, ("open",)) == Certainty("scores", 1.0, "high")
    assert certainty(v, {"open": 3.0}, (), one, ("open",), flips=True) == \
        Certainty("scores", 1.0, "moderate")


def test_clarity_exactly_on_a_bound_takes_the_higher_label() -> None:
    assert clarity_label(0.5) == "high" and clarity_label(0.4999) == "moderate"
    assert clarity_label(0.2) == "moderate" and clarity_label(0.1999) == "low"
    # open 10, closed 5: a lead of 5 of 10, exactly 0.5
    sums = {"open": 10.0, "closed": 5.0, "hybrid": 0.0}
    assert certainty(verdict(sums), sums, (), PLAIN, OUTCOMES) == \
        Certainty("scores", 0.5, "high")


def test_when_the_other_exclusions_still_force_the_winner_every_rule_is_dropped() -> None:
    # wall alone excludes closed and hybrid; no-api excludes closed and no-staff hybrid.
    # Dropping wall alone still leaves only open, so all three are the constraint, and
    # without any: open 5, closed 8, hybrid 1.4 x 5 = 7: closed by 1 of its 8, 0.125.
    sums = {"open": 5.0, "closed": 8.0, "hybrid": 0.0}
    exclusions = (("closed", "wall"), ("hybrid", "wall"), ("closed", "no-api"),
                  ("hybrid", "no-staff"))
    v = verdict(sums, ("closed", "hybrid"), MIXED)
    assert certainty(v, sums, exclusions, MIXED, OUTCOMES) == \
        Certainty("constraint", 1.0, "forced", constraints=("wall", "no-api", "no-staff"),
                  unconstrained_clarity=0.125, unconstrained_winner="closed",
                  unconstrained_margin=1.0, unconstrained_runner_up="hybrid",
                  unconstrained_scores=(("open", 5.0), ("closed", 8.0), ("hybrid", 7.0)))
    # the rules are named once each, in the order they fired
    twice = (("closed", "no-api"), *exclusions)
    assert certainty(v, sums, twice, MIXED, OUTCOMES).constraints == \
        ("no-api", "wall", "no-staff")
