"""The JSON report (v1 contract in DESIGN.md): keys may be added, never renamed or removed.

The same answers and rule set always give the same bytes: keys are emitted in a
fixed order, lists in evaluation order, and nothing depends on time or locale.
"""

from __future__ import annotations

import json

from llmchoice.answers import to_plain
from llmchoice.result import Result
from llmchoice.ruleset import RuleSet

from .common import outcome_label, scenario_id


def _value(v: object) -> object:
    return list(v) if isinstance(v, tuple) else v


def to_dict(result: Result, rules: RuleSet) -> dict[str, object]:
    return {
        "recommendation": result.recommendation,
        "label": outcome_label(rules, result.recommendation),
        "scores": dict(result.scores),
        "confidence": result.confidence,
        "answers": to_plain(result.answers),
        "contributions": [
            {"rule": c.rule, "outcome": c.outcome, "points": float(c.points),
             "because": c.because, "cites": list(c.cites)}
            for c in result.contributions
        ],
        "what_if": [
            {"question": w.question, "from": _value(w.from_value), "to": _value(w.to_value),
             "recommendation": w.recommendation}
            for w in result.what_if
        ],
        "excluded": [
            {"outcome": e.outcome, "rule": e.rule, "because": e.because, "cites": list(e.cites)}
            for e in result.excluded
        ],
        "skipped": [{"rule": s.rule, "missing": list(s.missing)} for s in result.skipped],
        "not_applicable": list(result.not_applicable),
        "scenario": scenario_id(result.scenario),
        "scenario_because": result.scenario_because,
        "ruleset": {"id": result.ruleset.id, "version": result.ruleset.version,
                    "sha256": result.ruleset.sha256},
    }


def render_json(result: Result, rules: RuleSet) -> str:
    return json.dumps(to_dict(result, rules), indent=2, ensure_ascii=False) + "\n"
