"""``questions --format json``: the questions as plain data, without loading rich."""

from __future__ import annotations

import json

from llmchoice.answers.validate import allowed_text
from llmchoice.ruleset.model import RuleSet


def questions_json(rs: RuleSet) -> str:
    """``questions --format json``: every question with its choices, limits and condition."""
    data = [{"id": q.id, "prompt": q.prompt, "type": q.type, "required": q.required,
             "values": list(q.values), "default": q.default,
             "choices": [{"value": c.value, "label": c.label} for c in q.choices],
             "help": q.help, "allowed": allowed_text(q),
             "when": q.when.describe() if q.when is not None else None,
             **({"min": q.minimum, "max": q.maximum, "unit": q.unit}
                if q.type == "number" else {})}
            for q in rs.questions]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
