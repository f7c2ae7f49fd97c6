"""The HTML report: one standalone page with inline CSS and an inline SVG chart of the scores.

It asks nothing of any other host: no fonts, scripts, images or links to load,
and a Content-Security-Policy that forbids them should anything slip in. It
reads on paper too (print styles: no backgrounds to waste ink, no section split
across pages where avoidable). Every text from a rule set or answers file is
cleaned of control characters and HTML-escaped, so ``<script>`` shows as text.
"""

from __future__ import annotations

from html import escape
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
    signed_relative,
    weight_sentence,
    where,
    would_do,
)
from .costline import COST_HEADING
from .fit import shown_path
from .html_css import CSS as _CSS
from .ruled_out import RuledOutGroup, grouped, lead
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

_COLORS = {"open": "#2e7d32", "closed": "#1565c0", "hybrid": "#8e24aa"}
OTHER_COLOR = "#00838f"
_EXCLUDED_COLOR = "#9e9e9e"



def h(text: str) -> str:
    """Data for HTML: control characters shown as escapes, then HTML-escaped."""
    return escape(clean_line(text), quote=True)


def _gives(rules: RuleSet, points: tuple[tuple[str, float], ...],
           exclude: tuple[str, ...]) -> str:
    """What a rule gives, one outcome a line."""
    lines = [f'<span class="outcome">{h(outcome_label(rules, o))}</span> {p:+g}'
             for o, p in points]
    lines.extend(f"rules out {h(outcome_label(rules, o))}" for o in exclude)
    return "<br>".join(lines)


def _words(cites: tuple[Cited, ...]) -> str:
    items = "".join(f"<div><b>{h(c.title)}</b> <code>{h(c.id)}</code>: <q>{h(c.text)}</q></div>"
                    for c in cites)
    return f'<div class="words">{items}</div>'


def _charts(v: ReportView) -> str:
    """The chart twice: a wide one (label, bar, score on a row) and one for a phone (the
    label and score above each bar), drawn to about the width it is shown at so that its
    text stays the page's size; the style sheet shows one."""
    return _chart(v) + "\n" + _narrow_chart(v)


def _narrow_chart(v: ReportView) -> str:
    width, row_h, bar_h = 340, 50, 16
    height = row_h * len(v.scores) + 4
    parts = [f'<svg class="chart chart-narrow" role="img" aria-label="{h(_chart_title(v))}" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             'font-family="system-ui, sans-serif" font-size="15">',
             f"<title>{h(_chart_title(v))}</title>"]
    for i, r in enumerate(v.scores):
        y = 4 + i * row_h
        length = 0.0 if v.top_score <= 0 or r.score <= 0 else max(
            2.0, width * r.score / v.top_score)
        fill = _EXCLUDED_COLOR if r.ruled_out else _COLORS.get(r.outcome, OTHER_COLOR)
        weight = ' font-weight="700"' if r.winner else ""
        note = " (ruled out)" if r.ruled_out else ""
        parts.append(f'<text x="0" y="{y + 15}"{weight} fill="#1d1d1f">'
                     f"{h(_short(clean_line(r.label), 30))}: {r.score:g}{note}</text>")
        parts.append(f'<rect x="0" y="{y + 22}" width="{width}" height="{bar_h}" '
                     'fill="#f0f1f4" rx="3"/>')
        if length > 0:
            parts.append(f'<rect x="0" y="{y + 22}" width="{length:.1f}" height="{bar_h}" '
                         f'fill="{fill}" rx="3"/>')
    parts.append("</svg>")
    return "\n".join(parts)


def _chart_title(v: ReportView) -> str:
    return "Scores: " + ", ".join(
        f"{r.label} {r.score:g}" + (" (ruled out)" if r.ruled_out else "") for r in v.scores)


def _chart(v: ReportView) -> str:
    """Horizontal bars, one per outcome, best first; ruled-out outcomes grey and marked."""
    labels = {r.outcome: _short(clean_line(r.label), 36) for r in v.scores}
    label_w = max(120, min(340, 9 * max(len(t) for t in labels.values()) + 16))
    bar_w, row_h, bar_h = 400, 40, 24
    value_w = 150 if v.ruled_out else 80
    width = label_w + bar_w + value_w
    height = row_h * len(v.scores) + 8
    title = _chart_title(v)
    parts = [f'<svg class="chart chart-wide" role="img" aria-label="{h(title)}" '
             f'viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" font-family="system-ui, sans-serif" '
             f'font-size="15">',
             f"<title>{h(title)}</title>"]
    for i, r in enumerate(v.scores):
        y = 4 + i * row_h
        top = v.top_score
        length = 0.0 if top <= 0 or r.score <= 0 else max(2.0, bar_w * r.score / top)
        fill = _EXCLUDED_COLOR if r.ruled_out else _COLORS.get(r.outcome, OTHER_COLOR)
        weight = ' font-weight="700"' if r.winner else ""
        mid = y + row_h / 2 + 5
        parts.append(f'<text x="{label_w - 10}" y="{mid:g}" text-anchor="end"{weight} '
                     f'fill="#1d1d1f">{h(labels[r.outcome])}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + (row_h - bar_h) / 2:g}" width="{bar_w}" '
                     f'height="{bar_h}" fill="#f0f1f4" rx="3"/>')
        if length > 0:
            parts.append(f'<rect x="{label_w}" y="{y + (row_h - bar_h) / 2:g}" '
                         f'width="{length:.1f}" height="{bar_h}" fill="{fill}" rx="3"/>')
        note = " (ruled out)" if r.ruled_out else ""
        parts.append(f'<text x="{label_w + bar_w + 10}" y="{mid:g}"{weight} '
                     f'fill="#1d1d1f">{r.score:g}{note}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _cites(cites: tuple[Cite, ...]) -> str:
    """Trade-off titles, each with its id on hover (the trace and JSON show the ids)."""
    return "; ".join(f'<span title="{h(c.id)}">{h(c.title)}</span>' for c in cites)


def _beyond(text: str | None) -> str:
    return f' <span class="beyond">({h(text)})</span>' if text else ""


def _ruled_out_item(g: RuledOutGroup) -> str:
    cites = f'<span class="cites">(from: {_cites(g.cites)})</span>{_beyond(g.beyond)}'
    return f"<li>{lead(g, lambda x: f'<b>{h(x)}</b>')}: {h(g.because)} {cites}</li>"


def plan_html(p: PathView) -> str:
    """One plan under "How to run it" (the single and the team report)."""
    cites = "; ".join(f'<span title="{h(tid)}">{h(title)}</span>' for tid, title, _ in p.cites)
    head = f"{h(p.heading)}: " if p.heading else ""
    return (f"<p>{head}<b>{h(p.label)}</b>: {h(p.summary)}</p>"
            f"<p>Why this way: {h(p.because)} "
            f'<span class="cites">(from: {cites})</span>{_beyond(p.beyond)}</p>'
            + "".join(f'<p class="note">{h(n)}</p>' for n in p.notes))


def cost_html(cost: tuple[CostLine, ...]) -> str:
    """The cost section, the plan's own line in bold."""
    return (f'<section id="cost"><h2>{h(COST_HEADING)}</h2><ul>'
            + "".join(f'<li class="path-cost"><b>{h(c.text)}</b></li>' if c.highlight
                      else f"<li>{h(c.text)}</li>" for c in cost)
            + "</ul></section>")


def steps_html(sid: str, heading: str, groups: tuple[LessonSteps, ...]) -> list[str]:
    """A next-steps section: each lesson in the article's words, then its steps."""
    body = [f'<section id="{sid}"><h2>{h(heading)}</h2>']
    for group in groups:
        body += [f'<div class="lesson"><h3>{h(group.title)}</h3>'
                 f'<p class="article">The article: <q>{h(group.text)}</q></p><ul>',
                 "".join(f"<li>{h(s.text)}</li>" for s in group.steps), "</ul></div>"]
    return [*body, "</section>"]


def _advice(v: ReportView) -> list[str]:
    """How to run it, what the unsure answers leave open, the facts that decide it."""
    body = []
    plans = []
    for p in (v.path, v.alternative_path):
        if p is not None:
            plans.append(plan_html(p))
    if plans:
        body.append(f'<section id="path"><h2>{h(PATH_HEADING)}</h2>{"".join(plans)}</section>')
    o = v.open_answers
    if o is not None:
        body.append(f'<section id="open-answers"><h2>{h(OPEN_HEADING)}</h2><ul>'
                    + "".join(f"<li>{h(line)}</li>" for line in o.lines)
                    + f"</ul><p>{h(o.shares)} <b>{h(o.settle_first)}</b></p></section>")
    for sid, head, lines in (("deciding-facts", FACTS_HEADING, v.deciding_facts), *v.still_open):
        if lines:
            body.append(f'<section id="{sid}"><h2>{h(head)}</h2><ul>'
                        + "".join(f"<li>{h(s)}</li>" for s in lines) + "</ul></section>")
    return body


def _verdict(v: ReportView, chart: str) -> list[str]:
    body = []
    if v.ruled_out:
        body.append('<section class="ruled-out" id="ruled-out"><h2>Ruled out first</h2><ul>')
        body.extend(_ruled_out_item(g) for g in grouped(v.ruled_out))
        body.append("</ul></section>")
    body.append(f'<header class="verdict"><p class="kicker">{h(v.title)}</p>'
                f"<h1>{h(v.headline)}</h1>")
    body.append(f'<p class="summary">{h(v.summary)}</p><dl class="facts">')
    body.extend(f"<dt>{h(name)}</dt><dd>{h(text)}</dd>" for name, text in v.facts)
    body.append("</dl></header>")
    body.extend(_advice(v))
    body.append(f'<section id="scores"><h2>Scores</h2>\n{chart}\n</section>')
    return body


def _reasons(section: str, reasons: Reasons, first: str, *, outcome: bool = False,
             empty: str = "") -> str:
    parts = [f'<section id="{section}"><h2>{h(reasons.heading)}</h2>']
    if reasons.rows:
        parts.append("<table><thead><tr>" + ("<th>Outcome</th>" if outcome else "")
                     + f'<th class="num">{first}</th><th>Reason</th>'
                     "<th>From the article</th></tr></thead><tbody>")
        parts.extend("<tr>" + (f'<td class="outcome">{h(r.label)}</td>' if outcome else "")
                     + f'<td class="num">{r.points:+g}</td>'
                     f"<td>{h(r.because)}{_beyond(r.beyond)}</td>"
                     f'<td class="cites">{_cites(r.cites)}</td></tr>' for r in reasons.rows)
        parts.append("</tbody></table>")
    else:
        parts.append(f"<p>{h(reasons.note if reasons.note is not None else empty)}</p>")
    # the reasons for the verdict close their section on a line of its own
    return "\n".join(parts) + ("\n</section>" if section == "why" else "</section>")


def _middle(v: ReportView) -> list[str]:
    """The scenario, what would change it, the cost and the next steps."""
    body = []
    sc = v.scenario
    if sc is not None:
        body.append(f"<section id=\"scenario\"><h2>{SCENARIO_HEADING}</h2>")
        if sc.quoted:
            body.append(f"<p><b>{h(sc.title)}</b>. In the article's "
                        f"words: <q>{h(sc.text)}</q></p>")
            body.append(f"<p>{h(sc.why)}</p></section>")
        else:
            body.append(f"<p><b>{h(sc.title)}</b>: {h(sc.text)} {h(sc.why)}</p></section>")
    w = v.what_if
    body.append(f'<section id="what-if"><h2>{h(WHAT_IF_HEADING)}</h2>')
    if w.sentences:
        first, *others = w.sentences
        body.append(f'<ul><li class="decisive"><b>{h(first)}</b> '
                    f'<span class="muted">{h(w.decisive_note)}</span></li>'
                    + "".join(f"<li>{h(s)}</li>" for s in others) + "</ul>")
    else:
        body.append(f"<p>{h(w.none)}</p>")
    if w.weights is not None:
        body.append(f"<p><b>Weights:</b> {h(w.weights)}</p>")
    body.append("</section>")
    if v.cost is not None:
        body.append(cost_html(v.cost))
    for sid, heading, groups in (("next-steps", v.next_steps_heading, v.next_steps),
                                 ("other-next-steps", v.alternative_steps_heading,
                                  v.alternative_steps)):
        if heading is not None and groups:
            body += steps_html(sid, heading, groups)
    return body


def _end(v: ReportView) -> list[str]:
    """What was not decided, the answers and the footer."""
    body = []
    if v.not_decided:
        body.append(f'<section id="skipped"><h2>{h(NOT_DECIDED_HEADING)}</h2>'
                    f"<p>{h(v.not_decided_summary)}</p></section>")
    body.append(f'<section id="answers"><h2>{h(ANSWERS_HEADING)}</h2><table><tbody>')
    body.extend(f"<tr><th scope=\"row\"><code>{h(a.question)}</code></th><td>{h(a.prompt)}"
                f"</td><td><b>{h(a.shown)}</b></td></tr>" for a in v.answers)
    body.append("</tbody></table></section>")
    f = v.footer
    body.append(f"<footer>Rule set {h(f.id)} {h(f.version)} (sha256 {h(f.sha12)}), "
                f"from {h(f.source)}. Made by llmchoice.</footer>")
    return body


def render_html(result: Result, rules: RuleSet, explanation: Explanation | None = None, *,
                explain: bool = False) -> str:
    v = build_view(result, rules, explanation, explain=explain)
    body = _verdict(v, _charts(v))
    body.append(_reasons("why", v.why, "Points", empty=NO_REASON))
    if v.shared is not None:
        body.append(_reasons("shared", v.shared, "Points each"))
    if v.against is not None:
        body.append(_reasons("against", v.against, "Points", outcome=True))
    body.extend(_middle(v))
    if explain and explanation is not None:
        body.append(_trace(rules, explanation))
    body.extend(_end(v))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{h(v.title)}: {h(v.headline)}</title>\n"
        f"<style>\n{_CSS.replace('ACCENT', _COLORS.get(v.outcome, OTHER_COLOR))}</style>\n"
        "</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + "\n</main>\n</body>\n</html>\n"
    )


def _trace(rules: RuleSet, ex: Explanation) -> str:
    parts = ['<section id="explanation"><h2>Explanation</h2>',
             f'<p class="muted">Rules from <code>{h(shown_path(ex.source))}</code>; the place '
             "under each rule is its file and line.</p>",
             "<h3>Rules that fired</h3>",
             '<table><thead><tr><th>Rule</th><th>Gives</th><th>Because, and the article\'s '
             "words</th></tr></thead><tbody>"]
    for f in ex.fired:
        parts.append(
            f'<tr><td class="rule"><code>{h(f.rule)}</code><br><span class="where">'
            f"{h(where(ex, f.line))}</span></td><td>{_gives(rules, f.points, f.exclude)}</td>"
            f'<td>{h(f.because)}{_beyond(rule_beyond(rules, f.rule))}'
            f'<div class="muted">when {h(f.when)}</div>{_words(f.cites)}'
            "</td></tr>")
    parts.append("</tbody></table>")
    if ex.skipped:
        parts.append("<h3>Skipped: an optional question was not answered</h3><ul>")
        for s in ex.skipped:
            parts.append(
                f'<li><code>{h(s.rule)}</code> <span class="where">{h(where(ex, s.line))}</span>'
                f" needs {h(', '.join(s.missing))}; "
                f"{h(would_do(rules, s.points, s.exclude))}.</li>")
        parts.append("</ul>")
    parts.append("<h3>Near misses: rules one condition away from firing</h3>")
    if ex.near_misses:
        parts.append("<ul>")
        for n in ex.near_misses:
            parts.append(
                f'<li><code>{h(n.rule)}</code> <span class="where">{h(where(ex, n.line))}</span>'
                f" did not fire only because <i>{h(n.failed)}</i> does not hold (you answered "
                f"{h(show_value(n.answer))}); {h(would_do(rules, n.points, n.exclude))}.</li>")
        parts.append("</ul>")
    else:
        parts.append(f"<p>{h(NO_NEAR_MISS)}</p>")
    parts.append("<h3>Weight sensitivity</h3>")
    if ex.weight_flips:
        parts.append("<p>Changes of one rule's points, within ±100%, that change the "
                     "recommendation, smallest relative change first.</p>")
        parts.append('<table><thead><tr><th>Rule</th><th>Outcome</th><th class="num">Points</th>'
                     '<th class="num">Flips at</th><th class="num">Change</th>'
                     "<th>Would recommend</th></tr></thead><tbody>")
        for w in ex.weight_flips:
            parts.append(
                f'<tr><td><code>{h(w.rule)}</code> <span class="where">{h(where(ex, w.line))}'
                f"</span></td><td>{h(outcome_label(rules, w.outcome))}</td>"
                f'<td class="num">{w.points:g}</td><td class="num">{h(flip_at(w))}</td>'
                f'<td class="num">{signed_relative(w)}</td>'
                f"<td>{h(outcome_label(rules, w.recommendation))}</td></tr>")
        parts.append("</tbody></table>")
    else:
        parts.append(f"<p>{h(weight_sentence(ex))}</p>")
    parts.append("</section>")
    return "\n".join(parts)
