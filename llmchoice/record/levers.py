"""When to revisit a decision: every single answer whose change alone flips or weakens it.

For each question (preferences and facts alike: a change of where the data may live is as
real a reason to revisit as a change of taste), every other answer it could take is
weighed with the rest as recorded, by the engine (:func:`llmchoice.decide.engine.score`,
the one decision rule). A change is a *lever* when it gives another recommendation, turns
a clear verdict into one too close to call (or a close call into a clear one), or keeps
the recommendation but runs it another way. Number questions are left to the cost
conditions (their thresholds are volumes, which the cost section covers). Nothing here
scores.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from llmchoice.answers.validate import applicable
from llmchoice.decide.engine import alternatives, choose_path, path_exclusions, score, with_answer
from llmchoice.decide.result import Result
from llmchoice.decide.rule import NoOutcomeLeft
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import RuleSet

RECOMMENDATION, CERTAINTY, PATH = "recommendation", "certainty", "path"


@dataclass(frozen=True, slots=True)
class Lever:
    """One answer change and what it would give. ``effect``: :data:`RECOMMENDATION`
    (another outcome), :data:`CERTAINTY` (the same outcome, but too close to call, or
    clear where it was not) or :data:`PATH` (the same outcome, run another way)."""

    question: str
    from_value: Answer | None
    to_value: Answer
    recommendation: str
    path: str | None
    close: bool
    effect: str


def _weigh(rs: RuleSet, answers: Mapping[str, Answer]) -> tuple[str, str | None, bool] | None:
    try:
        s = score(rs, answers)
    except NoOutcomeLeft:
        return None
    excluded = {e.outcome for e in path_exclusions(rs, s.fired)}
    path = choose_path(rs, answers, s.winner, excluded)
    several = len(s.excluded) < len(rs.outcome_ids) - 1
    return s.winner, path.id if path else None, several and s.margin < rs.decision.min_lead


def levers(rs: RuleSet, result: Result) -> tuple[Lever, ...]:
    """Every single answer change that flips or weakens ``result``, in question order."""
    answers = result.answers
    base = (result.recommendation, result.path.id if result.path else None,
            result.certainty.label == "none" and result.certainty.basis != "defaults")
    out: list[Lever] = []
    for q in rs.questions:
        if q.type == "number" or not applicable(q, answers):
            continue
        current = answers.get(q.id)
        for value in alternatives(rs, q, current):
            got = _weigh(rs, with_answer(rs, answers, q.id, value))
            if got is None or got == base:
                continue
            effect = RECOMMENDATION if got[0] != base[0] else \
                CERTAINTY if got[2] != base[2] else PATH
            out.append(Lever(q.id, current, value, got[0], got[1], got[2], effect))
    return tuple(out)
