"""What the chosen path assumes about the questions left open.

A path is chosen from the answers given (:func:`llmchoice.decide.engine.choose_path`);
an optional question left unanswered, or one answered "unsure", may be the reason it is
this path and not another: the startup that never said where its data may go is told to
use a hosted API, which is right only if its data may leave its infrastructure. For each
such question :func:`path_assumptions` tries every representative answer and keeps the
ones that would run it another way (or recommend another outcome), so the report can say
what the plan assumes. Pure: no I/O; it scores the changed answers with the engine.

Two readings, one loop:

* the recommendation's plan (:func:`path_assumptions`, a report with a verdict): an
  answer changes the plan when it would recommend another outcome or run this one
  another way;
* one plan of a report with no clear verdict (:func:`plan_assumptions`, each of the two
  plans, outcome X run with path P): an answer changes the plan when it would **exclude
  X** (a hard rule rules it out; the change names what it would be then) or **run X
  another way** (X still allowed, but chosen with another path). Which of the two plans
  the scores favour is not an assumption of either: that is what the report leaves open.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from llmchoice.answers.validate import applicable
from llmchoice.decide.result import ChosenPath, PathAssumption
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import Question, RuleSet

# the verdict and path id ("" when the outcome has none) of changed answers; None when
# the change leaves no outcome allowed
Probe = Callable[[Mapping[str, Answer], str, Answer], tuple[str, str] | None]
# for one plan's outcome X: (the verdict, its path id, X's path id or None when X is
# excluded) of changed answers; None when the change leaves no outcome allowed
PlanProbe = Callable[[Mapping[str, Answer], str, Answer], tuple[str, str, str | None] | None]
# one answer tried: None (no outcome left, skipped), () it keeps the plan, else the
# (outcome, path id) it would give
_Judge = Callable[[str, Answer], tuple[str, str] | tuple[()] | None]


def _open(rs: RuleSet, answers: Mapping[str, Answer], unsure: Collection[str]) -> list[str]:
    """The questions the plan may rest on: optional ones left unanswered, and unsure ones
    (a required question is missing only with --partial, which reports reach instead)."""
    return [q.id for q in rs.questions
            if q.id not in answers and applicable(q, answers)
            and (not q.required or q.id in unsure)]


def _assume(rs: RuleSet, answers: Mapping[str, Answer], unsure: Collection[str],
            values: Callable[[Question], list[Answer]],
            judge: _Judge) -> tuple[PathAssumption, ...]:
    out: list[PathAssumption] = []
    for qid in _open(rs, answers, unsure):
        holds: list[Answer] = []
        changes: list[tuple[Answer, str, str]] = []
        for value in values(rs.question(qid)):
            got = judge(qid, value)
            if got is None:
                continue
            if got == ():
                holds.append(value)
            else:
                changes.append((value, *got))
        if changes:
            out.append(PathAssumption(qid, qid in unsure, tuple(holds), tuple(changes)))
    return tuple(out)


def path_assumptions(rs: RuleSet, answers: Mapping[str, Answer], winner: str,
                     path: ChosenPath | None, unsure: Collection[str], *,
                     values: Callable[[Question], list[Answer]],
                     probe: Probe) -> tuple[PathAssumption, ...]:
    """For each question left open (in question order) whose answer would change the
    recommendation or the way of running it: what the plan assumes. () without a path.
    ``values``: the representative answers to try; ``probe``: the verdict and path of
    the answers with one of them given (the engine's)."""
    if path is None:
        return ()

    def judge(qid: str, value: Answer) -> tuple[str, str] | tuple[()] | None:
        got = probe(answers, qid, value)
        return got if got is None or got != (winner, path.id) else ()

    return _assume(rs, answers, unsure, values, judge)


def plan_assumptions(rs: RuleSet, answers: Mapping[str, Answer], outcome: str,
                     path: ChosenPath | None, unsure: Collection[str], *,
                     values: Callable[[Question], list[Answer]],
                     probe: PlanProbe) -> tuple[PathAssumption, ...]:
    """What one plan of a report with no clear verdict assumes: each question left open
    with an answer that would exclude ``outcome`` (the change names the verdict and its
    path then) or run it with another path than ``path`` (the change names ``outcome``
    and that path). () without a path."""
    if path is None:
        return ()

    def judge(qid: str, value: Answer) -> tuple[str, str] | tuple[()] | None:
        got = probe(answers, qid, value)
        if got is None:
            return None
        winner, winner_path, own = got
        if own is None:
            return winner, winner_path
        return () if own == path.id else (outcome, own)

    return _assume(rs, answers, unsure, values, judge)


__all__ = ["plan_assumptions", "path_assumptions"]
