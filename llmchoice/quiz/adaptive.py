"""The adaptive quiz's choices: which question to ask next, why, and when to offer a stop.

:func:`pick` asks :mod:`llmchoice.decide.reach` which outcomes the answers so far leave
reachable (every question not answered yet is open; a question answered "not sure" stays
unanswered) and which candidate question best separates them: the one whose answers leave,
on average, the fewest outcomes reachable. When a single outcome is reachable, nothing left
can change the recommendation, and the quiz offers to stop. Pure: no terminal here.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from llmchoice.decide.reach import QuestionReach, Reach, reacher_for
from llmchoice.frozen import frozen
from llmchoice.io.textsafe import clean_line
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import RuleSet


@frozen
class Pick:
    """The next question (None: none is a candidate), the one line that says why it is
    asked now, and the outcomes still reachable."""

    question: str | None
    why: str
    reachable: tuple[str, ...]

    @property
    def settled(self) -> bool:
        return len(self.reachable) == 1


@frozen
class StopOffer:
    """The offer to stop: ``remaining`` questions cannot change the recommendation
    ``outcome`` (its label in ``label``)."""

    remaining: int
    outcome: str
    label: str
    can_go_back: bool


def _labels(rs: RuleSet, outcomes: Sequence[str]) -> str:
    names = [clean_line(rs.outcome(o).label) for o in outcomes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def why(rs: RuleSet, reach: Reach, q: QuestionReach | None) -> str:
    """One line: why this question is asked now."""
    if q is None or len(reach.reachable) <= 1:
        return ""
    moves = q.moves(reach.reachable)
    if len(reach.reachable) == 2 and len(moves) == 2:
        return f"Asked now: it decides between {_labels(rs, reach.reachable)}."
    if moves:
        return f"Asked now: an answer to it can rule out {_labels(rs, moves)}."
    return "Asked now: with the questions left, it can still change the recommendation."


def pick(rs: RuleSet, known: Mapping[str, Answer], open_: Collection[str],
         candidates: Sequence[str], *, in_order: bool = False) -> Pick:
    """The next of ``candidates`` (questions that apply now and are not answered) to ask,
    given the ``known`` answers and the ``open_`` questions. ``in_order``: the first
    candidate in rule-set order (once the user chose to answer every question)."""
    if not candidates:
        return Pick(None, "", ())
    reach, best = reacher_for(rs).next_question(known, open_, candidates)
    if in_order or best is None:
        return Pick(candidates[0], "", reach.reachable)
    return Pick(best.question, why(rs, reach, best), reach.reachable)


def stop_offer(rs: RuleSet, p: Pick, remaining: int, can_go_back: bool) -> StopOffer:
    outcome = p.reachable[0] if p.reachable else ""
    label = clean_line(rs.outcome(outcome).label) if outcome else ""
    return StopOffer(remaining, outcome, label, can_go_back)


__all__ = ["Pick", "StopOffer", "pick", "stop_offer", "why"]
