"""JSON Schemas (draft 2020-12) of rule-set files and answers files, for editors.

The loader (:mod:`llmchoice.ruleset`) stays the authority: it also checks cross
references (a rule citing a trade-off, a condition naming a question and one of
its values, an operator fitting a question's type), which a schema cannot.
The rule-set schema covers plain rule sets and overlays (``extends``); the
answers schema is generated from one rule set, with its question ids and
choice values as enums, so an editor completes and checks an answers file.
"""

from __future__ import annotations

from llmchoice.ruleset import keys as k
from llmchoice.ruleset.keys import Schema, Table
from llmchoice.ruleset.model import NOT_ASKED, UNSURE, Question, RuleSet

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def table_schema(table: Table) -> Schema:
    """The object schema of one section: exactly its keys, and what even a patch must give."""
    out: Schema = {"type": "object", "additionalProperties": False,
                   "properties": {key.name: key.schema for key in table.keys}}
    required = list(table.patch_required if table.patchable else table.required)
    if required:
        out["required"] = required
    return out


def _condition_defs() -> Schema:
    return {
        "condition": {
            "description": "{question: value} for equality, {question: {operator: operand}}, "
                           "and the combinators all, any, not.",
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": k.ID},
            "properties": {
                "all": {"type": "array", "minItems": 1, "items": k.ref("condition"),
                        "description": "Every condition holds."},
                "any": {"type": "array", "minItems": 1, "items": k.ref("condition"),
                        "description": "At least one condition holds."},
                "not": k.ref("condition", "The condition is false."),
            },
            "additionalProperties": k.ref("test"),
        },
        "test": {
            "anyOf": [
                {"type": ["string", "number", "boolean"]},
                {"type": "array", "items": {"type": "string"},
                 "description": "A multi-choice question's exact set of values."},
                k.ref("operators"),
            ],
        },
        "operators": {"type": "object", "minProperties": 1, "additionalProperties": False,
                      "properties": dict(k.OPERATORS)},
    }


def _complete() -> Schema:
    """What a rule set without ``extends`` must give, section by section."""
    def req(table: Table) -> Schema:
        return {"required": list(table.required)}

    return {
        **req(k.TOP),
        "properties": {
            "ruleset": req(k.META),
            "outcomes": {"additionalProperties": req(k.OUTCOME)},
            "tradeoffs": {"additionalProperties": req(k.TRADEOFF)},
            "questions": {"items": {**req(k.QUESTION),
                                    "properties": {"monotone": req(k.MONOTONE)}}},
            "rules": {"items": {**req(k.RULE),
                                "anyOf": [{"required": ["points"]}, {"required": ["exclude"]}],
                                "properties": {"beyond_article": req(k.BEYOND_ARTICLE)}}},
            "decision": {**req(k.DECISION), "properties": {"mixed": req(k.MIXED)}},
            "paths": {"additionalProperties": req(k.PATH)},
        },
    }


def ruleset_schema() -> Schema:
    """The schema of a rule-set file (``rules/default.yaml`` and overlays)."""
    defs: Schema = _condition_defs()
    for table in k.TABLES:
        if table is not k.TOP:
            defs[table.name] = table_schema(table)
    # null removes the base's entry in an overlay (decision: {mixed: null} turns the bonus off)
    for name in ("mixed", "monotone", "beyond_article"):
        defs[name]["type"] = ["object", "null"]
    top = table_schema(k.TOP)
    return {
        "$schema": DRAFT,
        "title": "llmchoice rule set",
        "description": "Questions, rules, trade-offs and tests of an llmchoice rule set, or an "
                       "overlay that extends one. See docs/rules.md.",
        "type": "object",
        "additionalProperties": False,
        "properties": top["properties"],
        "dependentRequired": {key: ["extends"] for key in k.TOP.overlay_keys
                              if key != "extends"},
        "if": {"required": ["extends"]},
        "then": {"required": ["ruleset"],
                 "properties": {"ruleset": {"required": list(k.META.patch_required)}}},
        "else": _complete(),
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
    return _or_left_open(out)


def _or_left_open(out: Schema) -> Schema:
    """Every question also takes ``unsure`` (not sure) and ``not_asked`` (the quiz did not
    need it): in the enum of a choice; else as a string matching only those two words
    (``minimum``/``maximum`` and ``items`` apply to numbers and lists only)."""
    if "enum" in out:
        out["enum"] = [*out["enum"], UNSURE, NOT_ASKED]
        out["enumDescriptions"] = [*out["enumDescriptions"], "not sure",
                                   "not asked: the quiz did not need it"]
        return out
    types = out["type"] if isinstance(out["type"], list) else [out["type"]]
    out["type"] = [*types, "string"]
    out["pattern"] = f"^({UNSURE}|{NOT_ASKED})$"
    return out


def answers_schema(rs: RuleSet) -> Schema:
    """The schema of an answers file for ``rs``: question ids, types and allowed values."""
    props: Schema = {
        "$schema": {"type": "string"},
        "respondent": {"type": "string", "minLength": 1, "maxLength": 80,
                       "description": "Who gave these answers (a name or a role)."},
        "rule_set": {"type": "object", "additionalProperties": False,
                     "required": ["id", "version"],
                     "properties": {"id": {"type": "string"}, "version": {"type": "string"}},
                     "description": "The rule set these answers were written for."},
    }
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
