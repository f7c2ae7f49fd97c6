"""The answer space reachability tries: for each question, values between which every
condition of the rule set (rules, questions' ``when``, path rules, next steps' ``when``)
takes every truth value it can take for that question."""

from __future__ import annotations

import math

from llmchoice.ruleset.conditions import Answer, Condition, leaves
from llmchoice.ruleset.model import Question, RuleSet


def _conditions(rs: RuleSet) -> list[Condition]:
    """Every condition: of the rules, the questions' ``when``, the path rules and the next
    steps (the way to run an outcome and the advice are part of the recommendation)."""
    return ([r.when for r in rs.rules] + [q.when for q in rs.questions if q.when is not None]
            + [p.when for p in rs.path_rules if p.when is not None]
            + [s.when for s in rs.next_steps if s.when is not None])


def _number_cuts(rs: RuleSet, qid: str) -> list[float]:
    """Every limit a rule or a question's ``when`` compares ``qid`` with."""
    cuts = {float(leaf.value) for c in _conditions(rs) for leaf in leaves(c)  # type: ignore[arg-type]
            if leaf.question == qid and leaf.op in ("eq", "lt", "lte", "gt", "gte")}
    return sorted(c for c in cuts if math.isfinite(c))


def _number_space(q: Question, cuts: list[float]) -> tuple[Answer, ...]:
    """One valid number per region the ``cuts`` tell apart (each cut, between two cuts,
    below and above them all), within the question's bounds."""
    lo = -math.inf if q.minimum is None else q.minimum
    hi = math.inf if q.maximum is None else q.maximum
    points = list(cuts)
    points += [(a + b) / 2 for a, b in zip(cuts, cuts[1:], strict=False)]
    if cuts:
        points += [max(lo, cuts[0] - 1) if lo < cuts[0] else cuts[0] - 1,
                   min(hi, cuts[-1] + 1) if hi > cuts[-1] else cuts[-1] + 1]
    else:
        points.append(0.0 if lo <= 0 <= hi else (lo if math.isfinite(lo) else hi))
    out: list[Answer] = []
    for p in sorted(set(points)):
        if lo <= p <= hi and math.isfinite(p):
            v: Answer = int(p) if float(p).is_integer() else p
            if v not in out:
                out.append(v)
    return tuple(out)


def _multi_space(rs: RuleSet, q: Question) -> tuple[Answer, ...]:
    """Every set of the choices conditions name, and when other choices exist, each such
    set with one of them added (``eq`` tells that apart): all the truth values any
    condition on ``q`` can take."""
    named: set[str] = set()
    for c in _conditions(rs):
        for leaf in leaves(c):
            if leaf.question == q.id and isinstance(leaf.value, tuple | list):
                named.update(v for v in leaf.value if isinstance(v, str))
    mentioned = [v for v in q.values if v in named]
    other = next((v for v in q.values if v not in named), None)
    out: list[Answer] = []
    for mask in range(1 << len(mentioned)):
        picked = {v for n, v in enumerate(mentioned) if mask >> n & 1}
        out.append(tuple(v for v in q.values if v in picked))
        if other is not None:
            out.append(tuple(v for v in q.values if v in picked or v == other))
    return tuple(out)


def answer_space(rs: RuleSet, q: Question) -> tuple[Answer, ...]:
    """The values of ``q`` a completion tries: between them, every condition of the rule
    set takes every truth value it can take for ``q``."""
    if q.type == "choice":
        return q.values
    if q.type == "confirm":
        return (True, False)
    if q.type == "multi":
        return _multi_space(rs, q)
    return _number_space(q, _number_cuts(rs, q.id))


__all__ = ["answer_space"]
