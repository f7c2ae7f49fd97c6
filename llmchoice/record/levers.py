"""When to revisit a decision: every single answer whose change alone flips or weakens it.

For each question (preferences and facts alike: a change of where the data may live is as
real a reason to revisit as a change of taste), every other answer it could take is
weighed with the rest as recorded, by the engine (:func:`llmchoice.decide.engine.score`,
the one decision rule). A change is a *lever* when it gives another recommendation, turns
a clear verdict into one too close to call (or a close call into a clear one), or keeps
the recommendation but runs it another way. A number question (the monthly volume) is
cut by the thresholds its rules and path rules test; each range between two cuts whose
answers flip or weaken the decision is a lever, recorded as that range (``at_least``,
``below``) with one answer inside it, so a revisit with any answer in the range finds the
condition met. Nothing here scores.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from llmchoice.answers.validate import applicable
from llmchoice.decide.engine import alternatives, scored_path, with_answer
from llmchoice.decide.result import Result
from llmchoice.decide.values import thresholds
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
    # a number question's range (None: open at that end); both None for other questions
    at_least: float | None = None
    below: float | None = None


def _weigh(rs: RuleSet, answers: Mapping[str, Answer]) -> tuple[str, str | None, bool] | None:
    got = scored_path(rs, answers)
    if got is None:
        return None
    s, path, _ = got
    several = len(s.excluded) < len(rs.outcome_ids) - 1
    return s.winner, path.id if path else None, several and s.margin < rs.decision.min_lead


def levers(rs: RuleSet, result: Result) -> tuple[Lever, ...]:
    """Every single answer change that flips or weakens ``result``, in question order."""
    answers = result.answers
    base = (result.recommendation, result.path.id if result.path else None,
            result.certainty.label == "none" and result.certainty.basis != "defaults")
    out: list[Lever] = []
    for q in rs.questions:
        if not applicable(q, answers):
            continue
        current = answers.get(q.id)
        if q.type == "number":
            out.extend(_number_levers(rs, q.id, answers, base))
            continue
        for value in alternatives(rs, q, current):
            got = _weigh(rs, with_answer(rs, answers, q.id, value))
            if got is None or got == base:
                continue
            effect = RECOMMENDATION if got[0] != base[0] else \
                CERTAINTY if got[2] != base[2] else PATH
            out.append(Lever(q.id, current, value, got[0], got[1], got[2], effect))
    return tuple(out)


def _number_levers(rs: RuleSet, qid: str, answers: Mapping[str, Answer],
                   base: tuple[str, str | None, bool]) -> list[Lever]:
    """The ranges of a number question (between the thresholds its rules and path rules
    test) whose answers flip or weaken the decision; neighbouring ranges that give the same
    are one lever. The range the current answer lies in is never one."""
    cuts = thresholds(rs, qid, paths=True)
    if not cuts:
        return []
    current = answers.get(qid)
    ranges = [(None, cuts[0]), *zip(cuts, [*cuts[1:], None], strict=True)]
    q = rs.question(qid)
    out: list[Lever] = []
    for low, high in ranges:
        if isinstance(current, (int, float)) and (low is None or current >= low) \
                and (high is None or current < high):
            continue
        rep = low if low is not None else (high or 0.0) / 2
        if (q.minimum is not None and rep < q.minimum) or \
                (q.maximum is not None and rep > q.maximum):
            continue
        value: Answer = int(rep) if float(rep).is_integer() else rep
        got = _weigh(rs, with_answer(rs, answers, qid, value))
        if got is None or got == base:
            continue
        effect = RECOMMENDATION if got[0] != base[0] else \
            CERTAINTY if got[2] != base[2] else PATH
        prev = out[-1] if out else None
        if prev is not None and prev.below == low and \
                (prev.recommendation, prev.path, prev.close) == got:
            out[-1] = Lever(qid, current, prev.to_value, *got, effect, prev.at_least, high)
            continue
        out.append(Lever(qid, current, value, *got, effect, low, high))
    return out
