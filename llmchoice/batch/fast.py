"""The fast path of ``batch``: a plain JSONL row straight from the parsed (question, answer)
pairs, for the common line (a JSON object of valid answers, in any order).

:func:`fast_rows` builds, once per run, what such a line needs, keyed by the pairs the JSON
scanner gives (``object_pairs_hook=tuple``): each valid pair's share of the verdict key and
its encoded ``"question":"value"`` piece; per order of the keys, whether the line can take
this path and how to put its answers in question order; per verdict key, the encoded
pieces of the row (:meth:`~llmchoice.batch.writers.JsonlWriter.prepare`); per winner and
answers to the scenarios' questions, the scenario. A line is then a scan, a few look-ups
made in C (``map``, ``sum``, ``str.join``) and one string. Rules that read several
questions together add digits to the sum instead (:mod:`llmchoice.batch.joint`), looked
up once per sum.

Anything else (a parse error, a duplicate or unknown key, a missing required answer, an
answer not among the pairs known, a float or a list, "unsure", ``$schema``...) is declined,
and the line goes the full way (:func:`llmchoice.batch.stream.run`), which gives its row or
the reason it is bad. A pair is only known when the full way would accept it unchanged, so
both ways write the same bytes (``tests/test_batch_fast.py`` compares them).

Every table is bounded (``MAX_*``), so memory stays flat however many lines are read.

Long: :func:`fast_rows` holds the per-line path in one closure, with what it reads bound to
local names (a call per line saved is measurable; see ``benchmarks/``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Collection
from itertools import product
from operator import itemgetter
from typing import Any

from llmchoice.answers.validate import coerce
from llmchoice.batch.joint import joint_plan, mixed_radix
from llmchoice.batch.writers import JsonlWriter, Prepared
from llmchoice.decide.compiled import CompiledRuleSet
from llmchoice.decide.tables import MISSING
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import RuleSet

MAX_SHAPES = 256  # orders of keys remembered
MAX_LEARNED = 4096  # number and true/false answers remembered with their share and piece
MAX_PREPARED = 16384  # verdict keys remembered with their pieces of rows (~250 bytes each)
MAX_FOLDED = 4096  # most combinations of the scenarios' answers folded into the sum
MAX_SCENARIOS = 4096  # (winner, answers the scenarios read) remembered with their scenario
TYPED = {"number": int, "confirm": bool}  # answers of these types are known by exact type

# What the fast path does with one line of text: True when its row is written (and the line
# counted), False to hand the line to the full way.
FastRow = Callable[[str, int], bool]
# How a line with some keys takes the fast path: the order that puts its answers in question
# order (None: they are), the answers checked by type (position, type) and the positions of
# the answers the scenarios read.
_Shape = tuple[tuple[int, ...] | None, tuple[tuple[int, type], ...], tuple[int, ...]]
first = itemgetter(0)


class _Declined(Exception):  # noqa: N818 - not an error: the line goes the full way
    pass


def _raise(name: str) -> object:
    raise _Declined(name)


def scenario_digits(rs: RuleSet, reads: Collection[str]
                    ) -> dict[tuple[str, object] | None, int] | None:
    """What an answer adds to the sum for the scenario (``None``: the radix to multiply the
    verdict key by), when every question the scenarios read is a choice and they are few:
    answers that no scenario tells apart (for any answers to the other questions read) share
    a digit, so the sum has as few values as the scenarios need; else None.

    A line's sum is (verdict key) * radix + (its digits), each question a digit in mixed
    radix (0: not answered, or what not answering gives), so divmod gives both back."""
    read = [q for q in rs.questions if q.id in reads]
    if not all(q.type == "choice" for q in read):
        return None
    domains: list[tuple[object, ...]] = [(MISSING, *q.values) for q in read]
    if math.prod(map(len, domains)) > MAX_FOLDED:
        return None
    signature = {}  # each combination of answers -> which scenarios' conditions hold
    for combo in product(*domains):
        answers = {q.id: v for q, v in zip(read, combo, strict=True) if v is not MISSING}
        signature[combo] = tuple(sc.when.evaluate(answers) is True  # type: ignore[arg-type]
                                 for sc in rs.scenarios)
    per, radix = mixed_radix(domains, signature)  # MISSING first: its class is digit 0
    digits: dict[tuple[str, object] | None, int] = {
        (q.id, v): d for q, dom, row in zip(read, domains, per, strict=True)
        for v, d in zip(dom[1:], row[1:], strict=True)}
    digits[None] = radix
    return digits


class _Known:
    """What the fast path knows: each pair's share of the verdict key and its encoded
    piece, and how each order of keys takes the path (all bounded)."""

    def __init__(self, crs: CompiledRuleSet, encode: Callable[[object], str]) -> None:
        rs = crs.ruleset
        self.crs = crs
        self.encode = encode
        self.position = {q.id: n for n, q in enumerate(rs.questions)}
        self.questions = {q.id: q for q in rs.questions}
        self.required = frozenset(q.id for q in rs.questions if q.required)
        empty = crs.verdict_key({}) or 0
        # the groups of rules on several questions, as digits below the rest of the key
        self.joint = joint_plan(crs)
        self.additive = self.joint is not None
        self.joint_of = self.joint.table if self.joint is not None else (0,)
        self.radix = len(self.joint_of)
        jointly = {q for q, _ in self.joint.digits} | set(self.joint.regions) \
            if self.joint is not None else set()
        self.scenarios_read = {q for sc in rs.scenarios for q in sc.when.questions()}
        digits = scenario_digits(rs, self.scenarios_read)
        self.folded = digits is not None
        self.fold = digits.pop(None) if digits is not None else 1
        tag = digits or {}
        self.jointly = jointly
        self.unit = self.radix * self.fold  # what one of the key's (less the groups) is
        self.empty = empty
        self.base: int = (empty - self.joint_of[0]) * self.unit
        # A pair as the row's JSON writes it, and that piece's share of the sum (by the
        # piece: a string's hash is kept, a tuple's is worked out at each look-up).
        self.piece: dict[tuple[str, object], str] = {}
        self.share: dict[str, int] = {}
        for q in rs.questions:
            if q.type == "choice":
                for v in q.values:
                    if type(v) is str:  # (the only kind a choice has; no 1 == True doubt)
                        text = self.piece[(q.id, v)] = encode({q.id: v})[1:-1]
                        self.share[text] = self._share(q.id, v) + tag.get((q.id, v), 0)
        self.learned = 0
        self.shapes: dict[tuple[str, ...], _Shape | None] = {}

    def _share(self, qid: str, value: object) -> int:
        """What a valid answer adds to the sum, less the scenario's digit: its digit in the
        groups on several questions, or what it adds to the key alone, times the unit."""
        joint = self.joint
        if joint is not None and qid in self.jointly:
            if qid in joint.regions:
                digit = joint.number_digit(qid, value)  # type: ignore[arg-type]
                if digit is None:
                    raise _Declined(qid)
                return digit * self.fold
            return joint.digits[(qid, value)] * self.fold
        key = self.crs.verdict_key({qid: value})  # type: ignore[dict-item]
        return ((key or 0) - self.empty) * self.unit

    def shape(self, keys: tuple[str, ...]) -> _Shape | None:
        """How a line with these keys (in this order) takes the fast path, or None; kept."""
        questions = self.questions
        found: _Shape | None = None
        if all(k in questions and questions[k].type in ("choice", *TYPED) for k in keys) \
                and self.required <= set(keys) and len(set(keys)) == len(keys):
            order = sorted(range(len(keys)), key=lambda n: self.position[keys[n]])
            perm = None if order == list(range(len(keys))) else tuple(order)
            canonical = [keys[n] for n in order]
            found = (perm, tuple((n, TYPED[questions[k].type]) for n, k in enumerate(canonical)
                                 if questions[k].type in TYPED),
                     tuple(n for n, k in enumerate(canonical) if k in self.scenarios_read))
        if len(self.shapes) < MAX_SHAPES:
            self.shapes[keys] = found
        return found

    def learn(self, pairs: tuple[tuple[str, object], ...],
              typed: tuple[tuple[int, type], ...]) -> None:
        """Remember the number and true/false answers of a line that the full way takes
        unchanged (an int or a bool, already of its question's type: never "unsure"), up to
        ``MAX_LEARNED`` of them; the others stay unknown (the line goes the full way)."""
        for n, _ in typed:
            pair = pairs[n]
            if pair in self.piece or self.learned >= MAX_LEARNED:
                continue
            qid, raw = pair
            value, problem = coerce(self.questions[qid], raw)
            if problem or value is not raw:
                continue
            try:
                share = self._share(qid, value)  # (a multiple of the fold: only choices
                # are folded)
            except _Declined:  # a number beyond the exact integers: the full way
                continue
            text = self.piece[pair] = self.encode({qid: value})[1:-1]  # (one per pair: an
            # int or a bool, each written its own way)
            self.share[text] = share
            self.learned += 1


def fast_rows(crs: CompiledRuleSet, writer: JsonlWriter,
              count: Callable[[dict[str, Answer], str, bool], None] | None) -> FastRow | None:
    """The fast path for plain JSONL rows (no reasons, no what-if), or None when the rule
    set has questions that depend on others or points that do not add up exactly (no
    verdict key: every line then goes the full way).
    ``count``: the summary's :meth:`~llmchoice.batch.deciding.Deciding.line`, if any."""
    rs = crs.ruleset
    if any(q.when is not None for q in rs.questions) or crs.verdict_key({}) is None:
        return None
    known = _Known(crs, writer.encoder)
    shapes, shape_of, learn = known.shapes, known.shape, known.learn
    share, piece, base, additive = known.share, known.piece, known.base, known.additive
    fold, folded, unit, joint_of = known.fold, known.folded, known.unit, known.joint_of
    scan: Callable[[str, int], tuple[object, int]] = json.JSONDecoder(
        object_pairs_hook=tuple, parse_constant=_raise).scan_once  # type: ignore[attr-defined]
    key_of = crs.verdict_key
    verdict_of_key = crs.verdict_of_key
    prepare = writer.prepare
    verdicts: dict[int, tuple[str, str, str]] = {}  # verdict key -> pieces of rows, winner
    prepared: dict[int, tuple[str, str, str, str]] = {}  # sum -> pieces of rows, winner
    scenario_piece = writer.scenario_piece
    scenarios: dict[tuple[str, tuple[Any, ...]], str] = {}
    add = writer.add_row
    need_answers = count is not None or not additive

    def pieces_of(total: int, pairs: tuple[tuple[str, object], ...]
                  ) -> tuple[str, str, str, str]:
        """The pieces of rows for a sum (kept): before the answers, the exclusions, the
        scenario when it is folded into the sum (else ""), the winner."""
        high, low = divmod(total, unit)
        key = high + joint_of[low // fold]
        v = verdicts.get(key)
        if v is None:
            p: Prepared = prepare(verdict_of_key(key))
            v = (f',{p[0]},"answers":{{', p[1], p[2])  # (p[1] is shared between verdicts)
            if len(verdicts) < MAX_PREPARED:
                verdicts[key] = v
        sc = scenario_piece(crs.scenario(dict(pairs), v[2])[0]) if folded else ""  # type: ignore[arg-type]
        found = (v[0], v[1], sc, v[2])  # the strings shared with ``verdicts``
        if len(prepared) < MAX_PREPARED:
            prepared[total] = found
        return found

    def row(text: str, lineno: int) -> bool:
        try:
            pairs, end = scan(text, 0)
        except (StopIteration, ValueError, RecursionError, _Declined):
            return False
        if end != len(text) or type(pairs) is not tuple:
            return False
        keys = tuple(map(first, pairs))
        shape = shapes.get(keys, False)
        if shape is False:
            shape = shape_of(keys)
        if shape is None:
            return False
        perm, typed, read = shape  # type: ignore[misc]
        if perm is not None:
            pairs = tuple(map(pairs.__getitem__, perm))
        for n, kind in typed:
            if type(pairs[n][1]) is not kind:
                return False
        try:
            try:
                parts = list(map(piece.__getitem__, pairs))
            except KeyError:
                learn(pairs, typed)
                parts = list(map(piece.__getitem__, pairs))
        except (KeyError, TypeError):  # an answer not known (a TypeError: a list)
            return False
        total = base + sum(map(share.__getitem__, parts))
        body = ",".join(parts)
        answers = dict(pairs) if need_answers else None
        if answers is not None and not additive:
            key = key_of(answers)
            if key is None:  # (not for validated answers of an exact rule set)
                return False
            total = key * fold + total % fold  # (no groups in the sum here: unit == fold)
        pieces = prepared.get(total) or pieces_of(total, pairs)
        winner = pieces[3]
        sc = pieces[2]
        if not folded:
            at = (winner, tuple(map(pairs.__getitem__, read)))
            sc = scenarios.get(at)  # type: ignore[assignment]
            if sc is None:
                sc = scenario_piece(crs.scenario(dict(pairs), winner)[0])
                if len(scenarios) < MAX_SCENARIOS:
                    scenarios[at] = sc
        add(f'{{"line":{lineno}{pieces[0]}{body}}},"excluded":{pieces[1]},"scenario":{sc}}}')
        if count is not None:
            count(answers, winner, True)  # type: ignore[arg-type]
        return True

    row.kept = {"shapes": shapes, "verdicts": verdicts, "sums": prepared,  # type: ignore[attr-defined]
                "scenarios": scenarios, "known": known}  # (what is kept, for the tests)
    return row


__all__ = ["MAX_LEARNED", "MAX_PREPARED", "MAX_SCENARIOS", "MAX_SHAPES", "FastRow",
           "fast_rows"]
