"""A commented answers file for a rule set: every question, its choices and its help."""

from __future__ import annotations

import json
import textwrap
from typing import cast

from llmchoice.answers.validate import allowed_text
from llmchoice.io import yamlio
from llmchoice.io.errors import InputError
from llmchoice.io.textsafe import clean_line
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import Question, RuleSet


def _yaml_scalar(value: object) -> str:
    """A YAML flow scalar that reads back as exactly ``value`` (quoted only when needed)."""
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_yaml_scalar(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    try:
        plain_ok = yamlio.parse(f"k: {text}\n", "<template>").data == {"k": text}
    except InputError:
        plain_ok = False
    return text if plain_ok and text.strip() == text else json.dumps(text, ensure_ascii=False)


def example_value(q: Question) -> Answer:
    """A valid answer to show for ``q``: its default, else its first allowed value."""
    if q.default is not None:
        return cast(Answer, q.default)
    if q.type == "choice":
        return q.values[0]
    if q.type == "multi":
        return (q.values[0],)
    if q.type == "confirm":
        return False
    if q.minimum is not None:
        return int(q.minimum) if q.minimum.is_integer() else q.minimum
    if q.maximum is not None and q.maximum < 0:
        return int(q.maximum) if q.maximum.is_integer() else q.maximum
    return 0


def _comment(text: str, *, indent: str = "", hang: str = "", width: int = 78) -> list[str]:
    """``text`` as one comment paragraph: wrapped at ``width``, every line after the first
    indented by ``hang`` more than the first, never split at a hyphen ("Open-/source")."""
    wrapped = textwrap.wrap(clean_line(text), width - 2, initial_indent=indent,
                            subsequent_indent=indent + hang, break_on_hyphens=False,
                            break_long_words=False)
    return ["# " + line for line in wrapped] or ["#"]


def _question(q: Question) -> list[str]:
    """One question: the prompt, its help as an indented paragraph, the choices as a
    table whose wrapped labels stay under their label, then the answer line."""
    lines = _comment(q.prompt)
    if q.help:
        lines += _comment(q.help, indent="  ")
    if q.choices:
        pad = max(len(c.value) for c in q.choices) + 2
        lines.append("# Choices:")
        for c in q.choices:
            lines += _comment(f"{c.value + ':':<{pad}}{c.label}", indent="  ", hang=" " * pad)
    if q.type in ("number", "confirm", "multi"):
        lines += _comment(f"Allowed: {allowed_text(q)}", hang="  ")
    if q.when is not None:
        lines += _comment(f"Asked only when {q.when.describe()}; otherwise it is ignored.",
                          hang="  ")
    example = _yaml_scalar(example_value(q))
    if q.required and q.default is not None:
        lines.append(f"{q.id}: {example}")
    elif q.required:
        lines += ["# Required: choose a value.", f"{q.id}: {example}"]
    elif q.default is None and q.type == "number":
        # No example number: "# monthly_tokens: 0" would suggest zero is the answer.
        lines.append("# Optional: remove the '#' below and write your number to answer.")
        lines.append(f"# {q.id}:")
    elif q.choices:
        lines.append("# Optional: remove the '#' below and pick one of the choices to answer.")
        lines.append(f"# {q.id}: {example}")
    else:
        lines.append("# Optional: remove the '#' below to answer.")
        lines.append(f"# {q.id}: {example}")
    return lines


def answers_template(rs: RuleSet, *, schema: str | None = None) -> str:
    """A valid answers file (the defaults filled in, optional questions commented out).

    With ``schema``, the first line is a YAML language server modeline pointing at it.
    """
    head = [f"# yaml-language-server: $schema={clean_line(schema)}"] if schema else []
    head += [
        f"# Answers for llmchoice (rule set {clean_line(rs.meta.id)} "
        f"{clean_line(rs.meta.version)}).",
        "# Edit the values, then: llmchoice recommend this-file.yaml",
        "# A 'key: value' line is an answer; a line starting with '#' is a comment.",
        "",
        "# The rule set these answers are for: replayed against another version,",
        "# llmchoice says so. Add 'respondent: Your name or role' to name who answered",
        "# (llmchoice team).",
        "rule_set:",
        f"  id: {_yaml_scalar(rs.meta.id)}",
        f"  version: {_yaml_scalar(rs.meta.version)}",
        "",
    ]
    body: list[str] = []
    for q in rs.questions:
        body += _question(q)
        body.append("")
    return "\n".join(head + body).rstrip("\n") + "\n"
