"""The cost section of a recommendation report, worded for the chosen path.

The estimate (:mod:`llmchoice.cost.estimate`) prices every option at the answered
volume. A report reads it for the path it recommends: the path's own option first and
highlighted, the others only for comparison, and no sentence that recommends another way
of running it. A hybrid's path has two halves: its closed half (the frontier API when the
team wants cutting-edge performance, the small API otherwise) and its open half are both
shown, with the range the month lies in depending on routing. The path's own line names
the path and the line that prices it (``Your path (Open weights in a private endpoint)
priced as open weights through a hosted API (...)``), and a private endpoint or an
enterprise deployment adds one sentence: it is priced at the public list price. With no
clear verdict (a tie, too close a call) each plan is priced, ``If <outcome>, the path
(...) priced as ...``. When the answers rule out every hosted way of running it (data
that may not leave your infrastructure), no API is priced at all: only self-hosting is
shown, with one sentence why. A rule set without paths keeps the estimate's own reading.
"""

from __future__ import annotations

import dataclasses

from llmchoice.cost.estimate import (
    MIN_MONTHLY_TOKENS,
    ApiOption,
    Estimate,
    Option,
    SelfHostOption,
)
from llmchoice.cost.words import about, lower_first, tokens_words, usd_words
from llmchoice.decide.result import ChosenPath, Result
from llmchoice.ruleset.model import RuleSet

from .common import outcome_label
from .costline import COST_HEADING as COST_HEADING  # re-exported
from .costline import CostLine as CostLine  # re-exported

# the answer that prices a hybrid's closed half with the frontier API (else the small API)
CUTTING_EDGE = ("performance", "cutting_edge")
PRIVATE = "private"  # a path whose id or label says so is priced at the public list price
# two monthly costs within this share of the path's own are "about the same"
ABOUT_SAME = 0.25
LIST_PRICE_NOTE = ("Private endpoints and enterprise deployments are priced here at the "
                   "public list price of the same model; expect a premium for reserved "
                   "capacity or contract minimums.")


def priced_as(path: ChosenPath, o: Option, plan: str | None = None) -> str:
    """How a line names what it prices: ``Your path (Open weights in a private endpoint)
    priced as open weights through a hosted API (Llama 3.1 70B on Together)``, the path by
    its own name and then the line that prices it, so a private path never reads as the
    public API it is priced by; with no clear verdict ``If <plan>, the path (...) priced
    as ...``. When the line is named after the path (``Open weights through a hosted API
    (...)``), it alone: ``Your path, open weights through a hosted API (...)``."""
    option = lower_first(o.label)
    if o.label.lower().startswith(path.label.lower()):
        return f"{plan or 'Your path'}, {option}"
    if plan is not None:
        return f"{plan}, the path ({path.label}) priced as {option}"
    return f"Your path ({path.label}) priced as {option}"


def at_list_price(path: ChosenPath | None) -> bool:
    """Whether ``path`` is a private endpoint or an enterprise deployment (its id or label
    says "private"), which the estimate can only price at the public list price."""
    return path is not None and path.hosting == "hosted" and \
        PRIVATE in f"{path.id} {path.label}".lower()


def _price(o: Option) -> str:
    """``about 35 USD a month``; self-hosting with its GPUs and its people apart: ``about
    9,300 USD a month (1 GPU: about 3,300 USD for the GPUs and their upkeep, 6,000 USD for
    the people who run them)``."""
    text = f"about {usd_words(o.monthly_usd)}"
    if isinstance(o, SelfHostOption):
        gpus = f"{o.gpus} GPU{'s' if o.gpus != 1 else ''}"
        if o.staff_usd > 0:
            gpus += (f": about {about(o.gpu_usd + o.overhead_usd)} USD for the GPUs and "
                     f"their upkeep, {about(o.staff_usd)} USD for the people who run them")
        text += f" ({gpus})"
    return text


def _about_the_same(own: Option, others: list[Option]) -> CostLine | None:
    """When another option costs about what the path's own does (within ``ABOUT_SAME``),
    say so, so that a small difference never reads as a saving."""
    near = [o for o in others if own.monthly_usd > 0 and
            abs(o.monthly_usd - own.monthly_usd) <= ABOUT_SAME * own.monthly_usd]
    if not near:
        return None
    o = min(near, key=lambda x: abs(x.monthly_usd - own.monthly_usd))
    return CostLine(f"At this volume your path and {lower_first(o.label)} cost about the "
                    f"same ({_price(own)} against {_price(o)}); price does not decide "
                    "between them.")


def hosted_ruled_out(result: Result, rules: RuleSet) -> tuple[str, ...]:
    """The rules that rule out every hosted path, or () when some hosted path is allowed
    (or the rule set has none)."""
    hosted = [p for p in rules.paths if p.hosting == "hosted"]
    if not hosted:
        return ()
    by_path = {e.outcome: e.rule for e in result.excluded_paths}
    by_outcome = {e.outcome: e.rule for e in result.excluded}
    rules_used: list[str] = []
    for p in hosted:
        rule = by_path.get(p.id) or by_outcome.get(p.outcome)
        if rule is None:
            return ()
        rules_used.append(rule)
    return tuple(dict.fromkeys(rules_used))


def _closed_half(result: Result, rules: RuleSet, shown: list[Option]) -> Option | None:
    """For a path of the mixed-needs outcome (a hybrid): the closed API line its closed
    half is priced by, the frontier API when the team wants cutting-edge performance (or
    did not say), the small API otherwise. None for any other path."""
    mixed = rules.decision.mixed
    path = result.path
    if mixed is None or path is None or path.outcome != mixed.outcome:
        return None
    question, value = CUTTING_EDGE
    wanted = "frontier_api" if result.answers.get(question, value) == value else "small_api"
    return next((o for o in shown if o.id == wanted and isinstance(o, ApiOption)), None)


def fixed_half(path: ChosenPath | None) -> bool:
    """Whether a hybrid's open half runs on GPUs of the team's own (a self-hosted path):
    its GPUs and people are paid busy or idle, so routing moves only the closed half's
    bill, never the open half's."""
    return path is not None and path.hosting == "self"


def hybrid_range(own: Option, closed: Option, fixed: bool) -> tuple[float, float]:
    """The month of a hybrid (low, high): with a self-hosted open half (``fixed``) the
    open half's cost whatever the routing, up to that plus the closed API carrying every
    task; with two hosted halves, between the two halves' costs."""
    if fixed:
        return own.monthly_usd, own.monthly_usd + closed.monthly_usd
    low, high = sorted((own.monthly_usd, closed.monthly_usd))
    return low, high


def _hybrid_lines(own: Option, closed: Option, volume: str, fixed: bool) -> list[CostLine]:
    """Both halves of a hybrid, and the range the month falls in."""
    if fixed:
        low, high = hybrid_range(own, closed, fixed)
        return [
            CostLine(f"Your path has two halves: the open half, {lower_first(own.label)}, "
                     f"{_price(own)} {volume}, paid whatever the routing (its GPUs and "
                     f"people cost the same busy or idle); the closed half, "
                     f"{lower_first(closed.label)}, adds up to {_price(closed)} if every "
                     "task went to it.", highlight=True),
            CostLine(f"The month lies between about {usd_words(low)} (every task on the "
                     f"open half) and about {usd_words(high)} (every task on the closed "
                     "API, the GPUs still paid); routing cannot bring it below the open "
                     "half's cost."),
        ]
    lo, hi = sorted((own, closed), key=lambda o: o.monthly_usd)
    return [
        CostLine(f"Your path has two halves, each priced here as if it carried all the "
                 f"traffic {volume}: the closed half, {lower_first(closed.label)}, "
                 f"{_price(closed)}; the open half, {lower_first(own.label)}, {_price(own)}.",
                 highlight=True),
        CostLine(f"The month lies between the two, depending on how you route: about "
                 f"{usd_words(lo.monthly_usd)} if every task goes to "
                 f"{'the open half' if lo is own else 'the closed API'}, about "
                 f"{usd_words(hi.monthly_usd)} if every task goes to "
                 f"{'the open half' if hi is own else 'the closed API'}."),
    ]


def _alternative(result: Result, rules: RuleSet, shown: list[Option], volume: str,
                 ) -> tuple[CostLine, tuple[Option, ...]] | None:
    """With no clear verdict: the line of the other outcome's plan (a hybrid's as the range
    between its halves), and the options it names. None when there is no such plan."""
    alt = result.certainty.alternative
    pair = result.certainty.tied or result.certainty.close
    if alt is None or len(pair) != 2:
        return None
    opt = next((o for o in shown if o.id == alt.cost_option), None)
    if opt is None:
        return None
    who = f"If {outcome_label(rules, pair[1])}"
    closed = _closed_half(dataclasses.replace(result, path=alt), rules, shown)
    if closed is None:
        return CostLine(f"{priced_as(alt, opt, who)}: {_price(opt)} {volume}."), (opt,)
    low, high = hybrid_range(opt, closed, fixed_half(alt))
    how = (f"{lower_first(opt.label)} paid whatever the routing, plus up to "
           f"{usd_words(closed.monthly_usd)} for {lower_first(closed.label)}"
           if fixed_half(alt) else f"depending on how you route between "
           f"{lower_first(opt.label)} and {lower_first(closed.label)}")
    return CostLine(f"{who}: between about {usd_words(low)} and about "
                    f"{usd_words(high)} {volume}, {how}."), (opt, closed)


def _footer(est: Estimate) -> CostLine:
    # the command shown must be one `cost` accepts: it refuses a volume under a thousand
    # tokens (0 included), so such a volume is named as the smallest it takes
    volume = est.monthly_tokens if est.monthly_tokens >= MIN_MONTHLY_TOKENS \
        else MIN_MONTHLY_TOKENS
    return CostLine(f"Every figure, source and date: llmchoice cost --monthly-tokens "
                    f"{volume:g}. An estimate with its assumptions in view, "
                    "never a quote.")


def worded_cost(result: Result, rules: RuleSet) -> tuple[CostLine, ...]:
    """The cost lines of the report for answers that give a volume (the estimate is
    ``result.cost``); :func:`llmchoice.report.costline.cost_view` calls it."""
    est = result.cost
    assert est is not None, "worded_cost: the answers give no volume"
    path = result.path
    if path is None:
        return (*(CostLine(line) for line in est.reading), _footer(est))
    blocked = hosted_ruled_out(result, rules)
    shown = [o for o in est.options if not (blocked and isinstance(o, ApiOption))]
    own = next((o for o in shown if o.id == path.cost_option), None)
    lines: list[CostLine] = []
    volume = f"at {about(est.monthly_tokens)} million tokens a month"
    closed = _closed_half(result, rules, shown) if own is not None else None
    if own is not None and closed is not None:
        lines.extend(_hybrid_lines(own, closed, volume, fixed_half(path)))
    elif own is not None:
        pair = result.certainty.tied or result.certainty.close
        who = f"If {outcome_label(rules, pair[0])}" if pair else None
        lines.append(CostLine(f"{priced_as(path, own, who)}: {_price(own)} {volume}.",
                              highlight=True))
    alt = _alternative(result, rules, shown, volume)
    if alt is not None:
        lines.append(alt[0])
    if any(at_list_price(p) for p in (path if own is not None else None,
                                      result.certainty.alternative if alt else None)):
        lines.append(CostLine(LIST_PRICE_NOTE))
    others = [o for o in shown if o is not own and o is not closed
              and (alt is None or o not in alt[1])]
    if others:
        lines.append(CostLine("For comparison: " + "; ".join(
            f"{lower_first(o.label)}, {_price(o)}" for o in others) + "."))
        if own is not None and closed is None and \
                (same := _about_the_same(own, others)) is not None:
            lines.append(same)
    if blocked:
        lines.append(CostLine("No API is priced: your answers rule out every hosted way of "
                              "running it (see “Ruled out first”)."))
    else:
        be = est.break_even.monthly_tokens
        host = f"self-hosting the {est.model_class} open model"
        lines.append(CostLine(
            f"On price alone, {host} breaks even with the frontier closed API at about "
            f"{tokens_words(be)}." if be is not None else
            f"On price alone, {host} never breaks even with the frontier closed API."))
    if own is not None and min(shown, key=lambda o: o.monthly_usd) is not own:
        lines.append(CostLine("The path is chosen for the reasons under “How to run it”, "
                              "not for price."))
    lines.append(_footer(est))
    return tuple(lines)


closed_half = _closed_half  # the decision record prices a hybrid's two halves the same way
