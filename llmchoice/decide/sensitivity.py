"""How firmly the winner holds when rule points change: weight sensitivity and robustness.

Definitions (also in ``docs/explain.md``):

- **Weight sensitivity** (after Triantaphyllou's sensitivity analysis of
  weighted-sum decisions): for every fired rule and every outcome it gives
  points, the smallest change of those points, in steps of
  :data:`RESOLUTION`, that changes the winner. It is reported only within the
  plausible range: a change of at most :data:`PLAUSIBLE_CHANGE` (100%) of the
  rule's points, that is from zero to double. Changes are ranked by their
  relative size (Triantaphyllou's criticality degree), then absolute size.
- **Robustness**: the share of :data:`ROBUSTNESS_SAMPLES` random perturbations
  that keep the winner. Each adds to every point of every fired rule (the only
  ones that count) an independent amount drawn uniformly from -:data:`PERTURBATION`
  to +:data:`PERTURBATION` (0.5 point), and to the weight of ``decision.mixed``
  one drawn uniformly from -:data:`WEIGHT_PERTURBATION` to +:data:`WEIGHT_PERTURBATION`
  (0.2), with a fixed seed, so the same answers always give the same figure.

  Why these ranges: rule points are written on a 1/2/3 scale (a lean, a clear pull, a
  defining strength), so an author's judgement is uncertain by about half a step, 0.5
  point, whatever the rule's size (a multiplicative ±20 % moved a 1-point lean by only
  0.2 and never questioned a weight of 3 against 2). The mixed weight decides every
  hybrid-against-side call; ±0.2 around the default 1.4 spans hybrid winning when the
  weaker side has from 5/8 to 5/6 of the stronger side's points, the range in which a
  reasonable author could have set it. A verdict that only a small change of that weight
  flips is not robust, and is no longer reported so.

Every winner here comes from the one decision rule,
:func:`llmchoice.decide.rule.decide`: its winner alone, :func:`~llmchoice.decide.rule.winner_of`,
on perturbed sums (robustness), or
on the fired rules' sums with one rule's points changed (sensitivity).
"""

from __future__ import annotations

import dataclasses
import math

# The Mersenne Twister of the random module without the module (0.4 ms of start-up for
# bisect, hashlib's sha512 and the distributions): random.Random(seed) seeds its C base
# class with an int seed as it is, so the draws are the same (tests/test_robustness.py).
from _random import Random
from collections.abc import Callable

from llmchoice.decide.result import Result
from llmchoice.decide.rule import (
    MIXED_RULE_ID,
    Verdict,
    breaks_tie,
    decide,
    mixed_active,
    mixed_bends,
    winner_of,
)
from llmchoice.decide.words import label as _label
from llmchoice.decide.words import num as _num
from llmchoice.decide.words import num_toward
from llmchoice.decide.words import points as _points
from llmchoice.frozen import frozen
from llmchoice.ruleset.model import RuleSet

ROBUSTNESS_SAMPLES = 400
ROBUSTNESS_SEED = 20240
PERTURBATION = 0.5  # points added or taken, at most, on each rule's points (half a step)
WEIGHT_PERTURBATION = 0.2  # added or taken, at most, on decision.mixed's weight
PLAUSIBLE_CHANGE = 1.0
RESOLUTION = 0.01


@frozen
class WeightFlip:
    rule: str
    line: int | None
    outcome: str
    points: float  # what the rule gives the outcome now
    threshold: float  # the points at which the winner changes (or just past it, if beyond)
    beyond: bool  # the points must pass the threshold, not only reach it (a tie keeps it)
    to: float  # the smallest points on a RESOLUTION grid that change the winner (verified)
    change: float  # to - points
    relative: float  # |threshold - points| / |points|: Triantaphyllou's criticality degree
    recommendation: str
    sentence: str


@frozen
class Robustness:
    share: float
    kept: int
    samples: int
    seed: int
    perturbation: float  # the most points added to or taken from each rule's points
    weight_perturbation: float  # the most added to or taken from the mixed weight (0: none)
    others: tuple[tuple[str, float], ...]  # other winners and their shares, most frequent first
    reading: str



# --------------------------------------------------------------------------- re-scoring


def base_scores(result: Result) -> dict[str, float]:
    """Scores before the decision.mixed bonus."""
    base = dict.fromkeys(result.scores, 0.0)
    for c in result.contributions:
        if c.rule != MIXED_RULE_ID:
            base[c.outcome] = base.get(c.outcome, 0.0) + c.points
    return base


class _Rescorer:
    """Scores the answers with one fired rule's points for one outcome changed.

    The answers stay fixed, so the fired rules and the exclusions do too: a change of
    one rule's points for one outcome moves that outcome's sum by the difference and no
    other, and :func:`llmchoice.decide.rule.decide` makes the verdict of the moved sums.
    So each call costs one decision, not a re-scoring of every rule (the rule set may have
    up to :data:`~llmchoice.ruleset.limits.MAX_RULES` rules, all fired)."""

    def __init__(self, rs: RuleSet, result: Result) -> None:
        fired = set(result.fired)
        self.rs = rs
        self.rules = tuple(r for r in rs.rules if r.id in fired)
        self.outcomes = rs.outcome_ids
        self.excluded = {e.outcome for e in result.excluded}
        self.base = base_scores(result)
        self.sums = [self.base.get(o, 0.0) for o in self.outcomes]
        self.calls = 0

    def _verdict(self, index: int, outcome: str, value: float) -> Verdict:
        current = dict(self.rules[index].points)[outcome]
        sums = self.sums.copy()
        at = self.outcomes.index(outcome)
        sums[at] = sums[at] - current + value
        self.calls += 1
        verdict = decide(sums, self.excluded, self.rs.decision, self.outcomes)
        assert verdict is not None  # the same exclusions left the result's winner
        return verdict

    def winner(self, index: int, outcome: str, value: float) -> str:
        return self._verdict(index, outcome, value).winner

    def scores(self, index: int, outcome: str, value: float) -> dict[str, float]:
        return dict(self._verdict(index, outcome, value).scores)


def _kinks(rs: RuleSet, result: Result, outcome: str, sign: int, limit: float,
           base: dict[str, float]) -> list[float]:
    """Where, along a change of ``outcome``'s points (in ``sign``'s direction, up to
    ``limit``), the decision.mixed bonus bends (:func:`llmchoice.decide.rule.mixed_bends`);
    ``base``: :func:`base_scores` of ``result``."""
    bends = mixed_bends(rs.decision, base, {e.outcome for e in result.excluded}, outcome)
    return sorted({x for x in ((b - base[outcome]) * sign for b in bends) if 0 < x < limit})


def _first_flip(winner_at: Callable[[float], str], scores_at: Callable[[float], dict[str, float]],
                winner: str, allowed: list[str], wins_tie_of: Callable[[str], bool],
                kinks: list[float], limit: float) -> tuple[float, bool] | None:
    """The smallest step ``x`` in (0, limit] at which the winner changes, and whether the change
    needs strictly more than ``x``. Scores are linear between kinks: two evaluations per piece
    give each line exactly, and the engine itself is asked at every kink."""
    bounds = [0.0, *kinks, limit]
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        if lo > 0 and winner_at(lo) != winner:
            return lo, False
        x1, x2 = lo + (hi - lo) / 3, lo + 2 * (hi - lo) / 3
        s1, s2 = scores_at(x1), scores_at(x2)
        best: tuple[float, bool] | None = None
        for o in allowed:
            if o == winner:
                continue
            g1 = s1[o] - s1[winner]
            slope = ((s2[o] - s2[winner]) - g1) / (x2 - x1)
            wins_tie = wins_tie_of(o)
            cand: tuple[float, bool] | None = None
            if abs(slope) < 1e-12:
                if g1 > 1e-9 or (abs(g1) <= 1e-9 and wins_tie):
                    cand = (lo, True)
            else:
                cross = x1 - g1 / slope
                if slope > 0:
                    cand = (max(cross, lo), cross <= lo + 1e-9 or not wins_tie)
                elif cross > lo + 1e-9:
                    cand = (lo, True)
            if cand is not None and cand[0] <= hi and (best is None or cand[0] < best[0]):
                best = cand
        if best is not None:
            return best
    if limit > 0 and winner_at(limit) != winner:
        return limit, False
    return None


def _flip(rescorer: _Rescorer, rs: RuleSet, result: Result, index: int, outcome: str,
          sign: int) -> tuple[float, float, bool, str] | None:
    """The smallest change in one direction, at most the plausible limit, that changes the
    winner: (threshold, applied change, whether the threshold must be passed, new winner).
    The applied change is a multiple of RESOLUTION verified by re-scoring: it changes the
    winner, and one RESOLUTION less does not."""
    rule = rescorer.rules[index]
    current = dict(rule.points)[outcome]
    limit = abs(current) * PLAUSIBLE_CHANGE
    winner = result.recommendation
    out_ = {e.outcome for e in result.excluded}
    allowed = [o for o in rs.decision.tie_break if o not in out_]

    def value(x: float) -> float:
        return round(current + sign * x, 9)

    def winner_at(x: float) -> str:
        return rescorer.winner(index, outcome, value(x))

    def scores_at(x: float) -> dict[str, float]:
        return rescorer.scores(index, outcome, value(x))

    def wins_tie(o: str) -> bool:
        return breaks_tie(rs.decision, o, winner)

    found = _first_flip(winner_at, scores_at, winner, allowed, wins_tie,
                        _kinks(rs, result, outcome, sign, limit, rescorer.base), limit)
    if found is None:
        return None
    threshold, beyond = found
    steps = math.ceil(round(threshold / RESOLUTION, 6))
    if beyond and abs(steps * RESOLUTION - threshold) < 1e-9:
        steps += 1
    planned = steps
    top = math.floor(round(limit / RESOLUTION, 6))
    while steps <= top and winner_at(steps * RESOLUTION) == winner:
        steps += 1
    if steps > top:
        return None
    while steps > 1 and winner_at((steps - 1) * RESOLUTION) != winner:
        steps -= 1
    x = round(steps * RESOLUTION, 2)
    if steps != planned:  # the lines were off (rounding in a tiny piece): trust the engine
        threshold, beyond = x, False
    return sign * round(threshold, 6), sign * x, beyond, winner_at(x)


def _flip_sentence(rs: RuleSet, rule: str, outcome: str, current: float, threshold: float,
                   change: float, beyond: bool, winner: str) -> str:
    up = change > 0
    then = f"the recommendation would be {_label(rs, winner)}."
    if beyond and abs(threshold) < RESOLUTION / 2:  # any change in this direction flips it
        return (f"If rule {rule} gave {_label(rs, outcome)} any {'more' if up else 'less'} "
                f"than its {_points(current)}, {then}")
    # A figure that does flip it: the limit rounded toward the change (1.145 going up reads
    # 1.15, never 1.14); when a tie keeps the winner, "less than" a limit on the 0.01 grid
    # (3.5), else the first figure past it on the grid ("1.85 points or less" for 1.857).
    limit = current + threshold
    on_grid = abs(round(limit, 2) - limit) < 1e-9
    shown = _num(current + change) if beyond and not on_grid else num_toward(limit, up)
    amount = f"{shown} point{'' if shown in ('1', '-1') else 's'}"
    if beyond and on_grid:
        amount = f"{'more' if up else 'less'} than {amount}"
    elif beyond:
        amount += f" or {'more' if up else 'less'}"
    relative = abs(threshold) / abs(current)
    return (f"If rule {rule} gave {_label(rs, outcome)} {amount} instead of {_num(current)} "
            f"({'+' if up else '-'}{relative:.0%}), {then}")


def weight_flips(rs: RuleSet, result: Result) -> tuple[WeightFlip, ...]:
    """For each fired rule and outcome it gives points, the smallest plausible change of those
    points that changes the winner; most critical (smallest relative change) first."""
    if len(rs.outcome_ids) - len({e.outcome for e in result.excluded}) < 2:
        return ()
    rescorer = _Rescorer(rs, result)
    found: list[tuple[float, float, int, WeightFlip]] = []
    for index, rule in enumerate(rescorer.rules):
        for outcome, current in rule.points:
            if current == 0:
                continue
            best: tuple[float, float, bool, str] | None = None
            for sign in (-1, 1):
                got = _flip(rescorer, rs, result, index, outcome, sign)
                if got is not None and (best is None or abs(got[1]) < abs(best[1])):
                    best = got
            if best is None:
                continue
            threshold, change, beyond, new_winner = best
            relative = abs(threshold) / abs(current)
            found.append((relative, abs(change), len(found), WeightFlip(
                rule=rule.id, line=rule.line, outcome=outcome, points=current,
                threshold=round(current + threshold, 6), beyond=beyond,
                to=round(current + change, 2), change=round(change, 2),
                relative=round(relative, 4), recommendation=new_winner,
                sentence=_flip_sentence(rs, rule.id, outcome, current, threshold, change,
                                        beyond, new_winner))))
    found.sort(key=lambda t: t[:3])
    return tuple(f for *_, f in found)


# --------------------------------------------------------------------------- robustness


def _reading(kept: int, samples: int, perturbation: float, weight_perturbation: float,
             others: tuple[tuple[str, float], ...], rs: RuleSet) -> str:
    """One line a reader understands: how many changed weightings kept the winner."""
    share = kept / samples if samples else 1.0
    rival = _label(rs, others[0][0]) if others else ""
    tried = (f"{kept} of {samples} random changes of up to ±{_num(perturbation)} "
             "point on every rule")
    if weight_perturbation:
        tried += f" and ±{_num(weight_perturbation)} on the mixed-needs weight"
    if share >= 0.95:
        return f"Robust: {tried} keep this recommendation."
    if share >= 0.75:
        return f"Fairly robust: {tried} keep it; the rest pick {rival}."
    if share >= 0.5:
        return (f"Fragile: only {tried} keep it; the rest pick {rival} mostly, "
                "so treat that as a real option.")
    return (f"Very fragile: only {tried} keep it, most pick {rival}; "
            "these answers sit on a boundary.")


def robustness(rs: RuleSet, result: Result, *, samples: int = ROBUSTNESS_SAMPLES,
               seed: int = ROBUSTNESS_SEED, perturbation: float = PERTURBATION,
               weight_perturbation: float = WEIGHT_PERTURBATION) -> Robustness:
    """The share of seeded random changes, of up to ±``perturbation`` point on every fired
    rule's points and ±``weight_perturbation`` on the mixed weight, that keep the winner.
    Only fired rules' points are drawn: the others add nothing to any score."""
    rng = Random(seed)
    fired = set(result.fired)
    rules = tuple(r for r in rs.rules if r.id in fired and r.points)
    # The answers stay fixed, so the fired rules and the exclusions do too: each sample
    # adds the perturbed points in the engine's order and asks the one decision rule,
    # without re-evaluating any condition.
    excluded = {e.outcome for e in result.excluded}
    outcomes = rs.outcome_ids
    adds = [(outcomes.index(o), p) for r in rules for o, p in r.points]
    decision, mixed = rs.decision, rs.decision.mixed
    if mixed is None or not mixed_active(decision, excluded):
        weight_perturbation = 0.0  # the weight plays no part
    low, span, draw = -perturbation, 2 * perturbation, rng.random
    w_low, w_span = -weight_perturbation, 2 * weight_perturbation
    kept = 0
    others: dict[str, int] = {}
    for _ in range(samples):
        sums = [0.0] * len(outcomes)
        for o, p in adds:
            sums[o] += p + (low + span * draw())  # rng.uniform(low, -low), inlined
        if mixed is not None and weight_perturbation:
            weight = mixed.weight + (w_low + w_span * draw())
            decision = dataclasses.replace(rs.decision,
                                           mixed=dataclasses.replace(mixed, weight=weight))
        winner = winner_of(sums, excluded, decision, outcomes)
        assert winner is not None  # the same exclusions left the result's winner
        if winner == result.recommendation:
            kept += 1
        else:
            others[winner] = others.get(winner, 0) + 1
    share = round(kept / samples, 4) if samples else 1.0
    ranked = tuple((o, round(n / samples, 4))
                   for o, n in sorted(others.items(), key=lambda t: (-t[1], t[0])))
    return Robustness(share, kept, samples, seed, perturbation, weight_perturbation, ranked,
                      _reading(kept, samples, perturbation, weight_perturbation, ranked, rs))
