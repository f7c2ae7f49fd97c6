"""The merge rule: several people's answers become the team's answers.

For each question, in the rule set's order:

1. **Agreed**: everyone who answered gave the same answer; it is the team's.
2. **Majority**: an answer given by more than half of the people who answered. A
   person who answered "unsure", or who was not asked (the question did not apply to
   their answers), does not vote. "Most people" never means 2 of 4: the largest group
   that is not a majority decides nothing on its own.
3. **Median** on an ordered scale: without a majority, a question whose choices run in
   one direction (its ``monotone`` order: budget from minimal to large) takes the middle
   answer on that scale, when there is one (an odd number of answers, or the two middle
   answers the same). A number (a monthly volume) always takes the middle of the answers.
4. **Unsettled** (how ``tie``): no majority and no single middle (2 against 2, or a
   question whose choices have no order), so the team has *not* decided the question,
   and its answer is "unsure" (the engine then weighs the question's possible answers),
   rather than a guess dressed up as a decision. The analysis weighs each side's answer
   (:mod:`.analysis`): when a side gives another verdict or one too close to call, the
   team's verdict is no firmer than that.
5. **Binding**: an answer that is a hard requirement is not outvoted. When someone's
   answer, put in place of the team's, makes a rule rule out an outcome or a way of
   running one that the team's answer does not (``data: on_premises`` rules out every
   hosted model), that answer binds everyone, and the report names who gave it. When
   several would bind, the one that rules out the most (outcomes before paths, then the
   one more people gave) wins.

Whether an answer rules something out is asked of the engine (:func:`score`), never
restated here.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import replace

from llmchoice.answers.validate import UNSURE, Resolved, validate
from llmchoice.decide.engine import path_exclusions, score, with_answer
from llmchoice.decide.rule import NoOutcomeLeft
from llmchoice.frozen import frozen
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import Question, RuleSet
from llmchoice.team.people import Person

AGREED, MAJORITY, TIE, MEDIAN, BINDING = "agreed", "majority", "tie", "median", "binding"
UNSURE_ALL, UNANSWERED = "unsure", "unanswered"
HOW = (AGREED, MAJORITY, TIE, MEDIAN, BINDING, UNSURE_ALL, UNANSWERED)


@frozen
class Vote:
    """One answer given to a question, and who gave it (in the order of the files)."""

    value: Answer
    people: tuple[str, ...]


@frozen
class MergedAnswer:
    """The team's answer to one question and how it was reached (``how``: one of
    :data:`HOW`). ``value`` is None when the team is unsure (a tie, or everyone said
    unsure) or nobody answered. ``votes``: most people first. When the team's answer is
    a hard requirement (it rules out outcomes or paths that no answer to the question
    would leave ruled out), ``rules`` are the rules that do and ``rules_out`` what they
    rule out (outcome or path ids)."""

    question: str
    value: Answer | None
    how: str
    votes: tuple[Vote, ...]
    unsure: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    rules_out: tuple[str, ...] = ()

    @property
    def constraint(self) -> bool:
        """The team's answer is a hard requirement: it rules something out."""
        return bool(self.rules_out)

    @property
    def disputed(self) -> bool:
        return len(self.votes) > 1


@frozen
class Merged:
    answers: tuple[MergedAnswer, ...]  # every question, in the rule set's order
    resolved: Resolved  # the team's answers, checked as any answers file is


def _votes(q: Question, people: Sequence[Person]) -> tuple[tuple[Vote, ...], tuple[str, ...]]:
    by_value: dict[Answer, list[str]] = {}
    unsure: list[str] = []
    for p in people:
        if q.id in p.resolved.answers:
            by_value.setdefault(p.resolved.answers[q.id], []).append(p.name)
        elif q.id in p.resolved.unsure:
            unsure.append(p.name)
    order: dict[Answer, int] = {v: i for i, v in enumerate(q.values)}
    votes = sorted(by_value.items(), key=lambda kv: (-len(kv[1]), order.get(kv[0], 0)))
    return tuple(Vote(v, tuple(names)) for v, names in votes), tuple(unsure)


def _plain(value: float) -> Answer:
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


def scale(q: Question) -> tuple[str, ...] | None:
    """The order of a choice question's answers (its ``monotone`` order, else the order
    the choices are listed in when it declares a direction), or None: no order."""
    if q.type != "choice" or q.monotone is None:
        return None
    return q.monotone.order or q.values


def _middle(q: Question, votes: tuple[Vote, ...]) -> Answer | None:
    """The middle answer on the question's scale, or None: no scale, or no single middle
    (an even number of answers whose two middle ones differ)."""
    order = scale(q)
    if order is None or any(v.value not in order for v in votes):
        return None
    ranked = sorted(order.index(str(v.value)) for v in votes for _ in v.people)
    n = len(ranked)
    low, high = ranked[(n - 1) // 2], ranked[n // 2]
    return order[low] if low == high else None


def _first_pass(q: Question, votes: tuple[Vote, ...], unsure: tuple[str, ...],
                ) -> MergedAnswer:
    if not votes:
        return MergedAnswer(q.id, None, UNSURE_ALL if unsure else UNANSWERED, votes, unsure)
    if len(votes) == 1:
        return MergedAnswer(q.id, votes[0].value, AGREED, votes, unsure)
    if q.type == "number":
        numbers = [float(v.value) for v in votes for _ in v.people]  # type: ignore[arg-type]
        return MergedAnswer(q.id, _plain(statistics.median(numbers)), MEDIAN, votes, unsure)
    voters = sum(len(v.people) for v in votes)
    if 2 * len(votes[0].people) > voters:
        return MergedAnswer(q.id, votes[0].value, MAJORITY, votes, unsure)
    middle = _middle(q, votes)
    if middle is not None:
        return MergedAnswer(q.id, middle, MEDIAN, votes, unsure)
    return MergedAnswer(q.id, None, TIE, votes, unsure)


def _ruled_out(rs: RuleSet, answers: Mapping[str, Answer]) -> dict[str, str] | None:
    """What the answers rule out (outcomes and paths) and by which rule; None when they
    leave no outcome at all."""
    try:
        s = score(rs, answers)
    except NoOutcomeLeft:
        return None
    out = {e.outcome: e.rule for e in s.excluded}
    out.update({e.outcome: e.rule for e in path_exclusions(rs, s.fired)})
    return out


def _binding(rs: RuleSet, m: MergedAnswer, team: dict[str, Answer]) -> MergedAnswer:
    """``m``, or the answer someone gave that rules out more (:data:`BINDING`)."""
    base = _ruled_out(rs, with_answer(rs, team, m.question, m.value))
    if base is None:
        return m
    outcomes = set(rs.outcome_ids)
    best: tuple[tuple[int, int, int], Vote] | None = None
    for vote in m.votes:
        if vote.value == m.value:
            continue
        got = _ruled_out(rs, with_answer(rs, team, m.question, vote.value))
        if got is None:
            continue
        new = {k: r for k, r in got.items() if k not in base}
        if not new:
            continue
        key = (len(new.keys() & outcomes), len(new.keys() - outcomes), len(vote.people))
        if best is None or key > best[0]:
            best = (key, vote)
    if best is None:
        return m
    return MergedAnswer(m.question, best[1].value, BINDING, m.votes, m.unsure)


def _constraint(rs: RuleSet, m: MergedAnswer, team: dict[str, Answer]) -> MergedAnswer:
    """``m`` with what its answer rules out that leaving the question unanswered does not."""
    if m.value is None:
        return m
    got = _ruled_out(rs, with_answer(rs, team, m.question, m.value))
    without = _ruled_out(rs, with_answer(rs, team, m.question, None))
    if got is None or without is None:
        return m
    new = {k: r for k, r in got.items() if k not in without}
    if not new:
        return m
    return replace(m, rules=tuple(dict.fromkeys(new.values())), rules_out=tuple(new))


def merge(rs: RuleSet, people: Sequence[Person]) -> Merged:
    """The team's answers by the merge rule (this module's docstring)."""
    first = []
    for q in rs.questions:
        votes, unsure = _votes(q, people)
        first.append(_first_pass(q, votes, unsure))
    team: dict[str, Answer] = {m.question: m.value for m in first if m.value is not None}
    final: list[MergedAnswer] = []
    for m in first:
        if m.disputed:
            m = _binding(rs, m, team)
            if m.value is not None:
                team[m.question] = m.value
        final.append(m)
    final = [_constraint(rs, m, team) for m in final]
    given: dict[str, object] = {}
    for m in final:
        if m.value is not None:
            given[m.question] = list(m.value) if isinstance(m.value, tuple) else m.value
        elif m.how in (TIE, UNSURE_ALL):
            given[m.question] = UNSURE
    resolved = validate(rs, given, source="the team's merged answers", require_all=False)
    return Merged(tuple(final), resolved)
