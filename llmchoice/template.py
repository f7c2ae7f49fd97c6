"""A commented answers file for a rule set: every question, its choices and its help."""

from __future__ import annotations

import json
import textwrap

from llmchoice.answers import allowed_text
from llmchoice.ruleset import Question, RuleSet
from llmchoice.textsafe import clean_line


def _yaml_scalar(value: object) -> str:
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_yaml_scalar(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    return json.dumps(str(value), ensure_ascii=False) if not str(value).isidentifier() \
        else str(value)


def _comment(text: str, width: int = 78) -> list[str]:
    return ["# " + line for line in textwrap.wrap(clean_line(text), width - 2)] or ["#"]


def _question(q: Question) -> list[str]:
    lines = _comment(q.prompt)
    if q.help:
        lines += _comment(q.help)
    for c in q.choices:
        lines += _comment(f"  {c.value}: {c.label}")
    if q.type in ("number", "confirm") or q.type == "multi":
        lines += _comment(f"Allowed: {allowed_text(q)}")
    if q.required and q.default is not None:
        lines.append(f"{q.id}: {_yaml_scalar(q.default)}")
    elif q.required:
        first = q.values[0] if q.values else ("false" if q.type == "confirm" else "0")
        lines += ["# Required: choose a value.", f"{q.id}: {_yaml_scalar(first)}"]
    else:
        lines.append("# Optional: remove the '#' below to answer.")
        example = q.default if q.default is not None else (q.values[0] if q.values else 0)
        lines.append(f"# {q.id}: {_yaml_scalar(example)}")
    return lines


def answers_template(rs: RuleSet) -> str:
    """A valid answers file (the defaults filled in, optional questions commented out)."""
    head = [
        f"# Answers for llmchoice (rule set {clean_line(rs.meta.id)} "
        f"{clean_line(rs.meta.version)}).",
        "# Edit the values, then: llmchoice recommend this-file.yaml",
        "# Every line below 'key: value' is an answer; lines starting with '#' are comments.",
        "",
    ]
    body: list[str] = []
    for q in rs.questions:
        body += _question(q)
        body.append("")
    return "\n".join(head + body).rstrip("\n") + "\n"
