"""The optional ``budget_bands:`` section: what each budget answer allows a month.

Reports compare the chosen path's cost estimate with the band the budget answer names
(:mod:`llmchoice.report.budget`); here the section is checked against the questions and
the trade-offs: the question must be a choice question, every band one of its values,
every ceiling a positive number of USD.
"""

from __future__ import annotations

from llmchoice.io import yamlio
from llmchoice.io.check import Bounds, Checker
from llmchoice.ruleset import keys
from llmchoice.ruleset.model import BudgetBands, Question, Tradeoff
from llmchoice.ruleset.parse_refs import parse_beyond_article, parse_cites

WHAT = "budget_bands"
# more than nothing, and at most a billion USD a month
CEILING = Bounds(0, 1e9, min_inclusive=False)


def parse_budget_bands(chk: Checker, raw: object, questions: dict[str, Question],
                       tradeoffs: dict[str, Tradeoff]) -> BudgetBands | None:
    """The section, or None after a problem (reported on ``chk``)."""
    path: yamlio.Path_ = (WHAT,)
    b = chk.mapping(path, raw, WHAT, required=keys.BUDGET_BANDS.required,
                    optional=keys.BUDGET_BANDS.optional)
    if not b:
        return None
    q = None
    if "question" in b:
        qid = chk.one_of((*path, "question"), b["question"], questions, f"{WHAT} question")
        q = questions.get(qid or "")
        if q is not None and q.type != "choice":
            chk.error((*path, "question"), f"{WHAT} question: {q.id!r} is a {q.type} "
                                           "question; a budget band needs a choice question")
            q = None
    ceilings: list[tuple[str, float]] = []
    if "monthly_usd" in b:
        raw_bands = chk.mapping((*path, "monthly_usd"), b["monthly_usd"], f"{WHAT} monthly_usd")
        if isinstance(b["monthly_usd"], dict) and not raw_bands:
            chk.error((*path, "monthly_usd"), f"{WHAT} monthly_usd: expected at least one "
                                              "band, such as 'minimal: 500'")
        for value, usd in raw_bands.items():
            where = (*path, "monthly_usd", value)
            if q is not None and value not in q.values:
                chk.one_of(where, value, q.values, f"{WHAT} monthly_usd: band")
                continue
            ceilings.append((str(value), chk.number(where, usd, f"{WHAT} monthly_usd.{value}",
                                                    bounds=CEILING)))
    because = chk.text((*path, "because"), b.get("because"), f"{WHAT} because") \
        if "because" in b else ""
    cites = parse_cites(chk, (*path, "cites"), b.get("cites"), tradeoffs, WHAT) \
        if "cites" in b else ()
    beyond = parse_beyond_article(chk, (*path, "beyond_article"), b["beyond_article"], WHAT) \
        if "beyond_article" in b else None
    if q is None:
        return None
    return BudgetBands(q.id, tuple(ceilings), because, cites, beyond, chk.line(path))
