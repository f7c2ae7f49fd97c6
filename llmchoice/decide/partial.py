"""What a report adds when questions are left open: the outcomes still reachable, and
what it would take for another outcome to win (``recommend --partial``, ``--target``,
and answers saved by the adaptive quiz as ``not_asked``).

:func:`with_reach` attaches them to a :class:`~llmchoice.decide.result.Result`. The open
questions are those answered ``not_asked`` and, with ``partial``, every question that
applies and has no answer (``unsure`` ones stay unanswered, as the verdict takes them).
When only ``not_asked`` questions are open, the reach tells whether the quiz was right
not to ask them with this rule set: a single reachable outcome, the verdict, run a single
reachable way, its path, says they were not needed; more say they could change it (the
verdict treats them as unanswered). The ways to run each reachable outcome are
:func:`paths_of` (:mod:`llmchoice.decide.reach_paths`); once a single outcome and a single
way are left, :func:`steps_of` says whether the report's advice, its next steps, is settled
too, and which open questions would change it (:mod:`llmchoice.decide.reach_steps`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping

from llmchoice.answers.validate import applicable
from llmchoice.decide.reach import Reacher, reacher_for
from llmchoice.decide.reach_paths import PathReach, Wins, path_reacher_for
from llmchoice.decide.reach_steps import StepReach, step_reacher_for
from llmchoice.decide.result import Result
from llmchoice.decide.target import what_it_takes
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import RuleSet


def open_questions(rs: RuleSet, result: Result, not_asked: Collection[str], *,
                   partial: bool) -> tuple[str, ...]:
    """The questions the reach leaves open, in question order."""
    unsure = set(result.unsure)
    return tuple(q.id for q in rs.questions
                 if q.id in not_asked or (partial and q.id not in result.answers and
                                          q.id not in unsure and
                                          applicable(q, result.answers)))


def wins_for(r: Reacher, answers: Mapping[str, Answer], open_: Collection[str],
             outcome: str) -> Wins | None:
    """What :meth:`~llmchoice.decide.reach_paths.PathReacher.paths` must ask to count a path
    only where ``outcome`` can win: nothing when it wins under every completion (it is the
    only outcome reachable, and no completion excludes them all), else the reach."""
    won, none = r.winning(answers, open_)
    if won == {outcome} and not none:
        return None
    return lambda known, rest: outcome in r.reachable(known, rest)


def paths_of(rs: RuleSet, answers: Mapping[str, Answer], open_: Collection[str],
             outcomes: Collection[str], *, deciding: bool = True) -> tuple[PathReach, ...]:
    """How each of ``outcomes`` may still be run, for some completion of ``open_`` that
    makes it win; with ``deciding``, the open questions that rule a way out. Empty when the
    rule set declares no paths."""
    if not rs.paths:
        return ()
    r, pr = reacher_for(rs), path_reacher_for(rs)
    out = []
    for o in outcomes:
        wins = wins_for(r, answers, open_, o)
        out.append(pr.reach(answers, open_, o, wins=wins) if deciding
                   else PathReach(o, pr.paths(answers, open_, o, wins=wins)))
    return tuple(out)


def steps_of(rs: RuleSet, answers: Mapping[str, Answer], open_: Collection[str],
             reachable: Collection[str], paths: tuple[PathReach, ...]) -> StepReach | None:
    """Whether the next steps are settled, when one outcome and one way to run it are left
    (None otherwise, or when the rule set has no next steps)."""
    if len(reachable) != 1 or not rs.next_steps:
        return None
    (outcome,) = reachable
    ways_ = next((p.paths for p in paths if p.outcome == outcome), ())
    if len(ways_) > 1:
        return None
    wins = wins_for(reacher_for(rs), answers, open_, outcome)
    return step_reacher_for(rs).reach(answers, open_, outcome, ways_[0] if ways_ else None,
                                      wins=wins)


def with_reach(rs: RuleSet, result: Result, *, not_asked: tuple[str, ...] = (),
               partial: bool = False, target: str | None = None) -> Result:
    """``result`` with ``not_asked``, the reach of the open questions (None when none is
    open and not ``partial``) and, for ``target``, the fewest changes that make it win."""
    open_ = open_questions(rs, result, not_asked, partial=partial)
    reach = reacher_for(rs).analyse(result.answers, open_) if open_ or partial else None
    if reach is not None and open_:
        ways_ = paths_of(rs, result.answers, open_, reach.reachable)
        reach = dataclasses.replace(reach, paths=ways_, steps=steps_of(
            rs, result.answers, open_, reach.reachable, ways_))
    plan = what_it_takes(rs, result.answers, target, result.recommendation) \
        if target is not None else None
    if reach is None and plan is None and not not_asked:
        return result
    return dataclasses.replace(result, not_asked=not_asked, reach=reach, target=plan)


__all__ = ["open_questions", "paths_of", "steps_of", "wins_for", "with_reach"]
