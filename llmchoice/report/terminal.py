"""The terminal report: verdict first, then the reasons behind it.

Laid out by :mod:`llmchoice.report.boxes` (tables and panels as rich drew them, without
importing rich: about 60 ms of start-up). All text from rule sets and answers goes
through :func:`llmchoice.io.textsafe.clean_line` (``_t``), so escape sequences cannot
reach the terminal and the style marks of :mod:`llmchoice.report.styled` cannot be
forged; nothing in it is read as markup (``[bold]`` in a ``because`` prints literally).
Trade-offs are named by their titles here; their ids are in the JSON and Markdown
reports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from llmchoice.answers.show import show_value
from llmchoice.decide.result import Result
from llmchoice.io.textsafe import clean_line
from llmchoice.report.common import rule_beyond
from llmchoice.ruleset.model import RuleSet

from .boxes import Column, Screen, Table
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
from .ruled_out import RuledOutGroup, grouped, lead
from .styled import style
from .view import (
    FACTS_HEADING,
    NEXT_STEPS_AFTER,
    NO_REASON,
    OPEN_HEADING,
    PATH_HEADING,
    SCENARIO_HEADING,
    WHAT_IF_HEADING,
    Cite,
    Reasons,
    ReportView,
    ScenarioView,
    WhatIfs,
    build_view,
    more_what_ifs,
)

if TYPE_CHECKING:
    from llmchoice.decide.explain import Cited, Explanation

_COLORS = {"open": "green", "closed": "blue", "hybrid": "magenta"}
_WHAT_IFS = 5
# Below this width the tables of reasons and of the trace become lists (a column of reasons
# 20 characters wide is unreadable), and the score bars shorten.
NARROW = 72
NARROW_WITH_OUTCOME = 90  # the table of what speaks against it has a column more



def _t(text: str) -> str:
    """Data text made safe to show: control characters (and so style marks) escaped."""
    return clean_line(text)


def _b(text: str) -> str:
    return style("bold", text)


def _dim(text: str) -> str:
    return style("dim", text)


def _bar(value: float, top: float, width: int = 30) -> str:
    if top <= 0 or value <= 0:
        return ""
    n = round(width * value / top)
    return "█" * max(n, 1)


def _bullets(screen: Screen, items: list[str], *, indent: int = 2) -> None:
    """Marked lines as a bulleted list whose wrapped lines hang under their text."""
    grid = Table(Column(width=indent + 1, justify="right", no_wrap=True), Column(), grid=True)
    for item in items:
        grid.add_row("•", item)
    screen.table(grid)


def _heading(screen: Screen, title: str) -> None:
    screen.print()
    screen.print(style("bold underline", title))


def _ruled_out_line(g: RuledOutGroup) -> str:
    head = f"{lead(g, lambda x: _b(_t(x)))}: {_t(g.because)}"
    beyond = f"\n  {_dim(_t(g.beyond))}" if g.beyond else ""
    return f"{head}\n  {_dim('from: ' + _t(_names(g.cites)))}{beyond}"


def _panels(screen: Screen, v: ReportView) -> None:
    """What was ruled out, then the verdict with its facts."""
    color = _COLORS.get(v.outcome, "cyan")
    if v.ruled_out:
        screen.panel("Ruled out first",
                     [("\n".join(_ruled_out_line(g) for g in grouped(v.ruled_out)), None)],
                     "yellow")
    head = f"{style('bold ' + color, _t(v.headline))}\n{_t(v.summary)}\n"
    facts = Table(Column(style="bold", no_wrap=True), Column(), grid=True, pad=2)
    for name, text in v.facts:
        facts.add_row(_t(name), _t(text))
    screen.panel(_t(v.title), [(head, None), ("", facts)], color)


def _advice(screen: Screen, v: ReportView) -> None:
    """How to run it, what the unsure answers leave open, the facts that decide it."""
    if v.path is not None:
        _heading(screen, PATH_HEADING)
    for p in (v.path, v.alternative_path):
        if p is None:
            continue
        head = f"{_t(p.heading)}: " if p.heading else ""
        screen.print(f"{head}{_b(_t(p.label))}: {_t(p.summary)}")
        lines = [f"Why this way: {_t(p.because)}",
                 _dim(f"from: {_t('; '.join(title for _, title, _ in p.cites))}")]
        if p.beyond:
            lines.append(_dim(_t(p.beyond)))
        _bullets(screen, ["\n".join(lines), *(_t(n) for n in p.notes)])
    o = v.open_answers
    if o is not None:
        _heading(screen, OPEN_HEADING)
        _bullets(screen, [_t(line) for line in o.lines])
        screen.print(f"{_t(o.shares)} {_b(_t(o.settle_first))}")
    for _, head, items in (("", FACTS_HEADING, v.deciding_facts), *v.still_open):
        if items:
            _heading(screen, _t(head))
            _bullets(screen, [_t(s) for s in items])


def _scores(screen: Screen, v: ReportView) -> None:
    scores = Table(Column("Outcome", no_wrap=screen.width < NARROW),
                   Column("Score", justify="right"), Column("", no_wrap=True), pad_edge=False)
    longest = max((len(r.label) + (12 if r.ruled_out else 0) for r in v.scores), default=0)
    bar_width = max(4, min(30, screen.width - longest - 14))
    for row in v.scores:
        label = _t(row.label) + (" " + _dim("(ruled out)") if row.ruled_out else "")
        bar_style = "dim" if row.ruled_out else _COLORS.get(row.outcome, "cyan")
        scores.add_row(label, f"{row.score:g}",
                       style(bar_style, _bar(row.score, v.top_score, bar_width)))
    screen.table(scores)


def _names(cites: tuple[Cite, ...]) -> str:
    return "; ".join(c.title for c in cites)


def _reasons(screen: Screen, reasons: Reasons, first: str, *, outcome: bool = False,
             empty: str = "") -> None:
    if screen.width < (NARROW_WITH_OUTCOME if outcome else NARROW):
        _reasons_list(screen, reasons, each=first == "Each", outcome=outcome, empty=empty)
        return
    columns = [Column(first, justify="right", width=5), Column("Reason", ratio=3),
               Column("From the article", ratio=2)]
    table = Table(*([Column("For", width=18)] if outcome else []), *columns,
                  title=_b(_t(reasons.heading)), expand=True)
    for r in reasons.rows:
        because = _t(r.because) + (f"\n{_dim(_t(r.beyond))}" if r.beyond else "")
        cells = [f"{r.points:+g}", because, _t(_names(r.cites))]
        table.add_row(*([_t(r.label)] if outcome else []), *cells)
    if not reasons.rows and reasons.note is None and empty:
        table.add_row("", empty, "")
    if reasons.rows or reasons.note is None:
        screen.table(table)
    else:
        _heading(screen, _t(reasons.heading))
        screen.print(_t(reasons.note))
        screen.print()


def _reasons_list(screen: Screen, reasons: Reasons, *, each: bool, outcome: bool,
                  empty: str) -> None:
    """The reasons at a narrow width: one bullet each, the points first, then the article's
    trade-offs on a line of their own."""
    _heading(screen, _t(reasons.heading))
    if not reasons.rows:
        screen.print(_t(reasons.note if reasons.note is not None else empty))
        return
    items = []
    for r in reasons.rows:
        who = f"{_b(_t(r.label))} " if outcome else ""
        beyond = f"\n{_dim(_t(r.beyond))}" if r.beyond else ""
        items.append(f"{who}{r.points:+g}{' each' if each else ''}: {_t(r.because)}{beyond}"
                     f"\n{_dim('from: ' + _t(_names(r.cites)))}")
    _bullets(screen, items)


def _scenario(screen: Screen, sc: ScenarioView) -> None:
    _heading(screen, SCENARIO_HEADING)
    if sc.quoted:
        screen.print(f"{_b(_t(sc.title))}: “{_t(sc.text)}”\n{_t(sc.why)}")
    else:
        screen.print(f"{_b(_t(sc.title))}: {_t(sc.why)}")


def _what_if(screen: Screen, w: WhatIfs) -> None:
    _heading(screen, WHAT_IF_HEADING)
    shown = [_t(s) for s in w.sentences[:_WHAT_IFS]]
    if shown:
        shown[0] = f"{_b(shown[0])} {_dim(_t(w.decisive_note))}"
    if len(w.sentences) > _WHAT_IFS:
        shown.append(_dim(more_what_ifs(len(w.sentences) - _WHAT_IFS)))
    if shown:
        _bullets(screen, shown)
    else:
        screen.print(_t(w.none))
    if w.weights is not None:
        screen.print(f"{_b('Weights:')} {_t(w.weights)}")


def _after(screen: Screen, v: ReportView) -> None:
    """Cost, next steps and what was not decided."""
    if v.cost is not None:
        _heading(screen, COST_HEADING)
        _bullets(screen, [_b(_t(c.text)) if c.highlight else _t(c.text) for c in v.cost])
    for heading, groups in ((v.next_steps_heading, v.next_steps),
                            (v.alternative_steps_heading, v.alternative_steps)):
        if heading is None or not groups:
            continue
        _heading(screen, f"{_t(heading)}, {NEXT_STEPS_AFTER}")
        for group in groups:
            screen.print(f"{_b(_t(group.title) + ':')} {_dim('“' + _t(group.text) + '”')}")
            _bullets(screen, [_t(step.text) for step in group.steps])


def render_terminal(result: Result, rules: RuleSet, *, width: int = 100, color: bool = False,
                    explanation: Explanation | None = None, explain: bool = False) -> str:
    """The report laid out to ``width`` columns, with ANSI styles when ``color``."""
    screen = Screen(width, color)
    v = build_view(result, rules, explanation, explain=explain)
    _panels(screen, v)
    _advice(screen, v)
    _scores(screen, v)
    _reasons(screen, v.why, "Pts", empty=NO_REASON)
    if v.shared is not None:
        _reasons(screen, v.shared, "Each")
    if v.against is not None:
        _reasons(screen, v.against, "Pts", outcome=True)
    if v.scenario is not None:
        _scenario(screen, v.scenario)
    _what_if(screen, v.what_if)
    _after(screen, v)
    if explain and explanation is not None:
        _trace(screen, rules, explanation)
    elif v.not_decided:
        screen.print()
        screen.print(_dim(_t(v.not_decided_summary)))
    f = v.footer
    screen.print()
    screen.print(_dim(f"Rule set {_t(f.id)} {_t(f.version)} (sha256 {_t(f.sha12)}) · "
                      f"{_t(f.source)}"))
    return screen.text()


def _trace(screen: Screen, rules: RuleSet, ex: Explanation) -> None:
    _heading(screen, "Explanation")
    screen.print(_dim(f"Rules from {_t(shown_path(ex.source))}"))
    if screen.width < NARROW:
        _fired_list(screen, rules, ex)
    else:
        _fired_table(screen, rules, ex)
    _missed(screen, rules, ex)
    screen.print(_b("Weight sensitivity"))
    if ex.weight_flips and screen.width < NARROW:
        _bullets(screen, [
            f"{_t(w.rule)} {_dim('(' + _t(where(ex, w.line)) + ')')}: "
            f"{_t(outcome_label(rules, w.outcome))} {w.points:g} points; at {flip_at(w)} "
            f"({signed_relative(w)}) it would recommend "
            f"{_t(outcome_label(rules, w.recommendation))}" for w in ex.weight_flips])
    elif ex.weight_flips:
        _flips_table(screen, rules, ex)
    else:
        _bullets(screen, [_t(weight_sentence(ex))])


def _cite_words(cites: tuple[Cited, ...]) -> list[str]:
    return [f"{style('italic', _t(c.title))}: “{_t(c.text)}”" for c in cites]


def _beyond_words(rules: RuleSet, rule: str) -> list[str]:
    """The rule's beyond-the-article note, dimmed, when it has one."""
    b = rule_beyond(rules, rule)
    return [_dim(f"({_t(b)})")] if b else []


def _fired_list(screen: Screen, rules: RuleSet, ex: Explanation) -> None:
    screen.print(_b("Rules that fired"))
    _bullets(screen, [
        "\n".join([f"{_b(_t(f.rule))} {_dim('(' + _t(where(ex, f.line)) + ')')}: "
                   f"{_t(points_text(rules, f.points, f.exclude))}", _t(f.because),
                   *_beyond_words(rules, f.rule),
                   _dim(f"when {_t(f.when)}"), *_cite_words(f.cites)])
        for f in ex.fired])


def _fired_table(screen: Screen, rules: RuleSet, ex: Explanation) -> None:
    fired = Table(Column("Rule", no_wrap=True,
                         width=min(30, max(len(f.rule) for f in ex.fired)) if ex.fired else None),
                  Column("Gives", ratio=2), Column("Because, and the article's words", ratio=5),
                  title=_b("Rules that fired"), expand=True, lines=True)
    for f in ex.fired:
        fired.add_row(f"{_t(f.rule)}\n{_dim(_t(where(ex, f.line)))}",
                      _t(points_text(rules, f.points, f.exclude)),
                      "\n".join([_t(f.because), *_beyond_words(rules, f.rule),
                                 _dim(f"when {_t(f.when)}"), *_cite_words(f.cites)]))
    screen.table(fired)


def _missed(screen: Screen, rules: RuleSet, ex: Explanation) -> None:
    """Rules skipped for an unanswered question, and rules one condition away."""
    if ex.skipped:
        screen.print(_b("Skipped: an optional question was not answered"))
        _bullets(screen, [
            f"{_t(s.rule)} {_dim('(' + _t(where(ex, s.line)) + ')')} needs "
            f"{_t(', '.join(s.missing))}; {_t(would_do(rules, s.points, s.exclude))}"
            for s in ex.skipped])
    screen.print(_b("Near misses: rules one condition away from firing"))
    if ex.near_misses:
        _bullets(screen, [
            f"{_t(n.rule)} {_dim('(' + _t(where(ex, n.line)) + ')')} did not fire only "
            f"because {style('italic', _t(n.failed))} does not hold (you answered "
            f"{_t(show_value(n.answer))}); {_t(would_do(rules, n.points, n.exclude))}"
            for n in ex.near_misses])
    else:
        _bullets(screen, [_t(NO_NEAR_MISS)])


def _flips_table(screen: Screen, rules: RuleSet, ex: Explanation) -> None:
    table = Table(Column("Rule"), Column("Outcome"), Column("Points", justify="right"),
                  Column("Flips at", justify="right"), Column("Change", justify="right"),
                  Column("Would recommend"), pad_edge=False)
    for w in ex.weight_flips:
        table.add_row(f"{_t(w.rule)} {_dim(_t(where(ex, w.line)))}",
                      _t(outcome_label(rules, w.outcome)), f"{w.points:g}", flip_at(w),
                      signed_relative(w), _t(outcome_label(rules, w.recommendation)))
    screen.table(table)
