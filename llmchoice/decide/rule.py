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
4. Margin = winner's score - best other allowed score (rounded to 6 decimals).
   Clarity (the verdict's ``confidence``) = margin / scale, clamped to [0, 1] and rounded
   to 4 decimals, 0 when the scale is not positive. The scale is the largest lead the
   winner could have at its strength: its own score, except for the middle outcome when
   it gained the mixed-needs bonus (step 1): scoring ``weight`` x the weaker side, at best
   (both sides equal) it leads the stronger side by ``(weight - 1) x max(score[a],
   score[b])``, its scale. So a balanced hybrid can read
   as clear as a side winner (before, its confidence stayed below 1 - 1/weight), and a
   side winner's clarity is its lead as a share of its score, as before. A single allowed
   outcome has margin 0 and clarity 1 (nothing else can win; see
   :mod:`llmchoice.decide.certainty` for how the needs split without the constraint).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from itertools import repeat
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
    confidence: float  # the clarity (step 4)
    bonus: float  # the mixed-needs bonus the middle outcome gained (0.0 for none)
    runner_up: str | None  # the best other allowed outcome (None when only one is allowed)


def confidence_of(top: float, margin: float) -> float:
    """The winner's lead as a share of ``top`` (its scale), in [0, 1] (0 when ``top`` is
    not positive)."""
    if top <= 0:
        return 0.0
    return min(1.0, max(0.0, margin / top))


def mixed_active(decision: Decision, excluded: Collection[str]) -> bool:
    """Whether the mixed-needs bonus applies: ``decision.mixed`` is set and none of its
    three outcomes is excluded."""
    mixed = decision.mixed
    return mixed is not None and mixed.outcome not in excluded and \
        mixed.between[0] not in excluded and mixed.between[1] not in excluded


def clarity_scale(decision: Decision, scores: Mapping[str, float], excluded: Collection[str],
                  winner: str) -> float:
    """The scale of step 4: the winner's score, or for the middle outcome of an active
    ``decision.mixed`` with a weight above 1 that gained a bonus, ``(weight - 1) x`` the
    stronger side's score (with a weight of 1 or less the bonus alone can never beat the
    stronger side, so such a hybrid leads by its own points: its own score is the scale)."""
    mixed = decision.mixed
    if mixed is not None and mixed.weight > 1 and winner == mixed.outcome and \
            mixed_active(decision, excluded) and \
            mixed.bonus(scores[mixed.between[0]], scores[mixed.between[1]]):
        a, b = mixed.between
        return (mixed.weight - 1) * max(scores[a], scores[b])
    return scores[winner]


def unclear(decision: Decision, margin: float, contested: bool) -> bool:
    """No clear verdict: a tie or a lead under ``decision.min_lead`` while more than one
    outcome is allowed (``contested``; a single allowed outcome has margin 0 too, but it is
    forced, not close)."""
    return contested and margin < decision.min_lead


def breaks_tie(decision: Decision, first: str, second: str) -> bool:
    """Whether ``first`` wins an exact tie with ``second`` (``decision.tie_break`` order, as
    :func:`decide` ranks)."""
    order = decision.tie_break
    return order.index(first) < order.index(second)


def mixed_bends(decision: Decision, sums: Mapping[str, float], excluded: Collection[str],
                outcome: str) -> list[float]:
    """The sums of ``outcome`` at which the mixed-needs bonus bends, the other sums staying
    at ``sums`` (before the bonus): where the two sides cross and where the weaker side
    crosses ``min_points`` or zero. Empty when ``outcome`` is not a side or the bonus is
    off (no ``mixed``, or one of its outcomes excluded)."""
    mixed = decision.mixed
    if mixed is None or outcome not in mixed.between or \
            any(o in excluded for o in (*mixed.between, mixed.outcome)):
        return []
    other = mixed.between[1] if outcome == mixed.between[0] else mixed.between[0]
    return [sums[other], mixed.min_points, 0.0]


def decide(sums: Mapping[str, float] | Sequence[float], excluded: Collection[str],
           decision: Decision, outcomes: Sequence[str]) -> Verdict | None:
    """The verdict for each outcome's summed points (a mapping by outcome id, or a sequence
    in ``outcomes`` order) with ``excluded`` outcomes ruled out; None when nothing is left
    (the caller raises :func:`no_outcome_left` with what it knows of the rules)."""
    scores, ranked, bonus = _ranked(sums, excluded, decision, outcomes)
    if not ranked:
        return None
    top, winner = -ranked[0][0], ranked[0][2]
    if len(ranked) == 1:
        margin, confidence, runner_up = 0.0, 1.0, None
    else:
        margin, runner_up = top + ranked[1][0], ranked[1][2]
        scale = clarity_scale(decision, scores, excluded, winner) if bonus else top
        confidence = confidence_of(scale, margin)
    return Verdict(MappingProxyType(scores), winner, round(margin, 6), round(confidence, 4),
                   bonus, runner_up)


def winner_of(sums: Mapping[str, float] | Sequence[float], excluded: Collection[str],
              decision: Decision, outcomes: Sequence[str]) -> str | None:
    """Only the winner of :func:`decide` (the same steps, without margin and clarity):
    for callers that decide many perturbed sums, such as robustness."""
    ranked = _ranked(sums, excluded, decision, outcomes)[1]
    return ranked[0][2] if ranked else None


def _ranked(sums: Mapping[str, float] | Sequence[float], excluded: Collection[str],
            decision: Decision, outcomes: Sequence[str],
            ) -> tuple[dict[str, float], list[tuple[float, int, str]], float]:
    """Steps 1-3: the scores after the bonus and rounding, the allowed outcomes ranked as
    (-score, tie-break position, outcome), best first, and the bonus."""
    if type(sums) is list:  # the evaluators' own sums: already floats
        values = sums.copy()
    elif not isinstance(sums, Mapping):
        values = list(map(float, sums))
    else:
        values = list(map(float, map(sums.__getitem__, outcomes)))
    bonus = 0.0
    mixed = decision.mixed
    if mixed is not None and mixed.outcome not in excluded and \
            mixed.between[0] not in excluded and mixed.between[1] not in excluded:
        bonus = mixed.bonus(values[outcomes.index(mixed.between[0])],
                            values[outcomes.index(mixed.between[1])])
        if bonus:
            values[outcomes.index(mixed.outcome)] += bonus
    scores = dict(zip(outcomes, map(round, values, repeat(6)), strict=True))
    # the highest score first; exact ties by tie_break order
    ranked = sorted([(-scores[o], n, o) for n, o in enumerate(decision.tie_break)
                     if o not in excluded])
    return scores, ranked, bonus


__all__ = ["MIXED_RULE_ID", "NoOutcomeLeft", "Verdict", "breaks_tie", "clarity_scale",
           "confidence_of", "decide", "mixed_active", "mixed_bends", "no_outcome_left",
           "unclear", "winner_of"]
