"""Two sections of a decision record: "When to Revisit" (every single answer whose change
flips or weakens the verdict, the cost condition of the chosen path's own option, the
dates of the cost figures and the rule set) and, for a team, "Dissent and Open
Questions" (what to settle first, binding requirements and who gave them, each person's
own recommendation). Words only: the levers and the cost condition are computed in
:mod:`llmchoice.record`, the team's analysis in :mod:`llmchoice.team.analysis`.
"""

from __future__ import annotations

import dataclasses

from llmchoice.cost.assumptions import Assumptions
from llmchoice.cost.words import lower_first, tokens_words, usd_words
from llmchoice.decide.result import ChosenPath, Result
from llmchoice.record.costs import CostCondition, cost_condition
from llmchoice.record.levers import CERTAINTY, PATH, Lever, levers
from llmchoice.ruleset.model import RuleSet
from llmchoice.team.analysis import TeamResult

from .advice import path_label
from .common import outcome_label, question_title
from .costview import LIST_PRICE_NOTE, at_list_price, closed_half, fixed_half
from .markdown import md
from .team_view import PEOPLE_HEADING, SETTLE_HEADING, answer_words, build_team_view

REVISIT_COMMAND = "llmchoice revisit"
DISSENT_HEADING = "Dissent and Open Questions"


def _now(rules: RuleSet, result: Result, qid: str) -> str:
    if qid in result.unsure:  # the levers weigh one answer, the other unsure ones left out
        return "unsure" + (" (with the other unsure answers left out)"
                           if len(result.unsure) > 1 else "")
    value = result.answers.get(qid)
    return "not answered" if value is None else answer_words(rules, qid, value)


def _gives(rules: RuleSet, lv: Lever) -> str:
    where = f" ({path_label(rules, lv.path)})" if lv.path else ""
    label = outcome_label(rules, lv.recommendation)
    if lv.effect == PATH:
        return f"would run it as {path_label(rules, lv.path)}" if lv.path \
            else "would change how to run it"
    if lv.effect == CERTAINTY:
        return (f"would leave {label} ahead but too close to call"
                if lv.close else f"would make it a clear verdict for {label}{where}")
    return f"would make it {label}{where}" + (", too close to call" if lv.close else "")


def _lever_words(rules: RuleSet, lv: Lever) -> str:
    """The answer a lever names; a number's range as a range: ``4,000 million tokens per
    month or more``, ``below 4,000 ...``, ``from 4,000 ... to below 11,000 ...``."""
    if lv.at_least is None and lv.below is None:
        return answer_words(rules, lv.question, lv.to_value)
    low = None if lv.at_least is None else answer_words(rules, lv.question, lv.at_least)
    high = None if lv.below is None else answer_words(rules, lv.question, lv.below)
    if high is None:
        return f"{low} or more"
    return f"below {high}" if low is None else f"from {low} to below {high}"


def lever_lines(rules: RuleSet, result: Result) -> list[str]:
    """One line per question: each answer that would flip or weaken the verdict."""
    by_q: dict[str, list[Lever]] = {}
    for lv in levers(rules, result):
        by_q.setdefault(lv.question, []).append(lv)
    out = []
    for qid, found in by_q.items():
        groups: dict[str, list[str]] = {}
        for lv in found:
            groups.setdefault(_gives(rules, lv), []).append(_lever_words(rules, lv))
        parts = "; ".join(f"{' or '.join(said)} {gives}" for gives, said in groups.items())
        kind = " (a fact: revisit when it changes)" if rules.question(qid).kind == "fact" \
            else ""
        out.append(f"{question_title(rules, qid)}, now {_now(rules, result, qid)}{kind}: "
                   f"{parts}.")
    return out


def cost_words(rules: RuleSet, result: Result, c: CostCondition) -> str:
    """The path's own option against the cheapest at ``c.volume`` (a hybrid's two
    halves, a private path's list-price caveat), in one or two sentences."""
    at = f"at {tokens_words(c.volume)},"
    closed = closed_half(result, rules, list(c.options)) if c.own is not None \
        else None
    if c.own is not None and closed is not None and fixed_half(result.path):
        text = (f"{at} your path's self-hosted open half costs about "
                f"{usd_words(c.own.monthly_usd)} ({lower_first(c.own.label)}) whatever the "
                f"routing, and the closed half adds up to about "
                f"{usd_words(closed.monthly_usd)} ({lower_first(closed.label)}) if every "
                "task went to it")
        text += ("." if c.cheapest.id == c.own.id else
                 f"; the cheapest option is {lower_first(c.cheapest.label)}, about "
                 f"{usd_words(c.cheapest.monthly_usd)}.")
    elif c.own is not None and closed is not None:
        text = (f"{at} your path's two halves cost about {usd_words(closed.monthly_usd)} "
                f"({lower_first(closed.label)}) and about {usd_words(c.own.monthly_usd)} "
                f"({lower_first(c.own.label)}) if each carried all the traffic; the month "
                "lies between, depending on routing")
        text += ("." if c.cheapest.id in (c.own.id, closed.id) else
                 f"; the cheapest option is {lower_first(c.cheapest.label)}, about "
                 f"{usd_words(c.cheapest.monthly_usd)}.")
    elif c.own is not None and c.own.id == c.cheapest.id:
        text = (f"{at} your path's own option, {lower_first(c.own.label)}, costs about "
                f"{usd_words(c.own.monthly_usd)}, the cheapest option.")
    elif c.own is not None:
        text = (f"{at} your path's own option, {lower_first(c.own.label)}, costs about "
                f"{usd_words(c.own.monthly_usd)}; the cheapest option is "
                f"{lower_first(c.cheapest.label)}, about {usd_words(c.cheapest.monthly_usd)} "
                "(the path is chosen for its reasons, not for price).")
    else:
        text = (f"{at} the cheapest option is {lower_first(c.cheapest.label)}, about "
                f"{usd_words(c.cheapest.monthly_usd)}.")
    if at_list_price(result.path):
        text += f" {LIST_PRICE_NOTE}"
    return text


def _plans_words(rules: RuleSet, result: Result, c: CostCondition,
                 plans: tuple[tuple[str, ChosenPath | None], ...]) -> str:
    """An undecided record's cost: each plan it names priced by its own option (not the
    scores' lean alone, and never called "your path")."""
    out = []
    for o, p in plans:
        own = next((x for x in c.options if p is not None and x.id == p.cost_option), None)
        words = cost_words(rules, dataclasses.replace(result, path=p),
                           dataclasses.replace(c, own=own))
        out.append(f"If {outcome_label(rules, o)}, "
                   + words.replace("your path's", "its plan's", 1))
    return " ".join(out)


def cost_line(rules: RuleSet, result: Result, a: Assumptions,
              plans: tuple[tuple[str, ChosenPath | None], ...] = ()) -> str:
    """The cost condition: the path's own option against the cheapest (an undecided
    record's ``plans``: each plan's), and the volume at which the cheapest changes; or
    why no price is compared."""
    if result.cost is None:
        return ("Cost: the monthly volume was not answered, so this record compares no "
                "prices: revisit when you know it (llmchoice cost --monthly-tokens N "
                "prices every way of running it).")
    c = cost_condition(rules, result, a, result.cost.monthly_tokens)
    text = (f"Cost: {_plans_words(rules, result, c, plans)}" if plans
            else f"Cost: {cost_words(rules, result, c)}")
    if c.next_at is not None and c.next_cheapest is not None:
        text += (f" Above about {tokens_words(c.next_at)}, "
                 f"{lower_first(c.next_cheapest.label)} becomes the cheapest: revisit when "
                 "the volume nears it.")
    else:
        text += " No other option becomes the cheapest at a higher volume under these figures."
    return text


def revisit_section(rules: RuleSet, result: Result, a: Assumptions, name: str,
                    plans: tuple[tuple[str, ChosenPath | None], ...] = ()) -> list[str]:
    out = ["## When to Revisit", "",
           f"Re-check this record with `{REVISIT_COMMAND} {md(name)}`: it says whether the "
           "decision still holds under the rule set and cost figures of the day, and which "
           "of these conditions is met.", ""]
    found = lever_lines(rules, result)
    out += [f"* {md(s)}" for s in found] or \
        ["* No single change of answer changes the recommendation, its certainty or how to "
         "run it."]
    out.append(f"* {md(cost_line(rules, result, a, plans))}")
    dates = sorted({x.as_of for x in a.entries if x.as_of})
    out.append(f"* The cost figures used ({md(a.meta.id)} {md(a.meta.version)}) were read "
               f"{md(', '.join(dates) or 'on unknown dates')}: revisit when prices move.")
    f = result.ruleset
    out.append(f"* Rule set {md(f.id)} {md(f.version)}, sha256 `{f.sha256}`: revisit when "
               "it changes.")
    return [*out, ""]


def dissent_section(rules: RuleSet, t: TeamResult) -> list[str]:
    """What the merged answers hide: the questions to settle first, the binding
    requirements and who gave them, every disagreement that matters, each person's own
    recommendation."""
    v = build_team_view(rules, t)
    out = [f"## {DISSENT_HEADING}", "", f"### {SETTLE_HEADING}", ""]
    out += [f"{i}. {md(s)}" for i, s in enumerate(v.settle_first, 1)] or \
        [md(v.settle_none or "")]
    if v.constraints:
        out += ["", "### Hard requirements one person's answer made binding", ""]
        out += [f"* {md(c)}" for c in v.constraints]
    settled = {question_title(rules, d.question) for d in t.settle_first}
    rest = [d for d in v.disagreements if d.changes != "none" and d.question not in settled]
    if rest:
        out += ["", "### Other disagreements that matter", ""]
        out += [f"* {md(d.question)} ({md('; '.join(d.answers))}): {md(d.effect)}"
                for d in rest]
    out += ["", f"### {PEOPLE_HEADING}", ""]
    out += [f"* {md(p.name)}: {md(p.verdict)} (certainty: {md(p.certainty)})"
            for p in v.people]
    differ = sum(1 for p in t.people if p.result.recommendation != t.result.recommendation)
    if differ:
        out += ["", md(f"{differ} of {len(t.people)} people's own answers recommend something "
                       "other than the merged answers do.")]
    return [*out, ""]
