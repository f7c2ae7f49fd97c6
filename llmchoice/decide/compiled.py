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
  skipped, their contributions and exclusions, and their points.
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
Each segment's points and exclusions are then packed into one integer
(:class:`~llmchoice.decide.tables.Packing`), a block's share is one integer addition,
and the decision (:func:`llmchoice.decide.rule.decide`, the one decision rule) is
remembered per packed sum, of which a rule set has few distinct values (verdicts are
immutable, so callers share them safely). Otherwise the points are added one by one in rule
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

:meth:`CompiledRuleSet.validate` and :meth:`~CompiledRuleSet.answers` are the
validator's own fast entry, :class:`llmchoice.answers.validate.Validator`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Mapping
from itertools import chain
from typing import NamedTuple, cast

from llmchoice.answers.validate import Resolved, Validator
from llmchoice.decide.engine import Scored, pick_scenario, preference_questions
from llmchoice.decide.engine import what_if as engine_what_if
from llmchoice.decide.memo import PerRuleSet
from llmchoice.decide.result import Contribution, Exclusion, WhatIf
from llmchoice.decide.rule import MIXED_RULE_ID, decide, no_outcome_left
from llmchoice.decide.tables import (
    ADDS,
    CONTRIBUTIONS,
    EXACT_INT,
    EXCLUSIONS,
    FIRED,
    MAX_MEMO,
    MISSING,
    PACKED,
    SKIPPED,
    Block,
    Segment,
    Tables,
)
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import RuleSet

MAX_MEMO_DECISIONS = 4096  # most remembered decisions (one per distinct packed sum)


class Verdict(NamedTuple):
    """The decision part of :class:`~llmchoice.decide.engine.Scored` (the same values).
    Verdicts are shared between calls: ``scores`` is a read-only mapping."""

    scores: Mapping[str, float]
    excluded: tuple[Exclusion, ...]
    winner: str
    margin: float
    confidence: float


_Decided = tuple[Verdict, Contribution | None]  # a verdict and the mixed bonus it gave


class CompiledRuleSet(Tables):
    """A rule set prepared for fast, exact scoring. Build it with :func:`compile_ruleset`."""

    def __init__(self, rs: RuleSet) -> None:
        self._levers = preference_questions(rs)
        # rule id -> its beyond_article as the JSON report writes it (batch rows carry it)
        self.beyond_article = {r.id: {"source": r.beyond_article.source,
                                      "as_of": r.beyond_article.as_of}
                               for r in rs.rules if r.beyond_article is not None}
        super().__init__(rs)
        self._memo: dict[object, _Decided] = {}
        self._v_numbers: dict[tuple[str, type, object], int] = {}  # number answer -> packed
        self._validator = Validator(rs)

    # ------------------------------------------------------------------ evaluating

    def _other(self, block: Block, answers: Mapping[str, Answer]) -> Segment:
        """The segment of a number block (by region) or a general block (by the truth
        values of its conditions, and which of its questions are unanswered)."""
        if block.kind == "number":
            x = answers.get(block.questions[0], MISSING)
            if x is MISSING:
                return block.table[MISSING]
            t = type(x)
            if (t is float and x == x) or \
                    (t is int and -EXACT_INT <= cast(int, x) <= EXACT_INT):
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

    def _segments(self, answers: Mapping[str, Answer]) -> list[Segment]:
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
            total += self._other(block, answers)[5]
        return total

    def _inputs(self, segs: list[Segment]) -> tuple[list[float], tuple[Exclusion, ...]]:
        """Points per outcome and exclusions from the ordered segments."""
        if self._packing is not None:
            return self._unpack(sum(map(PACKED, segs)))
        acc = [0.0] * len(self._outcomes)  # the engine's additions, one by one in order
        for oi, pts in chain.from_iterable(map(ADDS, segs)):
            acc[oi] += pts
        first: dict[str, Exclusion] = {}
        for ex in chain.from_iterable(map(EXCLUSIONS, segs)):
            first.setdefault(ex.outcome, ex)  # the first rule to exclude an outcome
        return acc, tuple(first.values())

    def _unpack(self, total: int) -> tuple[list[float], tuple[Exclusion, ...]]:
        """Points per outcome and exclusions from a packed sum."""
        p = self._packing
        assert p is not None
        values, flags = p.unpack(total, len(self._outcomes))
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
        return values, excluded

    def _decided(self, key: object, segs: list[Segment] | None, *,
                 keep: bool = True) -> _Decided:
        """The decision for a packed sum (``segs`` None) or for ordered segments, remembered
        by its inputs (``keep``): a rule set has few distinct sums (at most
        ``MAX_MEMO_DECISIONS`` are kept). Verdicts are immutable, so sharing them is safe."""
        found = self._memo.get(key)
        if found is None:
            sums, excluded = self._unpack(key) if segs is None else self._inputs(segs)  # type: ignore[arg-type]
            found = self._decide(sums, excluded)
            if keep and len(self._memo) < MAX_MEMO_DECISIONS:
                self._memo[key] = found
        return found

    def _decide(self, sums: list[float], excluded: tuple[Exclusion, ...]) -> _Decided:
        """:func:`llmchoice.decide.rule.decide` on these sums, with the exclusions' rules."""
        v = decide(sums, {e.outcome for e in excluded}, self.ruleset.decision, self._outcomes)
        if v is None:
            raise no_outcome_left(self.ruleset.source, (e.rule for e in excluded))
        bonus = None
        if v.bonus:
            mixed = self.ruleset.decision.mixed
            assert mixed is not None
            bonus = Contribution(MIXED_RULE_ID, mixed.outcome, v.bonus, mixed.because,
                                 mixed.cites, None)
        return Verdict(v.scores, excluded, v.winner, v.margin, v.confidence), bonus

    def _key(self, segs: list[Segment]) -> object:
        """What the decision for these segments depends on (the memo's key)."""
        if self._packing is not None:
            return sum(map(PACKED, segs))
        acc, excluded = self._inputs(segs)
        return (tuple(acc), excluded)

    def score(self, answers: Mapping[str, Answer]) -> Scored:
        """Exactly :func:`llmchoice.decide.engine.score` ``(rs, answers)``, faster."""
        segs = self._segments(answers)
        v, bonus = self._decided(self._key(segs), segs)
        contributions = tuple(chain.from_iterable(map(CONTRIBUTIONS, segs)))
        if bonus is not None:
            contributions = (*contributions, bonus)
        return Scored(dict(v.scores), contributions, v.excluded,
                      tuple(chain.from_iterable(map(SKIPPED, segs))),
                      tuple(chain.from_iterable(map(FIRED, segs))),
                      v.winner, v.margin, v.confidence)

    def verdict(self, answers: Mapping[str, Answer]) -> Verdict:
        """Scores, exclusions, winner, margin and confidence: the same values as
        :meth:`score`, without the lists of contributions and fired and skipped rules.
        Its ``scores`` are read-only: verdicts are shared between calls."""
        if self._packing is not None:
            total = self._packed_total(answers)
            if total is not None:
                return self._decided(total, None)[0]
        segs = self._segments(answers)
        return self._decided(self._key(segs), segs)[0]

    def verdict_of_valid(self, answers: Mapping[str, Answer]) -> Verdict:
        """:meth:`verdict` for answers that :meth:`validate` (or :meth:`answers`) returned:
        each answer one of its question's values, in canonical form. Faster; for any other
        answers use :meth:`verdict`."""
        key = self.verdict_key(answers)
        if key is None:
            return self.verdict(answers)
        return self._decided(key, None)[0]

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
            if block.kind == "number":  # remembered per answer: a batch has few values
                x = answers.get(block.questions[0], MISSING)
                memo = (block.questions[0], type(x), x)
                packed = self._v_numbers.get(memo)
                if packed is None:
                    packed = self._other(block, answers)[5]
                    if len(self._v_numbers) < MAX_MEMO:
                        self._v_numbers[memo] = packed
                total += packed
            else:
                total += self._other(block, answers)[5]
        return total

    def additive_key(self) -> bool:
        """Whether every group of rules reads one question, so that :meth:`verdict_key` of
        any answers is that of none plus, per answer, ``verdict_key({q: a})`` less it."""
        return self._valid_plan and not self._v_multi and all(
            b.kind == "number" and len(b.questions) == 1 for b in self._v_others)

    def verdict_of_key(self, key: int) -> Verdict:
        """The verdict for a :meth:`verdict_key` (not remembered here: the caller keeps it)."""
        return self._decided(key, None, keep=False)[0]

    def decided_of_key(self, key: int) -> tuple[Verdict, Contribution | None]:
        """The verdict for a :meth:`verdict_key` and the mixed-needs bonus it gave (None for
        none), remembered as :meth:`verdict` remembers; raises
        :class:`~llmchoice.decide.rule.NoOutcomeLeft` when every outcome is excluded."""
        return self._decided(key, None)

    def sums_of_key(self, key: int) -> tuple[list[float], tuple[Exclusion, ...]]:
        """Each outcome's summed points (in outcome order) and the exclusions that a
        :meth:`verdict_key` (or one less some :meth:`rule_key`) stands for."""
        return self._unpack(key)

    def other_segment(self, block: Block, answers: Mapping[str, Answer]) -> Segment:
        """What the rules of one of :meth:`other_groups` do for these answers."""
        return self._other(block, answers)

    def what_if(self, answers: Mapping[str, Answer], winner: str, *,
                levers: Collection[str] | None = None) -> tuple[WhatIf, ...]:
        """Exactly :func:`llmchoice.decide.engine.what_if`, weighing each change with
        :meth:`verdict`; ``levers`` defaults, as in the report, to the preference
        questions."""
        return engine_what_if(self.ruleset, answers, winner, decide=self.verdict,
                              levers=self._levers if levers is None else levers)

    def scenario(self, answers: Mapping[str, Answer], winner: str) -> tuple[str | None, str]:
        """The future scenario the answers fit (:func:`llmchoice.decide.engine.pick_scenario`)."""
        return pick_scenario(self.ruleset, answers, winner)

    # ------------------------------------------------------------------ validation

    def validate(self, given: Mapping[str, object], *, source: str = "answers",
                 sets: Mapping[str, str] | None = None,
                 use_defaults: bool = False) -> Resolved:
        """Exactly :func:`llmchoice.answers.validate.validate` (without ``locate``), through
        its fast entry :class:`~llmchoice.answers.validate.Validator`."""
        return self._validator.validate(given, source=source, sets=sets,
                                        use_defaults=use_defaults)

    def answers(self, given: Mapping[str, object], *, source: str = "answers",
                use_defaults: bool = False) -> dict[str, Answer]:
        """``validate(given, ...).answers``: the validated answers, in question order."""
        return self._validator.answers(given, source=source, use_defaults=use_defaults)


def compile_ruleset(rs: RuleSet) -> CompiledRuleSet:
    """Compile ``rs``; ``compile_ruleset(rs).score(a) == engine.score(rs, a)`` for any answers."""
    return CompiledRuleSet(rs)


MAX_COMPILED = 8  # rule sets kept compiled by :func:`score`
compiled_for = PerRuleSet(compile_ruleset, keep=MAX_COMPILED)
"""``rs`` compiled, once: the last ``MAX_COMPILED`` rule sets are kept."""


def score(rs: RuleSet, answers: Mapping[str, Answer]) -> Scored:
    """A drop-in for :func:`llmchoice.decide.engine.score` (same signature, same result) that
    compiles each rule set once (:func:`compiled_for`)."""
    return compiled_for(rs).score(answers)


__all__ = ["CompiledRuleSet", "Verdict", "compile_ruleset", "compiled_for", "score"]
