"""The adaptive quiz's choices: which question to ask next, why, and when to offer a stop.

A recommendation is an outcome *and* a way to run it (its path), so the quiz may stop only
when both are settled. :func:`pick` asks :mod:`llmchoice.decide.reach` which outcomes the
answers so far leave reachable (every question not answered yet is open; a question
answered "not sure" stays unanswered) and which candidate question best separates them:
the one whose answers leave, on average, the fewest outcomes reachable. Once a single
outcome is left, :mod:`llmchoice.decide.reach_paths` says which of its paths are still
reachable; while there are several, the quiz asks the question whose answers leave, on
average, the fewest paths (it decides how to run it: self-hosted or through a hosted API,
say). When one outcome and one path are left, nothing left can change the recommendation,
and the quiz offers to stop. Pure: no terminal here.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from llmchoice.decide.partial import wins_for
from llmchoice.decide.reach import QuestionReach, Reach, reacher_for
from llmchoice.decide.reach_paths import Paths, path_reacher_for, ways
from llmchoice.frozen import frozen
from llmchoice.io.textsafe import clean_line
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import RuleSet


@frozen
class Pick:
    """The next question (None: none is a candidate), the one line that says why it is
    asked now, the outcomes still reachable and, when one is left, its paths still
    reachable (empty when the rule set declares no paths, or more outcomes are left)."""

    question: str | None
    why: str
    reachable: tuple[str, ...]
    paths: Paths = ()

    @property
    def settled(self) -> bool:
        """One outcome and one way to run it are left: the rest cannot change either."""
        return len(self.reachable) == 1 and len(self.paths) <= 1


@frozen
class StopOffer:
    """The offer to stop: ``remaining`` questions cannot change the recommendation
    ``outcome`` run as ``path`` (``label`` names both)."""

    remaining: int
    outcome: str
    label: str
    can_go_back: bool
    path: str | None = None


def _labels(rs: RuleSet, outcomes: Sequence[str]) -> str:
    names = [clean_line(rs.outcome(o).label) for o in outcomes]
    return _either(names, "and")


def _either(names: Sequence[str], word: str = "or") -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {word} " + names[-1]


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


def path_why(rs: RuleSet, outcome: str, paths: Paths) -> str:
    """One line: this question decides how to run ``outcome``, between ``paths``."""
    labels = [clean_line(rs.path(p).label) for p in paths if p is not None]
    which = _either(ways(labels)) if len(labels) > 1 else ""
    name = clean_line(rs.outcome(outcome).label)
    return f"Asked now: it decides how to run {name}" + (f": {which}." if which else ".")


def _path_question(rs: RuleSet, known: Mapping[str, Answer], open_: Collection[str],
                   candidates: Sequence[str], outcome: str) -> str | None:
    """The candidate whose answers leave, on average, the fewest paths of ``outcome``
    reachable (then the fewest at worst, then the earliest); None when no candidate
    can change the path (it then depends on questions that do not apply yet)."""
    pr = path_reacher_for(rs)
    wins = wins_for(reacher_for(rs), known, open_, outcome)
    best: tuple[float, int, int] | None = None
    pick_ = None
    for n, c in enumerate(candidates):
        if c not in pr.reads(outcome):
            continue
        sizes = [len(got) for v, got in pr.splits(known, open_, outcome, c, wins=wins)
                 if v is not None]
        key = (sum(sizes) / len(sizes), max(sizes), n) if sizes else None
        if key is not None and (best is None or key < best):
            best, pick_ = key, c
    return pick_


def pick(rs: RuleSet, known: Mapping[str, Answer], open_: Collection[str],
         candidates: Sequence[str], *, in_order: bool = False) -> Pick:
    """The next of ``candidates`` (questions that apply now and are not answered) to ask,
    given the ``known`` answers and the ``open_`` questions. ``in_order``: the first
    candidate in rule-set order (once the user chose to answer every question)."""
    if not candidates:
        return Pick(None, "", ())
    reach, best = reacher_for(rs).next_question(known, open_, candidates)
    paths: Paths = ()
    if len(reach.reachable) == 1 and rs.paths:
        outcome = reach.reachable[0]
        wins = wins_for(reacher_for(rs), known, open_, outcome)
        paths = path_reacher_for(rs).paths(known, open_, outcome, wins=wins)
    if in_order or best is None:
        return Pick(candidates[0], "", reach.reachable, paths)
    if len(reach.reachable) == 1 and len(paths) > 1:
        question = _path_question(rs, known, open_, candidates, reach.reachable[0])
        if question is not None:
            return Pick(question, path_why(rs, reach.reachable[0], paths), reach.reachable,
                        paths)
        return Pick(candidates[0], "", reach.reachable, paths)
    return Pick(best.question, why(rs, reach, best), reach.reachable, paths)


def stop_offer(rs: RuleSet, p: Pick, remaining: int, can_go_back: bool) -> StopOffer:
    outcome = p.reachable[0] if p.reachable else ""
    label = clean_line(rs.outcome(outcome).label) if outcome else ""
    path = p.paths[0] if p.paths else None
    if path is not None:
        label += f" — {clean_line(rs.path(path).label)}"
    return StopOffer(remaining, outcome, label, can_go_back, path)


__all__ = ["Pick", "StopOffer", "path_why", "pick", "stop_offer", "why"]
