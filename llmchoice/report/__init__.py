"""Reports: one pure renderer per format, ``render(result, rules, fmt, ...) -> str``.

Renderers only render a Result and, when given, its
:class:`~llmchoice.decide.explain.Explanation` (computed by
:func:`llmchoice.decide.explain.explain`, which callers run first); they never score.
Text that came from a rule set or an
answers file is escaped for the target (rich markup, Markdown, HTML) and
stripped of terminal control characters.

``adr`` is a decision record in the MADR layout (:mod:`llmchoice.report.adr`), whose
front matter ``llmchoice revisit`` re-checks later.

``explain=True`` adds the full trace (every fired rule with its place in the
rule set and the article's words, skipped rules, near misses, every weight
change that flips the winner) to the terminal, Markdown and HTML reports; the
JSON report always carries the explanation under ``"explanation"`` when one is
given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from llmchoice.decide.result import Result
from llmchoice.io.errors import UsageError
from llmchoice.ruleset.model import RuleSet

if TYPE_CHECKING:
    from llmchoice.decide.explain import Explanation

FORMATS = ("terminal", "markdown", "json", "html", "adr")
EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".json": "json", ".txt": "terminal",
              ".html": "html", ".htm": "html"}


def render(result: Result, rules: RuleSet, fmt: str, *, width: int = 100,
           color: bool = False, explanation: Explanation | None = None,
           explain: bool = False, respondents: tuple[str, ...] = (),
           sources: tuple[str, ...] = ()) -> str:
    """Render ``result`` in ``fmt``. Imports only the renderer it needs. ``respondents``
    and ``sources`` (who gave the answers, from which files) go into a decision record
    (``adr``)."""
    if fmt == "adr":
        # lazy: only the report format asked for
        from llmchoice.report.adr import render_adr

        return render_adr(rules, result, respondents=respondents, sources=sources)
    if fmt == "json":
        # lazy: only the report format asked for
        from llmchoice.report.json_report import render_json

        return render_json(result, rules, explanation)
    if fmt == "markdown":
        # lazy: only the report format asked for
        from llmchoice.report.markdown import render_markdown

        return render_markdown(result, rules, explanation, explain=explain)
    if fmt == "html":
        # lazy: only the report format asked for
        from llmchoice.report.html import render_html

        return render_html(result, rules, explanation, explain=explain)
    if fmt == "terminal":
        # lazy: only the report format asked for
        from llmchoice.report.terminal import render_terminal

        return render_terminal(result, rules, width=width, color=color,
                               explanation=explanation, explain=explain)
    raise UsageError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
