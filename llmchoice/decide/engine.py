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
6. Confidence (the clarity) = (winner's score - best other allowed score) / scale,
   in [0, 1]: the winner's lead as a share of its own score, or, for a hybrid won
   by mixed needs, of the largest lead a hybrid can have at that strength,
   (weight - 1) x the stronger side's score. 0 is a tie, 1 means no other
   allowed outcome scored anything (or, for a hybrid, both sides are equal). If
   hard constraints leave a single outcome, confidence is 1;
   :mod:`llmchoice.decide.certainty` says what forced it and how the needs split
   without the constraint.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Mapping
from typing import Protocol

from llmchoice.answers.validate import applicable
from llmchoice.decide.assume import path_assumptions
from llmchoice.decide.assume import plan_assumptions as _plan_assumptions
from llmchoice.decide.certainty import certainty
from llmchoice.decide.result import (
    Certainty,
    ChosenPath,
    Contribution,
    DecidingFact,
    Exclusion,
    PathAssumption,
    Result,
    RuleSetInfo,
    Skipped,
    WhatIf,
)
from llmchoice.decide.rule import (
    MIXED_RULE_ID,
    NoOutcomeLeft,
    Verdict,
    confidence_of,
    decide,
    no_outcome_left,
    unclear,
)
from llmchoice.decide.values import alternatives as alternatives  # re-exported
from llmchoice.decide.values import with_answer as with_answer  # re-exported
from llmchoice.frozen import frozen
from llmchoice.ruleset.conditions import Answer, Test
from llmchoice.ruleset.model import RuleSet


@frozen
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
    return _weigh(rs, answers)[0]


def _weigh(rs: RuleSet, answers: Mapping[str, Answer]) -> tuple[Scored, Verdict, list[float]]:
    """:func:`score`, with the verdict of :func:`decide` and the sums it decided (before the
    mixed bonus, in outcome order), which the certainty reads."""
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
    scored = Scored(dict(v.scores), tuple(contributions), tuple(excluded), tuple(skipped),
                    tuple(fired), v.winner, v.margin, v.confidence)
    return scored, v, list(scores.values())


class _Verdict(Protocol):
    @property
    def winner(self) -> str: ...
    @property
    def margin(self) -> float: ...
    @property
    def excluded(self) -> tuple[Exclusion, ...]: ...


Weigh = Callable[[Mapping[str, Answer]], _Verdict]


def _changes(rs: RuleSet, answers: Mapping[str, Answer], winner: str, weigh: Weigh,
             questions: Collection[str] | None, *, unanswered: bool,
             ) -> list[tuple[float, int, int, WhatIf]]:
    """Every single-answer change (over representative values; with ``unanswered``, also
    leaving an answered question unanswered) of the ``questions`` (None: all) that changes
    the winner, as (-margin, question index, value index, WhatIf)."""
    found: list[tuple[float, int, int, WhatIf]] = []
    most = len(rs.outcome_ids) - 1  # this many excluded: a single outcome, not a tie
    for qi, q in enumerate(rs.questions):
        if (questions is not None and q.id not in questions) or not applicable(q, answers):
            continue
        current = answers.get(q.id)
        values: list[Answer | None] = list(alternatives(rs, q, current))
        if unanswered and current is not None:
            values.append(None)
        for vi, value in enumerate(values):
            changed = with_answer(rs, answers, q.id, value)
            try:
                s = weigh(changed)
            except NoOutcomeLeft:
                continue
            if s.winner != winner:
                found.append((-s.margin, qi, vi, _what_if(rs, q.id, current, value, s,
                                                          winner, most)))
    return found


def _what_if(rs: RuleSet, question: str, current: Answer | None, value: Answer | None,
             s: _Verdict, winner: str, most: int) -> WhatIf:
    """One change that gives another winner: whether the new verdict is a tie or too close
    to call (a single allowed outcome is neither), and whether it is a hard requirement
    (the new answers make a fired rule exclude the current ``winner``)."""
    several = len(s.excluded) < most
    return WhatIf(question, current, value, s.winner, s.margin,
                  tie=s.margin == 0 and several,
                  too_close=s.margin > 0 and unclear(rs.decision, s.margin, several),
                  constraint=any(e.outcome == winner for e in s.excluded))


def what_if(rs: RuleSet, answers: Mapping[str, Answer], winner: str, *,
            decide: Weigh | None = None, levers: Collection[str] | None = None,
            ) -> tuple[WhatIf, ...]:
    """Every single-answer change (over representative values) that changes the winner,
    the biggest lead of the new winner first.

    ``decide`` weighs one changed answer set (default: :func:`score`); the compiled rule
    set passes its own, faster one. ``levers``: the questions whose answers may change
    (default: every question), e.g. the preferences, not the facts.
    """
    weigh = decide if decide is not None else (lambda a: score(rs, a))
    found = _changes(rs, answers, winner, weigh, levers, unanswered=False)
    found.sort(key=lambda t: (t[0], t[1], t[2]))
    return tuple(w for *_, w in found)


def deciding_facts(rs: RuleSet, answers: Mapping[str, Answer], winner: str,
                   facts: Collection[str], *, decide: Weigh | None = None,
                   ) -> tuple[DecidingFact, ...]:
    """The ``facts`` (question ids) whose change alone, to another representative value or
    to no answer, changes the verdict; each with those changes and the verdict they give,
    in question order."""
    if not facts:
        return ()
    weigh = decide if decide is not None else (lambda a: score(rs, a))
    by_question: dict[str, list[tuple[Answer | None, str]]] = {}
    for *_, w in _changes(rs, answers, winner, weigh, facts, unanswered=True):
        by_question.setdefault(w.question, []).append((w.to_value, w.recommendation))
    return tuple(DecidingFact(q, answers.get(q), tuple(changes))
                 for q, changes in by_question.items())


def pick_scenario(rs: RuleSet, answers: Mapping[str, Answer],
                  winner: str) -> tuple[str | None, str]:
    for sc in rs.scenarios:
        if winner in sc.recommendation and sc.when.evaluate(answers) is True:
            return sc.id, sc.because
    return None, ""


def evaluate(rs: RuleSet, answers: Mapping[str, Answer], *,
             not_applicable: tuple[str, ...] = (), unsure: tuple[str, ...] = (),
             levers: Collection[str] | None = None,
             facts: Collection[str] | None = None,
             defaulted: Collection[str] = ()) -> Result:
    """Weigh answers (already validated) with a rule set. Pure: no I/O, no globals.

    ``unsure``: the questions answered "unsure" (left out of ``answers``); their possible
    answers are then analysed (:func:`llmchoice.decide.unsure.open_answers`).
    ``defaulted``: the questions whose answer was filled from its default (``--defaults``);
    when every answer weighed is one of them (and none is unsure), the certainty's basis is
    ``defaults``: nobody answered, so there is no basis for a verdict. ``levers``:
    the questions what-if may change (default: the questions of kind ``preference``).
    ``facts``: the questions reported as deciding facts when their change alone changes
    the verdict (default: the questions of kind ``fact``)."""
    s, verdict, sums = _weigh(rs, answers)
    scenario, because = pick_scenario(rs, answers, s.winner)
    if levers is None:
        levers = preference_questions(rs)
    if facts is None:
        facts = fact_questions(rs)
    excluded_paths = path_exclusions(rs, s.fired)
    path = choose_path(rs, answers, s.winner, {e.outcome for e in excluded_paths})
    changes = what_if(rs, answers, s.winner, levers=levers)
    only_defaults = bool(answers) and not unsure and set(answers) <= set(defaulted)
    sure = certainty_of(rs, answers, verdict, sums, s.fired, excluded_paths,
                        any(not w.constraint for w in changes), defaults=only_defaults)
    open_ = None
    if unsure:
        # lazy: only answers with an unsure question need the compiled evaluator
        from llmchoice.decide.unsure import open_answers

        open_ = open_answers(rs, answers, unsure)
    return Result(
        recommendation=s.winner,
        scores=s.scores,
        confidence=s.confidence,
        answers=dict(answers),
        contributions=s.contributions,
        excluded=s.excluded,
        skipped=s.skipped,
        fired=s.fired,
        what_if=changes,
        scenario=scenario,
        scenario_because=because,
        ruleset=RuleSetInfo(rs.meta.id, rs.meta.version, rs.sha256, rs.source),
        certainty=sure,
        not_applicable=not_applicable,
        unsure=unsure,
        open_answers=open_,
        deciding_facts=deciding_facts(rs, answers, s.winner, facts),
        path=path,
        excluded_paths=excluded_paths,
        path_assumptions=path_assumptions(
            rs, answers, s.winner, path, unsure, probe=lambda a, q, v: _probe(rs, a, q, v),
            values=lambda q: alternatives(rs, q, None, paths=True)),
    )


def scored_path(rs: RuleSet, answers: Mapping[str, Answer]
                ) -> tuple[Scored, ChosenPath | None, set[str]] | None:
    """The score of ``answers``, the winner's path and the outcomes whose ways of running
    a fired rule rules out; None when the answers leave no outcome allowed."""
    try:
        s = score(rs, answers)
    except NoOutcomeLeft:
        return None
    out = {e.outcome for e in path_exclusions(rs, s.fired)}
    return s, choose_path(rs, answers, s.winner, out), out


def _path_id(p: ChosenPath | None) -> str:
    return p.id if p is not None else ""


def _probe(rs: RuleSet, answers: Mapping[str, Answer], qid: str,
           value: Answer) -> tuple[str, str] | None:
    """The verdict and path id ("" for none) with one more answer; None when it leaves no
    outcome allowed."""
    got = scored_path(rs, with_answer(rs, answers, qid, value))
    return None if got is None else (got[0].winner, _path_id(got[1]))


def plan_assumptions(rs: RuleSet, answers: Mapping[str, Answer], outcome: str,
                     path: ChosenPath | None,
                     unsure: Collection[str]) -> tuple[PathAssumption, ...]:
    """What one plan of a report with no clear verdict (``outcome`` run with ``path``)
    assumes of the questions left open (:func:`llmchoice.decide.assume.plan_assumptions`:
    an answer that would exclude ``outcome`` or run it another way)."""

    def probe(a: Mapping[str, Answer], qid: str,
              value: Answer) -> tuple[str, str, str | None] | None:
        changed = with_answer(rs, a, qid, value)
        got = scored_path(rs, changed)
        if got is None:
            return None
        s, won, paths_out = got
        if outcome in {e.outcome for e in s.excluded}:
            return s.winner, _path_id(won), None
        return s.winner, _path_id(won), _path_id(choose_path(rs, changed, outcome, paths_out))

    return _plan_assumptions(rs, answers, outcome, path, unsure, probe=probe,
                             values=lambda q: alternatives(rs, q, None, paths=True))


def certainty_of(rs: RuleSet, answers: Mapping[str, Answer], verdict: Verdict,
                 sums: list[float], fired: Collection[str],
                 excluded_paths: tuple[Exclusion, ...], flips: bool, *,
                 defaults: bool = False) -> Certainty:
    """The verdict's certainty (:func:`llmchoice.decide.certainty.certainty`), from every
    outcome each fired rule excludes; for a tie, too close a call or defaults alone, with
    the path the runner-up would be run with. ``flips``: some preference change (not a
    hard requirement) gives another verdict; ``defaults``: every answer is a default."""
    fired_ids = set(fired)
    exclusions = [(o, r.id) for r in rs.rules if r.id in fired_ids for o in r.exclude]
    c = certainty(verdict, sums, exclusions, rs.decision, rs.outcome_ids, flips=flips,
                  defaults=defaults)
    other = (c.tied or c.close)[1:]
    if other:
        alt = choose_path(rs, answers, other[0], {e.outcome for e in excluded_paths})
        c = dataclasses.replace(c, alternative=alt)
    return c


def preference_questions(rs: RuleSet) -> tuple[str, ...]:
    """The questions a team can choose differently: what-if levers and decisive answers."""
    return tuple(q.id for q in rs.questions if q.kind != "fact")


def fact_questions(rs: RuleSet) -> tuple[str, ...]:
    """The questions that state facts (data location, volume): shown as deciding facts."""
    return tuple(q.id for q in rs.questions if q.kind == "fact")


def path_exclusions(rs: RuleSet, fired: Collection[str]) -> tuple[Exclusion, ...]:
    """The paths the fired rules rule out, each once, with the first rule that did."""
    fired_ids = set(fired)
    found: dict[str, Exclusion] = {}
    for rule in rs.rules:
        if rule.id in fired_ids:
            for path in rule.exclude_paths:
                found.setdefault(path, Exclusion(path, rule.id, rule.because, rule.cites,
                                                 rule.line))
    return tuple(found.values())


def choose_path(rs: RuleSet, answers: Mapping[str, Answer], winner: str,
                excluded: Collection[str]) -> ChosenPath | None:
    """How to run ``winner``: the first path rule of that outcome whose ``when`` holds (a
    rule without ``when`` always does; an unknown condition does not) and whose path no
    fired rule excludes. ``None`` when the rule set declares no path for it."""
    paths = {p.id: p for p in rs.paths}
    for pr in rs.path_rules:
        path = paths[pr.path]
        if path.outcome != winner or path.id in excluded:
            continue
        if pr.when is None or pr.when.evaluate(answers) is True:
            return ChosenPath(path.id, path.outcome, path.label, path.summary, path.hosting,
                              pr.cost_option or path.cost_option, pr.because, pr.cites,
                              pr.beyond_article, pr.line)
    return None


__all__ = ["MIXED_RULE_ID", "NoOutcomeLeft", "Scored", "Test", "alternatives", "certainty_of",
           "choose_path", "confidence_of", "deciding_facts", "evaluate", "fact_questions",
           "path_exclusions", "plan_assumptions", "preference_questions", "score", "what_if"]
