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
    from llmchoice.decide.explain import Explanation

_COLORS = {"open": "green", "closed": "blue", "hybrid": "magenta"}
_WHAT_IFS = 5


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
        grid.add_row("•", Text.from_markup(item))
    console.print(grid)


def _heading(console: Console, title: str) -> None:
    console.print()
    console.print(Text.from_markup(f"[bold underline]{title}[/]"))


def render_terminal(result: Result, rules: RuleSet, *, width: int = 100, color: bool = False,
                    explanation: Explanation | None = None, explain: bool = False) -> str:
    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=color, no_color=not color,
                      color_system="standard" if color else None, highlight=False,
                      emoji=False, legacy_windows=False)
    ex = explanation
    win = result.recommendation
    style = _COLORS.get(win, "cyan")
    out = {e.outcome for e in result.excluded}

    if result.excluded:
        lines = [f"[bold]{_t(outcome_label(rules, e.outcome))}[/] is ruled out: {_t(e.because)}"
                 f"\n  [dim]from: {_t('; '.join(cite_names(rules, e.cites)))}[/]"
                 for e in result.excluded]
        console.print(Panel("\n".join(lines), title="Ruled out first", title_align="left",
                            border_style="yellow", box=box.ROUNDED))

    head = Text.from_markup(f"[bold {style}]{_t(outcome_label(rules, win))}[/]\n"
                            f"{_t(rules.outcome(win).summary)}\n")
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column()
    facts.add_row("Confidence", Text.from_markup(
        f"{result.confidence:.2f} — {escape(confidence_words(result.confidence))}"))
    if ex is not None:
        facts.add_row("Robustness", Text.from_markup(_t(robustness_sentence(ex))))
        if ex.scenario is not None:
            facts.add_row("Scenario", Text.from_markup(_t(ex.scenario.title)))
        if ex.decisive is not None:
            facts.add_row("Decisive answer", Text.from_markup(_t(ex.decisive.sentence)))
    console.print(Panel(Group(head, facts), title="Recommendation", title_align="left",
                        border_style=style, box=box.ROUNDED))

    scores = Table(box=box.SIMPLE, show_header=True, header_style="bold", pad_edge=False)
    scores.add_column("Outcome")
    scores.add_column("Score", justify="right")
    scores.add_column("", no_wrap=True)
    top = max([*result.scores.values(), 0.0])
    for o in result.ranking():
        label = _t(outcome_label(rules, o)) + (" [dim](ruled out)[/]" if o in out else "")
        bar_style = "dim" if o in out else _COLORS.get(o, "cyan")
        scores.add_row(label, f"{result.scores[o]:g}",
                       f"[{bar_style}]{_bar(result.scores[o], top)}[/]")
    console.print(scores)

    pro_con = sides(result)
    reasons = Table(title=f"[bold]Why {_t(outcome_label(rules, win))}[/]", title_justify="left",
                    box=box.SIMPLE_HEAD, expand=True, header_style="bold")
    reasons.add_column("Pts", justify="right", width=5)
    reasons.add_column("Reason", ratio=3)
    reasons.add_column("From the article", ratio=2)
    for c in pro_con.for_winner:
        reasons.add_row(f"+{c.points:g}", _t(c.because), _t("; ".join(cite_names(rules, c.cites))))
    if not pro_con.for_winner:
        reasons.add_row("", "No rule gave this outcome points; it won by the tie-break order.", "")
    console.print(reasons)

    if pro_con.shared:
        shared = Table(title=f"[bold]{pro_con.SHARED_HEADING}[/]", title_justify="left",
                       box=box.SIMPLE_HEAD, expand=True, header_style="bold")
        shared.add_column("Each", justify="right", width=5)
        shared.add_column("Reason", ratio=3)
        shared.add_column("From the article", ratio=2)
        for c in pro_con.shared:
            shared.add_row(f"+{c.points:g}", _t(c.because),
                           _t("; ".join(cite_names(rules, c.cites))))
        console.print(shared)

    if pro_con.against:
        against = Table(title=f"[bold]{pro_con.others_heading}[/]", title_justify="left",
                        box=box.SIMPLE_HEAD, expand=True, header_style="bold")
        against.add_column("For", width=18)
        against.add_column("Pts", justify="right", width=5)
        against.add_column("Reason", ratio=3)
        against.add_column("From the article", ratio=2)
        for c in pro_con.against:
            against.add_row(_t(outcome_label(rules, c.outcome)), f"+{c.points:g}", _t(c.because),
                            _t("; ".join(cite_names(rules, c.cites))))
        console.print(against)

    if ex is not None and ex.scenario is not None:
        sc = ex.scenario
        _heading(console, "Where this fits in the article's future")
        console.print(Text.from_markup(
            f"[bold]{_t(sc.title)}[/]: “{_t(sc.text)}”\n{_t(scenario_why(ex))}"))
    elif result.scenario:
        t = rules.tradeoffs[result.scenario]
        _heading(console, "Where this fits in the article's future")
        console.print(Text.from_markup(f"[bold]{_t(t.title)}[/]: {_t(result.scenario_because)}"))

    _heading(console, "What would change it")
    shown = [_t(what_if_sentence(rules, w))
             for w in what_ifs_decisive_first(result, ex)[:_WHAT_IFS]]
    if shown:
        shown[0] = f"[bold]{shown[0]}[/] [dim](the most decisive answer)[/]"
    if len(result.what_if) > _WHAT_IFS:
        shown.append(f"[dim]and {len(result.what_if) - _WHAT_IFS} more (see --format json)[/]")
    if shown:
        _bullets(console, shown)
    if not result.what_if:
        console.print(NO_WHAT_IF)
    if ex is not None:
        console.print(Text.from_markup(f"[bold]Weights:[/] {_t(weight_sentence(ex))}"))

    if result.cost is not None:
        _heading(console, COST_HEADING)
        _bullets(console, [_t(line) for line in cost_lines(result)])

    if ex is not None and ex.next_steps:
        _heading(console, "Next steps, after the article's lessons for developers")
        for group in steps_by_lesson(rules, ex):
            console.print(Text.from_markup(
                f"[bold]{_t(group.title)}:[/] [dim]“{_t(group.text)}”[/]"))
            _bullets(console, [_t(step.text) for step in group.steps])

    if explain and ex is not None:
        _trace(console, rules, ex)
    elif result.skipped:
        names = ", ".join(sorted({q for s in result.skipped for q in s.missing}))
        console.print()
        console.print(Text.from_markup(
            f"[dim]Not answered, so {len(result.skipped)} rule(s) were skipped: {_t(names)}[/]"))
    info = result.ruleset
    console.print()
    console.print(Text.from_markup(
        f"[dim]Rule set {_t(info.id)} {_t(info.version)} · {_t(info.source)}[/]"))
    return "\n".join(line.rstrip() for line in buf.getvalue().split("\n"))


def _trace(console: Console, rules: RuleSet, ex: Explanation) -> None:
    _heading(console, "Explanation")
    console.print(Text.from_markup(f"[dim]Rules from {_t(ex.source)}[/]"))
    fired = Table(title="[bold]Rules that fired[/]", title_justify="left", box=box.SIMPLE_HEAD,
                  expand=True, header_style="bold", show_lines=True)
    fired.add_column("Rule", no_wrap=True,
                     width=min(30, max(len(f.rule) for f in ex.fired)) if ex.fired else None)
    fired.add_column("Gives", ratio=2)
    fired.add_column("Because, and the article's words", ratio=5)
    for f in ex.fired:
        words = "\n".join(f"[italic]{_t(c.title)}[/]: “{_t(c.text)}”" for c in f.cites)
        fired.add_row(f"{_t(f.rule)}\n[dim]{_t(where(ex, f.line))}[/]",
                      _t(points_text(rules, f.points, f.exclude)),
                      f"{_t(f.because)}\n[dim]when {_t(f.when)}[/]\n{words}")
    console.print(fired)
    if ex.skipped:
        console.print(Text.from_markup("[bold]Skipped: an optional question was not answered[/]"))
        _bullets(console, [
            f"{_t(s.rule)} [dim]({_t(where(ex, s.line))})[/] needs {_t(', '.join(s.missing))}; "
            f"it would give {_t(points_text(rules, s.points, s.exclude))}"
            for s in ex.skipped])
    console.print(Text.from_markup("[bold]Near misses: rules one condition away from firing[/]"))
    if ex.near_misses:
        _bullets(console, [
            f"{_t(n.rule)} [dim]({_t(where(ex, n.line))})[/] did not fire only because "
            f"[italic]{_t(n.failed)}[/] does not hold (you answered "
            f"{_t(show_value(n.answer))}); it would give "
            f"{_t(points_text(rules, n.points, n.exclude))}"
            for n in ex.near_misses])
    else:
        _bullets(console, ["None: every rule that did not fire missed by more than one "
                           "condition."])
    console.print(Text.from_markup("[bold]Weight sensitivity[/]"))
    if ex.weight_flips:
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
    else:
        _bullets(console, [_t(weight_sentence(ex))])
