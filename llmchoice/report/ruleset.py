"""The rule set and its questions as tables: ``rules show`` and ``questions``.

Every piece of data is cleaned of control characters and escaped for rich markup.
Imports rich, so the commands load this module only when they draw a table.
"""

from __future__ import annotations

import io

from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from llmchoice.answers.validate import allowed_text
from llmchoice.io.textsafe import clean_line
from llmchoice.ruleset.model import Rule, RuleSet, RuleTest
from llmchoice.ruleset.overlay import bases


def _t(value: object) -> str:
    return escape(clean_line(str(value)))


def _console(buf: io.StringIO, width: int, color: bool) -> Console:
    return Console(file=buf, width=width, force_terminal=color, no_color=not color,
                   color_system="standard" if color else None, highlight=False,
                   soft_wrap=False, emoji=False)


def _table(title: str, columns: tuple[str, ...], no_wrap: str = "id") -> Table:
    table = Table(title=title, title_justify="left")
    for col in columns:
        table.add_column(col, no_wrap=col == no_wrap)
    return table


def _effect(rule: Rule) -> str:
    parts = [f"{o} {p:+g}" for o, p in rule.points]
    parts += [f"excludes {o}" for o in rule.exclude]
    return ", ".join(parts)


def _expects(test: RuleTest) -> str:
    e = test.expect
    parts = []
    if e.recommendation:
        parts.append(e.recommendation)
    if e.fired:
        parts.append("fires " + ", ".join(e.fired))
    if e.not_fired:
        parts.append("does not fire " + ", ".join(e.not_fired))
    if e.excluded is not None:
        parts.append("excludes [" + ", ".join(e.excluded) + "]")
    if e.min_confidence is not None:
        parts.append(f"confidence >= {e.min_confidence:g}")
    return "; ".join(parts)


def _head(rs: RuleSet) -> Text:
    head = Text()
    head.append(clean_line(rs.meta.title), style="bold")
    head.append("\n" + clean_line(f"{rs.meta.id} {rs.meta.version} · {rs.source}"))
    for base in bases(rs.doc):
        head.append("\n" + clean_line(f"extends {base}"))
    head.append("\n" + clean_line(f"Source: {rs.meta.source}"))
    return head


def _decision(rs: RuleSet) -> Text:
    mixed = rs.decision.mixed
    decision = Text(clean_line(f"Exact ties go to: {', '.join(rs.decision.tie_break)}"))
    if mixed is not None:
        decision.append("\n" + clean_line(
            f"Mixed needs: {mixed.outcome} gains {mixed.weight:g} x (the weaker of "
            f"{mixed.between[0]} and {mixed.between[1]} - {mixed.min_points:g}) when positive. "
            f"{mixed.because}"))
    return decision


WIDE = 120  # narrower than this, questions, rules and trade-offs are records, not tables


def _records(title: str, records: list[tuple[str, list[tuple[str, str]]]]) -> Group:
    """A table too wide for the width, as records: each head in bold, then its fields one a
    line (``because: ...``), wrapped under the field's value."""
    parts: list[RenderableType] = [Text(title, style="italic")]
    for head, fields in records:
        parts.append(Text.from_markup(f"[bold]{head}[/]"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=3)
        grid.add_column(no_wrap=True, style="dim")
        grid.add_column()
        for name, value in fields:
            if value:
                grid.add_row("", f"{name}:", Text.from_markup(value))
        parts.append(grid)
    return Group(*parts)


def _narrow_tables(rs: RuleSet) -> list[Group]:
    """Questions, rules and trade-offs as records (see ``WIDE``)."""
    questions = [(f"{_t(q.id)}{'' if q.required else ' (optional)'}",
                  [("question", _t(q.prompt)), ("allowed", _t(allowed_text(q))),
                   ("default", "" if q.default is None else _t(q.default)),
                   ("asked when", "" if q.when is None else _t(q.when.describe()))])
                 for q in rs.questions]
    rules = [(f"{_t(r.id)}: {_t(_effect(r))}",
              [("when", _t(r.when.describe())), ("because", _t(r.because)),
               ("cites", _t(", ".join(r.cites)))]) for r in rs.rules]
    tradeoffs = [(f"{_t(tr.id)}: {_t(tr.title)}",
                  [("side", f"{_t(tr.side)}, {_t(tr.kind)}"), ("text", _t(tr.text))])
                 for tr in rs.tradeoffs.values()]
    return [_records("Questions", questions), _records("Rules", rules),
            _records("Trade-offs", tradeoffs)]


def _tables(rs: RuleSet, width: int = WIDE) -> list[object]:
    """The rule set as rich renderables, in the order ``rules show`` prints them."""
    outcomes = _table("Outcomes", ("id", "label", "summary"))
    for o in rs.outcomes:
        outcomes.add_row(_t(o.id), _t(o.label), _t(o.summary))
    questions = _table("Questions", ("id", "question", "allowed", "default", "asked when"))
    for q in rs.questions:
        req = "" if q.required else " (optional)"
        questions.add_row(_t(q.id), _t(q.prompt) + req, _t(allowed_text(q)),
                          "" if q.default is None else _t(q.default),
                          "" if q.when is None else _t(q.when.describe()))
    rules = _table("Rules", ("id", "when", "effect", "because", "cites"))
    for r in rs.rules:
        rules.add_row(_t(r.id), _t(r.when.describe()), _t(_effect(r)), _t(r.because),
                      _t(", ".join(r.cites)))
    tradeoffs = _table("Trade-offs", ("id", "side", "kind", "title", "text"))
    for tr in rs.tradeoffs.values():
        tradeoffs.add_row(_t(tr.id), _t(tr.side), _t(tr.kind), _t(tr.title), _t(tr.text))
    tests = _table("Tests", ("name", "expects"), no_wrap="")
    for test in rs.tests:
        tests.add_row(_t(test.name), _t(_expects(test)))
    if width < WIDE:
        narrow = _narrow_tables(rs)
        return [_head(rs), outcomes, *narrow[:2], _decision(rs), narrow[2], tests]
    return [_head(rs), outcomes, questions, rules, _decision(rs), tradeoffs, tests]


def render_ruleset(rs: RuleSet, *, width: int = 100, color: bool = False) -> str:
    """``rules show``: the rule set's outcomes, questions, rules, decision, trade-offs and
    tests as tables, each followed by a blank line."""
    buf = io.StringIO()
    console = _console(buf, width, color)
    for item in _tables(rs, width):
        console.print(item)
        console.print()
    return "\n".join(line.rstrip() for line in buf.getvalue().split("\n"))


def render_questions(rs: RuleSet, *, width: int = 100, color: bool = False) -> str:
    """``questions``: one row per question with what it allows and its default."""
    table = Table(title=f"Questions of {_t(rs.meta.id)}", title_justify="left")
    for col in ("id", "question", "allowed", "default"):
        table.add_column(col, no_wrap=col == "id")
    for q in rs.questions:
        default = "" if q.default is None else str(q.default)
        req = "" if q.required else " (optional)"
        if q.when is not None:
            req += _t(f" (asked when {q.when.describe()})")
        table.add_row(escape(q.id), _t(q.prompt) + req, _t(allowed_text(q)), _t(default))
    buf = io.StringIO()
    _console(buf, width, color).print(table)
    return "\n".join(line.rstrip() for line in buf.getvalue().split("\n"))
