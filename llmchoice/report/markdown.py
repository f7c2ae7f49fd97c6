"""The Markdown report: the same sections as the terminal and HTML reports, for docs and tickets.

Text from rule sets and answers is escaped so that it shows literally: control
characters become visible escapes, ``<``, ``>`` and ``&`` become entities (so
no HTML reaches a Markdown viewer), and Markdown's own marks are backslashed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from llmchoice.answers.show import show_value
from llmchoice.decide.result import Result
from llmchoice.io.textsafe import clean_line
from llmchoice.report.common import rule_beyond
from llmchoice.ruleset.model import RuleSet

from .common import (
    NO_NEAR_MISS,
    flip_at,
    outcome_label,
    points_text,
    signed_relative,
    weight_sentence,
    where,
    would_do,
)
from .costline import COST_HEADING
from .fit import shown_path
from .ruled_out import grouped, lead
from .view import (
    ANSWERS_HEADING,
    FACTS_HEADING,
    NO_REASON,
    NOT_DECIDED_HEADING,
    OPEN_HEADING,
    PATH_HEADING,
    SCENARIO_HEADING,
    WHAT_IF_HEADING,
    Cite,
    Reasons,
    ReportView,
    build_view,
)

if TYPE_CHECKING:
    from llmchoice.decide.explain import Cited, Explanation

    from .advice import PathView
    from .common import LessonSteps
    from .costline import CostLine

_MD_SPECIAL = str.maketrans({
    "\\": "\\\\", "&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "\\|", "*": "\\*",
    "_": "\\_", "`": "\\`", "[": "\\[", "]": "\\]", "#": "\\#",
})


def md(text: str) -> str:
    """Escape data for Markdown, on one line."""
    return clean_line(text).translate(_MD_SPECIAL)


def _code(text: str) -> str:
    """Data in a code span: backticks cannot be escaped inside one, so they are replaced."""
    return "`" + clean_line(text).replace("`", "'") + "`"


def _words(cites: tuple[Cited, ...]) -> str:
    return "<br>".join(f"**{md(c.title)}** ({md(c.id)}): “{md(c.text)}”" for c in cites)


def _titles(cites: tuple[Cite, ...]) -> str:
    """``Title; Title``: the trade-offs a reason cites, by title (the trace and JSON give
    their ids)."""
    return md("; ".join(c.title for c in cites))


def _ruled_out(add: Callable[[str], None], v: ReportView) -> None:
    add("## Ruled out first")
    add("")
    for g in grouped(v.ruled_out):
        beyond = f" *({md(g.beyond)})*" if g.beyond else ""
        add(f"- {lead(g, lambda x: f'**{md(x)}**')}: {md(g.because)} "
            f"*(cites: {_titles(g.cites)})*{beyond}")
    add("")


def plan_lines(p: PathView) -> list[str]:
    """One plan under "How to run it": its label, why, what goes beyond the article and
    its notes (the single and the team report)."""
    head = f"{md(p.heading)}: " if p.heading else ""
    cites = md("; ".join(title for _, title, _ in p.cites))
    return [f"{head}**{md(p.label)}**: {md(p.summary)}", "",
            f"- Why this way: {md(p.because)} *(cites: {cites})*",
            *([f"- *{md(p.beyond)}*"] if p.beyond else []),
            *(f"- {md(note)}" for note in p.notes), ""]


def cost_lines(cost: tuple[CostLine, ...]) -> list[str]:
    """The cost section, the plan's own line in bold."""
    return [f"## {COST_HEADING}", "",
            *(f"- **{md(c.text)}**" if c.highlight else f"- {md(c.text)}" for c in cost), ""]


def steps_lines(heading: str, groups: tuple[LessonSteps, ...]) -> list[str]:
    """A next-steps section: each lesson in the article's words, then its steps."""
    out = [f"## {md(heading)}", ""]
    for group in groups:
        out += [f"### {md(group.title)}", "", f"*The article: “{md(group.text)}”*", "",
                *(f"- {md(step.text)}" for step in group.steps), ""]
    return out


def _advice(add: Callable[[str], None], v: ReportView) -> None:
    """How to run it, what the unsure answers leave open, the facts that decide it."""
    if v.path is not None:
        add(f"## {PATH_HEADING}")
        add("")
    for p in (v.path, v.alternative_path):
        if p is not None:
            for line in plan_lines(p):
                add(line)
    o = v.open_answers
    if o is not None:
        add(f"## {OPEN_HEADING}")
        add("")
        add("\n".join(f"- {md(line)}" for line in o.lines))
        add("")
        add(f"{md(o.shares)} **{md(o.settle_first)}**")
        add("")
    for _, head, lines in (("", FACTS_HEADING, v.deciding_facts), *v.still_open):
        if lines:
            add(f"## {md(head)}")
            add("")
            add("\n".join(f"- {md(s)}" for s in lines))
            add("")


def _head(add: Callable[[str], None], v: ReportView) -> None:
    add(f"# {md(v.title)}: {md(v.headline)}")
    add("")
    add(md(v.summary))
    add("")
    for name, text in v.facts:
        add(f"- **{name}:** {md(text)}")
    add("")
    if v.ruled_out:
        _ruled_out(add, v)
    _advice(add, v)
    add("## Scores")
    add("")
    add("| Outcome | Score | |")
    add("|---|---:|---|")
    for row in v.scores:
        note = " (ruled out)" if row.ruled_out else ""
        top = v.top_score
        bar = "█" * max(1, round(20 * row.score / top)) if top > 0 and row.score > 0 else ""
        add(f"| {md(row.label)}{note} | {row.score:g} | {bar} |")
    add("")


def _reasons(add: Callable[[str], None], reasons: Reasons, first: str, *,
             outcome: bool = False, empty: str = "") -> None:
    add(f"## {md(reasons.heading)}")
    add("")
    if reasons.rows:
        add(("| Outcome " if outcome else "") + f"| {first} | Reason | From the article |")
        add(("|---" if outcome else "") + "|---:|---|---|")
        for r in reasons.rows:
            beyond = f" *({md(r.beyond)})*" if r.beyond else ""
            add((f"| {md(r.label)} " if outcome else "")
                + f"| {r.points:+g} | {md(r.because)}{beyond} | {_titles(r.cites)} |")
    else:
        add(md(reasons.note) if reasons.note is not None else empty)
    add("")


def _middle(add: Callable[[str], None], v: ReportView) -> None:
    """The scenario, what would change it, the cost and the next steps."""
    sc = v.scenario
    if sc is not None:
        add(f"## {SCENARIO_HEADING}")
        add("")
        if sc.quoted:
            add(f"**{md(sc.title)}**. In the article's words: “{md(sc.text)}”")
            add("")
            add(md(sc.why))
        else:
            add(f"**{md(sc.title)}**: {md(sc.text)} {md(sc.why)}")
        add("")
    w = v.what_if
    add(f"## {WHAT_IF_HEADING}")
    add("")
    for i, sentence in enumerate(w.sentences):
        add(f"- **{md(sentence)}** {w.decisive_note}" if i == 0 else f"- {md(sentence)}")
    add("" if w.sentences else w.none)
    if not w.sentences:
        add("")
    if w.weights is not None:
        add(f"**Weights:** {md(w.weights)}")
        add("")
    if v.cost is not None:
        for line in cost_lines(v.cost):
            add(line)
    for heading, groups in ((v.next_steps_heading, v.next_steps),
                            (v.alternative_steps_heading, v.alternative_steps)):
        if heading is not None and groups:
            for line in steps_lines(heading, groups):
                add(line)


def render_markdown(result: Result, rules: RuleSet, explanation: Explanation | None = None, *,
                    explain: bool = False) -> str:
    lines: list[str] = []
    add = lines.append
    v = build_view(result, rules, explanation, explain=explain)
    _head(add, v)
    _reasons(add, v.why, "Points", empty=NO_REASON)
    if v.shared is not None:
        _reasons(add, v.shared, "Points each")
    if v.against is not None:
        _reasons(add, v.against, "Points", outcome=True)
    _middle(add, v)
    if explain and explanation is not None:
        _trace(add, rules, explanation)
    elif v.not_decided:
        add(f"## {NOT_DECIDED_HEADING}")
        add("")
        add(md(v.not_decided_summary))
        add("")
    add(f"## {ANSWERS_HEADING}")
    add("")
    add("| Question | Answer |")
    add("|---|---|")
    for a in v.answers:
        add(f"| {md(a.question)} | {md(a.shown)} |")
    add("")
    f = v.footer
    add(f"*Rule set {md(f.id)} {md(f.version)} (sha256 {f.sha12}), from {md(f.source)}.*")
    return "\n".join(lines) + "\n"


def _trace(add: Callable[[str], None], rules: RuleSet, ex: Explanation) -> None:
    add("## Explanation")
    add("")
    add(f"Rules from {_code(shown_path(ex.source))}; *where* is the file and line of each rule.")
    add("")
    add("### Rules that fired")
    add("")
    add("| Rule | Where | Gives | When | Because | The article's words |")
    add("|---|---|---|---|---|---|")
    for f in ex.fired:
        add(f"| {md(f.rule)} | {md(where(ex, f.line))} | "
            f"{md(points_text(rules, f.points, f.exclude))} | {md(f.when)} | {md(f.because)}"
            f"{_trace_beyond(rules, f.rule)} | {_words(f.cites)} |")
    add("")
    if ex.skipped:
        add("### Skipped: an optional question was not answered")
        add("")
        for s in ex.skipped:
            add(f"- **{md(s.rule)}** ({md(where(ex, s.line))}) needs "
                f"{md(', '.join(s.missing))}; {md(would_do(rules, s.points, s.exclude))}. "
                f"{md(s.because)}")
        add("")
    add("### Near misses: rules one condition away from firing")
    add("")
    if ex.near_misses:
        for n in ex.near_misses:
            add(f"- **{md(n.rule)}** ({md(where(ex, n.line))}) did not fire only because "
                f"*{md(n.failed)}* does not hold (you answered "
                f"{md(show_value(n.answer))}); {md(would_do(rules, n.points, n.exclude))}.")
    else:
        add(md(NO_NEAR_MISS))
    add("")
    add("### Weight sensitivity")
    add("")
    if ex.weight_flips:
        add("Changes of one rule's points, within ±100%, that change the recommendation, "
            "smallest relative change first:")
        add("")
        add("| Rule | Where | Outcome | Points | Flips at | Change | Would recommend |")
        add("|---|---|---|---:|---:|---:|---|")
        for w in ex.weight_flips:
            add(f"| {md(w.rule)} | {md(where(ex, w.line))} | {md(outcome_label(rules, w.outcome))}"
                f" | {w.points:g} | {md(flip_at(w))} | {signed_relative(w)} | "
                f"{md(outcome_label(rules, w.recommendation))} |")
    else:
        add(md(weight_sentence(ex)))
    add("")


def _trace_beyond(rules: RuleSet, rule_id: str) -> str:
    text = rule_beyond(rules, rule_id)
    return f" *({md(text)})*" if text else ""
