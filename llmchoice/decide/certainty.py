"""How far a verdict can be trusted: its basis, clarity and label, computed once, here.

:func:`certainty` reads the verdict of :func:`llmchoice.decide.rule.decide` (whose
``confidence`` is the clarity: the winner's lead over its scale, step 4 there) and adds:

- **basis**: ``defaults`` when every answer weighed came from the questions' defaults
  (``defaults``: nobody answered anything, so there is no basis for a verdict, whatever
  the scores or constraints say); else ``constraint`` when the exclusions left exactly one
  outcome (and at least one was excluded); else ``tie`` when the margin is 0; else
  ``too_close`` when the margin is below ``decision.min_lead`` (default 1: less than any
  single answer moves); else ``scores``.
- **label**: ``forced`` for a constraint; ``none`` for a tie, too close a call or
  defaults alone; else ``high`` (clarity >= 0.5), ``moderate`` (>= 0.2) or ``low``.
  ``high`` is kept only when no single preference change flips the verdict (``flips``
  false: no what-if is a weighing; a change whose new answer makes a fired rule exclude
  the winner is a hard requirement, not a preference, and does not count); a verdict one
  preference answer overturns reads ``moderate`` at most, whatever its lead.
- **the forcing constraint** (basis constraint): the rules that alone leave the single
  outcome (each excludes every other one); when no rule does that alone, all the
  excluding rules together. The verdict *without the constraint* drops only their
  exclusions and keeps the others (a team without ML staff still cannot have a hybrid
  when data on premises forces open), through the same :func:`decide`:
  ``unconstrained_winner``, its lead in points (``unconstrained_margin``) and its clarity
  (``unconstrained_clarity``). If the remaining exclusions still left a single outcome,
  every exclusion is dropped.
- **tied** (tie): the two tied outcomes; **close** (too close): the winner and the
  runner-up; defaults alone fill one of them the same way (``tied`` for a tie, else
  ``close``) when a runner-up is allowed. The engine adds the runner-up's path
  (``alternative``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from llmchoice.decide.result import Certainty
from llmchoice.decide.rule import Verdict, decide
from llmchoice.ruleset.model import Decision

HIGH = 0.5
MODERATE = 0.2
DEFAULT_MIN_LEAD = 1.0
FORCED = "forced"
DEFAULTS = "defaults"  # the basis when every answer weighed is a question's default


def clarity_label(clarity: float) -> str:
    """``high`` (>= 0.5), ``moderate`` (>= 0.2) or ``low``."""
    if clarity >= HIGH:
        return "high"
    if clarity >= MODERATE:
        return "moderate"
    return "low"


def min_lead_of(decision: Decision) -> float:
    """``decision.min_lead`` (default 1: less than any single answer moves)."""
    return decision.min_lead


def forcing_rules(exclusions: Sequence[tuple[str, str]], outcomes: Sequence[str],
                  winner: str) -> tuple[str, ...]:
    """The rules that force ``winner``: those that alone exclude every other outcome, or,
    when none does, every rule in ``exclusions`` ((outcome, rule id) pairs), in order."""
    by_rule: dict[str, set[str]] = {}
    for outcome, rule in exclusions:
        by_rule.setdefault(rule, set()).add(outcome)
    others = set(outcomes) - {winner}
    alone = tuple(r for r, out in by_rule.items() if others <= out)
    return alone or tuple(by_rule)


def _forced(verdict: Verdict, sums: Mapping[str, float] | Sequence[float],
            exclusions: Sequence[tuple[str, str]], decision: Decision,
            outcomes: Sequence[str]) -> Certainty:
    rules = forcing_rules(exclusions, outcomes, verdict.winner)
    kept = {o for o, r in exclusions if r not in rules}
    free = decide(sums, kept, decision, outcomes)
    if free is None or free.runner_up is None:  # the others force it too: drop them all
        rules = tuple(dict.fromkeys(r for _, r in exclusions))
        free = decide(sums, (), decision, outcomes)
    assert free is not None and free.runner_up is not None  # nothing excluded: all allowed
    return Certainty("constraint", verdict.confidence, FORCED, constraints=rules,
                     unconstrained_clarity=free.confidence,
                     unconstrained_winner=free.winner, unconstrained_margin=free.margin,
                     unconstrained_runner_up=free.runner_up,
                     unconstrained_scores=tuple(free.scores.items()))


def certainty(verdict: Verdict, sums: Mapping[str, float] | Sequence[float],
              exclusions: Sequence[tuple[str, str]], decision: Decision,
              outcomes: Sequence[str], *, flips: bool = False,
              defaults: bool = False) -> Certainty:
    """The certainty of ``verdict``, the verdict of :func:`decide` for ``sums`` (before the
    mixed bonus) with ``exclusions`` ((outcome, rule id) pairs: every outcome each fired
    rule excludes, in rule order) ruled out. ``flips``: some single preference change
    gives another verdict (caps the label at ``moderate``). ``defaults``: every answer
    weighed is a question's default (basis ``defaults``)."""
    clarity = verdict.confidence
    if defaults:
        if verdict.runner_up is None:
            return Certainty(DEFAULTS, clarity, "none")
        pair = (verdict.winner, verdict.runner_up)
        if verdict.margin == 0:
            return Certainty(DEFAULTS, clarity, "none", tied=pair)
        return Certainty(DEFAULTS, clarity, "none", close=pair)
    if verdict.runner_up is None:  # one outcome left
        if exclusions:
            return _forced(verdict, sums, exclusions, decision, outcomes)
        return Certainty("scores", clarity, _label(clarity, flips))
    pair = (verdict.winner, verdict.runner_up)
    if verdict.margin == 0:
        return Certainty("tie", clarity, "none", tied=pair)
    if verdict.margin < min_lead_of(decision):
        return Certainty("too_close", clarity, "none", close=pair)
    return Certainty("scores", clarity, _label(clarity, flips))


def _label(clarity: float, flips: bool) -> str:
    label = clarity_label(clarity)
    return "moderate" if label == "high" and flips else label


__all__ = ["DEFAULTS", "DEFAULT_MIN_LEAD", "FORCED", "HIGH", "MODERATE", "certainty",
           "clarity_label", "forcing_rules", "min_lead_of"]
