"""Reports: one pure renderer per format, ``render(result, rules) -> str``.

Renderers only render a Result; they never score. Text that came from a rule
set or an answers file is escaped for the target (rich markup, Markdown) and
stripped of terminal control characters.
"""

from __future__ import annotations

from llmchoice.errors import UsageError
from llmchoice.result import Result
from llmchoice.ruleset import RuleSet

FORMATS = ("terminal", "markdown", "json")
EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".json": "json", ".txt": "terminal"}


def render(result: Result, rules: RuleSet, fmt: str, *, width: int = 100,
           color: bool = False) -> str:
    """Render ``result`` in ``fmt``. Imports only the renderer it needs."""
    if fmt == "json":
        from llmchoice.report.json_report import render_json  # noqa: PLC0415

        return render_json(result, rules)
    if fmt == "markdown":
        from llmchoice.report.markdown import render_markdown  # noqa: PLC0415

        return render_markdown(result, rules)
    if fmt == "terminal":
        from llmchoice.report.terminal import render_terminal  # noqa: PLC0415

        return render_terminal(result, rules, width=width, color=color)
    raise UsageError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
