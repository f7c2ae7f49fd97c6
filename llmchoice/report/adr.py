"""A decision record (``--format adr``) in the MADR layout, for a repository's docs/decisions.

Sections: the front matter (MADR's status, date and decision-makers, and the decision as
data for ``llmchoice revisit``: :mod:`llmchoice.record.block`), the title, context and
problem statement (the answers, who gave them, when), decision drivers (hard
requirements and the reasons that weigh most), the considered options with their scores,
the decision outcome with its path and certainty, the reasons in the article's words,
consequences (what the choice gives up, and the next steps), for a team the dissent and
open questions, when to revisit (every single answer whose change flips or weakens the
verdict, the cost of the path's own option against the cheapest, the dates of the cost
figures, the rule set's id, version and sha256) and more information.

With no clear verdict the record proposes nothing: its title is ``Undecided: X or Y``, its
status ``undecided`` (not one of MADR's usual proposed/accepted/...: there is no option
to accept yet), and it has no "Chosen option". A rule that goes beyond the article is
labelled llmchoice's judgement wherever it is cited. The words are the report's own
(:mod:`llmchoice.report.view`); Markdown escaping as in the Markdown report.

The date is today's, or ``SOURCE_DATE_EPOCH``'s when that is set (reproducible output).
"""

from __future__ import annotations

import datetime
import os

import yaml

from llmchoice import __version__
from llmchoice.cost.assumptions import Assumptions, load_assumptions
from llmchoice.decide.explain import explain
from llmchoice.decide.result import Result
from llmchoice.record.block import cost_estimate, record_data, undecided
from llmchoice.ruleset.model import RuleSet
from llmchoice.team.analysis import TeamResult

from .adr_revisit import dissent_section, revisit_section
from .advice import CLARITY_WORDS, NO_VERDICT_TITLE, answer_text, headline_pair
from .common import cite_names, outcome_label, pts_words, question_title
from .fit import shown_path
from .markdown import md
from .plans import path_for
from .team_view import TEAM_ANSWER, build_team_view, names, ruled_out_words
from .view import Reason, ReportView, RuledOut, build_view

PROPOSED, UNDECIDED = "proposed", "undecided"
JUDGEMENT = "llmchoice's judgement"
FRAGILE = 0.6  # below this share, the record says the lead rests on a few weights


def record_date() -> str:
    """Today (UTC), or the day of ``SOURCE_DATE_EPOCH`` when it is a number."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date().isoformat()
    return datetime.datetime.now(datetime.UTC).date().isoformat()


def _source(beyond: str | None, cites: str) -> str:
    """``the article: *X*``, or ``llmchoice's judgement (beyond the article: ...)``."""
    if beyond is not None:
        return f"{JUDGEMENT}, {md(beyond)}, not the article's"
    return f"the article: {cites}"


def _reason(r: Reason) -> str:
    words = "; ".join(f"*{md(c.title)}*" for c in r.cites)
    return (f"{md(r.because)} ({r.points:+g} for {md(r.label)}; "
            f"{_source(r.beyond, words)})")


def _context(rules: RuleSet, result: Result, who: str, date: str, sources: tuple[str, ...],
             team: str | None) -> list[str]:
    out = ["## Context and Problem Statement", "",
           "Should we build on open-source LLMs, closed-source LLMs, or a hybrid of both? "
           f"Answers given by {md(who)}, weighed on {md(date)}"
           + (f" (from {md(', '.join(shown_path(x) for x in sources))})" if sources else "")
           + ".", ""]
    if team:
        out += [team, ""]
    out += ["| Question | Answer |", "|---|---|"]
    for q in rules.questions:
        value = result.answers.get(q.id)
        shown = "unsure" if q.id in result.unsure else answer_text(rules, q.id, value)
        out.append(f"| {md(question_title(rules, q.id))} | {md(shown)} |")
    return [*out, ""]


def _answered(rules: RuleSet, result: Result, rid: str) -> str:
    """``Data location — It must stay on ...``: the answers the rule's condition reads."""
    rule = next((r for r in rules.rules if r.id == rid), None)
    if rule is None:
        return ""
    asked = sorted(rule.when.questions(), key=lambda q: [x.id for x in rules.questions].index(q)
                   if rules.has_question(q) else 0)
    return "; ".join(f"{question_title(rules, q)} — {answer_text(rules, q, result.answers[q])}"
                     for q in asked if q in result.answers)


def _requirements(rules: RuleSet, result: Result, v: ReportView,
                  team: TeamResult | None) -> list[str]:
    """One line per rule that rules something out: why, what (outcomes, then ways of
    running one), the answer it follows from and who gave it, and whose judgement it is."""
    by_rule: dict[str, list[str]] = {}
    first: dict[str, RuledOut] = {}
    for r in v.ruled_out:
        by_rule.setdefault(r.rule, []).append(r.outcome)
        first.setdefault(r.rule, r)
    givers: dict[str, str] = {}
    if team is not None:
        for m in team.merged.answers:
            for rid in m.rules:
                who = next((vt.people for vt in m.votes if vt.value == m.value), ())
                if who and len(who) < sum(len(vt.people) for vt in m.votes):
                    givers[rid] = (f" Given by {names(who)}; others answered differently, "
                                   "so check that it really is a requirement.")
    out = []
    for rid, ids in by_rule.items():
        r = first[rid]
        gone = md(ruled_out_words(rules, tuple(ids)))
        answered = _answered(rules, result, rid)
        source = f" (from the answer {md(answered)})" if answered else ""
        if r.beyond:
            out.append(f"* Ruled out by {JUDGEMENT}{source}: {md(r.because)} It rules out "
                       f"{gone}. That the answer rules this out is {JUDGEMENT} "
                       f"({md(r.beyond)}), not the article's words."
                       f"{md(givers.get(rid, ''))}")
        else:
            out.append(f"* Hard requirement{source}: {md(r.because)} It rules out "
                       f"{gone}.{md(givers.get(rid, ''))}")
    return out


def _drivers(rules: RuleSet, result: Result, v: ReportView,
             team: TeamResult | None) -> list[str]:
    """The hard requirements, then the answers behind the reasons that weigh most, each
    with the article's trade-offs they bring in (a team's answers with how they were
    reached)."""
    out = ["## Decision Drivers", "", *_requirements(rules, result, v, team)]
    whens = {r.id: r.when for r in rules.rules}
    seen: dict[str, list[str]] = {}
    for c in sorted((c for c in result.contributions
                     if c.outcome == result.recommendation and c.rule in whens),
                    key=lambda c: -c.points):
        for qid in sorted(whens[c.rule].questions()):
            titles = seen.setdefault(qid, [])
            titles += [t for t in cite_names(rules, c.cites) if t not in titles]
    how: dict[str, str] = {}
    if team is not None:
        tv = build_team_view(rules, team)
        how = {a.question: a.how for a in tv.answers}
    for qid, titles in list(seen.items())[:6]:
        if rules.has_question(qid):
            title = question_title(rules, qid)
            note = f"; the team: {how[title]}" if title in how and how[title] != "everyone" \
                else ""
            out.append(f"* {md(title)}: "
                       f"{md(answer_text(rules, qid, result.answers.get(qid)))} "
                       f"(the article: {md('; '.join(titles))}{md(note)})")
    if len(out) == 2:
        out.append(f"* {md(v.why.note or 'No rule gave the chosen option points.')}")
    return [*out, ""]


def _options(v: ReportView, decided: bool) -> list[str]:
    out = ["## Considered Options", ""]
    for row in v.scores:
        note = " (ruled out)" if row.ruled_out else \
            (" (chosen)" if decided else " (leads, but no clear verdict)") if row.winner else ""
        out.append(f"* {md(row.label)}: {pts_words(row.score)}{note}")
    return [*out, ""]


def _certainty(v: ReportView, team: TeamResult | None, result: Result) -> str:
    if team is None or team.certainty in ("", result.certainty.label) or \
            (team.certainty == "none" and v.title == NO_VERDICT_TITLE):
        return v.certainty.clarity
    words = CLARITY_WORDS.get(team.certainty, team.certainty)
    return f"{words} (it rests on questions the team has not settled)"




def _outcome(v: ReportView, title: str, basis: str, certainty: str, decided: bool,
             fragile: str | None, summary: str | None = None) -> list[str]:
    if decided:
        head = f"Chosen option: “{md(v.label)}”"
        if v.path is not None:
            head += f", run as “{md(v.path.label)}”"
        head += f". {md(v.summary)}"
    else:
        head = (f"No option is chosen yet (status “{UNDECIDED}”): the answers leave it "
                f"open between {md(title)}. {md(summary or v.summary)}")
    out = ["## Decision Outcome", "", head, "",
           f"* **Basis.** {md(basis)}", f"* **Certainty:** {md(certainty)}"]
    if fragile:
        out.append(f"* **Weights:** {md(fragile)}")
    for p in (v.path, v.alternative_path if not decided else None):
        if p is not None:
            lead = "How to run it" if decided else (p.heading or "How to run it")
            out.append(f"* **{md(lead)}:** {md(p.label)}. {md(p.because)}")
            out.extend(f"  * {md(note)}" for note in p.notes)  # assumptions, budget
    heading = "Reasons, in the article's words" if decided else \
        f"Reasons for {v.label}, the one that leads"
    out += ["", f"### {heading}", ""]
    out += [f"* {_reason(r)}" for r in v.why.rows] or [f"* {md(v.why.note or '')}"]
    out += ["", "### Consequences", ""]
    if v.against is not None:
        gives = "Bad, because it gives up" if decided else "Against it"
        out += [f"* {gives}: {_reason(r)}" for r in v.against.rows]
    for heading_, groups in ((v.next_steps_heading, v.next_steps),
                             (v.alternative_steps_heading, v.alternative_steps)):
        # undecided: each plan's steps, said whose they are ("Next if Hybrid of both")
        who = heading_[len("Next steps"):] if heading_ and not decided else ""
        out += [f"* Next{md(who)} ({md(group.title)}): {md(st.text)}"
                for group in groups for st in group.steps]
    return [*out, ""]


def _fragile(result: Result, rules: RuleSet) -> str | None:
    ex = explain(rules, result)
    r = ex.robustness
    if r.share >= FRAGILE:
        return None
    other = outcome_label(rules, r.others[0][0]) if r.others else "another outcome"
    return (f"the lead rests on a few heavily weighted rules: when every rule's points "
            f"are moved a little at random, {r.samples - r.kept} of {r.samples} tries pick "
            f"another outcome (mostly {other}), so read the reasons before trusting the "
            "lead.")


def render_adr(rules: RuleSet, result: Result, *, respondents: tuple[str, ...] = (),
               sources: tuple[str, ...] = (), team: TeamResult | None = None,
               assumptions: Assumptions | None = None, name: str = "decision.md") -> str:
    """The decision record for ``result``. ``team``: the team's analysis, when the answers
    are a team's merged answers (the context says so, the verdict is no firmer than the
    team's unsettled questions allow, and the dissent gets its own section)."""
    a = assumptions or (result.cost.assumptions if result.cost else load_assumptions())
    date = record_date()
    v = build_view(result, rules, ex := explain(rules, result))
    who = ", ".join(respondents) if respondents else "(not recorded)"
    title, headline, basis = v.title, v.headline, v.certainty.basis
    team_summary = None
    between: tuple[str, ...] = tuple(headline_pair(result))
    if team is not None:
        tv = build_team_view(rules, team)
        title, headline, basis, team_summary = tv.title, tv.headline, tv.basis, tv.summary
        if team.between:  # the team view's order: the engine's pair, then the sides'
            between = tuple(dict.fromkeys((*between, *team.between)))
        if basis.startswith("Forced"):
            basis = basis.replace("(your answer:", f"({TEAM_ANSWER}:")
    decided = title != NO_VERDICT_TITLE and not (team is None and undecided(result))
    if team is not None and not decided:  # the plans and next steps of the outcomes named
        v = build_view(result, rules, ex, between=between)
    certainty = _certainty(v, team, result)
    data = record_data(rules, result, cost_estimate(result, a), title=title, date=date,
                       respondents=respondents,
                       certainty=None if team is None else (team.certainty or None),
                       between=() if decided else between,
                       open_questions=tuple(d.question for d in team.unsettled)
                       if team is not None else (),
                       plans=() if decided else tuple(
                           (o, p.id if (p := path_for(rules, result, o)) else None)
                           for o in between))
    front = {"status": PROPOSED if decided else UNDECIDED, "date": date,
             "decision-makers": list(respondents), "llmchoice": data}
    team_note = None
    if team is not None:
        team_note = md(f"These are {len(respondents)} people's answers merged: for each "
                       "question the answer a majority gave, else the middle answer on an "
                       "ordered scale, else left unsure as not settled; a hard requirement "
                       "binds everyone.") + " See `llmchoice team` for the full team report."
    heading = (f"Use {v.label}" + (f", run as {v.path.label}" if v.path is not None else "")
               if decided else f"Undecided: {headline}")
    lines = ["---", yaml.safe_dump(front, sort_keys=False, allow_unicode=False,
                                   default_flow_style=False, width=100).rstrip("\n"), "---",
             "", f"# {md(heading)}", ""]
    lines += _context(rules, result, who, date, sources, team_note)
    lines += _drivers(rules, result, v, team) + _options(v, decided)
    pair = names(tuple(outcome_label(rules, o) for o in between)) if between else headline
    lines += _outcome(v, pair, basis, certainty, decided, _fragile(result, rules),
                      team_summary)
    if team is not None:
        lines += dissent_section(rules, team)
    lines += revisit_section(rules, result, a, name)
    lines += ["## More Information", "",
              f"Written by llmchoice {__version__}. The reasons cite the article's "
              "trade-offs, and a rule that goes beyond the article is marked as "
              f"{JUDGEMENT}; the figures are estimates with their sources in the cost "
              "assumptions file, never quotes.", ""]
    return "\n".join(lines)
