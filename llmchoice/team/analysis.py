"""A team's decision: the merged recommendation, each person's own, and every
disagreement weighed alone.

For each question people answered differently, the merged answers are weighed again
with each person's answer in place of the team's (everything else as merged): the
what-if of :mod:`llmchoice.decide.engine`, applied between the people's answers. A
disagreement *matters* when one of those answers gives another recommendation, or turns
a clear verdict into one too close to call (or the reverse), or, less, another way of
running it. The disagreements to settle first are the ones that matter, ranked by how
strongly an answer given changes the verdict (:data:`FLIPS`: another outcome by a clear
lead, before another outcome too close to call, before one only by the tie-break order,
before a verdict that only becomes too close to call or clear, before only another way
of running it), then unsettled questions (no majority) before outvoted answers, the
closest splits first; every unsettled question that changes the verdict is among them.

A question the merge left **unsettled** (no majority, no single middle answer) is weighed
both ways: when a side's answer gives another recommendation, the team has no clear
verdict until it is settled (:attr:`TeamResult.certainty` ``none``, between the outcomes
the sides give); when a side only drops the verdict to too close to call, the team's
verdict is ``low`` at best. The engine's own certainty for the merged answers is kept in
``result``; the team's is never firmer than it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from llmchoice.cost.for_answers import with_cost
from llmchoice.decide.engine import choose_path, evaluate, path_exclusions, score, with_answer
from llmchoice.decide.result import Result
from llmchoice.decide.rule import NoOutcomeLeft, unclear
from llmchoice.frozen import frozen
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import RuleSet
from llmchoice.team.merge import TIE, Merged, MergedAnswer, merge
from llmchoice.team.people import Person

SETTLE_FIRST = 3  # how many disagreements the report asks to settle first (and the unsettled)
# how strongly a disagreement changes the verdict, strongest first: some answer gives
# another outcome by a clear lead (or no outcome at all); only too close to call; only by
# the tie-break order (a tie); the same outcome, but a clear verdict becomes too close to
# call or the reverse; only another way of running it; nothing
FLIPS = ("clear", "close", "tie", "certainty", "path", "none")


@frozen
class Alternative:
    """The merged answers with one person's answer to a disputed question: the verdict
    (None when the answers then leave no outcome) and its path."""

    value: Answer
    people: tuple[str, ...]
    recommendation: str | None
    path: str | None
    close: bool = False  # a tie or a lead under the rule set's min_lead
    tied: bool = False  # a tie: the rule set's tie-break order picks the outcome


@frozen
class Disagreement:
    question: str
    kind: str  # the question's kind: preference or fact
    merged: MergedAnswer
    alternatives: tuple[Alternative, ...]  # one per answer given, most people first
    changes_recommendation: bool
    changes_path: bool
    # some answer turns the verdict too close to call, or a close call into a clear one
    changes_certainty: bool = False
    flip: str = "none"  # how strongly an answer given changes the verdict: FLIPS

    @property
    def matters(self) -> bool:
        return self.changes_recommendation or self.changes_path or self.changes_certainty

    @property
    def unsettled(self) -> bool:
        """The merge left the question undecided (no majority, no single middle)."""
        return self.merged.how == TIE


@frozen
class PersonResult:
    person: Person
    result: Result


@frozen
class TeamResult:
    people: tuple[PersonResult, ...]
    merged: Merged
    result: Result  # the recommendation for the merged answers, with its cost estimate
    disagreements: tuple[Disagreement, ...]  # in question order
    # most pressing first: SETTLE_FIRST at most, and every unsettled one that changes the
    # verdict
    settle_first: tuple[Disagreement, ...]
    # the team's certainty label: the engine's, lowered by the unsettled questions that
    # matter (``none`` when a side gives another recommendation, ``low`` at most when a
    # side only makes it too close to call)
    certainty: str = ""
    # with certainty ``none`` from an unsettled question: the outcomes its sides give,
    # the merged answers' first
    between: tuple[str, ...] = ()

    @property
    def unsettled(self) -> tuple[Disagreement, ...]:
        """The unsettled questions whose sides change the verdict or its certainty."""
        return tuple(d for d in self.disagreements if d.unsettled and
                     (d.changes_recommendation or d.changes_certainty))


def _alternative(rs: RuleSet, team: dict[str, Answer], qid: str, value: Answer,
                 people: tuple[str, ...]) -> Alternative:
    answers = with_answer(rs, team, qid, value)
    try:
        s = score(rs, answers)
    except NoOutcomeLeft:
        return Alternative(value, people, None, None)
    excluded = {e.outcome for e in path_exclusions(rs, s.fired)}
    path = choose_path(rs, answers, s.winner, excluded)
    several = len(s.excluded) < len(rs.outcome_ids) - 1
    close = unclear(rs.decision, s.margin, several)
    return Alternative(value, people, s.winner, path.id if path else None, close,
                       s.margin == 0)


def is_close(result: Result, rs: RuleSet) -> bool:
    """The engine's verdict for ``result`` is no clear verdict (a tie, too close a call or
    defaults alone; the unsure answers splitting it do not count here)."""
    return result.certainty.label == "none"


def _disagreement(rs: RuleSet, m: MergedAnswer, team: dict[str, Answer],
                  result: Result) -> Disagreement:
    alts = tuple(_alternative(rs, team, m.question, v.value, v.people) for v in m.votes)
    verdicts = {a.recommendation for a in alts}
    paths = {a.path for a in alts}
    win = result.recommendation
    own_path = result.path.id if result.path else None
    changes = verdicts != {win}
    close = is_close(result, rs)
    d = Disagreement(m.question, rs.question(m.question).kind, m, alts,
                     changes_recommendation=changes,
                     changes_path=not changes and paths != {own_path},
                     changes_certainty=not changes and any(a.close != close for a in alts))
    return dataclasses.replace(d, flip=_flip(d, win))


def _flip(d: Disagreement, win: str) -> str:
    """How strongly the answers given change the verdict (one of FLIPS)."""
    moved = [a for a in d.alternatives if a.recommendation != win]
    if moved:
        if any(a.recommendation is None or not a.close for a in moved):
            return "clear"
        return "close" if any(not a.tied for a in moved) else "tie"
    return "certainty" if d.changes_certainty else "path" if d.changes_path else "none"


def _pressing(rs: RuleSet, ds: Sequence[Disagreement]) -> tuple[Disagreement, ...]:
    order = {q.id: i for i, q in enumerate(rs.questions)}

    def key(d: Disagreement) -> tuple[int, int, int, int, int]:
        counts = [len(v.people) for v in d.merged.votes]
        gap = counts[0] - counts[1] if len(counts) > 1 else counts[0]
        outcomes = len({a.recommendation for a in d.alternatives})
        return (FLIPS.index(d.flip), 0 if d.unsettled else 1, -outcomes, gap,
                order[d.question])

    ranked = sorted((d for d in ds if d.matters), key=key)
    # the team's verdict waits on its unsettled questions: each is always asked about
    return (*ranked[:SETTLE_FIRST], *(d for d in ranked[SETTLE_FIRST:] if d.unsettled and
                                      (d.changes_recommendation or d.changes_certainty)))


def _team_certainty(result: Result, ds: Sequence[Disagreement],
                    ) -> tuple[str, tuple[str, ...]]:
    """The team's certainty label and, when an unsettled question splits the verdict,
    the outcomes its sides give (the merged answers' first)."""
    label = result.certainty.label
    oa = result.open_answers
    if oa is not None and sum(1 for _, share in oa.shares if share > 0) > 1:
        label = "none"  # the unsure answers split the verdict (the report names the pair)
    split = [d for d in ds if d.unsettled and d.changes_recommendation]
    if split:
        between = [result.recommendation]
        for d in split:
            between += [a.recommendation for a in d.alternatives
                        if a.recommendation is not None and a.recommendation not in between]
        return "none", tuple(between)
    if any(d.unsettled and d.changes_certainty for d in ds) and label in ("high", "moderate"):
        return "low", ()
    return label, ()


def analyse(rs: RuleSet, people: Sequence[Person]) -> TeamResult:
    """Merge the people's answers and weigh everything the team report shows."""
    merged = merge(rs, people)
    r = merged.resolved
    result = with_cost(evaluate(rs, r.answers, not_applicable=r.not_applicable,
                                unsure=r.unsure), rs)
    own = tuple(PersonResult(p, evaluate(rs, p.resolved.answers,
                                         not_applicable=p.resolved.not_applicable,
                                         unsure=p.resolved.unsure)) for p in people)
    team = dict(r.answers)
    ds = tuple(_disagreement(rs, m, team, result) for m in merged.answers if m.disputed)
    label, between = _team_certainty(result, ds)
    return TeamResult(own, merged, result, ds, _pressing(rs, ds), label, between)
