"""Which outcomes can still win while some questions are open, exactly.

For known answers and a set of *open* questions, an outcome is *reachable* when some
completion of the open questions makes it win. A completion gives each open question one
value of its *answer space* (:func:`answer_space`: a choice question's choices, yes and no,
for a multi-choice question every way of ticking the choices the rules tell apart, for a
number question one value per region the conditions tell apart) or no answer at all, as
"not sure" leaves it (:data:`~llmchoice.decide.tables.MISSING`; ``missing=False`` leaves
that out). Questions whose ``when`` stops holding drop out, as in the engine.

How it stays exact and fast. The open questions are cut into *components*: questions that
a rule or a ``when`` reads together. Each component's completions are evaluated once with
the engine's condition code, and what its rules add is packed into one integer (the
:class:`~llmchoice.decide.tables.Packing` of the compiled evaluator: points per outcome and
one flag per excluding rule), so a component becomes the small set of its distinct
*effects*. Points add up, so the totals of every completion are the sum set of the
components' effects, built one component at a time (a few thousand distinct totals for the
default rule set, where the full product has 28 million completions). Each distinct total
is decided once by :func:`llmchoice.decide.rule.decide`, the one decision rule.

Rule sets whose points are not exact in floating point (see
:func:`llmchoice.decide.tables.packing_of`) keep the totals as tuples of floats added
component by component; the decision rounds scores to 6 decimals, so the order of the
additions does not change a verdict in practice.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from itertools import product

from llmchoice.answers.validate import applicable
from llmchoice.decide.memo import PerRuleSet
from llmchoice.decide.reach_paths import PathReach
from llmchoice.decide.reach_space import answer_space
from llmchoice.decide.reach_steps import StepReach
from llmchoice.decide.rule import decide
from llmchoice.decide.tables import MISSING, packing_of
from llmchoice.frozen import frozen
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import Rule, RuleSet

State = int | tuple[float | int, ...]  # a packed total, or (sums..., flags) when not exact
MAX_CACHE = 4096  # component tables kept per rule set


@frozen
class Component:
    """Open questions read together, and for each completion of them (values in the order
    of ``questions``; :data:`MISSING` for no answer) the effect of its rules."""

    questions: tuple[str, ...]
    completions: tuple[tuple[tuple[object, ...], State], ...]

    def effects(self, where: Callable[[tuple[object, ...]], bool] | None = None) -> set[State]:
        return {e for combo, e in self.completions if where is None or where(combo)}


class Reacher:
    """Reachability for one rule set (build once; :func:`reacher_for` keeps one per set)."""

    def __init__(self, rs: RuleSet) -> None:
        self.ruleset = rs
        self.outcomes = rs.outcome_ids
        self._q = {q.id: q for q in rs.questions}
        self._order = {q.id: n for n, q in enumerate(rs.questions)}
        self._space = {q.id: answer_space(rs, q) for q in rs.questions}
        self._reads = [r.when.questions() for r in rs.rules]
        self._when_reads = {q.id: q.when.questions() for q in rs.questions if q.when}
        self._packing = packing_of(rs)
        self._excluders = tuple(i for i, r in enumerate(rs.rules) if r.exclude)
        self._winner: dict[State, str | None] = {}
        self._cache: dict[object, Component] = {}

    # ------------------------------------------------------------------ totals

    def _effect(self, rules: Iterable[int], answers: Mapping[str, Answer]) -> State:
        """What ``rules`` add for these answers, packed."""
        sums = [0.0] * len(self.outcomes)
        flags = 0
        index = {o: n for n, o in enumerate(self.outcomes)}
        for i in rules:
            rule: Rule = self.ruleset.rules[i]
            if rule.when.evaluate(answers) is not True:
                continue
            if rule.exclude:
                flags |= 1 << self._excluders.index(i)
            for outcome, pts in rule.points:
                sums[index[outcome]] += pts
        p = self._packing
        if p is None:
            return (*sums, flags)
        packed = flags
        for n, value in enumerate(sums):
            packed += int(value * p.unit) << (p.flag_bits + p.bits * n)
        return packed

    def _decode(self, state: State) -> tuple[list[float], set[str]]:
        p = self._packing
        if p is None:
            assert isinstance(state, tuple)
            sums, flags = [float(x) for x in state[:-1]], int(state[-1])
        else:
            assert isinstance(state, int)
            sums, flags = p.unpack(state, len(self.outcomes))
        excluded = {o for n, i in enumerate(self._excluders) if flags >> n & 1
                    for o in self.ruleset.rules[i].exclude}
        return sums, excluded

    def verdict(self, state: State) -> tuple[str, float] | None:
        """(winner, margin) of a total by the one decision rule; None when nothing is left."""
        sums, excluded = self._decode(state)
        v = decide(sums, excluded, self.ruleset.decision, self.outcomes)
        return None if v is None else (v.winner, v.margin)

    def alone(self, state: State) -> bool:
        """Whether a total's exclusions leave a single outcome (it wins by force, margin 0)."""
        return len(self.outcomes) - len(self._decode(state)[1]) == 1

    def winner(self, state: State) -> str | None:
        found = self._winner.get(state, MISSING)
        if found is MISSING:
            v = self.verdict(state)
            found = self._winner[state] = None if v is None else v[0]
        return found  # type: ignore[return-value]

    def add(self, states: set[State], effects: set[State]) -> set[State]:
        """The sum set: every state plus every effect."""
        if len(effects) == 1:
            (e,) = effects
            if self._packing is not None:
                return {s + e for s in states}  # type: ignore[operator]
            return {_tadd(s, e) for s in states}  # type: ignore[arg-type]
        if self._packing is not None:
            return {s + e for s in states for e in effects}  # type: ignore[operator]
        return {_tadd(s, e) for s in states for e in effects}  # type: ignore[arg-type]

    def plus(self, state: State, effect: State) -> State:
        """One state plus one effect."""
        if self._packing is not None:
            return state + effect  # type: ignore[operator]
        return _tadd(state, effect)  # type: ignore[arg-type]

    def space(self, qid: str) -> tuple[Answer, ...]:
        """The values of question ``qid`` a completion tries (:func:`answer_space`)."""
        return self._space[qid]

    def winners(self, states: Iterable[State]) -> set[str]:
        w = self._winner
        out = {w[s] if s in w else self.winner(s) for s in states}
        out.discard(None)
        return out  # type: ignore[return-value]

    # ------------------------------------------------------------------ components

    def split(self, answers: Mapping[str, Answer], open_: Collection[str], *,
              missing: bool = True, spaces: Mapping[str, Sequence[object]] | None = None,
              ) -> tuple[State, list[Component]]:
        """The fixed part (rules that read no open question) and the open questions'
        components. ``spaces`` overrides a question's values (no answer is added to it)."""
        known = {q: v for q, v in answers.items() if q not in open_ and q in self._q}
        open_ids = [q for q in self._q if q in open_]
        # answered questions whose `when` reads an open one go with it, their value fixed
        tied = self._tied(known, open_ids)
        members = open_ids + [q for q in self._q if q in tied]
        groups = self._groups(members)
        settled = self._settle(known, set(members))
        rules_in = {n: [] for n in range(len(groups))}  # type: dict[int, list[int]]
        rest: list[int] = []
        where = {q: n for n, g in enumerate(groups) for q in g}
        for i, reads in enumerate(self._reads):
            hit = [where[q] for q in reads if q in where]
            (rules_in[hit[0]] if hit else rest).append(i)
        base = self._effect(rest, settled)
        comps = []
        for n, g in enumerate(groups):
            domains: list[Sequence[object]] = []
            for q in g:
                if q in tied:
                    domains.append((known[q],))
                elif spaces is not None and q in spaces:
                    domains.append(tuple(spaces[q]))
                else:
                    domains.append((*self._space[q], MISSING) if missing else self._space[q])
            comps.append(self._component(tuple(g), domains, rules_in[n], settled))
        return base, comps

    def _tied(self, known: Mapping[str, Answer], open_ids: list[str]) -> set[str]:
        found: set[str] = set()
        reach = set(open_ids)
        for q in self._q:
            if q in known and self._when_reads.get(q, frozenset()) & reach:
                found.add(q)
                reach.add(q)
        return found

    def _groups(self, members: list[str]) -> list[list[str]]:
        """Members joined by a rule or a ``when`` that reads two of them (union-find)."""
        parent = {q: q for q in members}

        def root(q: str) -> str:
            while parent[q] != q:
                q = parent[q]
            return q

        links = [*self._reads, *(r | {q} for q, r in self._when_reads.items())]
        for reads in links:
            inside = [q for q in reads if q in parent]
            for q in inside[1:]:
                parent[root(q)] = root(inside[0])
        groups: dict[str, list[str]] = {}
        for q in members:
            groups.setdefault(root(q), []).append(q)
        return [sorted(g, key=self._order.__getitem__) for g in groups.values()]

    def _settle(self, known: Mapping[str, Answer], members: set[str]) -> dict[str, Answer]:
        """The known answers that count: those whose question applies (questions in a
        component are decided per completion)."""
        out: dict[str, Answer] = {}
        for q in self.ruleset.questions:
            if q.id in known and q.id not in members and applicable(q, out):
                out[q.id] = known[q.id]
        return out

    def _component(self, qs: tuple[str, ...], domains: list[Sequence[object]],
                   rules: list[int], settled: Mapping[str, Answer]) -> Component:
        outside = sorted({q for i in rules for q in self._reads[i]} |
                         {q for x in qs for q in self._when_reads.get(x, ())} - set(qs))
        key = (qs, tuple(map(tuple, domains)), tuple(rules),
               tuple(settled.get(q, MISSING) for q in outside))
        found = self._cache.get(key)
        if found is not None:
            return found
        completions = []
        for combo in product(*domains):
            answers = dict(settled)
            for q in sorted(qs, key=self._order.__getitem__):
                v = combo[qs.index(q)]
                if v is not MISSING and applicable(self._q[q], answers):
                    answers[q] = v  # type: ignore[assignment]
            completions.append((combo, self._effect(rules, answers)))
        found = Component(qs, tuple(completions))
        if len(self._cache) < MAX_CACHE:
            self._cache[key] = found
        return found

    # ------------------------------------------------------------------ questions

    def reachable(self, answers: Mapping[str, Answer], open_: Collection[str], *,
                  missing: bool = True) -> frozenset[str]:
        """The outcomes some completion of ``open_`` makes win (see the module)."""
        return self.winning(answers, open_, missing=missing)[0]

    def winning(self, answers: Mapping[str, Answer], open_: Collection[str], *,
                 missing: bool = True) -> tuple[frozenset[str], bool]:
        """The reachable outcomes, and whether some completion leaves no outcome at all
        (every one excluded)."""
        base, comps = self.split(answers, open_, missing=missing)
        states: set[State] = {base}
        for c in sorted(comps, key=lambda c: len(c.effects())):
            states = self.add(states, c.effects())
        won = {self.winner(s) for s in states}
        return frozenset(o for o in won if o is not None), None in won

    def all_but_one(self, base: State, effects: list[set[State]]) -> list[set[State]]:
        """For each component, the sum set of the base and every other component's effects
        (divide and conquer: each half's sum set is built once and shared)."""
        out: list[set[State]] = [set() for _ in effects]

        def rec(states: set[State], lo: int, hi: int) -> None:
            if hi - lo == 1:
                out[lo] = states
                return
            mid = (lo + hi) // 2
            left = states
            for j in range(mid, hi):
                left = self.add(left, effects[j])
            rec(left, lo, mid)
            right = states
            for j in range(lo, mid):
                right = self.add(right, effects[j])
            rec(right, mid, hi)

        if effects:
            rec({base}, 0, len(effects))
        return out

    def analyse(self, answers: Mapping[str, Answer], open_: Collection[str], *,
                missing: bool = True) -> Reach:
        """The reachable outcomes, and for each open question the outcomes still reachable
        after each of its answers (the other open questions still open)."""
        base, comps = self.split(answers, open_, missing=missing)
        effects = [c.effects() for c in comps]
        others = self.all_but_one(base, effects)
        total = self.add(others[0], effects[0]) if comps else {base}
        now = self.winners(total)
        found: list[QuestionReach] = []
        for ci, c in enumerate(comps):
            for qi, q in enumerate(c.questions):
                if q not in open_:
                    continue
                values = self._space[q] + ((MISSING,) if missing else ())
                per = []
                for v in values:
                    eff = c.effects(lambda combo, qi=qi, v=v: combo[qi] is v)  # type: ignore[misc]
                    won = self.winners(self.add(others[ci], eff)) if eff else set()
                    per.append((None if v is MISSING else v, self._ordered(won)))
                found.append(QuestionReach(q, tuple(per)))  # type: ignore[arg-type]
        found.sort(key=lambda r: self._order[r.question])
        return Reach(self._ordered(now), tuple(q for q in self._q if q in open_), tuple(found))

    def _ordered(self, outcomes: Collection[str]) -> tuple[str, ...]:
        return tuple(o for o in self.outcomes if o in outcomes)

    def next_question(self, answers: Mapping[str, Answer], open_: Collection[str],
                      candidates: Sequence[str]) -> tuple[Reach, QuestionReach | None]:
        """The reach of the answers so far, and which of ``candidates`` (open questions that
        can be asked now) to ask next: the one whose answers leave, on average, the fewest
        outcomes reachable, then the fewest at worst, then the earliest. None when the
        candidates are none."""
        reach = self.analyse(answers, open_)
        best: tuple[float, int, int] | None = None
        pick = None
        for r in reach.questions:
            if r.question not in candidates:
                continue
            sizes = [len(won) for v, won in r.outcomes if v is not None] or [len(reach.reachable)]
            key = (sum(sizes) / len(sizes), max(sizes), self._order[r.question])
            if best is None or key < best:
                best, pick = key, r
        return reach, pick


@frozen
class QuestionReach:
    """One open question: for each of its answers (None: no answer), the outcomes still
    reachable after it, in outcome order."""

    question: str
    outcomes: tuple[tuple[Answer | None, tuple[str, ...]], ...]

    def moves(self, now: Collection[str]) -> tuple[str, ...]:
        """The outcomes of ``now`` that some answer to it rules out, in order."""
        gone = {o for _, won in self.outcomes for o in now if o not in won}
        return tuple(o for o in now if o in gone)

    def settling(self) -> tuple[tuple[Answer, str], ...]:
        """The answers that leave a single outcome, with it."""
        return tuple((v, won[0]) for v, won in self.outcomes if v is not None and len(won) == 1)


@frozen
class Reach:
    """What the open questions leave possible: the reachable outcomes (outcome order), the
    open questions (question order) and what each can still change; ``paths``, when
    attached (:func:`llmchoice.decide.partial.paths_of`), how each reachable outcome may
    still be run (:mod:`llmchoice.decide.reach_paths`); ``steps``, once one outcome and
    one path are left, whether the next steps are (:mod:`llmchoice.decide.reach_steps`)."""

    reachable: tuple[str, ...]
    open: tuple[str, ...]
    questions: tuple[QuestionReach, ...]
    paths: tuple[PathReach, ...] = ()
    steps: StepReach | None = None

    def paths_of(self, outcome: str) -> PathReach | None:
        return next((p for p in self.paths if p.outcome == outcome), None)

    def deciding(self) -> tuple[QuestionReach, ...]:
        """The open questions an answer to which rules out a reachable outcome."""
        return tuple(q for q in self.questions if q.moves(self.reachable))


def _tadd(a: tuple[float | int, ...], b: tuple[float | int, ...]) -> tuple[float | int, ...]:
    return (*(x + y for x, y in zip(a[:-1], b[:-1], strict=True)), int(a[-1]) | int(b[-1]))


reacher_for = PerRuleSet(Reacher)
"""One :class:`Reacher` per rule set (the last 8 are kept)."""


def reachable(rs: RuleSet, answers: Mapping[str, Answer], open_: Collection[str], *,
              missing: bool = True) -> frozenset[str]:
    """The outcomes some completion of the ``open_`` questions makes win."""
    return reacher_for(rs).reachable(answers, open_, missing=missing)


__all__ = ["Component", "QuestionReach", "Reach", "Reacher", "answer_space", "reachable",
           "reacher_for"]
