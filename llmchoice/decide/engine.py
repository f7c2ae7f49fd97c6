"""The engine: a pure function of (rule set, answers) -> Result.

How a recommendation is made (also documented in ``docs/scoring.md``):

1. Every rule whose ``when`` is true *fires*; one whose ``when`` needs an
   unanswered optional question is *skipped* and listed, never guessed.
2. Hard constraints first: a fired rule's ``exclude`` rules an outcome out.
   Excluded outcomes cannot win, whatever their score.
3. Each outcome's score is the sum of the points fired rules give it.
Steps 4 to 6 are :func:`llmchoice.decide.rule.decide`, the one decision rule every
evaluator calls.

4. Mixed needs: if the rule set's ``decision.mixed`` is set (the default rule
   set sets it for hybrid between open and closed), the middle outcome gains
   ``weight x (min(score[a], score[b]) - min_points)`` when that is positive:
   the more both sides are needed, the stronger the case for combining them.
   The bonus is continuous and never falls faster than the weaker side, so
   moving an answer toward one side never hands the win to the other side.
5. The winner is the highest-scoring outcome that is not excluded; exact ties
   break by ``decision.tie_break`` order.
6. Confidence = (winner's score - best other allowed score) / winner's score:
   the winner's lead as a share of its own score, in [0, 1]. 0 is a tie, 1
   means no other allowed outcome scored anything. A hybrid won by mixed needs
   is a balanced call by nature, so its confidence stays below
   1 - 1/weight (0.29 for the default weight 1.4). If hard constraints leave a
   single outcome, confidence is 1.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from llmchoice.answers.validate import applicable
from llmchoice.decide.result import (
    Contribution,
    Exclusion,
    Result,
    RuleSetInfo,
    Skipped,
    WhatIf,
)
from llmchoice.decide.rule import (
    MIXED_RULE_ID,
    NoOutcomeLeft,
    confidence_of,
    decide,
    no_outcome_left,
)
from llmchoice.ruleset.conditions import Answer, Test, leaves
from llmchoice.ruleset.model import Question, RuleSet


@dataclass(frozen=True, slots=True)
class Scored:
    """The part of a Result that one evaluation produces (what-if needs many of these)."""

    scores: dict[str, float]
    contributions: tuple[Contribution, ...]
    excluded: tuple[Exclusion, ...]
    skipped: tuple[Skipped, ...]
    fired: tuple[str, ...]
    winner: str
    margin: float
    confidence: float


def score(rs: RuleSet, answers: Mapping[str, Answer]) -> Scored:
    """Weigh validated answers: fire rules, apply constraints, sum, decide."""
    scores = dict.fromkeys(rs.outcome_ids, 0.0)
    contributions: list[Contribution] = []
    excluded: list[Exclusion] = []
    skipped: list[Skipped] = []
    fired: list[str] = []
    for rule in rs.rules:
        state = rule.when.evaluate(answers)
        if state is None:
            missing = tuple(sorted(q for q in rule.when.questions() if q not in answers))
            skipped.append(Skipped(rule.id, missing, rule.line))
            continue
        if not state:
            continue
        fired.append(rule.id)
        for outcome in rule.exclude:
            if outcome not in {e.outcome for e in excluded}:
                excluded.append(Exclusion(outcome, rule.id, rule.because, rule.cites, rule.line))
        if rule.points:
            for outcome, pts in rule.points:
                scores[outcome] += pts
                contributions.append(
                    Contribution(rule.id, outcome, pts, rule.because, rule.cites, rule.line))
    v = decide(scores, {e.outcome for e in excluded}, rs.decision, rs.outcome_ids)
    if v is None:
        raise no_outcome_left(rs.source, (e.rule for e in excluded))
    if v.bonus:
        mixed = rs.decision.mixed
        assert mixed is not None
        contributions.append(Contribution(MIXED_RULE_ID, mixed.outcome, v.bonus,
                                          mixed.because, mixed.cites, None))
    return Scored(dict(v.scores), tuple(contributions), tuple(excluded), tuple(skipped),
                  tuple(fired), v.winner, v.margin, v.confidence)


def _thresholds(rs: RuleSet, qid: str) -> list[float]:
    found: set[float] = set()
    for cond in [r.when for r in rs.rules] + [s.when for s in rs.scenarios]:
        for leaf in leaves(cond):
            if leaf.question == qid and leaf.op in ("eq", "lt", "lte", "gt", "gte"):
                found.add(float(leaf.value))  # type: ignore[arg-type]
    return sorted(found)


def alternatives(rs: RuleSet, q: Question, current: Answer | None) -> list[Answer]:
    """Representative other answers to one question, for what-if and sensitivity."""
    if q.type == "choice":
        return [v for v in q.values if v != current]
    if q.type == "confirm":
        return [v for v in (True, False) if v != current]
    if q.type == "multi":
        have = set(current) if isinstance(current, tuple) else set()
        out: list[Answer] = []
        for v in q.values:
            toggled = have ^ {v}
            out.append(tuple(x for x in q.values if x in toggled))
        return out
    cuts = _thresholds(rs, q.id)
    if not cuts:
        return []
    reps: list[float] = []
    for i, t in enumerate(cuts):
        reps.append(t)
        if i + 1 < len(cuts):
            reps.append((t + cuts[i + 1]) / 2)
    reps.insert(0, cuts[0] / 2 if cuts[0] > 0 else cuts[0] - 1)
    reps.append(cuts[-1] * 2 if cuts[-1] > 0 else cuts[-1] + 1)
    lo, hi = q.minimum, q.maximum
    values: list[Answer] = []
    for r in reps:
        if (lo is not None and r < lo) or (hi is not None and r > hi) or r == current:
            continue
        rep: Answer = int(r) if float(r).is_integer() else r
        if rep not in values:
            values.append(rep)
    return values


def with_answer(rs: RuleSet, answers: Mapping[str, Answer], qid: str,
                value: Answer | None) -> dict[str, Answer]:
    """Answers with one changed, dropping answers whose question stops applying."""
    changed: dict[str, Answer] = dict(answers)
    if value is None:
        changed.pop(qid, None)
    else:
        changed[qid] = value
    out: dict[str, Answer] = {}
    for q in rs.questions:
        if q.id in changed and applicable(q, out):
            out[q.id] = changed[q.id]
    return out


class _Verdict(Protocol):
    @property
    def winner(self) -> str: ...
    @property
    def margin(self) -> float: ...


def what_if(rs: RuleSet, answers: Mapping[str, Answer], winner: str, *,
            decide: Callable[[Mapping[str, Answer]], _Verdict] | None = None,
            ) -> tuple[WhatIf, ...]:
    """Every single-answer change (over representative values) that changes the winner.

    ``decide`` weighs one changed answer set (default: :func:`score`); the compiled rule
    set passes its own, faster one.
    """
    weigh = decide if decide is not None else (lambda a: score(rs, a))
    found: list[tuple[float, int, int, WhatIf]] = []
    for qi, q in enumerate(rs.questions):
        if not applicable(q, answers):
            continue
        current = answers.get(q.id)
        for vi, value in enumerate(alternatives(rs, q, current)):
            changed = with_answer(rs, answers, q.id, value)
            try:
                s = weigh(changed)
            except NoOutcomeLeft:
                continue
            if s.winner != winner:
                found.append((-s.margin, qi, vi,
                              WhatIf(q.id, current, value, s.winner, s.margin)))
    found.sort(key=lambda t: (t[0], t[1], t[2]))
    return tuple(w for *_, w in found)


def pick_scenario(rs: RuleSet, answers: Mapping[str, Answer],
                  winner: str) -> tuple[str | None, str]:
    for sc in rs.scenarios:
        if winner in sc.recommendation and sc.when.evaluate(answers) is True:
            return sc.id, sc.because
    return None, ""


def evaluate(rs: RuleSet, answers: Mapping[str, Answer], *,
             not_applicable: tuple[str, ...] = ()) -> Result:
    """Weigh answers (already validated) with a rule set. Pure: no I/O, no globals."""
    s = score(rs, answers)
    scenario, because = pick_scenario(rs, answers, s.winner)
    return Result(
        recommendation=s.winner,
        scores=s.scores,
        confidence=s.confidence,
        answers=dict(answers),
        contributions=s.contributions,
        excluded=s.excluded,
        skipped=s.skipped,
        fired=s.fired,
        what_if=what_if(rs, answers, s.winner),
        scenario=scenario,
        scenario_because=because,
        ruleset=RuleSetInfo(rs.meta.id, rs.meta.version, rs.sha256, rs.source),
        not_applicable=not_applicable,
    )


__all__ = ["MIXED_RULE_ID", "NoOutcomeLeft", "Scored", "Test", "alternatives", "confidence_of",
           "evaluate", "score", "what_if"]
