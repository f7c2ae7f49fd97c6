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
from llmchoice.ruleset.model import RuleSet

from .common import (
    COST_HEADING,
    NO_WHAT_IF,
    cite_titles,
    confidence_words,
    cost_lines,
    flip_at,
    outcome_label,
    points_text,
    robustness_sentence,
    scenario_why,
    sides,
    signed_relative,
    steps_by_lesson,
    weight_sentence,
    what_if_sentence,
    what_ifs_decisive_first,
    where,
)

if TYPE_CHECKING:
    from llmchoice.decide.explain import Cited, Explanation

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


def render_markdown(result: Result, rules: RuleSet, explanation: Explanation | None = None, *,
                    explain: bool = False) -> str:
    lines: list[str] = []
    add = lines.append
    ex = explanation
    win = result.recommendation
    add(f"# Recommendation: {md(outcome_label(rules, win))}")
    add("")
    add(md(rules.outcome(win).summary))
    add("")
    add(f"- **Confidence:** {result.confidence:.2f} — {confidence_words(result.confidence)}")
    if ex is not None:
        add(f"- **Robustness:** {md(robustness_sentence(ex))}")
    if ex is not None and ex.scenario is not None:
        add(f"- **Scenario:** {md(ex.scenario.title)}")
    if ex is not None and ex.decisive is not None:
        add(f"- **Decisive answer:** {md(ex.decisive.sentence)}")
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
    add("| Outcome | Score | |")
    add("|---|---:|---|")
    out = {e.outcome for e in result.excluded}
    top = max([*result.scores.values(), 0.0])
    for o in result.ranking():
        note = " (ruled out)" if o in out else ""
        score = result.scores[o]
        bar = "█" * max(1, round(20 * score / top)) if top > 0 and score > 0 else ""
        add(f"| {md(outcome_label(rules, o))}{note} | {score:g} | {bar} |")
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
    if pro_con.shared:
        add(f"## {pro_con.SHARED_HEADING}")
        add("")
        add("| Points each | Reason | From the article |")
        add("|---:|---|---|")
        for c in pro_con.shared:
            add(f"| +{c.points:g} | {md(c.because)} | "
                f"{md('; '.join(cite_titles(rules, c.cites)))} |")
        add("")
    if pro_con.against:
        add(f"## {pro_con.others_heading}")
        add("")
        add("| Outcome | Points | Reason | From the article |")
        add("|---|---:|---|---|")
        for c in pro_con.against:
            add(f"| {md(outcome_label(rules, c.outcome))} | +{c.points:g} | {md(c.because)} | "
                f"{md('; '.join(cite_titles(rules, c.cites)))} |")
        add("")
    if ex is not None and ex.scenario is not None:
        sc = ex.scenario
        add("## Where this fits in the article's future")
        add("")
        add(f"**{md(sc.title)}** ({md(sc.id)}). In the article's words: “{md(sc.text)}”")
        add("")
        add(md(scenario_why(ex)))
        add("")
    elif result.scenario:
        t = rules.tradeoffs[result.scenario]
        add("## Where this fits in the article's future")
        add("")
        add(f"**{md(t.title)}**: {md(t.text)} {md(result.scenario_because)}")
        add("")
    add("## What would change it")
    add("")
    for i, w in enumerate(what_ifs_decisive_first(result, ex)):
        text = md(what_if_sentence(rules, w))
        add(f"- **{text}** (the most decisive answer)" if i == 0 else f"- {text}")
    if result.what_if:
        add("")
    if not result.what_if:
        add(NO_WHAT_IF)
        add("")
    if ex is not None:
        add(f"**Weights:** {md(weight_sentence(ex))}")
        add("")
    if result.cost is not None:
        add(f"## {COST_HEADING}")
        add("")
        for line in cost_lines(result):
            add(f"- {md(line)}")
        add("")
    if ex is not None and ex.next_steps:
        add("## Next steps")
        add("")
        for group in steps_by_lesson(rules, ex):
            add(f"### {md(group.title)}")
            add("")
            add(f"*The article: “{md(group.text)}”*")
            add("")
            for step in group.steps:
                add(f"- {md(step.text)}")
            add("")
    if explain and ex is not None:
        _trace(add, rules, ex)
    elif result.skipped:
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
        add(f"| {md(q.id)} | {md(show_value(value))} |")
    add("")
    info = result.ruleset
    add(f"*Rule set {md(info.id)} {md(info.version)} (sha256 {info.sha256[:12]}), "
        f"from {md(info.source)}.*")
    return "\n".join(lines) + "\n"


def _trace(add: Callable[[str], None], rules: RuleSet, ex: Explanation) -> None:
    add("## Explanation")
    add("")
    add(f"Rules from {_code(ex.source)}; *where* is the file and line of each rule.")
    add("")
    add("### Rules that fired")
    add("")
    add("| Rule | Where | Gives | When | Because | The article's words |")
    add("|---|---|---|---|---|---|")
    for f in ex.fired:
        add(f"| {md(f.rule)} | {md(where(ex, f.line))} | "
            f"{md(points_text(rules, f.points, f.exclude))} | {md(f.when)} | {md(f.because)} | "
            f"{_words(f.cites)} |")
    add("")
    if ex.skipped:
        add("### Skipped: an optional question was not answered")
        add("")
        for s in ex.skipped:
            add(f"- **{md(s.rule)}** ({md(where(ex, s.line))}) needs "
                f"{md(', '.join(s.missing))}; it would give "
                f"{md(points_text(rules, s.points, s.exclude))}. {md(s.because)}")
        add("")
    add("### Near misses: rules one condition away from firing")
    add("")
    if ex.near_misses:
        for n in ex.near_misses:
            add(f"- **{md(n.rule)}** ({md(where(ex, n.line))}) did not fire only because "
                f"*{md(n.failed)}* does not hold (you answered "
                f"{md(show_value(n.answer))}); it would give "
                f"{md(points_text(rules, n.points, n.exclude))}.")
    else:
        add("None: every rule that did not fire missed by more than one condition.")
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
