"""The team report as Markdown and as HTML: the same sections, in the order of
:class:`~llmchoice.report.team_view.TeamView`.

Every text from a rule set or an answers file (people's names, file names, labels) is
escaped for its target: Markdown's marks backslashed and ``<``/``&`` as entities; HTML
escaped, with the HTML report's own page (inline CSS, no request to any other host).
"""

from __future__ import annotations

from llmchoice.ruleset.model import RuleSet
from llmchoice.team.analysis import TeamResult

from .html import OTHER_COLOR, cost_html, h, plan_html, steps_html
from .html_css import CSS as _CSS
from .markdown import cost_lines, md, plan_lines, steps_lines
from .team_plan import TeamPlan
from .team_view import (
    ANSWERS_HEADING,
    CONSTRAINTS_HEADING,
    DISAGREE_HEADING,
    PEOPLE_HEADING,
    SETTLE_HEADING,
    TeamView,
    build_team_view,
)
from .view import PATH_HEADING

_TEAM_CSS = """\
.team td, .team th { vertical-align: top; }
.changes-recommendation td:last-child { font-weight: 600; }
ol.settle li { margin-bottom: 0.5rem; }
"""


def _plan_markdown(p: TeamPlan) -> list[str]:
    """How to run it (each plan with its notes), the cost, the next steps: the single
    report's sections, laid out by its own functions."""
    out = [f"## {PATH_HEADING}", ""] if p.plans else []
    for plan in p.plans:
        out += plan_lines(plan)
    out += cost_lines(p.cost) if p.cost is not None else []
    for s in p.steps:
        out += steps_lines(s.heading, s.groups)
    return out


def render_team_markdown(rules: RuleSet, t: TeamResult) -> str:
    v = build_team_view(rules, t)
    out = [f"# {md(v.title)}: {md(v.headline)}", "",
           f"*{v.people_count} people's answers, merged.* {md(v.summary)}", "",
           f"- **Basis:** {md(v.basis)}", f"- **Certainty:** {md(v.certainty)}",
           f"- **Merge rule:** {md(v.merge_rule)}", ""]
    if v.constraints:
        out += [f"## {CONSTRAINTS_HEADING}", "", *(f"- {md(c)}" for c in v.constraints), ""]
    out += [f"## {SETTLE_HEADING}", ""]
    out += [f"{i}. {md(s)}" for i, s in enumerate(v.settle_first, 1)] or [md(v.settle_none or "")]
    out += ["", *_plan_markdown(v.plan), f"## {DISAGREE_HEADING}", ""]
    if v.disagreements:
        out += ["| Question | Who answered what | Does it alone change the recommendation? |",
                "|---|---|---|"]
        out += [f"| {md(d.question)} | {'<br>'.join(md(a) for a in d.answers)} | "
                f"{md(d.effect)} |" for d in v.disagreements]
    else:
        out.append(md(v.settle_none or ""))
    out += ["", f"## {PEOPLE_HEADING}", "", "| Person | File | Recommendation | Certainty | "
            "Answers unlike the team's |", "|---|---|---|---|---:|"]
    out += [f"| {md(p.name)} | {md(p.source)} | {md(p.verdict)} | {md(p.certainty)} | "
            f"{p.differs} |" for p in v.people]
    out += ["", f"## {ANSWERS_HEADING}", "", "| Question | Team's answer | How |",
            "|---|---|---|"]
    out += [f"| {md(a.question)} | {md(a.answer)} | {md(a.how)} |" for a in v.answers]
    out += ["", f"*{md(v.footer)}*"]
    return "\n".join(out) + "\n"


def _plan_html(p: TeamPlan) -> list[str]:
    """How to run it, the cost and the next steps, by the single HTML report's functions."""
    body = [f'<section id="path"><h2>{h(PATH_HEADING)}</h2>'
            f'{"".join(plan_html(plan) for plan in p.plans)}</section>'] if p.plans else []
    body += [cost_html(p.cost)] if p.cost is not None else []
    for i, s in enumerate(p.steps):
        body += steps_html(f'{"other-" if i else ""}next-steps', s.heading, s.groups)
    return body


def _html_body(v: TeamView) -> list[str]:
    body = [f'<header class="verdict"><h1>{h(v.title)}: {h(v.headline)}</h1>',
            f"<p><b>{v.people_count} people's answers, merged.</b> {h(v.summary)}</p>",
            f"<p><b>Basis:</b> {h(v.basis)}</p>",
            f"<p><b>Certainty:</b> {h(v.certainty)}</p>",
            f'<p class="beyond"><b>Merge rule:</b> {h(v.merge_rule)}</p></header>']
    if v.constraints:
        body.append(f'<section id="constraints"><h2>{CONSTRAINTS_HEADING}</h2><ul>')
        body += [f"<li>{h(c)}</li>" for c in v.constraints]
        body.append("</ul></section>")
    body.append(f'<section id="settle"><h2>{SETTLE_HEADING}</h2>')
    if v.settle_first:
        body.append('<ol class="settle">' + "".join(f"<li>{h(s)}</li>" for s in v.settle_first)
                    + "</ol>")
    else:
        body.append(f"<p>{h(v.settle_none or '')}</p>")
    body.append("</section>")
    body += _plan_html(v.plan)
    body.append(f'<section id="disagreements"><h2>{DISAGREE_HEADING}</h2>')
    if v.disagreements:
        body.append('<table class="team"><thead><tr><th scope="col">Question</th>'
                    '<th scope="col">Who answered what</th><th scope="col">Does it alone '
                    "change the recommendation?</th></tr></thead><tbody>")
        body += [f'<tr class="changes-{d.changes}"><th scope="row">{h(d.question)}</th><td>'
                 + "<br>".join(h(a) for a in d.answers) + f"</td><td>{h(d.effect)}</td></tr>"
                 for d in v.disagreements]
        body.append("</tbody></table>")
    else:
        body.append(f"<p>{h(v.settle_none or '')}</p>")
    body.append(f'</section><section id="people"><h2>{PEOPLE_HEADING}</h2><table class="team">'
                '<thead><tr><th scope="col">Person</th><th scope="col">Recommendation</th>'
                '<th scope="col">Certainty</th><th scope="col">Answers unlike the team\'s</th>'
                "</tr></thead><tbody>")
    body += [f'<tr><th scope="row">{h(p.name)}<br><code>{h(p.source)}</code></th>'
             f"<td>{h(p.verdict)}</td><td>{h(p.certainty)}</td><td>{p.differs}</td></tr>"
             for p in v.people]
    body.append(f'</tbody></table></section><section id="answers"><h2>{ANSWERS_HEADING}</h2>'
                '<table class="team"><tbody>')
    body += [f'<tr><th scope="row">{h(a.question)}</th><td><b>{h(a.answer)}</b></td>'
             f"<td>{h(a.how)}</td></tr>" for a in v.answers]
    body.append(f"</tbody></table></section><footer>{h(v.footer)} Made by llmchoice.</footer>")
    return body


def render_team_html(rules: RuleSet, t: TeamResult) -> str:
    v = build_team_view(rules, t)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{h(v.title)}: {h(v.headline)}</title>\n"
        f"<style>\n{_CSS.replace('ACCENT', OTHER_COLOR)}{_TEAM_CSS}</style>\n"
        "</head>\n<body>\n<main>\n" + "\n".join(_html_body(v)) + "\n</main>\n</body>\n</html>\n")
