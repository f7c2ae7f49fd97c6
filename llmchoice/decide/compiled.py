"""A rule set compiled for fast evaluation of many answer sets.

:func:`compile_ruleset` turns a :class:`~llmchoice.ruleset.RuleSet` into a
:class:`CompiledRuleSet` whose :meth:`~CompiledRuleSet.score` returns exactly
the :class:`~llmchoice.decide.engine.Scored` that :func:`llmchoice.decide.engine.score`
returns (same floats, same order of contributions, fired, exclusions and
skipped rules, same winner, margin and confidence), only faster.
``llmchoice batch`` uses it; ``tests/test_compiled.py`` checks the equality as
a property on random answer sets and random rule sets.

How it is compiled. The rules are cut into *blocks* of consecutive rules:

* A *tabled block*: rules whose conditions read the same few questions with
  finite answers (choice, yes/no, multi-choice with up to six choices). For
  every combination of those answers, "not answered" included, the block's
  rules are evaluated once, at compile time, with the engine's own condition
  code, and what they do is stored as a *segment*: the rules fired and
  skipped, their contributions and exclusions, their points and spread.
  Scoring is then one dictionary look-up per block. The default rule set
  compiles to 15 tabled blocks of at most 12 entries.
* A *number block*: rules whose conditions read one number question. Their
  truth depends only on where the number falls among the limits the
  conditions compare it with (below, equal to, between, above), so the
  segments are tabled by that region.
* A *general block*: anything else. Each condition is evaluated per answer
  set with the engine's code, and what follows from the truth values is
  remembered (at most ``MAX_MEMO`` patterns per block).

An answer outside its question's values (never the case after validation)
is not in any table; that block is then evaluated as the engine does, so
even unvalidated answers get the engine's result.

Sums. The engine adds each fired rule's points in rule order. When every
point value is a whole number (or a multiple of 1/1024) and they add up, in
absolute value, to less than 2**40 (as in every sensible rule set), every
partial sum is exact in floating point and any order gives the same float.
Each segment's points, spread and exclusions are then packed into one integer
(:class:`_Packing`), a block's share is one integer addition, and the decision
(mixed bonus, rounding, ranking) is remembered per packed sum, of which a rule
set has few distinct values. Otherwise the points are added one by one in rule
order, exactly as the engine adds them.

:meth:`CompiledRuleSet.verdict` is the part of :meth:`~CompiledRuleSet.score`
that ``batch`` needs per line (scores, exclusions, winner, margin,
confidence) without building the lists of contributions and of fired and
skipped rules. For answers that validation returned, :meth:`verdict_key`
goes further: since packed sums may be added in any order, the rules are
regrouped by connected questions, and a question that no rule reads together
with another is summed from one table of (question, answer) pairs, all in
one pass; the key determines the verdict (:meth:`verdict_of_key`), so a
caller can keep what it derives from it.

:meth:`CompiledRuleSet.validate` is :func:`llmchoice.answers.validate` with a
fast path: when every answer is valid it builds the same
:class:`~llmchoice.answers.validate.Resolved` (choice answers by a set look-up, every
other type through :func:`llmchoice.answers.validate.coerce` itself); at the first
problem it calls :func:`~llmchoice.answers.validate`, which reports every
problem at once, exactly as for a file or ``--set``.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain, filterfalse, product
from operator import itemgetter
from typing import NamedTuple, cast

from llmchoice.answers.validate import IGNORED_KEYS, Resolved, coerce, validate
from llmchoice.decide.engine import (
    MIXED_RULE_ID,
    NoOutcomeLeft,
    Scored,
    confidence_of,
    pick_scenario,
)
from llmchoice.decide.engine import (
    what_if as engine_what_if,
)
from llmchoice.decide.result import Contribution, Exclusion, Skipped, WhatIf
from llmchoice.ruleset.conditions import Answer, leaves
from llmchoice.ruleset.model import Question, RuleSet

MAX_TABLE = 512  # most answer combinations one tabled block may hold
MAX_MULTI_CHOICES = 6  # multi-choice questions with up to this many choices are tabled
MAX_MEMO = 4096  # most remembered truth-value patterns of one general block
MAX_MEMO_DECISIONS = 4096  # most remembered decisions (one per distinct packed sum)
MAX_ORDER_CACHE = 256  # most remembered orders of answers' keys (for validation)
_EXACT_UNITS = (1.0, 1024.0)  # points in whole numbers, else in 1/1024ths ...
_EXACT_LIMIT = 2.0**40  # ... adding up (in absolute value) to less than this
_EXACT_INT = 2**53  # integers up to this compare with floats as their float does


class _Missing:
    def __repr__(self) -> str:
        return "<not answered>"


_MISSING: object = _Missing()

# A segment: what the rules of one block do for one combination of answers, built once.
# (fired rule ids, contributions, exclusions, skipped, (outcome index, points) in rule
#  order, the spread of each fired rule with points, in rule order, packed sums or 0)
_Segment = tuple[tuple[str, ...], tuple[Contribution, ...], tuple[Exclusion, ...],
                 tuple[Skipped, ...], tuple[tuple[int, float], ...], tuple[float, ...], int]
_FIRED, _CONTRIBUTIONS, _EXCLUSIONS, _SKIPPED, _ADDS, _SPREADS, _PACKED = (
    itemgetter(i) for i in range(7))


class Verdict(NamedTuple):
    """The decision part of :class:`~llmchoice.decide.engine.Scored` (the same values)."""

    scores: dict[str, float]
    excluded: tuple[Exclusion, ...]
    winner: str
    margin: float
    confidence: float


@dataclass(frozen=True, slots=True)
class _Block:
    position: int  # in rule-set order
    kind: str  # "table", "number" or "general"
    questions: tuple[str, ...]  # what a table or number block is keyed by
    rules: tuple[int, ...]
    table: dict[object, _Segment]  # general blocks: the remembered patterns
    reads: tuple[str, ...]  # every question the rules read, sorted
    cuts: tuple[float, ...] = ()  # number blocks: the limits, sorted


@dataclass(frozen=True, slots=True)
class _Packing:
    """How an exact rule set's sums are packed into one integer.

    The lowest ``flag_bits`` bits hold one flag per rule that can exclude an
    outcome; above them come one field per outcome and one for the spread, each
    a signed whole number of ``1/unit`` points, ``bits`` wide. Adding packed
    integers adds every field at once (a negative field borrows from the next,
    which unpacking gives back); each rule belongs to one block, so its flag is
    added at most once, and the fields are wide enough never to overflow.
    """

    unit: float
    bits: int
    flag_bits: int
    excluders: tuple[int, ...]  # the rules that can exclude, in rule order


def _packing(rs: RuleSet) -> _Packing | None:
    """A packing when every partial sum of points is exact in floating point whatever the
    order of the additions; else None (then points are added one by one, in order)."""
    points = [pts for rule in rs.rules for _, pts in rule.points]
    excluders = tuple(i for i, r in enumerate(rs.rules) if r.exclude)
    for unit in _EXACT_UNITS:
        if all((p * unit).is_integer() for p in points):
            total = math.fsum(abs(p) for p in points)
            if total >= _EXACT_LIMIT:
                return None
            # |an outcome's sum| <= total, 0 <= spread <= 2 * total (in 1/unit points)
            largest = max(int(2 * total * unit), 1)
            return _Packing(unit, largest.bit_length() + 2, max(len(excluders), 1), excluders)
    return None


def _domain(q: Question) -> tuple[object, ...] | None:
    """Every valid answer to ``q`` in canonical form, or None when there are too many."""
    if q.type == "choice":
        return q.values
    if q.type == "confirm":
        return (True, False)
    if q.type == "multi" and len(q.values) <= MAX_MULTI_CHOICES:
        return tuple(tuple(v for n, v in enumerate(q.values) if mask >> n & 1)
                     for mask in range(1 << len(q.values)))
    return None


def _number_cuts(rs: RuleSet, idx: list[int], q: Question) -> tuple[float, ...] | None:
    """The limits a number question is compared with, when every test of it in these
    rules is a comparison with an exactly representable number (or ``answered``)."""
    cuts: set[float] = set()
    for i in idx:
        for leaf in leaves(rs.rules[i].when):
            if leaf.op == "answered":
                continue
            value = leaf.value
            if leaf.op not in ("eq", "lt", "lte", "gt", "gte") or \
                    not (type(value) is int or type(value) is float):
                return None
            number = cast(float, value)
            if not (math.isfinite(number) and -_EXACT_INT <= number <= _EXACT_INT):
                return None
            cuts.add(float(number))
    return tuple(sorted(cuts))


def _representatives(cuts: tuple[float, ...]) -> list[float]:
    """One number per region: below every cut, each cut, between cuts, above every cut."""
    reps = [-math.inf]
    for i, cut in enumerate(cuts):
        if i:
            reps.append((cuts[i - 1] + cut) / 2)
        reps.append(cut)
    if cuts:
        reps.append(math.inf)
    return reps


class CompiledRuleSet:
    """A rule set prepared for fast, exact scoring. Build it with :func:`compile_ruleset`."""

    def __init__(self, rs: RuleSet) -> None:
        self.ruleset = rs
        self._qmap = qmap = {q.id: q for q in rs.questions}
        self._outcomes = rs.outcome_ids
        self._index = {o: n for n, o in enumerate(rs.outcome_ids)}
        self._rules = rs.rules
        self._reads = tuple(tuple(sorted(r.when.questions())) for r in rs.rules)
        self._packing = _packing(rs)
        self._blocks = self._build_blocks(qmap)
        self._plan_lookups()
        self._plan_valid(qmap)
        self._tie_break = rs.decision.tie_break
        self._order = {o: n for n, o in enumerate(rs.decision.tie_break)}
        self._mixed = rs.decision.mixed
        if self._mixed is not None:
            self._mixed_index = (self._index[self._mixed.between[0]],
                                 self._index[self._mixed.between[1]],
                                 self._index[self._mixed.outcome])
        self._sixes = (6,) * len(self._outcomes)
        self._tie_index = tuple((o, self._index[o]) for o in self._tie_break)
        self._memo: dict[object, Verdict] = {}
        # validation
        self._questions = rs.questions
        self._known_ids = frozenset(qmap) | frozenset(IGNORED_KEYS)
        self._required = frozenset(q.id for q in rs.questions if q.required)
        self._choice_values = {q.id: frozenset(q.values) for q in rs.questions
                               if q.type == "choice"}
        self._valid_pairs = frozenset((q.id, v) for q in rs.questions if q.type == "choice"
                                      for v in q.values)
        self._unconditional = all(q.when is None for q in rs.questions)
        self._order_cache: dict[tuple[str, ...], tuple[str, ...]] = {}

    # ------------------------------------------------------------------ compiling

    def _kind_of(self, i: int, qmap: Mapping[str, Question]) -> tuple[str, tuple[str, ...]]:
        qs = self._reads[i]
        if not qs or any(q not in qmap for q in qs):
            return "general", ()
        size = 1
        for q in qs:
            dom = _domain(qmap[q])
            size = size * (len(dom) + 1) if dom is not None else MAX_TABLE + 1
        if size <= MAX_TABLE:
            return "table", qs
        if len(qs) == 1 and qmap[qs[0]].type == "number":
            return "number", qs
        return "general", ()

    def _build_blocks(self, qmap: Mapping[str, Question]) -> tuple[_Block, ...]:
        groups: list[tuple[tuple[str, tuple[str, ...]], list[int]]] = []
        for i in range(len(self._rules)):
            kind_key = self._kind_of(i, qmap)
            if groups and groups[-1][0] == kind_key:
                groups[-1][1].append(i)
            else:
                groups.append((kind_key, [i]))
        blocks: list[_Block] = []
        for pos, ((kind, qs), idx) in enumerate(groups):
            rules = tuple(idx)
            reads = tuple(sorted({q for i in rules for q in self._reads[i]}))
            table: dict[object, _Segment] = {}
            cuts: tuple[float, ...] | None = ()
            if kind == "number":
                cuts = _number_cuts(self.ruleset, idx, qmap[qs[0]])
                if cuts is None:
                    kind, qs, cuts = "general", (), ()
                else:
                    table[_MISSING] = self._segment(rules, {})
                    for region, rep in enumerate(_representatives(cuts)):
                        table[region] = self._segment(rules, {qs[0]: rep})
            elif kind == "table":
                domains = [(*(_domain(qmap[q]) or ()), _MISSING) for q in qs]
                for combo in product(*domains):
                    answers: dict[str, Answer] = {
                        q: v for q, v in zip(qs, combo, strict=True)  # type: ignore[misc]
                        if v is not _MISSING}
                    table[combo[0] if len(qs) == 1 else combo] = self._segment(rules, answers)
            blocks.append(_Block(pos, kind, qs, rules, table, reads, cuts or ()))
        return tuple(blocks)

    def _plan_lookups(self) -> None:
        """Arrange the look-ups so that one pass of ``map`` does all tabled blocks of one
        arity, then put the segments back in rule-set order."""
        tabled = [b for b in self._blocks if b.kind == "table"]
        singles = [b for b in tabled if len(b.questions) == 1]
        keyq = [b.questions[0] for b in singles]
        for b in tabled:
            keyq.extend(q for q in b.questions if q not in keyq)
        self._key_questions = tuple(keyq)
        self._key_missing = (_MISSING,) * len(keyq)
        self._single_tables = tuple(b.table for b in singles)
        arities: dict[int, list[_Block]] = {}
        for b in tabled:
            if len(b.questions) > 1:
                arities.setdefault(len(b.questions), []).append(b)
        multi = [b for _, group in sorted(arities.items()) for b in group]
        self._multi = tuple(
            (tuple(b.table for b in group),
             tuple(tuple(keyq.index(b.questions[m]) for b in group) for m in range(n)))
            for n, group in sorted(arities.items()))
        self._others = tuple(b for b in self._blocks if b.kind != "table")
        found = singles + multi + list(self._others)
        where = {b.position: n for n, b in enumerate(found)}
        self._permutation = tuple(where[b.position] for b in self._blocks)
        self._n_tabled = len(tabled)
        # exact rule sets: the same tables holding only the packed sums
        self._single_packed = tuple({k: seg[6] for k, seg in t.items()}
                                    for t in self._single_tables)
        self._multi_packed = tuple(
            (tuple({k: seg[6] for k, seg in t.items()} for t in tables), columns)
            for tables, columns in self._multi)

    def _plan_valid(self, qmap: Mapping[str, Question]) -> None:
        """For :meth:`verdict_of_valid`: since packed sums may be added in any order, group
        the rules by connected questions instead of by position. A question read by no
        rule of another question is summed from one table of (question, answer) pairs."""
        self._valid_plan = False
        if self._packing is None:
            return
        parent: dict[str, str] = {}

        def root(q: str) -> str:
            while parent.setdefault(q, q) != q:
                q = parent[q]
            return q

        for qs in self._reads:
            for q in qs[1:]:
                parent[root(q)] = root(qs[0])
        groups: dict[str, list[int]] = {}
        loose: list[int] = []  # rules that read no question
        for i, qs in enumerate(self._reads):
            if qs:
                groups.setdefault(root(qs[0]), []).append(i)
            else:
                loose.append(i)
        base = 0
        delta: dict[tuple[str, object], int] = {}
        multi: list[tuple[tuple[str, ...], dict[object, int]]] = []
        others: list[_Block] = []
        for members in groups.values():
            rules = tuple(members)
            qs = tuple(sorted({q for i in rules for q in self._reads[i]}))
            domains = [_domain(qmap[q]) if q in qmap else None for q in qs]
            size = 1
            for dom in domains:
                size = size * (len(dom) + 1) if dom is not None else MAX_TABLE + 1
            if size <= MAX_TABLE and len(qs) == 1:
                missing = self._segment(rules, {})[6]
                base += missing
                for value in domains[0] or ():
                    one = {qs[0]: cast(Answer, value)}
                    delta[(qs[0], value)] = self._segment(rules, one)[6] - missing
            elif size <= MAX_TABLE:
                table: dict[object, int] = {}
                for combo in product(*[(*(d or ()), _MISSING) for d in domains]):
                    answers: dict[str, Answer] = {
                        q: v for q, v in zip(qs, combo, strict=True)  # type: ignore[misc]
                        if v is not _MISSING}
                    table[combo] = self._segment(rules, answers)[6]
                multi.append((qs, table))
            else:
                cuts = _number_cuts(self.ruleset, members, qmap[qs[0]]) \
                    if len(qs) == 1 and qs[0] in qmap and qmap[qs[0]].type == "number" \
                    else None
                if cuts is None:
                    others.append(_Block(-1, "general", (), rules, {}, qs))
                else:
                    number = {_MISSING: self._segment(rules, {})}
                    for region, rep in enumerate(_representatives(cuts)):
                        number[region] = self._segment(rules, {qs[0]: rep})
                    others.append(_Block(-1, "number", qs, rules, number, qs, cuts))
        if loose:
            others.append(_Block(-1, "general", (), tuple(loose), {}, ()))
        self._v_base = base
        self._v_delta = delta
        self._v_multi_questions = tuple(q for qs, _ in multi for q in qs)
        self._v_missing = (_MISSING,) * len(self._v_multi_questions)
        self._zeros = (0,) * (len(qmap) + len(IGNORED_KEYS))  # one per possible answer
        self._v_multi = tuple((table, len(qs)) for qs, table in multi)
        self._v_others = tuple(others)
        self._valid_plan = True

    def _segment(self, idx: tuple[int, ...], answers: Mapping[str, Answer]) -> _Segment:
        """Evaluate rules ``idx`` with the engine's condition code; record what they do."""
        states = tuple(self._rules[i].when.evaluate(answers) for i in idx)
        return self._segment_of(idx, states, answers)

    def _segment_of(self, idx: tuple[int, ...], states: tuple[bool | None, ...],
                    answers: Mapping[str, Answer]) -> _Segment:
        fired: list[str] = []
        contributions: list[Contribution] = []
        exclusions: list[Exclusion] = []
        skipped: list[Skipped] = []
        adds: list[tuple[int, float]] = []
        spreads: list[float] = []
        deltas = [0.0] * len(self._outcomes)
        flags = 0
        for i, state in zip(idx, states, strict=True):
            rule = self._rules[i]
            if state is None:
                missing = tuple(q for q in self._reads[i] if q not in answers)
                skipped.append(Skipped(rule.id, missing, rule.line))
                continue
            if not state:
                continue
            fired.append(rule.id)
            if rule.exclude:
                exclusions.extend(Exclusion(o, rule.id, rule.because, rule.cites, rule.line)
                                  for o in rule.exclude)
                if self._packing is not None:
                    flags |= 1 << self._packing.excluders.index(i)
            if rule.points:
                given = dict(rule.points)
                for outcome, pts in rule.points:
                    adds.append((self._index[outcome], pts))
                    deltas[self._index[outcome]] += pts
                    contributions.append(Contribution(rule.id, outcome, pts, rule.because,
                                                      rule.cites, rule.line))
                values = [given.get(o, 0.0) for o in self._outcomes]
                spreads.append(max(values) - min(values))
        packed = 0
        if self._packing is not None:
            p = self._packing
            packed = flags
            for n, value in enumerate((*deltas, math.fsum(spreads))):
                packed += int(value * p.unit) << (p.flag_bits + p.bits * n)
        return (tuple(fired), tuple(contributions), tuple(exclusions), tuple(skipped),
                tuple(adds), tuple(spreads), packed)

    # ------------------------------------------------------------------ evaluating

    def _other(self, block: _Block, answers: Mapping[str, Answer]) -> _Segment:
        """The segment of a number block (by region) or a general block (by the truth
        values of its conditions, and which of its questions are unanswered)."""
        if block.kind == "number":
            x = answers.get(block.questions[0], _MISSING)
            if x is _MISSING:
                return block.table[_MISSING]
            t = type(x)
            if (t is float and x == x) or \
                    (t is int and -_EXACT_INT <= cast(int, x) <= _EXACT_INT):
                fx = float(cast(float, x))
                cuts = block.cuts
                i = bisect_left(cuts, fx)
                return block.table[2 * i + 1 if i < len(cuts) and cuts[i] == fx else 2 * i]
            return self._segment(block.rules, answers)  # not a plain number: as the engine
        rules = self._rules
        states = tuple([rules[i].when.evaluate(answers) for i in block.rules])
        key: object = states
        if None in states:
            key = (states, tuple([q in answers for q in block.reads]))
        seg = block.table.get(key)
        if seg is None:
            seg = self._segment_of(block.rules, states, answers)
            if len(block.table) < MAX_MEMO:
                block.table[key] = seg
        return seg

    def _found(self, answers: Mapping[str, Answer], singles: tuple[dict[object, object], ...],
               multi: tuple[tuple[tuple[dict[object, object], ...],
                                  tuple[tuple[int, ...], ...]], ...],
               getter: object) -> list[object] | None:
        """Look every tabled block up (``getter`` is ``dict.get`` or ``dict.__getitem__``);
        None when an answer cannot be looked up."""
        keys = list(map(answers.get, self._key_questions, self._key_missing))
        try:
            found = list(map(getter, singles, keys))  # type: ignore[call-overload]
            for tables, columns in multi:
                found.extend(map(getter, tables,  # type: ignore[call-overload]
                                 zip(*[map(keys.__getitem__, col) for col in columns],
                                     strict=True)))
        except (TypeError, KeyError):  # an unhashable or unknown (unvalidated) answer
            return None
        return found

    def _segments(self, answers: Mapping[str, Answer]) -> list[_Segment]:
        """One segment per block, in rule-set order."""
        found = self._found(answers, self._single_tables, self._multi,  # type: ignore[arg-type]
                            dict.get)
        if found is None:
            found = [None] * self._n_tabled
        found.extend(self._other(b, answers) for b in self._others)
        segs = list(map(found.__getitem__, self._permutation))
        if None in segs:  # an answer outside its question's values: as the engine does
            for block in self._blocks:
                if segs[block.position] is None:
                    segs[block.position] = self._segment(block.rules, answers)
        return segs  # type: ignore[return-value]

    def _packed_total(self, answers: Mapping[str, Answer]) -> int | None:
        """Exact rule sets: the sum of every block's packed segment; None when an answer is
        outside its question's values."""
        found = self._found(answers, self._single_packed,  # type: ignore[arg-type]
                            self._multi_packed, dict.__getitem__)  # type: ignore[arg-type]
        if found is None:
            return None
        total: int = sum(found)  # type: ignore[arg-type]
        for block in self._others:
            total += self._other(block, answers)[6]
        return total

    def _inputs(self, segs: list[_Segment]) -> tuple[list[float], float,
                                                       tuple[Exclusion, ...]]:
        """Points per outcome, spread and exclusions from the ordered segments."""
        if self._packing is not None:
            return self._unpack(sum(map(_PACKED, segs)))
        acc = [0.0] * len(self._outcomes)  # the engine's additions, one by one in order
        for oi, pts in chain.from_iterable(map(_ADDS, segs)):
            acc[oi] += pts
        spread = 0.0
        for sp in chain.from_iterable(map(_SPREADS, segs)):
            spread += sp
        first: dict[str, Exclusion] = {}
        for ex in chain.from_iterable(map(_EXCLUSIONS, segs)):
            first.setdefault(ex.outcome, ex)  # the first rule to exclude an outcome
        return acc, spread, tuple(first.values())

    def _unpack(self, total: int) -> tuple[list[float], float, tuple[Exclusion, ...]]:
        """Points per outcome, spread and exclusions from a packed sum."""
        p = self._packing
        assert p is not None
        flags = total & ((1 << p.flag_bits) - 1)  # the lowest field never borrows
        rest = total >> p.flag_bits
        half, mask = 1 << (p.bits - 1), (1 << p.bits) - 1
        values = []
        for _ in range(len(self._outcomes) + 1):
            v = ((rest + half) & mask) - half
            values.append(v / p.unit)
            rest = (rest - v) >> p.bits
        excluded: tuple[Exclusion, ...] = ()
        if flags:
            first: dict[str, Exclusion] = {}
            for n, i in enumerate(p.excluders):
                if flags >> n & 1:
                    rule = self._rules[i]
                    for o in rule.exclude:  # the first rule to exclude an outcome
                        first.setdefault(o, Exclusion(o, rule.id, rule.because, rule.cites,
                                                      rule.line))
            excluded = tuple(first.values())
        return values[:-1], values[-1], excluded

    def _remembered(self, key: object, segs: list[_Segment] | None) -> Verdict:
        """The decision for a packed sum (``segs`` None) or for ordered segments, remembered
        by its inputs: a rule set has few distinct sums (at most ``MAX_MEMO_DECISIONS``)."""
        found = self._memo.get(key)
        if found is None:
            inputs = self._unpack(key) if segs is None else self._inputs(segs)  # type: ignore[arg-type]
            found = self._decide(*inputs)[0]
            if len(self._memo) < MAX_MEMO_DECISIONS:
                self._memo[key] = found
        return found

    def _decide(self, acc: list[float], spread: float, excluded: tuple[Exclusion, ...],
                ) -> tuple[Verdict, Contribution | None]:
        """The mixed-needs bonus, rounding and ranking, as the engine does them."""
        out = {e.outcome for e in excluded}
        values = list(acc)
        bonus_contribution = None
        mixed = self._mixed
        if mixed is not None and not out.intersection((*mixed.between, mixed.outcome)):
            a, b, m = self._mixed_index
            bonus = mixed.bonus(values[a], values[b])
            if bonus:
                values[m] += bonus
                spread += abs(bonus)
                bonus_contribution = Contribution(MIXED_RULE_ID, mixed.outcome, bonus,
                                                  mixed.because, mixed.cites, None)
        rounded = list(map(round, values, self._sixes))
        scores = dict(zip(self._outcomes, rounded, strict=True))
        # (-score, tie-break position, outcome) sorts as the engine's key does
        ranked = sorted((-rounded[i], n, o) for n, (o, i) in enumerate(self._tie_index)
                        if o not in out)
        if not ranked:
            rules = ", ".join(sorted({e.rule for e in excluded}))
            raise NoOutcomeLeft(
                f"{self.ruleset.source}: every outcome is excluded for these answers "
                f"(by {rules}); the rule set's hard constraints contradict each other")
        winner = ranked[0][2]
        if len(ranked) == 1:
            margin, confidence = 0.0, 1.0
        else:
            margin = scores[winner] - scores[ranked[1][2]]
            confidence = confidence_of(scores[winner], margin)
        return (Verdict(scores, excluded, winner, round(margin, 6), round(confidence, 4)),
                bonus_contribution)

    def score(self, answers: Mapping[str, Answer]) -> Scored:
        """Exactly :func:`llmchoice.decide.engine.score` ``(rs, answers)``, faster."""
        segs = self._segments(answers)
        v, bonus = self._decide(*self._inputs(segs))
        contributions = tuple(chain.from_iterable(map(_CONTRIBUTIONS, segs)))
        if bonus is not None:
            contributions = (*contributions, bonus)
        return Scored(v.scores, contributions, v.excluded,
                      tuple(chain.from_iterable(map(_SKIPPED, segs))),
                      tuple(chain.from_iterable(map(_FIRED, segs))),
                      v.winner, v.margin, v.confidence)

    def verdict(self, answers: Mapping[str, Answer]) -> Verdict:
        """Scores, exclusions, winner, margin and confidence: the same values as
        :meth:`score`, without the lists of contributions and fired and skipped rules.

        The result may be shared with other calls: read it, do not change its ``scores``.
        """
        if self._packing is not None:
            total = self._packed_total(answers)
            if total is not None:
                return self._remembered(total, None)
        segs = self._segments(answers)
        if self._packing is not None:
            return self._remembered(sum(map(_PACKED, segs)), None)
        acc, spread, excluded = self._inputs(segs)
        return self._remembered((tuple(acc), spread, excluded), segs)

    def verdict_of_valid(self, answers: Mapping[str, Answer]) -> Verdict:
        """:meth:`verdict` for answers that :meth:`validate` (or :meth:`answers`) returned:
        each answer one of its question's values, in canonical form. Faster; for any other
        answers use :meth:`verdict`."""
        key = self.verdict_key(answers)
        if key is None:
            return self.verdict(answers)
        found = self._memo.get(key)
        if found is None:
            found = self._remembered(key, None)
        return found

    def verdict_key(self, answers: Mapping[str, Answer]) -> int | None:
        """For validated answers (as :meth:`verdict_of_valid` takes them) of an exact rule
        set: a number that determines the verdict (the packed sums), for callers that keep
        what they derive from a verdict; :meth:`verdict_of_key` gives the verdict.
        None when the rule set is not exact."""
        if not self._valid_plan or len(answers) > len(self._zeros):
            return None
        try:
            total: int = self._v_base + sum(map(self._v_delta.get, answers.items(),
                                                self._zeros))
            if self._v_multi:
                values = list(map(answers.get, self._v_multi_questions, self._v_missing))
                start = 0
                for table, n in self._v_multi:
                    total += table[tuple(values[start:start + n])]
                    start += n
        except (KeyError, TypeError):  # not validated after all
            return None
        for block in self._v_others:
            total += self._other(block, answers)[6]
        return total

    def verdict_of_key(self, key: int) -> Verdict:
        """The verdict for a :meth:`verdict_key` (not remembered here: the caller keeps it)."""
        return self._memo.get(key) or self._decide(*self._unpack(key))[0]

    def what_if(self, answers: Mapping[str, Answer], winner: str) -> tuple[WhatIf, ...]:
        """Exactly :func:`llmchoice.decide.engine.what_if`, weighing each change with
        :meth:`verdict`."""
        return engine_what_if(self.ruleset, answers, winner, decide=self.verdict)

    def scenario(self, answers: Mapping[str, Answer], winner: str) -> tuple[str | None, str]:
        """The future scenario the answers fit (:func:`llmchoice.decide.engine.pick_scenario`)."""
        return pick_scenario(self.ruleset, answers, winner)

    # ------------------------------------------------------------------ validation

    def validate(self, given: Mapping[str, object], *, source: str = "answers",
                 sets: Mapping[str, str] | None = None,
                 use_defaults: bool = False) -> Resolved:
        """Exactly :func:`llmchoice.answers.validate` (without ``locate``), faster when the
        answers are valid; on any problem it calls that function, which lists them all."""
        if self._unconditional and not sets and not use_defaults:
            quick = self._quick_validate(given)
            if quick is not None:
                return Resolved(quick, ())
        fast = self._ordered_validate(given, sets or {}, use_defaults)
        if fast is not None:
            return fast
        return validate(self.ruleset, given, source=source, sets=sets, use_defaults=use_defaults)

    def answers(self, given: Mapping[str, object], *, source: str = "answers",
                use_defaults: bool = False) -> dict[str, Answer]:
        """``validate(given, ...).answers``: the validated answers, in question order."""
        if self._unconditional and not use_defaults:
            quick = self._quick_validate(given)
            if quick is not None:
                return quick
        return self.validate(given, source=source, use_defaults=use_defaults).answers

    def _quick_validate(self, given: Mapping[str, object]) -> dict[str, Answer] | None:
        """When no question depends on another: valid choice answers are recognised by one
        set look-up each; every other answer goes through :func:`coerce`. None when anything
        is unusual (the caller then takes the validator's own path)."""
        try:
            rest = list(filterfalse(self._valid_pairs.__contains__, given.items()))
        except TypeError:  # an unhashable answer, such as a list for a multi-choice question
            return None
        changed: dict[str, Answer] | None = None
        for qid, raw in rest:
            q = self._qmap.get(qid)
            if q is None:
                if qid in IGNORED_KEYS:
                    continue
                return None
            if raw is None or q.type == "choice":
                return None
            value, problem = coerce(q, raw)
            if problem or value is None:
                return None
            if value is not raw:
                if changed is None:
                    changed = {}
                changed[qid] = value
        if not self._required <= given.keys():
            return None
        keys = tuple(given)
        order = self._order_cache.get(keys)
        if order is None:
            order = tuple(q.id for q in self._questions if q.id in given)
            if len(self._order_cache) < MAX_ORDER_CACHE:
                self._order_cache[keys] = order
        out: dict[str, Answer]
        if order == keys:  # already in question order, nothing to leave out
            out = dict(given)  # type: ignore[arg-type]
        else:
            out = dict(zip(order, map(given.__getitem__, order),  # type: ignore[arg-type]
                           strict=True))
        if changed:
            out.update(changed)
        return out

    def _ordered_validate(self, given: Mapping[str, object], sets: Mapping[str, str],
                          use_defaults: bool) -> Resolved | None:
        """The validator's own order of work, without collecting problems."""
        known = self._known_ids
        for qid in given:
            if qid not in known:
                return None
        for qid in sets:
            if qid not in known:
                return None
        choice_values = self._choice_values
        out: dict[str, Answer] = {}
        dropped: list[str] = []
        for q in self._questions:
            qid = q.id
            from_text = False
            raw: object
            if qid in sets:
                raw, from_text = sets[qid], True
            else:
                raw = given.get(qid)
                if raw is None and use_defaults:
                    raw = q.default
            if q.when is not None and q.when.evaluate(out) is not True:
                if raw is not None and (qid in sets or qid in given):
                    dropped.append(qid)
                continue
            if raw is None:
                if q.required:
                    return None
                continue
            values = choice_values.get(qid)
            if values is not None:
                if isinstance(raw, str) and raw in values:
                    out[qid] = raw
                    continue
                return None
            value, problem = coerce(q, raw, from_text=from_text)
            if problem or value is None:
                return None
            out[qid] = value
        return Resolved(out, tuple(dropped))


def compile_ruleset(rs: RuleSet) -> CompiledRuleSet:
    """Compile ``rs``; ``compile_ruleset(rs).score(a) == engine.score(rs, a)`` for any answers."""
    return CompiledRuleSet(rs)


_COMPILED: dict[int, tuple[RuleSet, CompiledRuleSet]] = {}
MAX_COMPILED = 8  # rule sets kept compiled by :func:`score`


def score(rs: RuleSet, answers: Mapping[str, Answer]) -> Scored:
    """A drop-in for :func:`llmchoice.decide.engine.score` (same signature, same result) that
    compiles each rule set once; the last ``MAX_COMPILED`` rule sets are kept."""
    found = _COMPILED.get(id(rs))
    if found is None or found[0] is not rs:  # (the entry keeps rs alive: ids stay unique)
        if len(_COMPILED) >= MAX_COMPILED:
            del _COMPILED[next(iter(_COMPILED))]
        found = _COMPILED[id(rs)] = (rs, compile_ruleset(rs))
    return found[1].score(answers)


__all__ = ["CompiledRuleSet", "Verdict", "compile_ruleset", "score"]
