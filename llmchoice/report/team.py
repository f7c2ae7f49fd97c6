"""The team report in every format: ``render_team(rules, team, fmt) -> str``.

Imports only the renderer asked for; like every report, it never scores (the team's
analysis, :func:`llmchoice.team.analysis.analyse`, is done before).
"""

from __future__ import annotations

from llmchoice.io.errors import UsageError
from llmchoice.ruleset.model import RuleSet
from llmchoice.team.analysis import TeamResult

FORMATS = ("terminal", "markdown", "json", "html")


def render_team(rules: RuleSet, team: TeamResult, fmt: str, *, width: int = 100,
                color: bool = False) -> str:
    if fmt == "json":
        # lazy: only the report format asked for
        from llmchoice.report.team_json import render_team_json

        return render_team_json(rules, team)
    if fmt == "terminal":
        # lazy: only the report format asked for
        from llmchoice.report.team_terminal import render_team_terminal

        return render_team_terminal(rules, team, width=width, color=color)
    # lazy: only the report format asked for
    from llmchoice.report.team_text import render_team_html, render_team_markdown

    if fmt == "markdown":
        return render_team_markdown(rules, team)
    if fmt == "html":
        return render_team_html(rules, team)
    raise UsageError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
