"""The adaptive quiz's choices: which question to ask next, why, and when to offer a stop.

A recommendation is an outcome *and* a way to run it (its path), so the quiz may stop only
when both are settled. :func:`pick` asks :mod:`llmchoice.decide.reach` which outcomes the
answers so far leave reachable (every question not answered yet is open; a question
answered "not sure" stays unanswered) and which candidate question best separates them:
the one whose answers leave, on average, the fewest outcomes reachable. Once a single
outcome is left, :mod:`llmchoice.decide.reach_paths` says which of its paths are still
reachable; while there are several, the quiz asks the question whose answers leave, on
average, the fewest paths (it decides how to run it: self-hosted or through a hosted API,
say). When one outcome and one path are left, the report's advice may still depend on the
open questions (the rule set's next steps, whose ``when`` read in-house expertise, say);
:mod:`llmchoice.decide.reach_steps` says whether every completion gives the same steps, and
while it does not, the quiz asks the question that the most undecided steps read. When the
outcome, the path and the advice are settled, nothing left can change the recommendation,
and the quiz offers to stop. Pure: no terminal here.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from llmchoice.decide.partial import wins_for
from llmchoice.decide.reach import QuestionReach, Reach, reacher_for
from llmchoice.decide.reach_paths import Paths, path_reacher_for, ways
from llmchoice.decide.reach_steps import step_reacher_for
from llmchoice.frozen import frozen
from llmchoice.io.textsafe import clean_line
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import NextStep, RuleSet


@frozen
class Pick:
    """The next question (None: none is a candidate), the one line that says why it is
    asked now, the outcomes still reachable and, when one is left, its paths still
    reachable (empty when the rule set declares no paths, or more outcomes are left);
    ``advice``: whether the next steps the report gives are settled too."""

    question: str | None
    why: str
    reachable: tuple[str, ...]
    paths: Paths = ()
    advice: bool = True

    @property
    def settled(self) -> bool:
        """One outcome, one way to run it and one set of next steps are left: the rest
        cannot change any of them."""
        return len(self.reachable) == 1 and len(self.paths) <= 1 and self.advice


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


_COUNTS = {3: "three", 4: "four", 5: "five"}


def _excludes(rs: RuleSet, qid: str, outcome: str) -> bool:
    """Some rule that reads ``qid`` excludes ``outcome`` (a hard constraint)."""
    return any(outcome in r.exclude and qid in r.when.questions() for r in rs.rules)


def _weighs(rs: RuleSet, qid: str, outcomes: Sequence[str]) -> list[str]:
    """The ``outcomes`` to which some rule that reads ``qid`` gives points."""
    given = {o for r in rs.rules if qid in r.when.questions() for o, pts in r.points if pts}
    return [o for o in outcomes if o in given]


def why(rs: RuleSet, reach: Reach, q: QuestionReach | None) -> str:
    """One line: why this question is asked now. "Rule out" only where a rule that reads it
    excludes the outcome; "put out of reach" where its points alone can."""
    if q is None or len(reach.reachable) <= 1:
        return ""
    moves = q.moves(reach.reachable)
    if len(reach.reachable) == 2 and len(moves) == 2:
        return f"Asked now: it decides between {_labels(rs, reach.reachable)}."
    if moves:
        hard = [o for o in moves if _excludes(rs, q.question, o)]
        soft = [o for o in moves if o not in hard]
        parts = ([f"rule out {_labels(rs, hard)}"] if hard else []) + \
                ([f"put {_labels(rs, soft)} out of reach"] if soft else [])
        return f"Asked now: an answer to it can {' and '.join(parts)}."
    weighed = _weighs(rs, q.question, reach.reachable)
    n = len(reach.reachable)
    still = "both are" if n == 2 else f"all {_COUNTS.get(n, str(n))} are"
    if len(weighed) >= 2:
        return (f"Asked now: it weighs {_either(_names(rs, weighed), 'against')}; "
                f"{still} still possible.")
    if weighed:
        return (f"Asked now: it adds to the case for {_labels(rs, weighed)}; {still} still "
                f"possible.")
    return f"Asked now: with the answers still to come, it decides between " \
           f"{_labels(rs, reach.reachable)}."


def _names(rs: RuleSet, outcomes: Sequence[str]) -> list[str]:
    return [clean_line(rs.outcome(o).label) for o in outcomes]


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


def _advice_question(rs: RuleSet, known: Mapping[str, Answer], open_: Collection[str],
                     candidates: Sequence[str], outcome: str, path: str | None,
                     ) -> tuple[str | None, str]:
    """The candidate that the most next steps still undecided read (then the earliest),
    with the one line that says which advice it decides; None when no candidate is read
    by one (the advice then depends on questions that do not apply yet)."""
    sr = step_reacher_for(rs)
    best: tuple[int, int] | None = None
    chosen: tuple[str | None, str] = (None, "")
    for n, c in enumerate(candidates):
        if c not in sr.reads(outcome, path):
            continue
        steps = sr.undecided_steps(known, open_, outcome, path, c)
        if steps and (best is None or (-len(steps), n) < best):
            best = (-len(steps), n)
            chosen = (c, advice_why(rs, steps))
    return chosen


def advice_why(rs: RuleSet, steps: Sequence[NextStep]) -> str:
    """One line: this question decides the report's advice, under the lessons of
    ``steps`` (the next steps it may add or remove)."""
    lessons: list[str] = []
    for ns in steps:
        lesson = next((c for c in ns.cites if c in rs.tradeoffs
                       and rs.tradeoffs[c].kind == "lesson"), None)
        title = clean_line(rs.tradeoffs[lesson].title) if lesson is not None else ""
        if title and title not in lessons:
            lessons.append(title)
    under = f": next steps under {_either(lessons, 'and')}" if lessons else ""
    return f"Asked now: it decides the report's advice{under}."


def pick(rs: RuleSet, known: Mapping[str, Answer], open_: Collection[str],
         candidates: Sequence[str], *, in_order: bool = False) -> Pick:
    """The next of ``candidates`` (questions that apply now and are not answered) to ask,
    given the ``known`` answers and the ``open_`` questions. ``in_order``: the first
    candidate in rule-set order (once the user chose to answer every question)."""
    if not candidates:
        return Pick(None, "", ())
    r = reacher_for(rs)
    reach, best = r.next_question(known, open_, candidates)
    paths: Paths = ()
    advice = True
    if len(reach.reachable) == 1:
        outcome = reach.reachable[0]
        wins = wins_for(r, known, open_, outcome)
        if rs.paths:
            paths = path_reacher_for(rs).paths(known, open_, outcome, wins=wins)
        if len(paths) <= 1 and rs.next_steps:
            path = paths[0] if paths else None
            advice = len(step_reacher_for(rs).sets(known, open_, outcome, path, limit=2,
                                                   wins=wins)) <= 1
    if in_order or best is None:
        return Pick(candidates[0], "", reach.reachable, paths, advice)
    if len(reach.reachable) == 1 and len(paths) > 1:
        question = _path_question(rs, known, open_, candidates, reach.reachable[0])
        if question is not None:
            return Pick(question, path_why(rs, reach.reachable[0], paths), reach.reachable,
                        paths, advice)
        return Pick(candidates[0], "", reach.reachable, paths, advice)
    if len(reach.reachable) == 1 and not advice:
        question, line = _advice_question(rs, known, open_, candidates, reach.reachable[0],
                                          paths[0] if paths else None)
        return Pick(question or candidates[0], line, reach.reachable, paths, advice)
    return Pick(best.question, why(rs, reach, best), reach.reachable, paths, advice)


def stop_offer(rs: RuleSet, p: Pick, remaining: int, can_go_back: bool) -> StopOffer:
    outcome = p.reachable[0] if p.reachable else ""
    label = clean_line(rs.outcome(outcome).label) if outcome else ""
    path = p.paths[0] if p.paths else None
    if path is not None:
        label += f" — {clean_line(rs.path(path).label)}"
    return StopOffer(remaining, outcome, label, can_go_back, path)


__all__ = ["Pick", "StopOffer", "advice_why", "path_why", "pick", "stop_offer", "why"]
