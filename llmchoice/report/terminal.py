"""The terminal report, drawn with rich: verdict first, then the reasons behind it.

All text from rule sets and answers goes through ``rich.markup.escape`` and
:func:`llmchoice.io.textsafe.clean_line`, so ``[bold]`` in a ``because`` prints
literally and escape sequences cannot reach the terminal. Trade-offs are named
by their titles here; their ids are in the JSON and Markdown reports.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

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
from .costview import COST_HEADING
from .fit import shown_path
from .ruled_out import RuledOutGroup, grouped, lead
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
    from llmchoice.decide.explain import Explanation

_COLORS = {"open": "green", "closed": "blue", "hybrid": "magenta"}
_WHAT_IFS = 5
# Below this width the tables of reasons and of the trace become lists (a column of reasons
# 20 characters wide is unreadable), and the score bars shorten.
NARROW = 72
NARROW_WITH_OUTCOME = 90  # the table of what speaks against it has a column more



def _markup(text: str) -> Text:
    """Text from rich markup, with ``:name:`` left as written: data is shown as it is, not
    turned into emoji (and rich's emoji table, 2 ms, is not loaded)."""
    return Text.from_markup(text, emoji=False)


def _t(text: str) -> str:
    """Data text made safe for rich markup."""
    return escape(clean_line(text))


def _bar(value: float, top: float, width: int = 30) -> str:
    if top <= 0 or value <= 0:
        return ""
    n = round(width * value / top)
    return "█" * max(n, 1)


def _bullets(console: Console, items: list[str], *, indent: int = 2) -> None:
    """Markup lines as a bulleted list whose wrapped lines hang under their text."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=indent + 1, justify="right", no_wrap=True)
    grid.add_column()
    for item in items:
        grid.add_row("•", _markup(item))
    console.print(grid)


def _heading(console: Console, title: str) -> None:
    console.print()
    console.print(_markup(f"[bold underline]{title}[/]"))


def _ruled_out_line(g: RuledOutGroup) -> str:
    head = f"{lead(g, lambda x: f'[bold]{_t(x)}[/]')}: {_t(g.because)}"
    beyond = f"\n  [dim]{_t(g.beyond)}[/]" if g.beyond else ""
    return f"{head}\n  [dim]from: {_t(_names(g.cites))}[/]{beyond}"


def _panels(console: Console, v: ReportView) -> None:
    """What was ruled out, then the verdict with its facts."""
    style = _COLORS.get(v.outcome, "cyan")
    if v.ruled_out:
        console.print(Panel("\n".join(_ruled_out_line(g) for g in grouped(v.ruled_out)),
                            title=_markup("Ruled out first"), title_align="left",
                            border_style="yellow", box=box.ROUNDED))
    head = _markup(f"[bold {style}]{_t(v.headline)}[/]\n{_t(v.summary)}\n")
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column()
    for name, text in v.facts:
        facts.add_row(name, _markup(_t(text)))
    console.print(Panel(Group(head, facts), title=_markup(_t(v.title)), title_align="left",
                        border_style=style, box=box.ROUNDED))


def _advice(console: Console, v: ReportView) -> None:
    """How to run it, what the unsure answers leave open, the facts that decide it."""
    if v.path is not None:
        _heading(console, PATH_HEADING)
    for p in (v.path, v.alternative_path):
        if p is None:
            continue
        head = f"{_t(p.heading)}: " if p.heading else ""
        console.print(_markup(f"{head}[bold]{_t(p.label)}[/]: {_t(p.summary)}"))
        lines = [f"Why this way: {_t(p.because)}",
                 f"[dim]from: {_t('; '.join(title for _, title, _ in p.cites))}[/]"]
        if p.beyond:
            lines.append(f"[dim]{_t(p.beyond)}[/]")
        _bullets(console, ["\n".join(lines), *(_t(n) for n in p.notes)])
    o = v.open_answers
    if o is not None:
        _heading(console, OPEN_HEADING)
        _bullets(console, [_t(line) for line in o.lines])
        console.print(_markup(f"{_t(o.shares)} [bold]{_t(o.settle_first)}[/]"))
    for _, head, items in (("", FACTS_HEADING, v.deciding_facts), *v.still_open):
        if items:
            _heading(console, _t(head))
            _bullets(console, [_t(s) for s in items])


def _scores(console: Console, v: ReportView) -> None:
    scores = Table(box=box.SIMPLE, show_header=True, header_style="bold", pad_edge=False)
    scores.add_column("Outcome", no_wrap=console.width < NARROW)
    scores.add_column("Score", justify="right")
    scores.add_column("", no_wrap=True)
    longest = max((len(r.label) + (12 if r.ruled_out else 0) for r in v.scores), default=0)
    bar_width = max(4, min(30, console.width - longest - 14))
    for row in v.scores:
        label = _t(row.label) + (" [dim](ruled out)[/]" if row.ruled_out else "")
        bar_style = "dim" if row.ruled_out else _COLORS.get(row.outcome, "cyan")
        scores.add_row(label, f"{row.score:g}",
                       f"[{bar_style}]{_bar(row.score, v.top_score, bar_width)}[/]")
    console.print(scores)


def _names(cites: tuple[Cite, ...]) -> str:
    return "; ".join(c.title for c in cites)


def _reasons(console: Console, reasons: Reasons, first: str, *, outcome: bool = False,
             empty: str = "") -> None:
    if console.width < (NARROW_WITH_OUTCOME if outcome else NARROW):
        _reasons_list(console, reasons, each=first == "Each", outcome=outcome, empty=empty)
        return
    table = Table(title=_markup(f"[bold]{_t(reasons.heading)}[/]"), title_justify="left",
                  box=box.SIMPLE_HEAD, expand=True, header_style="bold")
    if outcome:
        table.add_column("For", width=18)
    table.add_column(first, justify="right", width=5)
    table.add_column("Reason", ratio=3)
    table.add_column("From the article", ratio=2)
    for r in reasons.rows:
        because = _t(r.because) + (f"\n[dim]{_t(r.beyond)}[/]" if r.beyond else "")
        cells = [f"{r.points:+g}", because, _t(_names(r.cites))]
        table.add_row(*([_t(r.label)] if outcome else []), *cells)
    if not reasons.rows and reasons.note is None and empty:
        table.add_row("", empty, "")
    if reasons.rows or reasons.note is None:
        console.print(table)
    else:
        _heading(console, _t(reasons.heading))
        console.print(_markup(_t(reasons.note)))
        console.print()


def _reasons_list(console: Console, reasons: Reasons, *, each: bool, outcome: bool,
                  empty: str) -> None:
    """The reasons at a narrow width: one bullet each, the points first, then the article's
    trade-offs on a line of their own."""
    _heading(console, _t(reasons.heading))
    if not reasons.rows:
        console.print(_markup(_t(reasons.note if reasons.note is not None else empty)))
        return
    items = []
    for r in reasons.rows:
        who = f"[bold]{_t(r.label)}[/] " if outcome else ""
        beyond = f"\n[dim]{_t(r.beyond)}[/]" if r.beyond else ""
        items.append(f"{who}{r.points:+g}{' each' if each else ''}: {_t(r.because)}{beyond}"
                     f"\n[dim]from: {_t(_names(r.cites))}[/]")
    _bullets(console, items)


def _scenario(console: Console, sc: ScenarioView) -> None:
    _heading(console, SCENARIO_HEADING)
    if sc.quoted:
        console.print(_markup(f"[bold]{_t(sc.title)}[/]: “{_t(sc.text)}”\n{_t(sc.why)}"))
    else:
        console.print(_markup(f"[bold]{_t(sc.title)}[/]: {_t(sc.why)}"))


def _what_if(console: Console, w: WhatIfs) -> None:
    _heading(console, WHAT_IF_HEADING)
    shown = [_t(s) for s in w.sentences[:_WHAT_IFS]]
    if shown:
        shown[0] = f"[bold]{shown[0]}[/] [dim]{w.decisive_note}[/]"
    if len(w.sentences) > _WHAT_IFS:
        shown.append(f"[dim]{more_what_ifs(len(w.sentences) - _WHAT_IFS)}[/]")
    if shown:
        _bullets(console, shown)
    else:
        console.print(w.none)
    if w.weights is not None:
        console.print(_markup(f"[bold]Weights:[/] {_t(w.weights)}"))


def _after(console: Console, v: ReportView) -> None:
    """Cost, next steps and what was not decided."""
    if v.cost is not None:
        _heading(console, COST_HEADING)
        _bullets(console, [f"[bold]{_t(c.text)}[/]" if c.highlight else _t(c.text)
                           for c in v.cost])
    for heading, groups in ((v.next_steps_heading, v.next_steps),
                            (v.alternative_steps_heading, v.alternative_steps)):
        if heading is None or not groups:
            continue
        _heading(console, f"{_t(heading)}, {NEXT_STEPS_AFTER}")
        for group in groups:
            console.print(_markup(
                f"[bold]{_t(group.title)}:[/] [dim]“{_t(group.text)}”[/]"))
            _bullets(console, [_t(step.text) for step in group.steps])


def render_terminal(result: Result, rules: RuleSet, *, width: int = 100, color: bool = False,
                    explanation: Explanation | None = None, explain: bool = False) -> str:
    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=color, no_color=not color,
                      color_system="standard" if color else None, highlight=False,
                      emoji=False, legacy_windows=False)
    v = build_view(result, rules, explanation, explain=explain)
    _panels(console, v)
    _advice(console, v)
    _scores(console, v)
    _reasons(console, v.why, "Pts", empty=NO_REASON)
    if v.shared is not None:
        _reasons(console, v.shared, "Each")
    if v.against is not None:
        _reasons(console, v.against, "Pts", outcome=True)
    if v.scenario is not None:
        _scenario(console, v.scenario)
    _what_if(console, v.what_if)
    _after(console, v)
    if explain and explanation is not None:
        _trace(console, rules, explanation)
    elif v.not_decided:
        console.print()
        console.print(_markup(f"[dim]{_t(v.not_decided_summary)}[/]"))
    f = v.footer
    console.print()
    console.print(_markup(f"[dim]Rule set {_t(f.id)} {_t(f.version)} (sha256 "
                                    f"{_t(f.sha12)}) · {_t(f.source)}[/]"))
    return "\n".join(line.rstrip() for line in buf.getvalue().split("\n"))


def _trace(console: Console, rules: RuleSet, ex: Explanation) -> None:
    _heading(console, "Explanation")
    console.print(_markup(f"[dim]Rules from {_t(shown_path(ex.source))}[/]"))
    if console.width < NARROW:
        _fired_list(console, rules, ex)
    else:
        _fired_table(console, rules, ex)
    _missed(console, rules, ex)
    console.print(_markup("[bold]Weight sensitivity[/]"))
    if ex.weight_flips and console.width < NARROW:
        _bullets(console, [
            f"{_t(w.rule)} [dim]({_t(where(ex, w.line))})[/]: "
            f"{_t(outcome_label(rules, w.outcome))} {w.points:g} points; at {flip_at(w)} "
            f"({signed_relative(w)}) it would recommend "
            f"{_t(outcome_label(rules, w.recommendation))}" for w in ex.weight_flips])
    elif ex.weight_flips:
        _flips_table(console, rules, ex)
    else:
        _bullets(console, [_t(weight_sentence(ex))])


def _fired_list(console: Console, rules: RuleSet, ex: Explanation) -> None:
    console.print(_markup("[bold]Rules that fired[/]"))
    _bullets(console, [
        f"[bold]{_t(f.rule)}[/] [dim]({_t(where(ex, f.line))})[/]: "
        f"{_t(points_text(rules, f.points, f.exclude))}\n{_t(f.because)}\n"
        + (f"[dim]({_t(b)})[/]\n" if (b := rule_beyond(rules, f.rule)) else "")
        + f"[dim]when {_t(f.when)}[/]"
        + "".join(f"\n[italic]{_t(c.title)}[/]: “{_t(c.text)}”" for c in f.cites)
        for f in ex.fired])


def _fired_table(console: Console, rules: RuleSet, ex: Explanation) -> None:
    fired = Table(title=_markup("[bold]Rules that fired[/]"), title_justify="left",
                  box=box.SIMPLE_HEAD, expand=True, header_style="bold", show_lines=True)
    fired.add_column("Rule", no_wrap=True,
                     width=min(30, max(len(f.rule) for f in ex.fired)) if ex.fired else None)
    fired.add_column("Gives", ratio=2)
    fired.add_column("Because, and the article's words", ratio=5)
    for f in ex.fired:
        words = "\n".join(f"[italic]{_t(c.title)}[/]: “{_t(c.text)}”" for c in f.cites)
        fired.add_row(f"{_t(f.rule)}\n[dim]{_t(where(ex, f.line))}[/]",
                      _t(points_text(rules, f.points, f.exclude)),
                      f"{_t(f.because)}\n"
                      + (f"[dim]({_t(b)})[/]\n" if (b := rule_beyond(rules, f.rule)) else "")
                      + f"[dim]when {_t(f.when)}[/]\n{words}")
    console.print(fired)


def _missed(console: Console, rules: RuleSet, ex: Explanation) -> None:
    """Rules skipped for an unanswered question, and rules one condition away."""
    if ex.skipped:
        console.print(_markup("[bold]Skipped: an optional question was not answered[/]"))
        _bullets(console, [
            f"{_t(s.rule)} [dim]({_t(where(ex, s.line))})[/] needs {_t(', '.join(s.missing))}; "
            f"{_t(would_do(rules, s.points, s.exclude))}"
            for s in ex.skipped])
    console.print(_markup("[bold]Near misses: rules one condition away from firing[/]"))
    if ex.near_misses:
        _bullets(console, [
            f"{_t(n.rule)} [dim]({_t(where(ex, n.line))})[/] did not fire only because "
            f"[italic]{_t(n.failed)}[/] does not hold (you answered "
            f"{_t(show_value(n.answer))}); {_t(would_do(rules, n.points, n.exclude))}"
            for n in ex.near_misses])
    else:
        _bullets(console, [_t(NO_NEAR_MISS)])


def _flips_table(console: Console, rules: RuleSet, ex: Explanation) -> None:
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    table.add_column("Rule")
    table.add_column("Outcome")
    table.add_column("Points", justify="right")
    table.add_column("Flips at", justify="right")
    table.add_column("Change", justify="right")
    table.add_column("Would recommend")
    for w in ex.weight_flips:
        table.add_row(f"{_t(w.rule)} [dim]{_t(where(ex, w.line))}[/]",
                      _t(outcome_label(rules, w.outcome)), f"{w.points:g}", flip_at(w),
                      signed_relative(w), _t(outcome_label(rules, w.recommendation)))
    console.print(table)
