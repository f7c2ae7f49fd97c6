"""The decision rule, in one place: from each outcome's summed points to the verdict.

Every caller that turns sums into a winner calls :func:`decide`: the engine
(:func:`llmchoice.decide.engine.score`), the compiled evaluator (once per distinct
packed sum), robustness (once per perturbed sample) and the rule-set analysis
(what the winner would be without one rule). Nothing else applies the mixed-needs
bonus, rounds, ranks or breaks ties. The steps (also in ``docs/scoring.md``):

1. Mixed needs: when ``decision.mixed`` is set and none of its three outcomes is
   excluded, the middle outcome gains :meth:`~llmchoice.ruleset.model.Mixed.bonus`
   of the two sides' sums (the one formula).
2. Every score is rounded to 6 decimals.
3. The winner is the highest-scoring outcome that is not excluded; exact ties
   break by ``decision.tie_break`` order.
4. Margin = winner's score - best other allowed score (rounded to 6 decimals);
   confidence = margin / winner's score, in [0, 1], rounded to 4 decimals (0 when the
   winner scored nothing). A single allowed outcome has margin 0 and confidence 1.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import NamedTuple

from llmchoice.io.errors import LLMChoiceError
from llmchoice.ruleset.model import Decision

MIXED_RULE_ID = "decision.mixed"


class NoOutcomeLeft(LLMChoiceError):  # noqa: N818
    """Every outcome was excluded: the rule set's constraints contradict each other."""


def no_outcome_left(source: str, rules: Iterable[str]) -> NoOutcomeLeft:
    """The error for answers whose exclusions (by ``rules``) leave no outcome."""
    return NoOutcomeLeft(
        f"{source}: every outcome is excluded for these answers (by "
        f"{', '.join(sorted(set(rules)))}); the rule set's hard constraints contradict "
        "each other")


class Verdict(NamedTuple):
    """What :func:`decide` makes of the sums. ``scores`` is read-only (it may be shared)."""

    scores: Mapping[str, float]  # after the mixed bonus and rounding, in outcome order
    winner: str
    margin: float
    confidence: float
    bonus: float  # the mixed-needs bonus the middle outcome gained (0.0 for none)


def confidence_of(top: float, margin: float) -> float:
    """The winner's lead as a share of its own score, in [0, 1] (0 when nothing scored)."""
    if top <= 0:
        return 0.0
    return min(1.0, max(0.0, margin / top))


def decide(sums: Mapping[str, float] | Sequence[float], excluded: Collection[str],
           decision: Decision, outcomes: Sequence[str]) -> Verdict | None:
    """The verdict for each outcome's summed points (a mapping by outcome id, or a sequence
    in ``outcomes`` order) with ``excluded`` outcomes ruled out; None when nothing is left
    (the caller raises :func:`no_outcome_left` with what it knows of the rules)."""
    if isinstance(sums, Mapping):
        values = [float(sums[o]) for o in outcomes]
    else:
        values = [float(s) for s in sums]
    bonus = 0.0
    mixed = decision.mixed
    if mixed is not None and mixed.outcome not in excluded and \
            mixed.between[0] not in excluded and mixed.between[1] not in excluded:
        position = {o: n for n, o in enumerate(outcomes)}
        a, b = mixed.between
        bonus = mixed.bonus(values[position[a]], values[position[b]])
        if bonus:
            values[position[mixed.outcome]] += bonus
    scores = {o: round(v, 6) for o, v in zip(outcomes, values, strict=True)}
    ranked = sorted((-scores[o], n, o) for n, o in enumerate(decision.tie_break)
                    if o not in excluded)
    if not ranked:
        return None
    winner = ranked[0][2]
    if len(ranked) == 1:
        margin, confidence = 0.0, 1.0
    else:
        margin = scores[winner] - scores[ranked[1][2]]
        confidence = confidence_of(scores[winner], margin)
    return Verdict(MappingProxyType(scores), winner, round(margin, 6), round(confidence, 4),
                   bonus)


__all__ = ["MIXED_RULE_ID", "NoOutcomeLeft", "Verdict", "confidence_of", "decide",
           "no_outcome_left"]
