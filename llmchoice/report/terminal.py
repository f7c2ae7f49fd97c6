"""The terminal report, drawn with rich: verdict first, then the reasons behind it.

All text from rule sets and answers goes through ``rich.markup.escape`` and
:func:`llmchoice.textsafe.clean`, so ``[bold]`` in a ``because`` prints literally
and escape sequences cannot reach the terminal.
"""

from __future__ import annotations

import io

from rich import box
from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from llmchoice.result import Result
from llmchoice.ruleset import RuleSet
from llmchoice.textsafe import clean, clean_line

from .common import (
    cite_titles,
    confidence_words,
    outcome_label,
    sides,
    what_if_sentence,
)

_COLORS = {"open": "green", "closed": "blue", "hybrid": "magenta"}


def _t(text: str) -> str:
    """Data text made safe for rich markup."""
    return escape(clean_line(text))


def _bar(value: float, top: float, width: int = 24) -> str:
    if top <= 0 or value <= 0:
        return ""
    n = round(width * value / top)
    return "█" * max(n, 1)


def render_terminal(result: Result, rules: RuleSet, *, width: int = 100,
                    color: bool = False) -> str:
    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=color, no_color=not color,
                      color_system="standard" if color else None, highlight=False,
                      emoji=False, legacy_windows=False)
    win = result.recommendation
    style = _COLORS.get(win, "cyan")
    out = {e.outcome for e in result.excluded}

    if result.excluded:
        lines = [f"[bold]{_t(outcome_label(rules, e.outcome))}[/] is ruled out: {_t(e.because)}"
                 f"\n  [dim]from: {_t('; '.join(cite_titles(rules, e.cites)))}[/]"
                 for e in result.excluded]
        console.print(Panel("\n".join(lines), title="Ruled out first", title_align="left",
                            border_style="yellow", box=box.ROUNDED))

    verdict = Text.from_markup(
        f"[bold {style}]{_t(outcome_label(rules, win))}[/]\n"
        f"{_t(rules.outcome(win).summary)}\n\n"
        f"Confidence [bold]{result.confidence:.2f}[/]: "
        f"{escape(confidence_words(result.confidence))}"
    )
    console.print(Panel(verdict, title="Recommendation", title_align="left", border_style=style,
                        box=box.ROUNDED))

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
    reasons = Table(title=f"Why {escape(outcome_label(rules, win))}", title_justify="left",
                    box=box.SIMPLE_HEAD, show_lines=False, expand=True, header_style="bold")
    reasons.add_column("Pts", justify="right", width=5)
    reasons.add_column("Reason", ratio=3)
    reasons.add_column("From the article", ratio=2)
    for c in pro_con.for_winner:
        reasons.add_row(f"+{c.points:g}", _t(c.because), _t("; ".join(cite_titles(rules, c.cites))))
    if not pro_con.for_winner:
        reasons.add_row("", "No rule gave this outcome points; it won by the tie-break order.", "")
    console.print(reasons)

    if pro_con.against:
        against = Table(title="What speaks against it", title_justify="left", box=box.SIMPLE_HEAD,
                        expand=True, header_style="bold")
        against.add_column("For", width=12)
        against.add_column("Pts", justify="right", width=5)
        against.add_column("Reason", ratio=3)
        against.add_column("From the article", ratio=2)
        for c in pro_con.against:
            against.add_row(_t(c.outcome), f"+{c.points:g}", _t(c.because),
                            _t("; ".join(cite_titles(rules, c.cites))))
        console.print(against)

    extra: list[str] = []
    if result.scenario:
        t = rules.tradeoffs[result.scenario]
        extra.append(f"[bold]Scenario:[/] {_t(t.title)}: {_t(result.scenario_because)}")
    if result.what_if:
        extra.append("[bold]What would change it:[/]")
        extra.extend(f"  • {_t(what_if_sentence(rules, w))}" for w in result.what_if[:5])
        if len(result.what_if) > 5:
            extra.append(f"  [dim]and {len(result.what_if) - 5} more (see --format json)[/]")
    if result.skipped:
        names = ", ".join(sorted({q for s in result.skipped for q in s.missing}))
        extra.append(f"[dim]Not answered, so {len(result.skipped)} rule(s) were skipped: "
                     f"{_t(names)}[/]")
    if extra:
        console.print(Group(*[Text.from_markup(x) for x in extra]))
    info = result.ruleset
    console.print(Text.from_markup(
        f"[dim]Rule set {_t(info.id)} {_t(info.version)} · {_t(clean(info.source))}[/]"))
    return buf.getvalue()
