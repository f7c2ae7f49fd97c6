"""Renderers of the cost estimate: terminal (rich), Markdown and JSON. They never compute costs.

Labels, units and sources come from a file the user may have written, so they
are data: escaped for rich markup and Markdown, and stripped of terminal
control characters, like every other report.
"""

from __future__ import annotations

import io
import json
import math
from typing import TYPE_CHECKING

from llmchoice.cost.assumptions import Assumption
from llmchoice.cost.estimate import (
    ApiOption,
    Estimate,
    Option,
    SelfHostOption,
    Sensitivity,
    to_json,
)
from llmchoice.io.errors import UsageError
from llmchoice.io.textsafe import clean_line

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

FORMATS = ("terminal", "markdown", "json")
EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".json": "json", ".txt": "terminal"}

WIDE = 120  # narrower than this, the assumptions are a list rather than a table
FOOTNOTE = ("An estimate with its assumptions in view, never a quote: prices move within weeks; "
            "override any figure with a flag or --assumptions FILE.")


def render_cost(est: Estimate, fmt: str, *, width: int = 100, color: bool = False) -> str:
    if fmt == "json":
        return json.dumps(to_json(est), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return render_markdown(est)
    if fmt == "terminal":
        return render_terminal(est, width=width, color=color)
    raise UsageError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


# --------------------------------------------------------------------------- shared wording


def usd(x: float) -> str:
    return f"{x:,.2f}"


def tokens(x: float | None) -> str:
    if x is None:
        return "never"
    return f"{x:,.0f}" if x >= 100 else f"{x:,.3g}"


def num(x: float | None) -> str:
    if x is None:
        return ""
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.6g}"


def option_detail(o: Option) -> str:
    if isinstance(o, ApiOption):
        return f"input {num(o.input_usd)} / output {num(o.output_usd)} USD per million tokens"
    replicas = f"{o.replicas} replica{'s' if o.replicas != 1 else ''}"
    return (f"{o.gpus} GPU{'s' if o.gpus != 1 else ''} ({replicas} of {o.gpus_per_replica}), "
            f"{o.load:.0%} of their capacity used; GPUs {usd(o.gpu_usd)} + overhead "
            f"{usd(o.overhead_usd)} + staff {usd(o.staff_usd)}")


def per_million(o: Option, volume: float) -> str:
    if isinstance(o, ApiOption):
        return f"{o.blended_usd:,.3f}"
    return f"{o.monthly_usd / volume:,.3f}" if volume > 0 else "n/a"


def break_even_text(o: SelfHostOption) -> str:
    be = o.break_even
    if be.monthly_tokens is None:
        return "never: each replica costs more than the API charges for what it serves"
    text = f"about {tokens(be.monthly_tokens)} million tokens a month ({be.replicas} replica"
    text += "s)" if be.replicas != 1 else ")"
    if be.first_crossing is not None and be.first_crossing < be.monthly_tokens * (1 - 1e-9):
        text += f"; first met at {tokens(be.first_crossing)}, lost again at the next GPU step"
    return text


def sensitivity_row(s: Sensitivity) -> tuple[str, str, str, str, str]:
    span = f"{num(s.low)} to {num(s.high)}" + (f" {s.unit}" if s.unit else "")
    swing = "unbounded" if math.isinf(s.swing) else tokens(s.swing)
    return (s.assumption, span, tokens(s.break_even_at_low), tokens(s.break_even_at_high), swing)


def source_text(a: Assumption) -> str:
    text = a.source
    if a.range_source and a.low is not None:
        text += f" | range {num(a.low)} to {num(a.high)}: {a.range_source}"
    return text


def headline(est: Estimate) -> str:
    return f"Cost estimate for {num(est.monthly_tokens)} million tokens a month"


def compared_ids(est: Estimate) -> tuple[str, str]:
    return est.api.id, est.self_host.id


# --------------------------------------------------------------------------- Markdown


def render_markdown(est: Estimate) -> str:
    # lazy: only the report format asked for
    from llmchoice.report.markdown import md

    lines: list[str] = []
    add = lines.append
    add(f"# {headline(est)}")
    add("")
    for sentence in est.reading:
        add(md(sentence))
        add("")
    add(f"Input share {num(est.input_share)}; self-hosting compared: the {est.model_class} "
        "open model. Compared options are in bold.")
    add("")
    add("## Monthly cost of each option")
    add("")
    add("| Option | USD a month | USD per million tokens | How |")
    add("|---|---:|---:|---|")
    picked = compared_ids(est)
    for o in est.options:
        label = f"**{md(o.label)}**" if o.id in picked else md(o.label)
        add(f"| {label} | {usd(o.monthly_usd)} | {per_million(o, est.monthly_tokens)} | "
            f"{md(option_detail(o))} |")
    add("")
    add("## Break-even against the frontier API")
    add("")
    for o in est.options:
        if isinstance(o, SelfHostOption):
            add(f"- {md(o.label)}: {md(break_even_text(o))}")
    add("")
    if est.sensitivity:
        add(f"## What moves the break-even ({est.model_class} model), one assumption at a time")
        add("")
        add("| Assumption | Range | Break-even at low | Break-even at high | Swing |")
        add("|---|---|---:|---:|---:|")
        for s in est.sensitivity:
            cells = sensitivity_row(s)
            add("| " + " | ".join(md(c) for c in cells) + " |")
        add("")
        add("Break-even volumes in millions of tokens a month; 'never': self-hosting never "
            "becomes cheaper there.")
        add("")
    add("## Assumptions")
    add("")
    add("| Assumption | Value | Unit | Source | As of |")
    add("|---|---:|---|---|---|")
    for a in est.assumptions.entries:
        add(f"| {md(a.id)} | {num(a.value)} | {md(a.unit)} | {md(source_text(a))} | "
            f"{md(a.as_of or 'not dated')} |")
    add("")
    add(f"*{md(FOOTNOTE)}*")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- terminal


def render_terminal(est: Estimate, *, width: int = 100, color: bool = False) -> str:
    # lazy: rich: terminal output only
    from rich.console import Console
    from rich.panel import Panel

    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=color, no_color=not color,
                      color_system="standard" if color else None, highlight=False,
                      emoji=False, legacy_windows=False)
    console.print(Panel("\n".join(_t(s) for s in est.reading), title=_t(headline(est)),
                        title_align="left", border_style="cyan"))
    console.print(_options_table(est))
    console.print(_break_even_table(est))
    if est.sensitivity:
        console.print(_sensitivity_table(est))
    if width < WIDE:
        _assumptions_list(console, est)
    else:
        console.print(_assumptions_table(est))
    if any(a.overridden_by for a in est.assumptions.entries):
        console.print("  * your figure, not the shipped default")
    console.print(f"[dim]{_t(FOOTNOTE)}[/]")
    return buf.getvalue()


def _assumptions_list(console: Console, est: Estimate) -> None:
    """The assumptions below ``WIDE`` columns: each on a line with its value and date, its
    source wrapped under it (a table's source column would split its file names)."""
    # lazy: rich: terminal output only
    from rich.table import Table
    from rich.text import Text

    console.print()
    console.print(Text.from_markup("[italic]Assumptions (units in full: --format markdown or "
                                   "json)[/]"))
    for a in est.assumptions.entries:
        unit = a.spec.short_unit
        value = num(a.value) + (f" {unit}" if unit else "") + (" *" if a.overridden_by else "")
        console.print(Text.from_markup(f"  [bold]{_t(a.id)}[/] = {_t(value)} "
                                       f"[dim]({_t(a.as_of or 'not dated')})[/]"))
        grid = Table.grid()
        grid.add_column(width=6)
        grid.add_column()
        grid.add_row("", Text.from_markup(_t(source_text(a))))
        console.print(grid)


def _t(text: str) -> str:
    """Text from the estimate or the assumptions file, safe for rich markup."""
    # lazy: rich: terminal output only
    from rich.markup import escape

    return escape(clean_line(text))


def _table(title: str) -> Table:
    # lazy: rich: terminal output only
    from rich import box
    from rich.table import Table

    return Table(title=title, title_justify="left", box=box.SIMPLE_HEAVY)


def _options_table(est: Estimate) -> Table:
    picked = compared_ids(est)
    table = _table("Monthly cost of each option (compared options in bold)")
    table.add_column("option")
    table.add_column("USD a month", justify="right", no_wrap=True)
    table.add_column("USD / M tokens", justify="right", no_wrap=True)
    table.add_column("how", overflow="fold")
    for o in est.options:
        label = f"[bold]{_t(o.label)}[/]" if o.id in picked else _t(o.label)
        table.add_row(label, usd(o.monthly_usd), per_million(o, est.monthly_tokens),
                      _t(option_detail(o)))
    return table


def _break_even_table(est: Estimate) -> Table:
    be = _table("Break-even against the frontier API")
    be.add_column("self-hosted option")
    be.add_column("self-hosting is cheaper from", overflow="fold")
    for o in est.options:
        if isinstance(o, SelfHostOption):
            be.add_row(_t(o.label), _t(break_even_text(o)))
    return be


def _sensitivity_table(est: Estimate) -> Table:
    sens = _table(f"What moves the break-even ({est.model_class} model), one at a time; "
                  "millions of tokens a month")
    for name, just in (("assumption", "left"), ("range", "left"), ("at low", "right"),
                       ("at high", "right"), ("swing", "right")):
        sens.add_column(name, justify=just,  # type: ignore[arg-type]
                        no_wrap=name == "assumption")
    for s in est.sensitivity:
        sens.add_row(*(_t(c) for c in sensitivity_row(s)))
    return sens


def _assumptions_table(est: Estimate) -> Table:
    assum = _table("Assumptions (units in full: --format markdown or json)")
    assum.add_column("assumption", no_wrap=True, max_width=34)
    assum.add_column("value", justify="right", max_width=18)
    assum.add_column("source", overflow="fold", min_width=30)
    assum.add_column("as of", no_wrap=True, min_width=10)
    for a in est.assumptions.entries:
        unit = a.spec.short_unit
        value = num(a.value) + (f" {unit}" if unit else "") + (" *" if a.overridden_by else "")
        assum.add_row(_t(a.id), _t(value), _t(source_text(a)), _t(a.as_of or "not dated"))
    return assum
