"""What the answers a user was unsure of leave open: every way they could be answered, scored.

:func:`open_answers` enumerates the product of the unsure questions' values (a choice
question's choices; yes and no; for a multi-choice question none and each choice alone; for
a number question the representative values :func:`llmchoice.decide.engine.alternatives`
gives, the regions its rules tell apart), the other answers staying as given. A number
question is not part of that product: its representative values are samples of a scale, not
answers as likely as any other, so it gets no share of the verdict; each of its values is
scored alone, the other unsure answers left out, and the report states the cut-off where the
verdict changes (``OpenQuestion.values`` in ascending order, each counted once). Each
*completion* is scored with the compiled evaluator (the engine's verdict, faster), dropping
answers whose question stops applying. Beyond :data:`MAX_COMPLETIONS` combinations a seeded
random sample of that many is scored instead, so the same answers always give the same figures.

It reports the share of completions each outcome wins, how many are too close to call (a
tie or a lead under ``decision.min_lead``; overall and per value), for each unsure question
and value the outcome counts, and which question to settle first: the one whose answer
leaves the lowest expected disagreement, the conditional entropy of the verdict given that question
(``sum over values v of P(v) x H(verdict | v)``); ties go to the earlier question. When every
completion gives the same verdict nothing is left to settle (``settle_first`` is None).
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from itertools import product

from llmchoice.answers.validate import applicable
from llmchoice.decide.compiled import CompiledRuleSet, compiled_for
from llmchoice.decide.engine import alternatives
from llmchoice.decide.result import OpenQuestion, UnsureAnalysis, ValueOutcomes
from llmchoice.decide.rule import NoOutcomeLeft
from llmchoice.decide.rule import unclear as verdict_unclear
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import Question, RuleSet

MAX_COMPLETIONS = 4096
SEED = 20240


def representatives(rs: RuleSet, q: Question) -> list[Answer]:
    """The values of one unsure question that are tried."""
    if q.type == "choice":
        return list(q.values)
    if q.type == "confirm":
        return [True, False]
    if q.type == "multi":
        return [(), *alternatives(rs, q, ())]
    return alternatives(rs, q, None)


def _entropy(counts: Sequence[int]) -> float:
    total = sum(counts)
    if not total:
        return 0.0
    return -sum(n / total * math.log2(n / total) for n in counts if n)


def _combos(values: list[list[Answer]], seed: int) -> tuple[list[tuple[int, ...]], bool]:
    """Value indexes of every completion, or of a seeded sample when there are too many."""
    size = math.prod(len(v) for v in values)
    if size <= MAX_COMPLETIONS:
        return list(product(*[range(len(v)) for v in values])), False
    rng = random.Random(seed)
    return [tuple(rng.randrange(len(v)) for v in values) for _ in range(MAX_COMPLETIONS)], True


def open_answers(rs: RuleSet, answers: Mapping[str, Answer], unsure: Sequence[str], *,
                 seed: int = SEED) -> UnsureAnalysis:
    """The verdicts of every completion of the ``unsure`` questions (see the module)."""
    crs = compiled_for(rs)
    by_id = {q.id: q for q in rs.questions}
    qids = [q for q in unsure if q in by_id]
    # a number question no rule compares has no representative: any value scores the same
    # a number's values are not enumerated with the others: its representatives are
    # samples of a scale (its cut-offs), not answers as likely as any other, so counting
    # them as ways of answering would invent shares (see _cutoffs)
    tried = [q for q in qids if by_id[q].type != "number" and representatives(rs, by_id[q])]
    values = [representatives(rs, by_id[q]) for q in tried]
    conditional = any(q.when is not None for q in rs.questions)
    outcomes = rs.outcome_ids
    index = {o: i for i, o in enumerate(outcomes)}
    combos, sampled = _combos(values, seed)
    counts = [[[0] * len(outcomes) for _ in v] for v in values]
    total = [0] * len(outcomes)
    contradictory = 0
    unclear = 0  # completions whose verdict is a tie or a lead under min_lead
    unclear_at = [[0] * len(v) for v in values]
    for combo in combos:
        completion = dict(answers)
        completion.update(zip(tried, map(list.__getitem__, values, combo), strict=True))
        if conditional:
            completion = _applicable(rs, completion)
        try:
            verdict = crs.verdict_of_valid(completion)
        except NoOutcomeLeft:
            contradictory += 1
            continue
        winner = index[verdict.winner]
        total[winner] += 1
        close = verdict_unclear(rs.decision, verdict.margin,
                                len(verdict.excluded) < len(outcomes) - 1)
        unclear += close
        for qi, vi in enumerate(combo):
            counts[qi][vi][winner] += 1
            unclear_at[qi][vi] += close
    scored = sum(total)
    shares = tuple((o, round(total[i] / scored, 4) if scored else 0.0)
                   for i, o in enumerate(outcomes))
    questions = []
    for q in qids:
        found = tried.index(q) if q in tried else None
        vals = _cutoffs(rs, crs, answers, by_id[q], conditional) if found is None else tuple(
            ValueOutcomes(v, tuple(zip(outcomes, c, strict=True)), u)
            for v, c, u in zip(values[found], counts[found], unclear_at[found], strict=True))
        questions.append(OpenQuestion(q, vals))
    settle = _settle_first(qids, tried, counts, total)
    return UnsureAnalysis(len(combos) - contradictory, sampled, shares, tuple(questions),
                          settle, contradictory, unclear)


def _cutoffs(rs: RuleSet, crs: CompiledRuleSet, answers: Mapping[str, Answer], q: Question,
             conditional: bool) -> tuple[ValueOutcomes, ...]:
    """A number question answered unsure: the verdict at each representative value in
    ascending order (the regions its rules tell apart), the other unsure answers left out,
    each counted once: where the winner changes is the cut-off the report states. () for a
    question of another type, or one no rule reads."""
    if q.type != "number":
        return ()
    outcomes = rs.outcome_ids
    out = []
    for v in sorted(representatives(rs, q), key=lambda x: float(x)):  # type: ignore[arg-type]
        completion = {**answers, q.id: v}
        try:
            verdict = crs.verdict_of_valid(_applicable(rs, completion) if conditional
                                           else completion)
        except NoOutcomeLeft:
            continue
        close = verdict_unclear(rs.decision, verdict.margin,
                                len(verdict.excluded) < len(outcomes) - 1)
        out.append(ValueOutcomes(v, tuple((o, int(o == verdict.winner)) for o in outcomes),
                                 int(close)))
    return tuple(out)


def _applicable(rs: RuleSet, answers: Mapping[str, Answer]) -> dict[str, Answer]:
    out: dict[str, Answer] = {}
    for q in rs.questions:
        if q.id in answers and applicable(q, out):
            out[q.id] = answers[q.id]
    return out


def _settle_first(qids: list[str], tried: list[str], counts: list[list[list[int]]],
                  total: list[int]) -> str | None:
    """The question with the lowest expected conditional entropy of the verdict; None when
    every completion agrees."""
    scored = sum(total)
    if sum(1 for n in total if n) < 2:
        return None
    best: tuple[float, int] | None = None
    for order, q in enumerate(qids):
        if q in tried:
            per_value = counts[tried.index(q)]
            h = sum(sum(c) / scored * _entropy(c) for c in per_value)
        else:
            h = _entropy(total)  # no value tried: knowing it tells nothing
        key = (round(h, 12), order)
        if best is None or key < best:
            best = key
    assert best is not None
    return qids[best[1]]


__all__ = ["MAX_COMPLETIONS", "SEED", "open_answers", "representatives"]
