"""The team report for a terminal: the sections of
:class:`~llmchoice.report.team_view.TeamView`, laid out with rich.

Every text from a rule set or an answers file is cleaned of control characters and
escaped for rich markup before it is printed.
"""

from __future__ import annotations

import io

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from llmchoice.io.textsafe import clean_line
from llmchoice.ruleset.model import RuleSet
from llmchoice.team.analysis import TeamResult

from .costline import COST_HEADING
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
from .view import NEXT_STEPS_AFTER, PATH_HEADING


def _t(text: str) -> str:
    return escape(clean_line(text))


def _heading(console: Console, title: str) -> None:
    console.print()
    console.print(Text.from_markup(f"[bold underline]{title}[/]"))


def _list(console: Console, items: tuple[str, ...], *, numbered: bool = False) -> None:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=3, justify="right", no_wrap=True)
    grid.add_column()
    for i, item in enumerate(items, 1):
        grid.add_row(f"{i}." if numbered else "•", Text.from_markup(_t(item)))
    console.print(grid)


def _bullets(console: Console, items: list[str]) -> None:
    """Items already escaped for markup (they may carry the renderer's own marks)."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=3, justify="right", no_wrap=True)
    grid.add_column()
    for item in items:
        grid.add_row("•", Text.from_markup(item))
    console.print(grid)


def _plan(console: Console, p: TeamPlan) -> None:
    """How to run it (each plan with its notes), the cost and the next steps: the single
    report's sections."""
    if p.plans:
        _heading(console, PATH_HEADING)
    for plan in p.plans:
        head = f"{_t(plan.heading)}: " if plan.heading else ""
        console.print(Text.from_markup(f"{head}[bold]{_t(plan.label)}[/]: {_t(plan.summary)}"))
        lines = [f"Why this way: {_t(plan.because)}",
                 f"[dim]from: {_t('; '.join(title for _, title, _ in plan.cites))}[/]"]
        if plan.beyond:
            lines.append(f"[dim]{_t(plan.beyond)}[/]")
        _bullets(console, ["\n".join(lines), *(_t(n) for n in plan.notes)])
    if p.cost is not None:
        _heading(console, COST_HEADING)
        _bullets(console, [f"[bold]{_t(c.text)}[/]" if c.highlight else _t(c.text)
                           for c in p.cost])
    for s in p.steps:
        _heading(console, f"{_t(s.heading)}, {NEXT_STEPS_AFTER}")
        for group in s.groups:
            console.print(Text.from_markup(
                f"[bold]{_t(group.title)}:[/] [dim]“{_t(group.text)}”[/]"))
            _bullets(console, [_t(step.text) for step in group.steps])


def _tables(console: Console, v: TeamView) -> None:
    _heading(console, DISAGREE_HEADING)
    if v.disagreements:
        table = Table(box=box.SIMPLE_HEAD, show_lines=True, expand=True)
        for name in ("Question", "Who answered what", "Alone changes it?"):
            table.add_column(name, overflow="fold")
        for d in v.disagreements:
            style = "bold" if d.changes == "recommendation" else ""
            table.add_row(_t(d.question), "\n".join(_t(a) for a in d.answers),
                          Text.from_markup(f"[{style}]{_t(d.effect)}[/]" if style
                                           else _t(d.effect)))
        console.print(table)
    else:
        console.print(_t(v.settle_none or ""))
    _heading(console, PEOPLE_HEADING)
    people = Table(box=box.SIMPLE_HEAD, expand=True)
    for name in ("Person", "Recommendation", "Certainty", "Unlike the team"):
        people.add_column(name, overflow="fold")
    for p in v.people:
        people.add_row(_t(p.name), _t(p.verdict), _t(p.certainty), str(p.differs))
    console.print(people)
    _heading(console, ANSWERS_HEADING)
    answers = Table(box=box.SIMPLE_HEAD, expand=True)
    for name in ("Question", "Team's answer", "How"):
        answers.add_column(name, overflow="fold")
    for a in v.answers:
        answers.add_row(_t(a.question), _t(a.answer), _t(a.how))
    console.print(answers)


def render_team_terminal(rules: RuleSet, t: TeamResult, *, width: int = 100,
                         color: bool = False) -> str:
    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=color, no_color=not color,
                      color_system="standard" if color else None, highlight=False,
                      emoji=False, legacy_windows=False)
    v = build_team_view(rules, t)
    head = (f"[bold]{_t(v.headline)}[/]\n{_t(v.summary)}\n\n[bold]Basis[/] {_t(v.basis)}\n"
            f"[bold]Certainty[/] {_t(v.certainty)}\n"
            f"[dim]{_t(v.merge_rule)}[/]")
    console.print(Panel(Text.from_markup(head), box=box.ROUNDED, title_align="left",
                        title=f"{_t(v.title)} · {v.people_count} people"))
    if v.constraints:
        _heading(console, CONSTRAINTS_HEADING)
        _list(console, v.constraints)
    _heading(console, SETTLE_HEADING)
    if v.settle_first:
        _list(console, v.settle_first, numbered=True)
    else:
        console.print(_t(v.settle_none or ""))
    _plan(console, v.plan)
    _tables(console, v)
    console.print()
    console.print(Text.from_markup(f"[dim]{_t(v.footer)}[/]"))
    return "\n".join(line.rstrip() for line in buf.getvalue().split("\n"))
