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
from llmchoice.ruleset.model import RuleSet

from .common import (
    COST_HEADING,
    NO_WHAT_IF,
    cite_names,
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

_COLORS = {"open": "#2e7d32", "closed": "#1565c0", "hybrid": "#8e24aa"}
_OTHER_COLOR = "#00838f"
_EXCLUDED_COLOR = "#9e9e9e"

_CSS = """\
:root { --ink: #1d1d1f; --muted: #5f6368; --line: #d9dce1; --soft: #f5f6f8;
  --accent: ACCENT; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
main { max-width: 58rem; margin: 0 auto; padding: 2rem 1.5rem 3rem; }
h1, h2, h3 { line-height: 1.25; }
h1 { font-size: 2.1rem; margin: 0.1rem 0 0.4rem; color: var(--accent); }
h2 { font-size: 1.3rem; margin: 2.2rem 0 0.7rem; padding-bottom: 0.25rem;
  border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.2rem 0 0.3rem; }
p { margin: 0.4rem 0; }
code { font: 0.86em/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  background: var(--soft); padding: 0.05em 0.3em; border-radius: 3px; }
.verdict { border: 1px solid var(--line); border-left: 0.45rem solid var(--accent);
  border-radius: 6px; padding: 1.1rem 1.4rem; background: var(--soft); }
.kicker { margin: 0; text-transform: uppercase; letter-spacing: 0.08em; font-size: 0.78rem;
  color: var(--muted); }
.summary { font-size: 1.08rem; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem;
  margin: 0.9rem 0 0; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; }
.ruled-out { border: 1px solid #f0c36d; background: #fff8e1; border-radius: 6px;
  padding: 0.7rem 1.1rem; margin-bottom: 1rem; }
.ruled-out h2 { margin-top: 0.2rem; border: 0; }
table { width: 100%; border-collapse: collapse; margin: 0.4rem 0; font-size: 0.95rem; }
th, td { text-align: left; vertical-align: top; padding: 0.4rem 0.5rem;
  border-bottom: 1px solid var(--line); }
thead th { font-size: 0.82rem; text-transform: uppercase; letter-spacing: 0.04em;
  color: var(--muted); font-weight: 600; }
td.outcome, span.outcome { white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.cites { color: var(--muted); font-size: 0.88rem; }
.words { color: var(--muted); font-size: 0.88rem; margin: 0.2rem 0 0; }
.words q { font-style: italic; }
td.rule code { white-space: nowrap; }
.where { color: var(--muted); font-size: 0.82rem; white-space: nowrap; }
.chart { display: block; width: 100%; max-width: 42rem; height: auto; }
.lesson { break-inside: avoid; }
.lesson .article { color: var(--muted); font-style: italic; margin: 0 0 0.2rem; }
ul { margin: 0.3rem 0; padding-left: 1.3rem; }
li { margin: 0.2rem 0; }
.muted { color: var(--muted); }
footer { margin-top: 2.5rem; color: var(--muted); font-size: 0.85rem;
  border-top: 1px solid var(--line); padding-top: 0.6rem; overflow-wrap: anywhere; }
@media print {
  @page { margin: 16mm 14mm; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 20pt; }
  h2 { font-size: 13.5pt; margin-top: 1.3rem; break-after: avoid; }
  h3 { break-after: avoid; }
  .verdict, .ruled-out { background: none; }
  code { background: none; padding: 0; }
  tr, li, .chart, .verdict { break-inside: avoid; }
  svg, .verdict, .ruled-out { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def h(text: str) -> str:
    """Data for HTML: control characters shown as escapes, then HTML-escaped."""
    return escape(clean_line(text), quote=True)


def _cite_list(rules: RuleSet, cites: tuple[str, ...]) -> str:
    """Trade-off titles, each with its id on hover (the trace and JSON show the ids)."""
    names = cite_names(rules, cites)
    return "; ".join(f'<span title="{h(c)}">{h(n)}</span>' for c, n in zip(cites, names,
                                                                           strict=True))


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


def _chart(result: Result, rules: RuleSet) -> str:
    """Horizontal bars, one per outcome, best first; ruled-out outcomes grey and marked."""
    out = {e.outcome for e in result.excluded}
    ranking = result.ranking()
    labels = {o: _short(clean_line(outcome_label(rules, o)), 36) for o in ranking}
    label_w = max(120, min(340, 9 * max(len(t) for t in labels.values()) + 16))
    bar_w, row_h, bar_h = 400, 40, 24
    value_w = 150 if out else 80
    width = label_w + bar_w + value_w
    height = row_h * len(ranking) + 8
    top = max([*result.scores.values(), 0.0])
    title = "Scores: " + ", ".join(
        f"{outcome_label(rules, o)} {result.scores[o]:g}" + (" (ruled out)" if o in out else "")
        for o in ranking)
    parts = [f'<svg class="chart" role="img" aria-label="{h(title)}" '
             f'viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" font-family="system-ui, sans-serif" '
             f'font-size="15">',
             f"<title>{h(title)}</title>"]
    for i, o in enumerate(ranking):
        y = 4 + i * row_h
        value = result.scores[o]
        length = 0.0 if top <= 0 or value <= 0 else max(2.0, bar_w * value / top)
        fill = _EXCLUDED_COLOR if o in out else _COLORS.get(o, _OTHER_COLOR)
        weight = ' font-weight="700"' if o == result.recommendation else ""
        mid = y + row_h / 2 + 5
        parts.append(f'<text x="{label_w - 10}" y="{mid:g}" text-anchor="end"{weight} '
                     f'fill="#1d1d1f">{h(labels[o])}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + (row_h - bar_h) / 2:g}" width="{bar_w}" '
                     f'height="{bar_h}" fill="#f0f1f4" rx="3"/>')
        if length > 0:
            parts.append(f'<rect x="{label_w}" y="{y + (row_h - bar_h) / 2:g}" '
                         f'width="{length:.1f}" height="{bar_h}" fill="{fill}" rx="3"/>')
        note = " (ruled out)" if o in out else ""
        parts.append(f'<text x="{label_w + bar_w + 10}" y="{mid:g}"{weight} '
                     f'fill="#1d1d1f">{value:g}{note}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def render_html(result: Result, rules: RuleSet, explanation: Explanation | None = None, *,
                explain: bool = False) -> str:
    ex = explanation
    win = result.recommendation
    win_label = outcome_label(rules, win)
    accent = _COLORS.get(win, _OTHER_COLOR)
    body: list[str] = []
    add = body.append

    if result.excluded:
        add('<section class="ruled-out" id="ruled-out"><h2>Ruled out first</h2><ul>')
        for e in result.excluded:
            add(f"<li><b>{h(outcome_label(rules, e.outcome))}</b> is ruled out by "
                f"<code>{h(e.rule)}</code>: {h(e.because)} "
                f'<span class="cites">(from: {_cite_list(rules, e.cites)})'
                "</span></li>")
        add("</ul></section>")

    add(f'<header class="verdict"><p class="kicker">Recommendation</p><h1>{h(win_label)}</h1>')
    add(f'<p class="summary">{h(rules.outcome(win).summary)}</p><dl class="facts">')
    add(f"<dt>Confidence</dt><dd>{result.confidence:.2f} — "
        f"{h(confidence_words(result.confidence))}</dd>")
    if ex is not None:
        add(f"<dt>Robustness</dt><dd>{h(robustness_sentence(ex))}</dd>")
        if ex.scenario is not None:
            add(f"<dt>Scenario</dt><dd>{h(ex.scenario.title)}</dd>")
        if ex.decisive is not None:
            add(f"<dt>Decisive answer</dt><dd>{h(ex.decisive.sentence)}</dd>")
    add("</dl></header>")

    add('<section id="scores"><h2>Scores</h2>')
    add(_chart(result, rules))
    add("</section>")

    pro_con = sides(result)
    add(f'<section id="why"><h2>Why {h(win_label)}</h2>')
    if pro_con.for_winner:
        add('<table><thead><tr><th class="num">Points</th><th>Reason</th>'
            "<th>From the article</th></tr></thead><tbody>")
        for c in pro_con.for_winner:
            add(f'<tr><td class="num">+{c.points:g}</td><td>{h(c.because)}</td>'
                f'<td class="cites">{_cite_list(rules, c.cites)}</td></tr>')
        add("</tbody></table>")
    else:
        add("<p>No rule gave this outcome points; it won by the tie-break order.</p>")
    add("</section>")

    if pro_con.shared:
        add(f'<section id="shared"><h2>{h(pro_con.SHARED_HEADING)}</h2>')
        add('<table><thead><tr><th class="num">Points each</th><th>Reason</th>'
            "<th>From the article</th></tr></thead><tbody>")
        for c in pro_con.shared:
            add(f'<tr><td class="num">+{c.points:g}</td><td>{h(c.because)}</td>'
                f'<td class="cites">{_cite_list(rules, c.cites)}</td></tr>')
        add("</tbody></table></section>")

    if pro_con.against:
        add(f'<section id="against"><h2>{h(pro_con.others_heading)}</h2>')
        add('<table><thead><tr><th>Outcome</th><th class="num">Points</th><th>Reason</th>'
            "<th>From the article</th></tr></thead><tbody>")
        for c in pro_con.against:
            add(f'<tr><td class="outcome">{h(outcome_label(rules, c.outcome))}</td>'
                f'<td class="num">+{c.points:g}</td><td>{h(c.because)}</td>'
                f'<td class="cites">{_cite_list(rules, c.cites)}</td></tr>')
        add("</tbody></table></section>")

    if ex is not None and ex.scenario is not None:
        sc = ex.scenario
        add("<section id=\"scenario\"><h2>Where this fits in the article's future</h2>")
        add(f"<p><b>{h(sc.title)}</b> <code>{h(sc.id)}</code>. In the article's words: "
            f"<q>{h(sc.text)}</q></p>")
        add(f"<p>{h(scenario_why(ex))}</p></section>")
    elif result.scenario:
        t = rules.tradeoffs[result.scenario]
        add("<section id=\"scenario\"><h2>Where this fits in the article's future</h2>")
        add(f"<p><b>{h(t.title)}</b>: {h(t.text)} {h(result.scenario_because)}</p></section>")

    add('<section id="what-if"><h2>What would change it</h2>')
    if result.what_if:
        first, *others = what_ifs_decisive_first(result, ex)
        add(f'<ul><li class="decisive"><b>{h(what_if_sentence(rules, first))}</b> '
            '<span class="muted">(the most decisive answer)</span></li>'
            + "".join(f"<li>{h(what_if_sentence(rules, w))}</li>" for w in others) + "</ul>")
    if not result.what_if:
        add(f"<p>{h(NO_WHAT_IF)}</p>")
    if ex is not None:
        add(f"<p><b>Weights:</b> {h(weight_sentence(ex))}</p>")
    add("</section>")

    if result.cost is not None:
        add(f'<section id="cost"><h2>{h(COST_HEADING)}</h2><ul>'
            + "".join(f"<li>{h(line)}</li>" for line in cost_lines(result)) + "</ul></section>")

    if ex is not None and ex.next_steps:
        add('<section id="next-steps"><h2>Next steps</h2>')
        for group in steps_by_lesson(rules, ex):
            add(f'<div class="lesson"><h3>{h(group.title)}</h3>'
                f'<p class="article">The article: <q>{h(group.text)}</q></p><ul>')
            add("".join(f"<li>{h(s.text)}</li>" for s in group.steps))
            add("</ul></div>")
        add("</section>")

    if explain and ex is not None:
        add(_trace(rules, ex))
    elif result.skipped:
        add('<section id="skipped"><h2>Not decided</h2><ul>')
        for s in result.skipped:
            add(f"<li><code>{h(s.rule)}</code> was skipped: {h(', '.join(s.missing))} "
                "not answered.</li>")
        add("</ul></section>")

    add('<section id="answers"><h2>Your answers</h2><table><tbody>')
    for q in rules.questions:
        value = result.answers.get(q.id)
        add(f"<tr><th scope=\"row\"><code>{h(q.id)}</code></th><td>{h(q.prompt)}</td>"
            f"<td><b>{h(show_value(value))}</b></td></tr>")
    add("</tbody></table></section>")
    info = result.ruleset
    add(f"<footer>Rule set {h(info.id)} {h(info.version)} (sha256 {h(info.sha256[:12])}), "
        f"from {h(info.source)}. Made by llmchoice.</footer>")

    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Recommendation: {h(win_label)}</title>\n"
        f"<style>\n{_CSS.replace('ACCENT', accent)}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + "\n</main>\n</body>\n</html>\n"
    )


def _trace(rules: RuleSet, ex: Explanation) -> str:
    parts = ['<section id="explanation"><h2>Explanation</h2>',
             f'<p class="muted">Rules from <code>{h(ex.source)}</code>; the place under each '
             "rule is its file and line.</p>",
             "<h3>Rules that fired</h3>",
             '<table><thead><tr><th>Rule</th><th>Gives</th><th>Because, and the article\'s '
             "words</th></tr></thead><tbody>"]
    for f in ex.fired:
        parts.append(
            f'<tr><td class="rule"><code>{h(f.rule)}</code><br><span class="where">'
            f"{h(where(ex, f.line))}</span></td><td>{_gives(rules, f.points, f.exclude)}</td>"
            f'<td>{h(f.because)}<div class="muted">when {h(f.when)}</div>{_words(f.cites)}'
            "</td></tr>")
    parts.append("</tbody></table>")
    if ex.skipped:
        parts.append("<h3>Skipped: an optional question was not answered</h3><ul>")
        for s in ex.skipped:
            parts.append(
                f'<li><code>{h(s.rule)}</code> <span class="where">{h(where(ex, s.line))}</span>'
                f" needs {h(', '.join(s.missing))}; it would give "
                f"{h(points_text(rules, s.points, s.exclude))}.</li>")
        parts.append("</ul>")
    parts.append("<h3>Near misses: rules one condition away from firing</h3>")
    if ex.near_misses:
        parts.append("<ul>")
        for n in ex.near_misses:
            parts.append(
                f'<li><code>{h(n.rule)}</code> <span class="where">{h(where(ex, n.line))}</span>'
                f" did not fire only because <i>{h(n.failed)}</i> does not hold (you answered "
                f"{h(show_value(n.answer))}); it would give "
                f"{h(points_text(rules, n.points, n.exclude))}.</li>")
        parts.append("</ul>")
    else:
        parts.append("<p>None: every rule that did not fire missed by more than one "
                     "condition.</p>")
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
