"""JSON Schemas (draft 2020-12) of rule-set files and answers files, for editors.

The loader (:mod:`llmchoice.ruleset`) stays the authority: it also checks cross
references (a rule citing a trade-off, a condition naming a question and one of
its values, an operator fitting a question's type), which a schema cannot.
The rule-set schema covers plain rule sets and overlays (``extends``); the
answers schema is generated from one rule set, with its question ids and
choice values as enums, so an editor completes and checks an answers file.
"""

from __future__ import annotations

from typing import Any

from llmchoice.ruleset.model import (
    QUESTION_TYPES,
    TRADEOFF_KINDS,
    TRADEOFF_SIDES,
    Question,
    RuleSet,
)

DRAFT = "https://json-schema.org/draft/2020-12/schema"
ID = "^[a-z0-9][a-z0-9_.-]*$"
VALUE = "^[A-Za-z0-9][A-Za-z0-9_.-]*$"

Schema = dict[str, Any]


def _text(description: str = "") -> Schema:
    out: Schema = {"type": "string"}
    if description:
        out["description"] = description
    return out


def _ids(description: str, *, min_items: int = 0) -> Schema:
    out: Schema = {"type": "array", "items": {"type": "string", "pattern": ID},
                   "description": description}
    if min_items:
        out["minItems"] = min_items
    return out


def ruleset_schema() -> Schema:
    """The schema of a rule-set file (``rules/default.yaml`` and overlays)."""
    values = {"type": "array", "items": {"type": "string"}}
    defs: Schema = {
        "condition": {
            "description": "{question: value} for equality, {question: {operator: operand}}, "
                           "and the combinators all, any, not.",
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": ID},
            "properties": {
                "all": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/condition"},
                        "description": "Every condition holds."},
                "any": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/condition"},
                        "description": "At least one condition holds."},
                "not": {"$ref": "#/$defs/condition", "description": "The condition is false."},
            },
            "additionalProperties": {"$ref": "#/$defs/test"},
        },
        "test": {
            "anyOf": [
                {"type": ["string", "number", "boolean"]},
                {"type": "array", "items": {"type": "string"},
                 "description": "A multi-choice question's exact set of values."},
                {"$ref": "#/$defs/operators"},
            ],
        },
        "operators": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": False,
            "properties": {
                "eq": {"description": "Equal to."},
                "in": {**values, "description": "A choice question's value is one of these."},
                "not_in": {**values, "description": "A choice question's value is none of "
                                                    "these."},
                "lt": {"type": "number"}, "lte": {"type": "number"},
                "gt": {"type": "number"}, "gte": {"type": "number"},
                "contains_any": {**values, "description": "A multi-choice answer includes any "
                                                          "of these."},
                "contains_all": {**values, "description": "A multi-choice answer includes all "
                                                          "of these."},
                "answered": {"type": "boolean",
                             "description": "The (optional) question was answered, or not."},
            },
        },
        "choice": {
            "type": "object",
            "required": ["value", "label"],
            "additionalProperties": False,
            "properties": {"value": {"type": "string", "pattern": VALUE},
                           "label": _text(), "help": _text()},
        },
        "question": {
            "type": "object",
            "required": ["id"],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string", "pattern": ID},
                "prompt": _text("What the quiz asks."),
                "help": _text("A longer explanation shown with the question."),
                "type": {"enum": list(QUESTION_TYPES)},
                "choices": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/choice"}},
                "default": {"description": "Used with --defaults and by the quiz."},
                "required": {"type": "boolean", "default": True,
                             "description": "false: the question may be left unanswered."},
                "when": {"$ref": "#/$defs/condition",
                         "description": "Ask only when this holds (on earlier answers)."},
                "min": {"type": "number"}, "max": {"type": "number"}, "unit": _text(),
                "title": _text("A short name for summaries, such as 'Lock-in'."),
            },
        },
        "rule": {
            "type": "object",
            "required": ["id"],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string", "pattern": ID},
                "when": {"$ref": "#/$defs/condition"},
                "points": {"type": "object", "propertyNames": {"pattern": ID},
                           "additionalProperties": {"type": ["number", "null"]},
                           "description": "Points per outcome (null removes an outcome's "
                                          "points in an overlay)."},
                "exclude": _ids("Outcomes this rule rules out (a hard constraint).",
                                min_items=1),
                "because": _text("One sentence a user understands."),
                "cites": _ids("Trade-off ids this rule weighs.", min_items=1),
                "note": _text(),
            },
        },
        "outcome": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"label": _text(), "summary": _text()},
        },
        "tradeoff": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"side": {"enum": list(TRADEOFF_SIDES)},
                           "kind": {"enum": list(TRADEOFF_KINDS)},
                           "title": _text(), "text": _text()},
        },
        "mixed": {
            "type": ["object", "null"],
            "additionalProperties": False,
            "required": ["outcome", "between", "weight", "because", "cites"],
            "properties": {
                "outcome": {"type": "string"},
                "between": {"type": "array", "minItems": 2, "maxItems": 2,
                            "items": {"type": "string"}},
                "weight": {"type": "number", "minimum": 0, "maximum": 5},
                "min_points": {"type": "number"},
                "because": _text(),
                "cites": _ids("Trade-off ids.", min_items=1),
            },
        },
        "decision": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "method": {"const": "weighted_sum"},
                "tie_break": _ids("Every outcome once; exact ties go to the first.",
                                  min_items=1),
                "mixed": {"$ref": "#/$defs/mixed"},
                "confidence": {},
            },
        },
        "scenario": {
            "type": "object",
            "required": ["id", "because"],
            "additionalProperties": False,
            "properties": {"id": _text("A trade-off id of kind scenario."),
                           "recommendation": _ids("Outcomes it fits.", min_items=1),
                           "when": {"$ref": "#/$defs/condition"},
                           "because": _text()},
        },
        "next_step": {
            "type": "object",
            "required": ["id", "cites", "text"],
            "additionalProperties": False,
            "properties": {"id": {"type": "string", "pattern": ID},
                           "cites": _ids("Trade-offs it comes from; at least one lesson.",
                                         min_items=1),
                           "recommendation": _ids("Outcomes it applies to.", min_items=1),
                           "when": {"$ref": "#/$defs/condition"},
                           "text": _text("The step, in one or two sentences.")},
        },
        "test_case": {
            "type": "object",
            "required": ["name", "answers", "expect"],
            "additionalProperties": False,
            "properties": {
                "name": _text(),
                "answers": {"type": "object", "description": "Question id to answer."},
                "expect": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "recommendation": {"type": "string"},
                        "fired": _ids("Rules that must fire (decision.mixed: the mixed bonus)."),
                        "not_fired": _ids("Rules that must not fire."),
                        "excluded": _ids("Exactly these outcomes are excluded."),
                        "min_confidence": {"type": "number", "minimum": 0, "maximum": 1},
                    },
                },
            },
        },
    }
    complete: Schema = {
        "required": ["ruleset", "outcomes", "tradeoffs", "questions", "rules", "decision"],
        "properties": {
            "ruleset": {"required": ["id", "version", "title", "source"]},
            "outcomes": {"additionalProperties": {"required": ["label", "summary"]}},
            "tradeoffs": {"additionalProperties": {"required": ["side", "kind", "title",
                                                                "text"]}},
            "questions": {"items": {"required": ["id", "prompt", "type"]}},
            "rules": {"items": {"required": ["id", "when", "because", "cites"],
                                "anyOf": [{"required": ["points"]}, {"required": ["exclude"]}]}},
            "decision": {"required": ["tie_break"]},
        },
    }
    return {
        "$schema": DRAFT,
        "title": "llmchoice rule set",
        "description": "Questions, rules, trade-offs and tests of an llmchoice rule set, or an "
                       "overlay that extends one. See docs/rules.md.",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "$schema": {"type": "string"},
            "extends": {"type": "string", "minLength": 1,
                        "description": "'default', or the path (relative to this file) of the "
                                       "rule set this overlay changes."},
            "remove_rules": _ids("Base rules this overlay drops."),
            "remove_tests": {"type": "array", "items": {"type": "string"},
                             "description": "Names of inherited tests this overlay drops."},
            "ruleset": {
                "type": "object",
                "additionalProperties": False,
                "properties": {"id": {"type": "string", "pattern": ID},
                               "version": {"type": ["string", "number"]},
                               "title": _text(), "source": _text(), "description": _text()},
            },
            "outcomes": {"type": "object", "propertyNames": {"pattern": ID},
                         "additionalProperties": {"$ref": "#/$defs/outcome"}},
            "tradeoffs": {"type": "object", "propertyNames": {"pattern": ID},
                          "additionalProperties": {"$ref": "#/$defs/tradeoff"}},
            "questions": {"type": "array", "items": {"$ref": "#/$defs/question"}},
            "rules": {"type": "array", "items": {"$ref": "#/$defs/rule"}},
            "decision": {"$ref": "#/$defs/decision"},
            "scenarios": {"type": "array", "items": {"$ref": "#/$defs/scenario"}},
            "tests": {"type": "array", "items": {"$ref": "#/$defs/test_case"}},
            "next_steps": {"type": "array", "items": {"$ref": "#/$defs/next_step"}},
        },
        "dependentRequired": {"remove_rules": ["extends"], "remove_tests": ["extends"]},
        "if": {"required": ["extends"]},
        "then": {"required": ["ruleset"], "properties": {"ruleset": {"required": ["id"]}}},
        "else": complete,
        "$defs": defs,
    }


def _question_schema(q: Question) -> Schema:
    description = q.prompt + (f"\n\n{q.help}" if q.help else "")
    out: Schema = {"title": q.prompt, "description": description}
    optional = not q.required or q.when is not None
    if q.type == "choice":
        out["enum"] = [*q.values, *([None] if optional else [])]
        out["enumDescriptions"] = [c.label for c in q.choices] + (
            ["unanswered"] if optional else [])
    elif q.type == "multi":
        out["type"] = ["array", "null"] if optional else "array"
        out["items"] = {"enum": list(q.values)}
        out["uniqueItems"] = True
    elif q.type == "confirm":
        out["type"] = ["boolean", "null"] if optional else "boolean"
    else:
        out["type"] = ["number", "null"] if optional else "number"
        if q.minimum is not None:
            out["minimum"] = q.minimum
        if q.maximum is not None:
            out["maximum"] = q.maximum
    if q.default is not None:
        out["default"] = list(q.default) if isinstance(q.default, tuple) else q.default
    return out


def answers_schema(rs: RuleSet) -> Schema:
    """The schema of an answers file for ``rs``: question ids, types and allowed values."""
    props: Schema = {"$schema": {"type": "string"}}
    for q in rs.questions:
        props[q.id] = _question_schema(q)
    return {
        "$schema": DRAFT,
        "title": f"llmchoice answers ({rs.meta.id} {rs.meta.version})",
        "description": "A flat mapping from question id to answer. Optional questions may be "
                       "left out. Generated by 'llmchoice schema answers'.",
        "type": "object",
        "additionalProperties": False,
        "properties": props,
        "required": [q.id for q in rs.questions if q.required and q.when is None],
    }
