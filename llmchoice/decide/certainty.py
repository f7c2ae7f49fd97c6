"""How far a verdict can be trusted: its basis, clarity and label, computed once, here.

:func:`certainty` reads the verdict of :func:`llmchoice.decide.rule.decide` (whose
``confidence`` is the clarity: the winner's lead over its scale, step 4 there) and adds:

- **basis**: ``constraint`` when the exclusions left exactly one outcome (and at least
  one was excluded); else ``tie`` when the margin is 0; else ``too_close`` when the
  margin is below ``decision.min_lead`` (default 1: less than any single answer moves);
  else ``scores``.
- **label**: ``none`` for a tie or too close a call; else ``high`` (clarity >= 0.5),
  ``moderate`` (>= 0.2) or ``low``. A verdict forced by a constraint has clarity 1
  (nothing else can win); its label describes the *unconstrained clarity*, the clarity of
  the same sums decided with no exclusions (through the same :func:`decide`): how the
  needs split without the constraint.
- **constraints**: the rules whose exclusions left the single outcome (basis constraint);
  **tied**: the two tied outcomes (tie), or the winner and the runner-up (too close).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from llmchoice.decide.result import Certainty
from llmchoice.decide.rule import Verdict, decide
from llmchoice.ruleset.model import Decision

HIGH = 0.5
MODERATE = 0.2
DEFAULT_MIN_LEAD = 1.0


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


def certainty(verdict: Verdict, sums: Mapping[str, float] | Sequence[float],
              exclusions: Sequence[tuple[str, str]], decision: Decision,
              outcomes: Sequence[str]) -> Certainty:
    """The certainty of ``verdict``, the verdict of :func:`decide` for ``sums`` (before the
    mixed bonus) with ``exclusions`` ((outcome, rule id) pairs, in the order the rules
    excluded them) ruled out."""
    clarity = verdict.confidence
    if verdict.runner_up is None:  # one outcome left
        if exclusions:
            free = decide(sums, (), decision, outcomes)
            assert free is not None  # nothing excluded: every outcome is allowed
            rules = tuple(dict.fromkeys(rule for _, rule in exclusions))
            return Certainty("constraint", clarity, clarity_label(free.confidence),
                             constraints=rules, unconstrained_clarity=free.confidence)
        return Certainty("scores", clarity, clarity_label(clarity))
    tied = (verdict.winner, verdict.runner_up)
    if verdict.margin == 0:
        return Certainty("tie", clarity, "none", tied=tied)
    if verdict.margin < min_lead_of(decision):
        return Certainty("too_close", clarity, "none", tied=tied)
    return Certainty("scores", clarity, clarity_label(clarity))


__all__ = ["DEFAULT_MIN_LEAD", "HIGH", "MODERATE", "certainty", "clarity_label", "min_lead_of"]
