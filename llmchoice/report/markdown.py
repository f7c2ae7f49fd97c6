"""The Markdown report: the same sections as the terminal report, for docs and tickets.

Text from rule sets and answers is escaped so that it shows literally: control
characters become visible escapes, ``<``, ``>`` and ``&`` become entities (so
no HTML reaches a Markdown viewer), and table cells keep their pipes escaped.
"""

from __future__ import annotations

from llmchoice.result import Result
from llmchoice.ruleset import RuleSet
from llmchoice.textsafe import clean_line

from .common import (
    answer_text,
    cite_titles,
    confidence_words,
    outcome_label,
    sides,
    what_if_sentence,
)

_MD_SPECIAL = str.maketrans({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "\\|", "*": "\\*", "_": "\\_", "`": "\\`",
    "[": "\\[", "]": "\\]", "#": "\\#",
})


def md(text: str) -> str:
    """Escape data for Markdown, on one line."""
    return clean_line(text).translate(_MD_SPECIAL)


def render_markdown(result: Result, rules: RuleSet) -> str:
    lines: list[str] = []
    add = lines.append
    win = result.recommendation
    add(f"# Recommendation: {md(outcome_label(rules, win))}")
    add("")
    add(md(rules.outcome(win).summary))
    add("")
    add(f"**Confidence:** {result.confidence:.2f} ({confidence_words(result.confidence)})")
    add("")
    if result.excluded:
        add("## Ruled out first")
        add("")
        for e in result.excluded:
            add(f"- **{md(outcome_label(rules, e.outcome))}** is ruled out by `{md(e.rule)}`: "
                f"{md(e.because)} *(cites: {md('; '.join(cite_titles(rules, e.cites)))})*")
        add("")
    add("## Scores")
    add("")
    add("| Outcome | Score |")
    add("|---|---:|")
    out = {e.outcome for e in result.excluded}
    for o in result.ranking():
        note = " (ruled out)" if o in out else ""
        add(f"| {md(outcome_label(rules, o))}{note} | {result.scores[o]:g} |")
    add("")
    pro_con = sides(result)
    add(f"## Why {md(outcome_label(rules, win))}")
    add("")
    if pro_con.for_winner:
        add("| Points | Reason | From the article |")
        add("|---:|---|---|")
        for c in pro_con.for_winner:
            cites = md("; ".join(cite_titles(rules, c.cites)))
            add(f"| +{c.points:g} | {md(c.because)} | {cites} |")
    else:
        add("No rule gave this outcome points; it won by the tie-break order.")
    add("")
    if pro_con.against:
        add("## What speaks against it")
        add("")
        add("| Outcome | Points | Reason | From the article |")
        add("|---|---:|---|---|")
        for c in pro_con.against:
            add(f"| {md(outcome_label(rules, c.outcome))} | +{c.points:g} | {md(c.because)} | "
                f"{md('; '.join(cite_titles(rules, c.cites)))} |")
        add("")
    if result.scenario:
        t = rules.tradeoffs[result.scenario]
        add("## Where this fits in the article's future")
        add("")
        add(f"**{md(t.title)}**: {md(t.text)} {md(result.scenario_because)}")
        add("")
    if result.what_if:
        add("## What would change it")
        add("")
        for w in result.what_if:
            add(f"- {md(what_if_sentence(rules, w))}")
        add("")
    if result.skipped:
        add("## Not decided")
        add("")
        for s in result.skipped:
            add(f"- `{md(s.rule)}` was skipped: {md(', '.join(s.missing))} not answered.")
        add("")
    add("## Your answers")
    add("")
    add("| Question | Answer |")
    add("|---|---|")
    for q in rules.questions:
        value = result.answers.get(q.id)
        add(f"| {md(q.id)} | {md(answer_text(rules, q.id, value))} |")
    add("")
    info = result.ruleset
    add(f"*Rule set {md(info.id)} {md(info.version)} (sha256 {info.sha256[:12]}).*")
    return "\n".join(lines) + "\n"
