"""What the chosen path assumes about the questions left open.

A path is chosen from the answers given (:func:`llmchoice.decide.engine.choose_path`);
an optional question left unanswered, or one answered "unsure", may be the reason it is
this path and not another: the startup that never said where its data may go is told to
use a hosted API, which is right only if its data may leave its infrastructure. For each
such question :func:`path_assumptions` tries every representative answer and keeps the
ones that would run it another way (or recommend another outcome), so the report can say
what the plan assumes. Pure: no I/O; it scores the changed answers with the engine.
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


def _open(rs: RuleSet, answers: Mapping[str, Answer], unsure: Collection[str]) -> list[str]:
    """The questions the plan may rest on: optional ones left unanswered, and unsure ones
    (a required question is missing only with --partial, which reports reach instead)."""
    return [q.id for q in rs.questions
            if q.id not in answers and applicable(q, answers)
            and (not q.required or q.id in unsure)]


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
    out: list[PathAssumption] = []
    for qid in _open(rs, answers, unsure):
        holds: list[Answer] = []
        changes: list[tuple[Answer, str, str]] = []
        for value in values(rs.question(qid)):
            got = probe(answers, qid, value)
            if got is None:
                continue
            if got == (winner, path.id):
                holds.append(value)
            else:
                changes.append((value, *got))
        if changes:
            out.append(PathAssumption(qid, qid in unsure, tuple(holds), tuple(changes)))
    return tuple(out)


__all__ = ["path_assumptions"]
