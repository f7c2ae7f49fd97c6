"""``questions --format markdown`` (and ``questions`` into a pipe): a Markdown list, one item
per question, wrapped to fit 80 columns (a table would run to 120 and more)."""

from __future__ import annotations

import textwrap

from llmchoice.answers.validate import allowed_text
from llmchoice.report.markdown import md
from llmchoice.ruleset.model import RuleSet

WIDTH = 78


def questions_markdown(rs: RuleSet) -> str:
    """For each question: its id, the question, what it allows and its default."""
    lines = [f"# Questions of {md(rs.meta.id)} {md(rs.meta.version)}", ""]
    for q in rs.questions:
        note = "" if q.required else " (optional)"
        if q.when is not None:
            note += f" (asked when {q.when.describe()})"
        default = "" if q.default is None else f" Default: `{md(str(q.default))}`."
        item = (f"- **{md(q.id)}**: {md(q.prompt + note)} Allowed: "
                f"{md(allowed_text(q))}.{default}")
        lines += textwrap.wrap(item, WIDTH, subsequent_indent="  ", break_long_words=False,
                               break_on_hyphens=False)
    return "\n".join(lines) + "\n"
