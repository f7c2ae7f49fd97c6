"""Which ways to run an outcome (its *paths*) some completion of the open questions can
still give, exactly.

A recommendation is two things: the outcome and how to run it, the path that
:func:`llmchoice.decide.engine.choose_path` picks from the ordered path rules of that
outcome, skipping the paths a fired rule excludes. The path reads its own questions (data
location, volume, expertise...), so a question that cannot change the outcome may still
change the path.

:meth:`PathReacher.paths` gives, for known answers, ``open_`` questions and an outcome,
every path some completion of the open questions gives that outcome (``None``: no path,
when no path rule of the outcome holds). A completion gives each open question one value of
its answer space (:func:`~llmchoice.decide.reach_space.answer_space`) or no answer at all
("not sure"), as for the outcomes. Only the open questions the path can depend on are
tried: those the outcome's path rules and the path-excluding rules read, and the questions
their ``when`` conditions read, transitively.

It is a depth-first search over those questions with a three-valued cut: at each node
(some questions given a value, the others still open) the path rules are walked in order,
as ``choose_path`` does; a condition whose truth the open questions can still change is
*undecided*, and the search then branches on one of its open questions. When the walk
meets a rule that holds for sure, with a path that no rule can exclude any more, every
completion below the node gives the same path, and that path is the one ``choose_path``
itself picks for the node's answers. Conditions are three-valued (``None``: a question
is unanswered), and a definite value stays definite when more questions get answers, so
the cut is exact (an ``answered`` test on an open question is always undecided).

The search stops at ``limit`` distinct paths (2 answers "is the path settled?"). A path
counts only where the outcome can win: ``wins`` (a callback, usually
:meth:`llmchoice.decide.reach.Reacher.reachable`) is asked for the node's answers when a
new path is found; without it every path found counts, which is exact when the outcome
wins under every completion.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from llmchoice.answers.validate import applicable
from llmchoice.decide.engine import choose_path, path_exclusions
from llmchoice.decide.memo import PerRuleSet
from llmchoice.decide.reach_space import answer_space
from llmchoice.decide.tables import MISSING
from llmchoice.ruleset.conditions import Answer, Condition, leaves
from llmchoice.ruleset.model import RuleSet

Paths = tuple[str | None, ...]  # path ids; None: no path rule of the outcome holds
# wins(answers, still open): can the outcome win for some completion of the questions open?
Wins = Callable[[Mapping[str, Answer], Collection[str]], bool]


@dataclass(frozen=True, slots=True)
class PathReach:
    """How a reachable outcome may be run: its reachable ``paths`` (path order, ``None``
    last: no path), and, when there are several, the open questions an answer to which
    rules one of them out while the outcome can still win (``deciding``, question
    order)."""

    outcome: str
    paths: Paths
    deciding: tuple[str, ...] = ()

    @property
    def settled(self) -> bool:
        return len(self.paths) == 1


class TriCond:
    """A condition with what the cut needs: the questions it reads, and those it reads with
    ``answered`` (whose truth an open question can change whatever the rest says)."""

    __slots__ = ("answered", "cond", "reads")

    def __init__(self, cond: Condition) -> None:
        self.cond = cond
        self.reads = cond.questions()
        self.answered = frozenset(lf.question for lf in leaves(cond) if lf.op == "answered")

    def state(self, answers: Mapping[str, Answer], open_: Collection[str]) -> bool | None:
        """True or False for every completion of ``open_``; None: still undecided."""
        if self.reads.isdisjoint(open_):
            return self.cond.evaluate(answers) is True
        if not self.answered.isdisjoint(open_):
            return None
        return self.cond.evaluate(answers)


class PathReacher:
    """Path reachability for one rule set (build once; see :func:`path_reacher_for`)."""

    def __init__(self, rs: RuleSet) -> None:
        self.ruleset = rs
        self._q = {q.id: q for q in rs.questions}
        self._order = {q.id: n for n, q in enumerate(rs.questions)}
        self._path_order = {p.id: n for n, p in enumerate(rs.paths)}
        outcome_of = {p.id: p.outcome for p in rs.paths}
        self._excluders = [(r.id, TriCond(r.when), frozenset(r.exclude_paths))
                           for r in rs.rules if r.exclude_paths]
        self._rules: dict[str, list[tuple[str, TriCond | None]]] = {o: [] for o in rs.outcome_ids}
        for pr in rs.path_rules:
            self._rules[outcome_of[pr.path]].append(
                (pr.path, None if pr.when is None else TriCond(pr.when)))
        self._reads = {o: self._closure(o) for o in rs.outcome_ids}
        # a question whose `when` reads a question of the closure: the cut cannot tell
        # whether it applies until that one is answered, so it only cuts complete nodes
        self._dynamic = {o: any(q.when is not None for q in rs.questions if q.id in reads)
                         for o, reads in self._reads.items()}
        self._space = {q.id: (*answer_space(rs, q), MISSING) for q in rs.questions}

    def _closure(self, outcome: str) -> frozenset[str]:
        """The questions a path of ``outcome`` can depend on."""
        mine = {p for p, _ in self._rules[outcome]}
        found: set[str] = set()
        for _, c in self._rules[outcome]:
            found |= c.reads if c is not None else set()
        for _, c, paths in self._excluders:
            if paths & mine:
                found |= c.reads
        grew = True
        while grew:
            grew = False
            for q in self.ruleset.questions:
                if q.id in found and q.when is not None and not q.when.questions() <= found:
                    found |= q.when.questions()
                    grew = True
        return frozenset(found)

    def reads(self, outcome: str) -> frozenset[str]:
        """The questions a path of ``outcome`` can depend on (see the module)."""
        return self._reads[outcome]

    # ------------------------------------------------------------------ the search

    def _answers(self, known: Mapping[str, Answer]) -> dict[str, Answer]:
        """The known answers that count: those whose question applies, in question order."""
        out: dict[str, Answer] = {}
        for q in self.ruleset.questions:
            if q.id in known and applicable(q, out):
                out[q.id] = known[q.id]
        return out

    def _excluded(self, path: str, answers: Mapping[str, Answer],
                  open_: Collection[str]) -> bool | None:
        undecided = False
        for _, c, paths in self._excluders:
            if path in paths:
                s = c.state(answers, open_)
                if s is True:
                    return True
                undecided |= s is None
        return None if undecided else False

    def _walk(self, outcome: str, answers: Mapping[str, Answer],
              open_: Collection[str]) -> tuple[set[str | None], str | None]:
        """The paths the completions of ``open_`` can give (a superset), and an open question
        whose answer the walk needs first (None: every completion gives the same path)."""
        possible: set[str | None] = set()
        branch: str | None = None
        for path, c in self._rules[outcome]:
            ex = self._excluded(path, answers, open_)
            if ex is True:
                continue
            holds = True if c is None else c.state(answers, open_)
            if holds is False:
                continue
            possible.add(path)
            if ex is False and holds is True:
                return possible, branch
            if branch is None:
                undecided = [c.reads] if c is not None and holds is None else []
                undecided += [e.reads for _, e, paths in self._excluders
                              if path in paths and e.state(answers, open_) is None]
                branch = min((q for r in undecided for q in r if q in open_),
                             key=self._order.__getitem__)
        possible.add(None)
        return possible, branch

    def _chosen(self, outcome: str, answers: Mapping[str, Answer]) -> str | None:
        """The engine's own choice for these answers (open questions unanswered)."""
        fired = [rid for rid, c, _ in self._excluders if c.cond.evaluate(answers) is True]
        got = choose_path(self.ruleset, answers, outcome,
                          {e.outcome for e in path_exclusions(self.ruleset, fired)})
        return None if got is None else got.id

    def paths(self, known: Mapping[str, Answer], open_: Collection[str], outcome: str, *,
              limit: int = 0, wins: Wins | None = None) -> Paths:
        """The paths some completion of ``open_`` gives ``outcome`` (see the module): in
        path order, ``None`` last; at most ``limit`` of them (0: all) in the order found."""
        opened = set(open_)
        todo = [q for q in self._q if q in opened and q in self._reads[outcome]]
        base = {q: v for q, v in known.items() if q not in opened}
        found: list[str | None] = []
        dynamic = self._dynamic[outcome]
        stack: list[dict[str, object]] = [{}]
        while stack:
            given = stack.pop()
            raw = {**base, **{q: v for q, v in given.items() if v is not MISSING}}
            answers = self._answers(raw)  # type: ignore[arg-type]
            still = [q for q in todo if q not in given]
            possible, branch = self._walk(outcome, answers, still)
            if possible <= set(found):
                continue  # nothing new below
            if dynamic and still:
                branch = still[0]
            if branch is not None:
                stack.extend({**given, branch: v} for v in reversed(self._space[branch]))
                continue
            path = self._chosen(outcome, answers)
            if path in found or (wins is not None and
                                 not wins(raw, [q for q in opened if q not in given])):  # type: ignore[arg-type]
                continue
            found.append(path)
            if limit and len(found) >= limit:
                break
        return tuple(sorted(found, key=lambda p: self._path_order.get(p, len(
            self._path_order)) if p is not None else len(self._path_order)))

    def first_undecided(self, known: Mapping[str, Answer], open_: Collection[str],
                        outcome: str) -> str | None:
        """The open question the path rules of ``outcome``, walked in order, need answered
        first (None: the path is settled, or depends only on whether questions apply)."""
        opened = set(open_)
        answers = self._answers({q: v for q, v in known.items() if q not in opened})
        still = [q for q in self._q if q in opened and q in self._reads[outcome]]
        return self._walk(outcome, answers, still)[1]

    def splits(self, known: Mapping[str, Answer], open_: Collection[str], outcome: str,
               question: str, *, wins: Wins | None = None,
               ) -> tuple[tuple[Answer | None, Paths], ...]:
        """For each answer to ``question`` (None: not sure), the paths still reachable."""
        rest = [q for q in open_ if q != question]
        out: list[tuple[Answer | None, Paths]] = []
        for v in self._space[question]:
            fixed = {k: x for k, x in known.items() if k != question}
            value = None if v is MISSING else cast(Answer, v)
            if value is not None:
                fixed[question] = value
            out.append((value, self.paths(fixed, rest, outcome, wins=wins)))
        return tuple(out)

    def reach(self, known: Mapping[str, Answer], open_: Collection[str], outcome: str, *,
              wins: Wins | None = None) -> PathReach:
        """The reachable paths of ``outcome`` and, when several, the open questions that
        rule one out."""
        now = self.paths(known, open_, outcome, wins=wins)
        if len(now) < 2:
            return PathReach(outcome, now)
        deciding = tuple(q for q in self._q if q in open_ and q in self._reads[outcome]
                         and any(got and set(got) != set(now) for _, got in
                                 self.splits(known, open_, outcome, q, wins=wins)))
        return PathReach(outcome, now, deciding)


def ways(labels: Sequence[str]) -> list[str]:
    """The path labels without the words they all share at the start and at the end
    ("Open weights, self-hosted" and "Open weights through a hosted API": "self-hosted"
    and "through a hosted API"), each starting in lower case unless it is an acronym: how
    the quiz and the reports name the ways still open in one sentence."""
    words = [label.split() for label in labels]
    if len(words) > 1:
        def bare(w: str) -> str:
            return w.strip(",;:").lower()
        head = 0
        while all(len(w) > head + 1 and bare(w[head]) == bare(words[0][head]) for w in words):
            head += 1
        tail = 0
        while all(len(w) > head + tail + 1 and bare(w[-1 - tail]) == bare(words[0][-1 - tail])
                  for w in words):
            tail += 1
        words = [w[head:len(w) - tail] for w in words]
    out = []
    for w in words:
        text = " ".join(w).strip(" ,;:")
        first = text.split(" ", 1)[0]
        if first[:1].isupper() and not any(c.isupper() for c in first[1:]):
            text = text[0].lower() + text[1:]
        out.append(text)
    return out


path_reacher_for = PerRuleSet(PathReacher)
"""One :class:`PathReacher` per rule set (the last 8 are kept)."""


__all__ = ["PathReach", "PathReacher", "Paths", "TriCond", "Wins", "path_reacher_for", "ways"]
