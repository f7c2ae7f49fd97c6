"""``questions --format markdown`` (and ``questions`` into a pipe): a Markdown table."""

from __future__ import annotations

from llmchoice.answers.validate import allowed_text
from llmchoice.report.markdown import md
from llmchoice.ruleset.model import RuleSet


def _cell(text: str) -> str:
    return md(text).replace("|", "\\|")


def questions_markdown(rs: RuleSet) -> str:
    """One row per question: its id, the question, what it allows and its default."""
    lines = [f"# Questions of {_cell(rs.meta.id)} {_cell(rs.meta.version)}", "",
             "| id | question | allowed | default |", "|---|---|---|---|"]
    for q in rs.questions:
        note = "" if q.required else " (optional)"
        if q.when is not None:
            note += f" (asked when {q.when.describe()})"
        default = "" if q.default is None else _cell(str(q.default))
        lines.append(f"| {_cell(q.id)} | {_cell(q.prompt + note)} | {_cell(allowed_text(q))} "
                     f"| {default} |")
    return "\n".join(lines) + "\n"
