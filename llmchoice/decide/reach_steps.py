"""Which sets of next steps (the report's advice) some completion of the open questions can
still give a settled outcome and path, exactly.

A report's advice is the rule set's ``next_steps`` that apply
(:func:`llmchoice.decide.explain.next_steps`): a step applies when the recommendation is
in its ``recommendation``, the path in its ``paths`` and its ``when`` holds for the answers.
Once the outcome and the way to run it are settled, the steps that can apply to them are
fixed; whether each applies then depends only on the questions its ``when`` reads (in-house
expertise decides between "first get the skill" and "learn to serve models yourselves"),
and on the questions whose ``when`` those read, transitively.

:meth:`StepReacher.sets` gives the distinct sets of steps (ids, file order) that some
completion of the open questions gives, a completion giving each open question a value of
its answer space or no answer ("not sure"), as for the outcomes and paths. It is the same
depth-first search with a three-valued cut as :mod:`llmchoice.decide.reach_paths`: at each
node the ``when`` of every candidate step is true, false or still undecided
(:class:`~llmchoice.decide.reach_paths.TriCond`); when none is undecided every completion
below gives the same set, else the search branches on the first open question an
undecided one reads. A set counts only where the outcome can win (``wins``, as for paths);
the search stops at ``limit`` distinct sets (2 answers "is the advice settled?").
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import cast

from llmchoice.answers.validate import applicable
from llmchoice.decide.memo import PerRuleSet
from llmchoice.decide.reach_paths import TriCond, Wins
from llmchoice.decide.reach_space import answer_space
from llmchoice.decide.tables import MISSING
from llmchoice.frozen import frozen
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import NextStep, RuleSet

Steps = tuple[str, ...]  # next-step ids, in file order


@frozen
class StepReach:
    """The advice for ``outcome`` run as ``path``: the distinct sets of next steps the open
    questions can still give (at most two when only settledness was asked), and, when
    they are several, the open questions an answer to which changes them (question
    order)."""

    outcome: str
    path: str | None
    sets: tuple[Steps, ...]
    deciding: tuple[str, ...] = ()

    @property
    def settled(self) -> bool:
        return len(self.sets) <= 1


class StepReacher:
    """Next-step reachability for one rule set (see :func:`step_reacher_for`)."""

    def __init__(self, rs: RuleSet) -> None:
        self.ruleset = rs
        self._order = {q.id: n for n, q in enumerate(rs.questions)}
        self._space = {q.id: (*answer_space(rs, q), MISSING) for q in rs.questions}
        self._conds = {ns.id: TriCond(ns.when) for ns in rs.next_steps if ns.when is not None}
        self._mine: dict[tuple[str, str | None], tuple[NextStep, ...]] = {}
        self._reads: dict[tuple[str, str | None], frozenset[str]] = {}

    def candidates(self, outcome: str, path: str | None) -> tuple[NextStep, ...]:
        """The steps that can apply to ``outcome`` run as ``path``, in file order."""
        key = (outcome, path)
        if key not in self._mine:
            self._mine[key] = tuple(
                ns for ns in self.ruleset.next_steps
                if (not ns.recommendation or outcome in ns.recommendation)
                and (not ns.paths or (path is not None and path in ns.paths)))
        return self._mine[key]

    def reads(self, outcome: str, path: str | None) -> frozenset[str]:
        """The questions the advice for ``outcome`` and ``path`` can depend on: those the
        candidate steps' ``when`` read, and those their questions' ``when`` read."""
        key = (outcome, path)
        if key not in self._reads:
            found: set[str] = set()
            for ns in self.candidates(outcome, path):
                if ns.id in self._conds:
                    found |= self._conds[ns.id].reads
            grew = True
            while grew:
                grew = False
                for q in self.ruleset.questions:
                    if q.id in found and q.when is not None and \
                            not q.when.questions() <= found:
                        found |= q.when.questions()
                        grew = True
            self._reads[key] = frozenset(found)
        return self._reads[key]

    def _answers(self, known: Mapping[str, object]) -> dict[str, Answer]:
        out: dict[str, Answer] = {}
        for q in self.ruleset.questions:
            if q.id in known and applicable(q, out):
                out[q.id] = cast(Answer, known[q.id])
        return out

    def _node(self, steps: tuple[NextStep, ...], answers: Mapping[str, Answer],
              still: list[str]) -> tuple[Steps, str | None]:
        """The steps that apply below this node, or an open question to branch on."""
        applied: list[str] = []
        branch: str | None = None
        for ns in steps:
            c = self._conds.get(ns.id)
            state = True if c is None else c.state(answers, still)
            if state is None and c is not None:
                q = min((x for x in c.reads if x in still), key=self._order.__getitem__)
                if branch is None or self._order[q] < self._order[branch]:
                    branch = q
            elif state:
                applied.append(ns.id)
        return tuple(applied), branch

    def _leaves(self, known: Mapping[str, Answer], open_: Collection[str], outcome: str,
                path: str | None) -> Iterator[tuple[dict[str, object], Steps]]:
        """Every leaf of the search: the open questions given a value (:data:`MISSING`: no
        answer) and the steps every completion below it gives; the leaves partition the
        completions."""
        opened = set(open_)
        reads = self.reads(outcome, path)
        todo = [q for q in self._order if q in opened and q in reads]
        dynamic = any(self.ruleset.question(q).when is not None for q in reads)
        base = {q: v for q, v in known.items() if q not in opened}
        steps = self.candidates(outcome, path)
        stack: list[dict[str, object]] = [{}]
        while stack:
            given = stack.pop()
            raw = {**base, **{q: v for q, v in given.items() if v is not MISSING}}
            still = [q for q in todo if q not in given]
            applied, branch = self._node(steps, self._answers(raw), still)
            if dynamic and still:
                branch = still[0]
            if branch is not None:
                stack.extend({**given, branch: v} for v in reversed(self._space[branch]))
                continue
            yield given, applied

    def sets(self, known: Mapping[str, Answer], open_: Collection[str], outcome: str,
             path: str | None, *, limit: int = 0, wins: Wins | None = None,
             ) -> tuple[Steps, ...]:
        """The distinct sets of steps some completion of ``open_`` gives (see the module),
        in the order found; at most ``limit`` of them (0: all)."""
        base = {q: v for q, v in known.items() if q not in open_}
        found: list[Steps] = []
        for given, applied in self._leaves(known, open_, outcome, path):
            if applied in found:
                continue
            if wins is not None:
                raw = {**base, **{q: v for q, v in given.items() if v is not MISSING}}
                if not wins(cast(Mapping[str, Answer], raw),
                            [q for q in open_ if q not in given]):
                    continue
            found.append(applied)
            if limit and len(found) >= limit:
                break
        return tuple(found)

    def splits(self, known: Mapping[str, Answer], open_: Collection[str], outcome: str,
               path: str | None, question: str, *, limit: int = 0, wins: Wins | None = None,
               ) -> tuple[tuple[Answer | None, tuple[Steps, ...]], ...]:
        """For each answer to ``question`` (None: not sure), the sets still reachable."""
        rest = [q for q in open_ if q != question]
        out: list[tuple[Answer | None, tuple[Steps, ...]]] = []
        for v in self._space[question]:
            fixed = {k: x for k, x in known.items() if k != question}
            value = None if v is MISSING else cast(Answer, v)
            if value is not None:
                fixed[question] = value
            out.append((value, self.sets(fixed, rest, outcome, path, limit=limit,
                                         wins=wins)))
        return tuple(out)

    def reach(self, known: Mapping[str, Answer], open_: Collection[str], outcome: str,
              path: str | None, *, wins: Wins | None = None) -> StepReach:
        """Whether the advice is settled and, when it is not, the open questions that
        change it: those after an answer to which the sets still reachable differ."""
        now = self.sets(known, open_, outcome, path, wins=wins)
        if len(now) < 2:
            return StepReach(outcome, path, now)
        reads = [q for q in self._order if q in open_ and q in self.reads(outcome, path)]
        if wins is None:  # every leaf counts: what each answer leaves, from one search
            leaves = list(self._leaves(known, open_, outcome, path))
            deciding = tuple(q for q in reads if any(
                len({a for g, a in leaves if g.get(q, v) is v}) < len(now)
                for v in self._space[q]))
        else:  # what an answer leaves is a subset of ``now``: it differs when smaller
            deciding = tuple(q for q in reads if any(
                len(got) < len(now) for _, got in
                self.splits(known, open_, outcome, path, q, limit=len(now), wins=wins)))
        return StepReach(outcome, path, now, deciding)

    def undecided_steps(self, known: Mapping[str, Answer], open_: Collection[str],
                        outcome: str, path: str | None, question: str) -> tuple[NextStep, ...]:
        """The candidate steps whose ``when`` reads ``question`` and the open questions
        leave undecided: the advice an answer to it may change."""
        answers = self._answers({q: v for q, v in known.items() if q not in open_})
        still = [q for q in open_ if q in self.reads(outcome, path)]
        out = []
        for ns in self.candidates(outcome, path):
            c = self._conds.get(ns.id)
            if c is not None and question in c.reads and c.state(answers, still) is None:
                out.append(ns)
        return tuple(out)


step_reacher_for = PerRuleSet(StepReacher)
"""One :class:`StepReacher` per rule set (the last 8 are kept)."""


__all__ = ["StepReach", "StepReacher", "Steps", "step_reacher_for"]
