"""The tables of a compiled rule set: rules grouped into blocks, each block's segments
worked out once, and the packing of exact sums into one integer.

:class:`Tables` is the compile-time half of
:class:`~llmchoice.decide.compiled.CompiledRuleSet` (which evaluates answers with
them). How the rules are cut into blocks and how sums are packed is described in
:mod:`llmchoice.decide.compiled`. Segments are built with the engine's own
condition code (:meth:`~llmchoice.ruleset.conditions.Condition.evaluate`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from itertools import product
from operator import itemgetter
from typing import cast

from llmchoice.answers.validate import IGNORED_KEYS
from llmchoice.decide.result import Contribution, Exclusion, Skipped
from llmchoice.frozen import frozen
from llmchoice.ruleset.conditions import Answer, leaves
from llmchoice.ruleset.model import Question, RuleSet

MAX_TABLE = 512  # most answer combinations one tabled block may hold
MAX_MULTI_CHOICES = 6  # multi-choice questions with up to this many choices are tabled
MAX_MEMO = 4096  # most remembered truth-value patterns of one general block
EXACT_UNITS = (1.0, 1024.0)  # points in whole numbers, else in 1/1024ths ...
EXACT_LIMIT = 2.0**40  # ... adding up (in absolute value) to less than this
EXACT_INT = 2**53  # integers up to this compare with floats as their float does


class Missing:
    def __repr__(self) -> str:
        return "<not answered>"


MISSING: object = Missing()

# A segment: what the rules of one block do for one combination of answers, built once.
# (fired rule ids, contributions, exclusions, skipped, (outcome index, points) in rule
#  order, packed sums or 0)
Segment = tuple[tuple[str, ...], tuple[Contribution, ...], tuple[Exclusion, ...],
                 tuple[Skipped, ...], tuple[tuple[int, float], ...], int]
FIRED, CONTRIBUTIONS, EXCLUSIONS, SKIPPED, ADDS, PACKED = (
    itemgetter(i) for i in range(6))


@frozen
class Block:
    position: int  # in rule-set order
    kind: str  # "table", "number" or "general"
    questions: tuple[str, ...]  # what a table or number block is keyed by
    rules: tuple[int, ...]
    table: dict[object, Segment]  # general blocks: the remembered patterns
    reads: tuple[str, ...]  # every question the rules read, sorted
    cuts: tuple[float, ...] = ()  # number blocks: the limits, sorted


@frozen
class Packing:
    """How an exact rule set's sums are packed into one integer.

    The lowest ``flag_bits`` bits hold one flag per rule that can exclude an outcome;
    above them come one field per outcome and one for the spread, each a signed whole
    number of ``1/unit`` points, ``bits`` wide. Adding packed integers adds every field at
    once (a negative field borrows from the next, which :meth:`unpack` gives back); each
    rule belongs to one block, so its flag is added at most once, and no field overflows.
    """

    unit: float
    bits: int
    flag_bits: int
    excluders: tuple[int, ...]  # the rules that can exclude, in rule order

    def unpack(self, total: int, outcomes: int) -> tuple[list[float], int]:
        """A packed sum's points for each of the first ``outcomes`` fields, and its flags
        (the lowest field, which never borrows)."""
        rest, half, mask = total >> self.flag_bits, 1 << (self.bits - 1), (1 << self.bits) - 1
        values = []
        for _ in range(outcomes):
            v = ((rest + half) & mask) - half
            values.append(v / self.unit)
            rest = (rest - v) >> self.bits
        return values, total & ((1 << self.flag_bits) - 1)


def packing_of(rs: RuleSet) -> Packing | None:
    """A packing when every partial sum of points is exact in floating point whatever the
    order of the additions; else None (then points are added one by one, in order)."""
    points = [pts for rule in rs.rules for _, pts in rule.points]
    excluders = tuple(i for i, r in enumerate(rs.rules) if r.exclude)
    for unit in EXACT_UNITS:
        if all((p * unit).is_integer() for p in points):
            total = math.fsum(abs(p) for p in points)
            if total >= EXACT_LIMIT:
                return None
            # |an outcome's sum| <= total (in 1/unit points)
            largest = max(int(total * unit), 1)
            return Packing(unit, largest.bit_length() + 2, max(len(excluders), 1), excluders)
    return None


def domain(q: Question) -> tuple[object, ...] | None:
    """Every valid answer to ``q`` in canonical form, or None when there are too many."""
    if q.type == "choice":
        return q.values
    if q.type == "confirm":
        return (True, False)
    if q.type == "multi" and len(q.values) <= MAX_MULTI_CHOICES:
        return tuple(tuple(v for n, v in enumerate(q.values) if mask >> n & 1)
                     for mask in range(1 << len(q.values)))
    return None


def number_cuts(rs: RuleSet, idx: list[int], q: Question) -> tuple[float, ...] | None:
    """The limits a number question is compared with, when every test of it in these
    rules is a comparison with an exactly representable number (or ``answered``)."""
    cuts: set[float] = set()
    for i in idx:
        for leaf in leaves(rs.rules[i].when):
            if leaf.question != q.id or leaf.op == "answered":  # a group on several questions
                continue
            value = leaf.value
            if leaf.op not in ("eq", "lt", "lte", "gt", "gte") or \
                    not (type(value) is int or type(value) is float):
                return None
            number = cast(float, value)
            if not (math.isfinite(number) and -EXACT_INT <= number <= EXACT_INT):
                return None
            cuts.add(float(number))
    return tuple(sorted(cuts))


def representatives(cuts: tuple[float, ...]) -> list[float]:
    """One number per region: below every cut, each cut, between cuts, above every cut."""
    reps = [-math.inf]
    for i, cut in enumerate(cuts):
        if i:
            reps.append((cuts[i - 1] + cut) / 2)
        reps.append(cut)
    if cuts:
        reps.append(math.inf)
    return reps


class Tables:
    """A rule set's blocks and tables, built once (see :mod:`llmchoice.decide.compiled`)."""

    def __init__(self, rs: RuleSet) -> None:
        self.ruleset = rs
        self._qmap = qmap = {q.id: q for q in rs.questions}
        self._outcomes = rs.outcome_ids
        self._index = {o: n for n, o in enumerate(rs.outcome_ids)}
        self._rules = rs.rules
        self._reads = tuple(tuple(sorted(r.when.questions())) for r in rs.rules)
        self._packing = packing_of(rs)
        self._blocks = self._build_blocks(qmap)
        self._plan_lookups()
        self._plan_valid(qmap)

    def rule_key(self, index: int) -> int:
        """What rule ``index`` adds to a :meth:`verdict_key` when it fires: the key of the
        same answers without that rule is the key less this (exact rule sets only)."""
        return self._segment_of((index,), (True,), {})[5]

    def valid_groups(self) -> tuple[tuple[tuple[str, ...], tuple[int, ...],
                                          tuple[tuple[object, ...], ...]], ...] | None:
        """How :meth:`verdict_key` groups the rules (None when the rule set is not exact):
        each group of rules whose questions no other group reads that is tabled, as
        (its questions, its rules' indices, each question's valid answers); the rules of
        no such group are in :meth:`other_groups`."""
        return self._v_tabled if self._valid_plan else None

    def other_groups(self) -> tuple[Block, ...]:
        """The groups of rules that :meth:`verdict_key` evaluates per answer set."""
        return self._v_others

    def contributions_of(self, rules: tuple[int, ...],
                         answers: Mapping[str, Answer]) -> tuple[Contribution, ...]:
        """The points that rules (by index) give for these answers, in rule order, as the
        engine gives them (its condition code)."""
        return self._segment(rules, answers)[1]

    def _kind_of(self, i: int, qmap: Mapping[str, Question]) -> tuple[str, tuple[str, ...]]:
        qs = self._reads[i]
        if not qs or any(q not in qmap for q in qs):
            return "general", ()
        size = 1
        for q in qs:
            dom = domain(qmap[q])
            size = size * (len(dom) + 1) if dom is not None else MAX_TABLE + 1
        if size <= MAX_TABLE:
            return "table", qs
        if len(qs) == 1 and qmap[qs[0]].type == "number":
            return "number", qs
        return "general", ()

    def _build_blocks(self, qmap: Mapping[str, Question]) -> tuple[Block, ...]:
        groups: list[tuple[tuple[str, tuple[str, ...]], list[int]]] = []
        for i in range(len(self._rules)):
            kind_key = self._kind_of(i, qmap)
            if groups and groups[-1][0] == kind_key:
                groups[-1][1].append(i)
            else:
                groups.append((kind_key, [i]))
        blocks: list[Block] = []
        for pos, ((kind, qs), idx) in enumerate(groups):
            rules = tuple(idx)
            reads = tuple(sorted({q for i in rules for q in self._reads[i]}))
            table: dict[object, Segment] = {}
            cuts: tuple[float, ...] | None = ()
            if kind == "number":
                cuts = number_cuts(self.ruleset, idx, qmap[qs[0]])
                if cuts is None:
                    kind, qs, cuts = "general", (), ()
                else:
                    table[MISSING] = self._segment(rules, {})
                    for region, rep in enumerate(representatives(cuts)):
                        table[region] = self._segment(rules, {qs[0]: rep})
            elif kind == "table":
                domains = [(*(domain(qmap[q]) or ()), MISSING) for q in qs]
                for combo in product(*domains):
                    answers: dict[str, Answer] = {
                        q: v for q, v in zip(qs, combo, strict=True)  # type: ignore[misc]
                        if v is not MISSING}
                    table[combo[0] if len(qs) == 1 else combo] = self._segment(rules, answers)
            blocks.append(Block(pos, kind, qs, rules, table, reads, cuts or ()))
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
        self._key_missing = (MISSING,) * len(keyq)
        self._single_tables = tuple(b.table for b in singles)
        arities: dict[int, list[Block]] = {}
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
        self._single_packed = tuple({k: seg[5] for k, seg in t.items()}
                                    for t in self._single_tables)
        self._multi_packed = tuple(
            (tuple({k: seg[5] for k, seg in t.items()} for t in tables), columns)
            for tables, columns in self._multi)

    def _plan_valid(self, qmap: Mapping[str, Question]) -> None:
        """For :meth:`verdict_of_valid`: since packed sums may be added in any order, group
        the rules by connected questions instead of by position. A question read by no
        rule of another question is summed from one table of (question, answer) pairs."""
        self._valid_plan = False
        self._v_tabled: tuple[tuple[tuple[str, ...], tuple[int, ...],
                                    tuple[tuple[object, ...], ...]], ...] = ()
        self._v_others: tuple[Block, ...] = ()
        if self._packing is None:
            return
        groups, loose = self._connected_groups()
        base = 0
        delta: dict[tuple[str, object], int] = {}
        multi: list[tuple[tuple[str, ...], dict[object, int]]] = []
        others: list[Block] = []
        tabled: list[tuple[tuple[str, ...], tuple[int, ...], tuple[tuple[object, ...], ...]]] = []
        for members in groups:
            rules = tuple(members)
            qs = tuple(sorted({q for i in rules for q in self._reads[i]}))
            domains = [domain(qmap[q]) if q in qmap else None for q in qs]
            size = 1
            for dom in domains:
                size = size * (len(dom) + 1) if dom is not None else MAX_TABLE + 1
            if size <= MAX_TABLE:
                tabled.append((qs, rules, tuple(d or () for d in domains)))
            if size <= MAX_TABLE and len(qs) == 1:
                missing = self._segment(rules, {})[5]
                base += missing
                for value in domains[0] or ():
                    one = {qs[0]: cast(Answer, value)}
                    delta[(qs[0], value)] = self._segment(rules, one)[5] - missing
            elif size <= MAX_TABLE:
                multi.append((qs, self._joint_table(rules, qs, domains)))
            else:
                others.append(self._other_block(rules, qs, qmap))
        if loose:
            others.append(Block(-1, "general", (), tuple(loose), {}, ()))
        self._v_base = base
        self._v_delta = delta
        self._v_multi_questions = tuple(q for qs, _ in multi for q in qs)
        self._v_missing = (MISSING,) * len(self._v_multi_questions)
        self._zeros = (0,) * (len(qmap) + len(IGNORED_KEYS))  # one per possible answer
        self._v_multi = tuple((table, len(qs)) for qs, table in multi)
        self._v_others = tuple(others)
        # the tabled groups: (questions, rules, each question's valid answers)
        self._v_tabled = tuple(tabled)
        self._valid_plan = True

    def _connected_groups(self) -> tuple[list[list[int]], list[int]]:
        """The rules grouped by connected questions (union-find over the questions each
        rule reads), and the rules that read no question."""
        parent: dict[str, str] = {}

        def root(q: str) -> str:
            while parent.setdefault(q, q) != q:
                q = parent[q]
            return q

        for qs in self._reads:
            for q in qs[1:]:
                parent[root(q)] = root(qs[0])
        groups: dict[str, list[int]] = {}
        loose: list[int] = []
        for i, qs in enumerate(self._reads):
            if qs:
                groups.setdefault(root(qs[0]), []).append(i)
            else:
                loose.append(i)
        return list(groups.values()), loose

    def _joint_table(self, rules: tuple[int, ...], qs: tuple[str, ...],
                     domains: list[tuple[object, ...] | None]) -> dict[object, int]:
        """Packed sums of ``rules`` for every combination of the questions ``qs`` read."""
        table: dict[object, int] = {}
        for combo in product(*[(*(d or ()), MISSING) for d in domains]):
            answers: dict[str, Answer] = {
                q: v for q, v in zip(qs, combo, strict=True)  # type: ignore[misc]
                if v is not MISSING}
            table[combo] = self._segment(rules, answers)[5]
        return table

    def _other_block(self, rules: tuple[int, ...], qs: tuple[str, ...],
                     qmap: Mapping[str, Question]) -> Block:
        """A block for rules too many answers read to table: by region of one number
        question when it can, else evaluated per answer set."""
        cuts = number_cuts(self.ruleset, list(rules), qmap[qs[0]]) \
            if len(qs) == 1 and qs[0] in qmap and qmap[qs[0]].type == "number" else None
        if cuts is None:
            return Block(-1, "general", (), rules, {}, qs)
        number = {MISSING: self._segment(rules, {})}
        for region, rep in enumerate(representatives(cuts)):
            number[region] = self._segment(rules, {qs[0]: rep})
        return Block(-1, "number", qs, rules, number, qs, cuts)

    def _segment(self, idx: tuple[int, ...], answers: Mapping[str, Answer]) -> Segment:
        """Evaluate rules ``idx`` with the engine's condition code; record what they do."""
        states = tuple(self._rules[i].when.evaluate(answers) for i in idx)
        return self._segment_of(idx, states, answers)

    def _segment_of(self, idx: tuple[int, ...], states: tuple[bool | None, ...],
                    answers: Mapping[str, Answer]) -> Segment:
        fired: list[str] = []
        contributions: list[Contribution] = []
        exclusions: list[Exclusion] = []
        skipped: list[Skipped] = []
        adds: list[tuple[int, float]] = []
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
            for outcome, pts in rule.points:
                adds.append((self._index[outcome], pts))
                deltas[self._index[outcome]] += pts
                contributions.append(Contribution(rule.id, outcome, pts, rule.because,
                                                  rule.cites, rule.line))
        packed = 0
        if self._packing is not None:
            p = self._packing
            packed = flags
            for n, value in enumerate(deltas):
                packed += int(value * p.unit) << (p.flag_bits + p.bits * n)
        return (tuple(fired), tuple(contributions), tuple(exclusions), tuple(skipped),
                tuple(adds), packed)


__all__ = ["Block", "Missing", "Packing", "Segment", "Tables"]
