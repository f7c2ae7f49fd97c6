"""What a report says about the answers left unsure, worded once for every format.

Each unsure question's line (the verdict for each of its values), the share of each
outcome over every way of answering them and which question to settle first
(:class:`OpenView`); and, when those ways do not agree, the pair of outcomes the
headline names (:func:`unsure_split`) and the sentence that opens the basis
(:func:`unsure_prefix`). Nothing here scores: :mod:`llmchoice.decide.unsure` did.
"""

from __future__ import annotations

from llmchoice.answers.show import show_answer, show_value
from llmchoice.decide.result import OpenQuestion, Result
from llmchoice.frozen import frozen
from llmchoice.ruleset.model import RuleSet

from .common import outcome_label, pts_words, question_title


@frozen
class OpenView:
    """What the answers left unsure leave open: one line per unsure question, the share of
    each outcome over every completion, and which question to settle first."""

    lines: tuple[str, ...]
    shares: str
    settle_first: str


def unsure_split(result: Result) -> tuple[str, str] | None:
    """When the ways of answering the unsure questions do not agree (no outcome wins every
    completion): the two outcomes that win most of them, most first (among equal shares,
    the recommendation the rest of the report is written for first, then outcome order).
    None without unsure answers, or when every completion agrees."""
    won = _ranked_shares(result)
    return (won[0][0], won[1][0]) if len(won) > 1 else None


def _ranked_shares(result: Result) -> list[tuple[str, float]]:
    """The outcomes that win some way of answering the unsure questions, with their share,
    most first; among equal shares the recommendation first, then outcome order."""
    oa = result.open_answers
    if oa is None:
        return []
    order = {o: i for i, (o, _) in enumerate(oa.shares)}
    return sorted(((o, share) for o, share in oa.shares if share > 0),
                  key=lambda p: (-p[1], p[0] != result.recommendation, order[p[0]]))


def unsure_prefix(rules: RuleSet, result: Result) -> str:
    """When the unsure answers split the verdict, the sentence that opens the basis: ``No
    verdict yet: it depends on your unsure answers (over the ways of answering them: Hybrid
    of both 50%, Closed-source LLM 50%); settle Performance first.``; when they do not, a
    number answered unsure whose cut-off decides it: ``Monthly tokens, which you were unsure
    of, decides it: below about ...``. Else ''."""
    oa = result.open_answers
    if oa is None:
        return ""
    if unsure_split(result) is None:  # a number's cut-off may still decide it
        cuts = [(q.question, c) for q in oa.questions if (c := cutoff_words(rules, q))]
        return "".join(f"{question_title(rules, qid)}, which you were unsure of, decides it: "
                       f"{c}. " for qid, c in cuts)
    shares = ", ".join(f"{outcome_label(rules, o)} {s:.0%}" for o, s in _ranked_shares(result))
    settle = (f"; settle {question_title(rules, oa.settle_first)} first"
              if oa.settle_first is not None else "")
    return (f"No verdict yet: it depends on your unsure answers (over the ways of answering "
            f"them: {shares}){settle}. ")


def _unclear(q: OpenQuestion) -> str:
    """``; too close to call or tied for moderate, large (2 of 3 ways)``: the values whose
    verdict is a tie or a lead under ``min_lead`` (for some or all of the ways the other
    open answers go)."""
    marks = []
    for v in q.values:
        if v.unclear:
            n = sum(c for _, c in v.counts)
            marks.append(show_value(v.value) + ("" if v.unclear == n
                                                else f" ({v.unclear} of {n} ways)"))
    return f"; too close to call or tied for {', '.join(marks)}" if marks else ""


def cutoff_words(rules: RuleSet, q: OpenQuestion) -> str | None:
    """A number question answered unsure (its values ascending, each scored alone):
    ``below about 4,000 million tokens per month: Closed-source LLM; at or above:
    Hybrid of both``; None when it is not a number or every value gives one verdict."""
    if not rules.has_question(q.question) or \
            rules.question(q.question).type != "number" or not q.values:
        return None
    won = [(v.value, next(o for o, n in v.counts if n)) for v in q.values]
    spans: list[tuple[object, str]] = [won[0]]  # (from value, outcome)
    spans += [(v, o) for (_, before), (v, o) in zip(won, won[1:], strict=False) if o != before]
    if len(spans) < 2:
        return None
    shown = [show_answer(rules.question(q.question), v) for v, _ in spans]
    parts = [f"below about {shown[1]}: {outcome_label(rules, spans[0][1])}"]
    for i in range(1, len(spans)):
        upto = f" up to about {shown[i + 1]}" if i + 1 < len(spans) else ""
        at = "at or above" if len(spans) == 2 else f"from about {shown[i]}{upto}"
        parts.append(f"{at}: {outcome_label(rules, spans[i][1])}")
    return "; ".join(parts)


def _open_line(rules: RuleSet, q: OpenQuestion) -> str:
    """``Left open: Budget — Open-source LLM for 2 of 3 values (minimal, moderate),
    Closed-source LLM for large; too close to call or tied for moderate``."""
    title = question_title(rules, q.question)
    if not q.values:
        return f"Left open: {title} — no rule reads it, so any answer gives the same verdict"
    if rules.has_question(q.question) and rules.question(q.question).type == "number":
        cut = cutoff_words(rules, q)
        return (f"Left open: {title} — {cut} (the other unsure answers left out); "
                "the cut-off decides it, so give the number" if cut else
                f"Left open: {title} — "
                f"{outcome_label(rules, next(o for o, n in q.values[0].counts if n))} "
                "whatever the number")
    groups: dict[str, list[str]] = {}
    mixed: list[str] = []
    for v in q.values:
        won = [o for o, n in v.counts if n]
        key = won[0] if len(won) == 1 else ""
        groups.setdefault(key, []).append(show_value(v.value))
        mixed.extend(o for o in won if len(won) > 1 and o not in mixed)
    total = len(q.values)
    if set(groups) == {""}:
        either = " or ".join(outcome_label(rules, o) for o in mixed)
        return (f"Left open: {title} — each value can give {either}, "
                f"depending on the other open answers{_unclear(q)}")
    parts = []
    for key, values in groups.items():
        who = outcome_label(rules, key) if key else "depends on the other open answers"
        if len(values) == total:
            parts.append(f"{who} whatever the answer")
        elif len(values) == 1:
            parts.append(f"{who} for {values[0]}")
        else:
            parts.append(f"{who} for {len(values)} of {total} values ({', '.join(values)})")
    return f"Left open: {title} — {', '.join(parts)}{_unclear(q)}"


def open_view(rules: RuleSet, result: Result) -> OpenView | None:
    oa = result.open_answers
    if oa is None:
        return None
    lines = tuple(_open_line(rules, q) for q in oa.questions)
    how = f"a seeded sample of {oa.completions}" if oa.sampled else f"all {oa.completions}"
    shown = ", ".join(f"{outcome_label(rules, o)} {s:.0%}" for o, s in oa.shares if s > 0)
    shares = f"Over {how} ways of answering them: {shown or 'no outcome is left'}."
    if oa.unclear:
        shares += (f" {oa.unclear} of them are too close to call or tied (a lead under "
                   f"{pts_words(rules.decision.min_lead)}).")
    if oa.contradictory:
        shares += f" {oa.contradictory} more leave no outcome at all."
    cuts = [q.question for q in oa.questions if cutoff_words(rules, q)]
    numbers = [q for q in oa.questions if rules.has_question(q.question)
               and rules.question(q.question).type == "number"]
    if len(numbers) == len(oa.questions):  # no share to speak of: nothing was enumerated
        shares = (f"With the number left out, the verdict is "
                  f"{outcome_label(rules, result.recommendation)}.")
    if oa.settle_first is not None:
        settle = f"Settle first: {question_title(rules, oa.settle_first)}."
    elif cuts:
        settle = (f"Settle first: {question_title(rules, cuts[0])}: the verdict changes at "
                  "its cut-off.")
    elif oa.unclear:
        how = "none" if oa.unclear == oa.completions else "not always"
        settle = f"Every way of answering them gives the same outcome, but {how} by a clear lead."
    else:
        settle = "Every way of answering them gives the same verdict."
    return OpenView(lines, shares, settle)


__all__ = ["OpenView", "open_view", "unsure_prefix", "unsure_split"]
