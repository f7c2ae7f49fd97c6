"""A decision record (``--format adr``) in the MADR layout, for a repository's docs/decisions.

Sections: the front matter (MADR's status, date and decision-makers, and the decision as
data for ``llmchoice revisit``: :mod:`llmchoice.record.block`), the title, context and
problem statement (the answers, who gave them, when), decision drivers (hard
requirements and the reasons that weigh most), the considered options with their scores,
the decision outcome with its path and certainty, the reasons in the article's words,
consequences (what the choice gives up, and the next steps), when to revisit (the what-if
levers, the cost break-even volume, the dates of the cost figures, the rule set's id,
version and sha256) and more information. The words are the report's own
(:mod:`llmchoice.report.view`); Markdown escaping as in the Markdown report.

The date is today's, or ``SOURCE_DATE_EPOCH``'s when that is set (reproducible output).
"""

from __future__ import annotations

import datetime
import os

import yaml

from llmchoice import __version__
from llmchoice.cost.assumptions import Assumptions, load_assumptions
from llmchoice.cost.words import tokens_words, usd_words
from llmchoice.decide.explain import explain
from llmchoice.decide.result import Result
from llmchoice.record.block import cost_estimate, record_data
from llmchoice.ruleset.model import RuleSet

from .advice import answer_text
from .common import cite_names, question_title
from .markdown import md
from .view import Reason, ReportView, build_view

REVISIT_COMMAND = "llmchoice revisit"


def record_date() -> str:
    """Today (UTC), or the day of ``SOURCE_DATE_EPOCH`` when it is a number."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date().isoformat()
    return datetime.datetime.now(datetime.UTC).date().isoformat()


def _reason(r: Reason) -> str:
    words = "; ".join(f"*{md(c.title)}*" for c in r.cites)
    return f"{md(r.because)} (+{r.points:g} for {md(r.label)}; the article: {words})"


def _context(rules: RuleSet, result: Result, who: str, date: str, sources: tuple[str, ...],
             team: str | None) -> list[str]:
    out = ["## Context and Problem Statement", "",
           "Should we build on open-source LLMs, closed-source LLMs, or a hybrid of both? "
           f"Answers given by {md(who)}, weighed on {md(date)}"
           + (f" (from {md(', '.join(sources))})" if sources else "") + ".", ""]
    if team:
        out += [md(team), ""]
    out += ["| Question | Answer |", "|---|---|"]
    for q in rules.questions:
        value = result.answers.get(q.id)
        shown = "unsure" if q.id in result.unsure else answer_text(rules, q.id, value)
        out.append(f"| {md(question_title(rules, q.id))} | {md(shown)} |")
    return [*out, ""]


def _drivers(rules: RuleSet, result: Result, v: ReportView) -> list[str]:
    """The hard requirements, then the answers behind the reasons that weigh most, each
    with the article's trade-offs they bring in."""
    out = ["## Decision Drivers", ""]
    by_rule: dict[str, list[str]] = {}
    because: dict[str, str] = {}
    for r in v.ruled_out:
        by_rule.setdefault(r.rule, []).append(r.label)
        because[r.rule] = r.because
    out += [f"* Hard requirement: {md(because[rid])} It rules out "
            f"{md(', '.join(labels))}." for rid, labels in by_rule.items()]
    whens = {r.id: r.when for r in rules.rules}
    seen: dict[str, list[str]] = {}
    for c in sorted((c for c in result.contributions
                     if c.outcome == result.recommendation and c.rule in whens),
                    key=lambda c: -c.points):
        for qid in sorted(whens[c.rule].questions()):
            titles = seen.setdefault(qid, [])
            titles += [t for t in cite_names(rules, c.cites) if t not in titles]
    for qid, titles in list(seen.items())[:6]:
        if rules.has_question(qid):
            out.append(f"* {md(question_title(rules, qid))}: "
                       f"{md(answer_text(rules, qid, result.answers.get(qid)))} "
                       f"(the article: {md('; '.join(titles))})")
    if len(out) == 2:
        out.append(f"* {md(v.why.note or 'No rule gave the chosen option points.')}")
    return [*out, ""]


def _options(v: ReportView) -> list[str]:
    out = ["## Considered Options", ""]
    for row in v.scores:
        note = " (ruled out)" if row.ruled_out else " (chosen)" if row.winner else ""
        out.append(f"* {md(row.label)}: {row.score:g} points{note}")
    return [*out, ""]


def _outcome(v: ReportView) -> list[str]:
    head = f"Chosen option: “{md(v.label)}”"
    if v.path is not None:
        head += f", run as “{md(v.path.label)}”"
    out = ["## Decision Outcome", "", f"{head}. {md(v.summary)}", "",
           f"* **{md(v.title)}.** {md(v.certainty.basis)}",
           f"* **Clarity:** {md(v.certainty.clarity)}"]
    if v.path is not None:
        out.append(f"* **How to run it:** {md(v.path.because)}")
    out += ["", "### Reasons, in the article's words", ""]
    out += [f"* {_reason(r)}" for r in v.why.rows] or [f"* {md(v.why.note or '')}"]
    out += ["", "### Consequences", ""]
    if v.against is not None:
        out += [f"* Bad, because it gives up: {_reason(r)}" for r in v.against.rows]
    for group in v.next_steps:
        out += [f"* Next ({md(group.title)}): {md(st.text)}" for st in group.steps]
    return [*out, ""]


def _revisit(v: ReportView, result: Result, a: Assumptions, name: str) -> list[str]:
    est = cost_estimate(result, a)
    out = ["## When to Revisit", "", f"Re-check this record with `{REVISIT_COMMAND} {name}`: it "
           "says whether the decision still holds under the rule set and cost figures of the "
           "day, and which of these conditions is met.", ""]
    out += [f"* {md(s)}" for s in v.what_if.sentences] or [f"* {md(v.what_if.none)}"]
    be = est.break_even.monthly_tokens
    if be is None:
        out.append("* Cost: a frontier API stays cheaper than self-hosting at every volume "
                   "under these figures; revisit when GPU or API prices move.")
    elif result.cost is not None:
        side = "the API" if est.cheaper == "api" else "self-hosting"
        out.append(f"* Cost: at {md(tokens_words(result.cost.monthly_tokens))} "
                   f"{side} is cheaper (API about {usd_words(est.api_monthly_usd)}, "
                   f"self-hosting about {usd_words(est.self_host_monthly_usd)}); the "
                   f"break-even is about {md(tokens_words(be))}: revisit when the "
                   "volume crosses it.")
    else:
        out.append(f"* Cost: the break-even between a frontier API and self-hosting is about "
                   f"{md(tokens_words(be))} (the volume was not answered): revisit "
                   "when you know it.")
    dates = sorted({x.as_of for x in a.entries if x.as_of})
    out.append(f"* The cost figures used ({md(a.meta.id)} {md(a.meta.version)}) were read "
               f"{md(', '.join(dates) or 'on unknown dates')}: revisit when prices move.")
    f = result.ruleset
    out.append(f"* Rule set {md(f.id)} {md(f.version)}, sha256 `{f.sha256}`: revisit when "
               "it changes.")
    return [*out, ""]


def render_adr(rules: RuleSet, result: Result, *, respondents: tuple[str, ...] = (),
               sources: tuple[str, ...] = (), team: object = None,
               assumptions: Assumptions | None = None, name: str = "decision.md") -> str:
    """The decision record for ``result``. ``team``: a TeamResult, when the answers are a
    team's merged answers (the context then says so)."""
    a = assumptions or (result.cost.assumptions if result.cost else load_assumptions())
    date = record_date()
    v = build_view(result, rules, explain(rules, result))
    who = ", ".join(respondents) if respondents else "(not recorded)"
    data = record_data(result, cost_estimate(result, a), title=v.title, date=date,
                       respondents=respondents)
    front = {"status": "proposed", "date": date, "decision-makers": list(respondents),
             "llmchoice": data}
    team_note = None
    if team is not None:
        team_note = (f"These are {len(respondents)} people's answers merged: for each "
                     "question the answer most people gave, a tie left unsure, a hard "
                     "requirement binding everyone (see `llmchoice team`).")
    title = f"Use {v.label}" + (f", run as {v.path.label}" if v.path is not None else "")
    lines = ["---", yaml.safe_dump(front, sort_keys=False, allow_unicode=False,
                                   default_flow_style=False, width=100).rstrip("\n"), "---",
             "", f"# {md(title)}", ""]
    lines += _context(rules, result, who, date, sources, team_note)
    lines += _drivers(rules, result, v) + _options(v) + _outcome(v) + _revisit(v, result, a, name)
    lines += ["## More Information", "",
              f"Written by llmchoice {__version__}. The reasons cite the article's "
              "trade-offs; the figures are estimates with their sources in the cost "
              "assumptions file, never quotes.", ""]
    return "\n".join(lines)
