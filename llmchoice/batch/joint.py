"""The groups of rules that read more than one question, summed by ``batch``'s fast path.

The compiled rule set groups its rules by connected questions
(:meth:`~llmchoice.decide.compiled.CompiledRuleSet.valid_groups` and
:meth:`~llmchoice.decide.compiled.CompiledRuleSet.other_groups`). A group on one question
adds to the verdict key what that question's answer adds alone, so the fast path sums it
per answer. A group on several questions (the default set's ``volume-high`` reads the
monthly tokens and the performance needed) does not add up per answer; :func:`joint_plan`
works out, once, what it adds for every combination of its answers: each choice or
true/false answer, and each *region* of a number answer (below, at or between the limits
the group's rules compare it with, as the compiled number tables do), is a digit, and the
digits of all such groups are one number in mixed radix, whose packed sum is one table
look-up. Answers that no combination tells apart share a digit (:func:`mixed_radix`), so
the number stays small.

The fast path puts these digits in the line's sum below the verdict key's part:
``sum = (key less the groups) * radix + digits``, so one ``divmod`` gives both back.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Hashable, Mapping, Sequence
from itertools import product
from typing import NamedTuple, cast

from llmchoice.decide.compiled import CompiledRuleSet
from llmchoice.decide.tables import EXACT_INT, MISSING, number_cuts, representatives
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import Question, RuleSet

MAX_JOINT = 4096  # most combinations of digits of all groups on several questions


class JointPlan(NamedTuple):
    """What each answer to a question of a group on several questions adds to the digits:
    ``digits`` per (question, choice or true/false answer), ``regions`` per number
    question (its limits, and the digit of each region); ``radix`` is one more than the
    largest digits and ``table`` the groups' packed sum per digits."""

    digits: dict[tuple[str, object], int]
    regions: dict[str, tuple[tuple[float, ...], tuple[int, ...]]]
    radix: int
    table: tuple[int, ...]

    def number_digit(self, qid: str, value: int) -> int | None:
        """The digit of a whole number answer (None beyond the exact integers)."""
        if not -EXACT_INT <= value <= EXACT_INT:
            return None
        cuts, digits = self.regions[qid]
        x = float(value)
        i = bisect_left(cuts, x)
        return digits[2 * i + 1 if i < len(cuts) and cuts[i] == x else 2 * i]


def mixed_radix(domains: Sequence[Sequence[object]], signature: Mapping[tuple[object, ...],
                                                                         Hashable]
                ) -> tuple[list[list[int]], int]:
    """Digits for each question's answers (each domain's first entry gets 0) such that two
    answers share a digit only when no combination of the other answers tells them apart
    in ``signature`` (one entry per combination); each question's digits are multiples of
    the radix of those before it. Returns the digits per domain entry and the radix."""
    out: list[list[int]] = []
    radix = 1
    for n, dom in enumerate(domains):
        others = [d if m != n else (None,) for m, d in enumerate(domains)]
        classes: dict[tuple[Hashable, ...], int] = {}
        row = []
        for v in dom:
            profile = tuple(signature[(*c[:n], v, *c[n + 1:])] for c in product(*others))
            row.append(classes.setdefault(profile, len(classes)) * radix)
        out.append(row)
        radix *= len(classes)
    return out, radix


def region_cuts(rs: RuleSet, rules: tuple[int, ...], qid: str) -> tuple[float, ...] | None:
    """The limits these rules compare the number question ``qid`` with, when every test of
    it is a comparison with an exactly representable number (or ``answered``): the compiled
    tables' own :func:`~llmchoice.decide.tables.number_cuts`."""
    return number_cuts(rs, list(rules), rs.question(qid))


def _domain(rs: RuleSet, q: Question, rules: tuple[int, ...]
            ) -> tuple[tuple[object, ...], tuple[float, ...] | None] | None:
    """The answers of ``q`` to table (a number: one per region, with its limits); a type
    the fast path never takes has none (its lines go the full way)."""
    if q.type == "choice":
        return q.values, None
    if q.type == "confirm":
        return (True, False), None
    if q.type == "number":
        cuts = region_cuts(rs, rules, q.id)
        return (None if cuts is None else (tuple(representatives(cuts)), cuts))
    return (), None


def joint_plan(crs: CompiledRuleSet) -> JointPlan | None:
    """The plan for every group of rules on several questions (an empty one when there is
    none), or None when the rule set has no verdict key or a group cannot be tabled."""
    groups = crs.valid_groups()
    if groups is None or crs.verdict_key({}) is None:
        return None
    rs = crs.ruleset
    qmap = {q.id: q for q in rs.questions}
    todo = [(qs, rules) for qs, rules, _ in groups if len(qs) > 1]
    todo += [(b.reads, b.rules) for b in crs.other_groups()
             if not (b.kind == "number" and len(b.questions) == 1)]
    digits: dict[tuple[str, object], int] = {}
    regions: dict[str, tuple[tuple[float, ...], tuple[int, ...]]] = {}
    table = [0]
    for qs, rules in todo:
        if any(q not in qmap for q in qs):
            return None
        found = [_domain(rs, qmap[q], rules) for q in qs]
        if None in found:
            return None
        domains = [(MISSING, *f[0]) for f in found]  # type: ignore[index]
        if len(table) * math.prod(map(len, domains)) > MAX_JOINT:
            return None
        keys = [crs.rule_key(i) for i in rules]
        signature: dict[tuple[object, ...], int] = {}
        for combo in product(*domains):
            answers = {q: cast(Answer, v) for q, v in zip(qs, combo, strict=True)
                       if v is not MISSING}
            signature[combo] = sum(k for i, k in zip(rules, keys, strict=True)
                                   if rs.rules[i].when.evaluate(answers) is True)
        per, radix = mixed_radix(domains, signature)
        scale = len(table)
        packed = [0] * radix
        for combo, value in signature.items():
            packed[sum(per[n][domains[n].index(v)] for n, v in enumerate(combo))] = value
        for n, (q, f) in enumerate(zip(qs, found, strict=True)):
            if f[1] is not None:  # type: ignore[index]
                regions[q] = (f[1], tuple(d * scale for d in per[n][1:]))  # type: ignore[index]
            else:
                for v, d in zip(domains[n][1:], per[n][1:], strict=True):
                    digits[(q, v)] = d * scale
        table = [t + p for p in packed for t in table]
    return JointPlan(digits, regions, len(table), tuple(table))


__all__ = ["MAX_JOINT", "JointPlan", "joint_plan", "mixed_radix", "region_cuts"]
