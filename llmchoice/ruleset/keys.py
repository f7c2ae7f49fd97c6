"""The keys of every section of a rule-set file: the one table the loader and the schema share.

The loader accepts exactly these keys (``Checker.mapping(required=t.required,
optional=t.optional)``) and :mod:`llmchoice.ruleset.schema` generates the JSON
Schema's properties and required lists from them, so the two cannot drift.
Each key carries its JSON Schema fragment and, where useful, a description.
"""

from __future__ import annotations

from typing import Any

from llmchoice.frozen import frozen
from llmchoice.ruleset.conditions import ALL_OPS
from llmchoice.ruleset.model import (
    HOSTINGS,
    QUESTION_KINDS,
    QUESTION_TYPES,
    TEST_PROFILES,
    TRADEOFF_KINDS,
    TRADEOFF_SIDES,
)

Schema = dict[str, Any]

ID = "^[a-z0-9][a-z0-9_.-]*$"
# Top-level keys of an answers file that are data about the answers, not answers
# (llmchoice.answers.meta): no question may take one of these ids.
RESPONDENT = "respondent"
RULE_SET = "rule_set"
META_KEYS = (RESPONDENT, RULE_SET)
VALUE = "^[A-Za-z0-9][A-Za-z0-9_.-]*$"
AS_OF = "^(19|20|21)[0-9]{2}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"


def text(description: str = "") -> Schema:
    out: Schema = {"type": "string"}
    if description:
        out["description"] = description
    return out


def ids(description: str, *, min_items: int = 0) -> Schema:
    out: Schema = {"type": "array", "items": {"type": "string", "pattern": ID},
                   "description": description}
    if min_items:
        out["minItems"] = min_items
    return out


def ref(name: str, description: str = "") -> Schema:
    out: Schema = {"$ref": f"#/$defs/{name}"}
    if description:
        out["description"] = description
    return out


@frozen
class Key:
    """One key of a section: its name, whether a complete rule set must give it, its schema."""

    name: str
    schema: Schema
    required: bool = False
    overlay: bool = False  # only an overlay (a file with ``extends``) may give it


@frozen
class Table:
    """The keys of one section; ``name`` is its ``$defs`` entry in the schema.

    ``patchable``: an overlay may give part of it (mappings merge key by key, and
    ``questions``/``rules`` entries patch the base's entry of the same id), so the
    schema requires its required keys only of a complete rule set; ``patch_required``
    are needed even in a patch.
    """

    name: str
    keys: tuple[Key, ...]
    patchable: bool = False
    patch_required: tuple[str, ...] = ()

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.keys if k.required and not k.overlay)

    @property
    def optional(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.keys if not k.required and not k.overlay)

    @property
    def overlay_keys(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.keys if k.overlay)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.keys)


TOP = Table("ruleset_file", (
    Key("$schema", {"type": "string"}),
    Key("extends", {"type": "string", "minLength": 1,
                    "description": "'default', or the path (relative to this file) of the "
                                   "rule set this overlay changes."}, overlay=True),
    Key("remove_rules", ids("Base rules this overlay drops."), overlay=True),
    Key("remove_tests", {"type": "array", "items": {"type": "string"},
                         "description": "Names of inherited tests this overlay drops."},
        overlay=True),
    Key("ruleset", ref("ruleset"), required=True),
    Key("outcomes", {"type": "object", "propertyNames": {"pattern": ID},
                     "additionalProperties": ref("outcome")}, required=True),
    Key("tradeoffs", {"type": "object", "propertyNames": {"pattern": ID},
                      "additionalProperties": ref("tradeoff")}, required=True),
    Key("questions", {"type": "array", "items": ref("question")}, required=True),
    Key("rules", {"type": "array", "items": ref("rule")}, required=True),
    Key("decision", ref("decision"), required=True),
    Key("scenarios", {"type": "array", "items": ref("scenario")}),
    Key("tests", {"type": "array", "items": ref("test_case")}),
    Key("next_steps", {"type": "array", "items": ref("next_step")}),
    Key("paths", {"type": "object", "propertyNames": {"pattern": ID},
                  "additionalProperties": ref("path"),
                  "description": "Path id (such as 'open.hosted-api') to one way of running an "
                                 "outcome; ids must differ from the outcome ids."}),
    Key("path_rules", {"type": "array", "items": ref("path_rule"),
                       "description": "In order: for the winning outcome, the first rule of "
                                      "one of its paths whose when holds and whose path no "
                                      "fired rule excludes chooses the path."}),
    Key("budget_bands", ref("budget_bands",
                            "Monthly ceilings (USD) of the budget answers, which reports "
                            "compare with the chosen path's cost estimate.")),
), patchable=True)

META = Table("ruleset", (
    Key("id", {"type": "string", "pattern": ID}, required=True),
    Key("version", {"type": ["string", "number"]}, required=True),
    Key("title", text(), required=True),
    Key("source", text("Where the rules come from (the article)."), required=True),
    Key("description", text()),
), patchable=True, patch_required=("id",))

OUTCOME = Table("outcome", (
    Key("label", text(), required=True),
    Key("summary", text(), required=True),
), patchable=True)

TRADEOFF = Table("tradeoff", (
    Key("side", {"enum": list(TRADEOFF_SIDES)}, required=True),
    Key("kind", {"enum": list(TRADEOFF_KINDS)}, required=True),
    Key("title", text(), required=True),
    Key("text", text(), required=True),
), patchable=True)

CHOICE = Table("choice", (
    Key("value", {"type": "string", "pattern": VALUE}, required=True),
    Key("label", text(), required=True),
    Key("help", text()),
))

QUESTION = Table("question", (
    Key("id", {"type": "string", "pattern": ID}, required=True),
    Key("prompt", text("What the quiz asks."), required=True),
    Key("type", {"enum": list(QUESTION_TYPES)}, required=True),
    Key("help", text("A longer explanation shown with the question.")),
    Key("choices", {"type": "array", "minItems": 1, "items": ref("choice")}),
    Key("default", {"description": "Used with --defaults and by the quiz."}),
    Key("required", {"type": "boolean", "default": True,
                     "description": "false: the question may be left unanswered."}),
    Key("when", ref("condition", "Ask only when this holds (on earlier answers).")),
    Key("min", {"type": "number"}),
    Key("max", {"type": "number"}),
    Key("unit", text()),
    Key("title", text("A short name for summaries, such as 'Lock-in'.")),
    Key("kind", {"enum": list(QUESTION_KINDS), "default": QUESTION_KINDS[0],
                 "description": "fact: a circumstance (never a decisive answer or a what-if "
                                "lever); preference: a need the team weighs."}),
    Key("monotone", ref("monotone", "Moving the answer one step toward 'from' must never make "
                                    "'to' win (rules analyze --monotonicity).")),
), patchable=True, patch_required=("id",))

MONOTONE = Table("monotone", (
    Key("from", {"type": "string", "pattern": ID}, required=True),
    Key("to", {"type": "string", "pattern": ID}, required=True),
    Key("order", {"type": "array", "minItems": 1, "uniqueItems": True,
                  "items": {"type": "string"},
                  "description": "Every choice once, from the 'from' end to the 'to' end "
                                 "(default: as listed; number questions: ascending)."}),
), patchable=True)

BEYOND_ARTICLE = Table("beyond_article", (
    Key("source", text("Where the reasoning comes from, since the article does not say it."),
        required=True),
    Key("as_of", {"anyOf": [{"type": "string", "pattern": AS_OF},
                            {"type": "integer", "minimum": 1900, "maximum": 2199}],
                  "description": "When the source was read: YYYY, YYYY-MM or YYYY-MM-DD."},
        required=True),
), patchable=True)

RULE = Table("rule", (
    Key("id", {"type": "string", "pattern": ID}, required=True),
    Key("when", ref("condition"), required=True),
    Key("because", text("One sentence a user understands."), required=True),
    Key("cites", ids("Trade-off ids this rule weighs.", min_items=1), required=True),
    Key("points", {"type": "object", "propertyNames": {"pattern": ID},
                   "additionalProperties": {"type": ["number", "null"]},
                   "description": "Points per outcome (null removes an outcome's points in an "
                                  "overlay)."}),
    Key("exclude", ids("Outcomes and path ids this rule rules out (a hard constraint).",
                       min_items=1)),
    Key("note", text()),
    Key("beyond_article", ref("beyond_article", "The rule goes beyond the article.")),
), patchable=True, patch_required=("id",))

PATH = Table("path", (
    Key("outcome", {"type": "string", "pattern": ID}, required=True),
    Key("label", text(), required=True),
    Key("summary", text(), required=True),
    Key("hosting", {"enum": list(HOSTINGS),
                    "description": "self: your infrastructure; hosted: a provider's."},
        required=True),
    Key("cost_option", {"type": "string", "pattern": ID,
                        "description": "The option of the cost estimate that prices it."},
        required=True),
), patchable=True)

PATH_RULE = Table("path_rule", (
    Key("path", {"type": "string", "pattern": ID}, required=True),
    Key("because", text("One sentence a user understands."), required=True),
    Key("cites", ids("Trade-off ids this rule weighs.", min_items=1), required=True),
    Key("when", ref("condition", "Absent: always (the outcome's fallback).")),
    Key("beyond_article", {**ref("beyond_article", "The rule goes beyond the article."),
                           "type": "object", "required": ["source", "as_of"]}),
    Key("cost_option", {"type": "string", "pattern": ID,
                        "description": "The cost option that prices the path when this rule "
                                       "chooses it (absent: the path's own)."}),
))

BUDGET_BANDS = Table("budget_bands", (
    Key("question", {"type": "string", "pattern": ID,
                     "description": "The choice question that asks the budget."},
        required=True),
    Key("monthly_usd", {"type": "object", "minProperties": 1,
                        "propertyNames": {"pattern": VALUE},
                        "additionalProperties": {"type": "number", "exclusiveMinimum": 0},
                        "description": "Choice value to its ceiling in USD a month; a "
                                       "choice left out has no ceiling."}, required=True),
    Key("because", text("Where the ceilings come from, in a sentence."), required=True),
    Key("cites", ids("Trade-offs a report cites when a path's cost exceeds the band.",
                     min_items=1), required=True),
    Key("beyond_article", {**ref("beyond_article", "The bands go beyond the article."),
                           "type": "object", "required": ["source", "as_of"]}),
), patchable=True)

DECISION = Table("decision", (
    Key("tie_break", ids("Every outcome once; exact ties go to the first.", min_items=1),
        required=True),
    Key("min_lead", {"type": "number", "minimum": 0, "maximum": 100, "default": 1,
                     "description": "A lead smaller than this is too close to call."}),
    Key("method", {"const": "weighted_sum",
                   "description": "The only method: the weighted sum of the fired rules' "
                                  "points."}),
    Key("mixed", ref("mixed")),
), patchable=True)

MIXED = Table("mixed", (
    Key("outcome", {"type": "string"}, required=True),
    Key("between", {"type": "array", "minItems": 2, "maxItems": 2,
                    "items": {"type": "string"}}, required=True),
    Key("weight", {"type": "number", "minimum": 0, "maximum": 5}, required=True),
    Key("because", text(), required=True),
    Key("cites", ids("Trade-off ids.", min_items=1), required=True),
    Key("min_points", {"type": "number"}),
), patchable=True)

SCENARIO = Table("scenario", (
    Key("id", text("A trade-off id of kind scenario."), required=True),
    Key("because", text(), required=True),
    Key("recommendation", ids("Outcomes it fits.", min_items=1)),
    Key("when", ref("condition")),
    Key("label", text("How reports name the scenario for these outcomes, after the "
                      "trade-off's title, when the title alone could be misread.")),
))

NEXT_STEP = Table("next_step", (
    Key("id", {"type": "string", "pattern": ID}, required=True),
    Key("cites", ids("Trade-offs it comes from; at least one lesson.", min_items=1),
        required=True),
    Key("text", text("The step, in one or two sentences."), required=True),
    Key("recommendation", ids("Outcomes it applies to.", min_items=1)),
    Key("paths", ids("Path ids it applies to.", min_items=1)),
    Key("when", ref("condition")),
))

TEST_CASE = Table("test_case", (
    Key("name", text(), required=True),
    Key("answers", {"type": "object", "description": "Question id to answer."}, required=True),
    Key("expect", ref("expect"), required=True),
    Key("profile", {"enum": list(TEST_PROFILES),
                    "description": "clear: one answer is right; ambiguous: several are "
                                   "defensible (list them in expect)."}),
    Key("reason", text("Why the expected verdict is right.")),
))

EXPECT = Table("expect", (
    Key("recommendation", {"anyOf": [{"type": "string", "pattern": ID},
                                     ids("Acceptable outcomes.", min_items=1)],
                           "description": "The outcome, or a list of acceptable ones."}),
    Key("path", ids("Acceptable path ids.", min_items=1)),
    Key("fired", ids("Rules that must fire (decision.mixed: the mixed bonus).")),
    Key("not_fired", ids("Rules that must not fire.")),
    Key("excluded", ids("Exactly these outcomes are excluded.")),
    Key("min_confidence", {"type": "number", "minimum": 0, "maximum": 1}),
))

TABLES: tuple[Table, ...] = (TOP, META, OUTCOME, TRADEOFF, CHOICE, QUESTION, MONOTONE,
                             BEYOND_ARTICLE, RULE, PATH, PATH_RULE, BUDGET_BANDS, DECISION,
                             MIXED, SCENARIO, NEXT_STEP, TEST_CASE, EXPECT)

_VALUES: Schema = {"type": "array", "items": {"type": "string"}}
_OPERATORS: dict[str, Schema] = {
    "eq": {"description": "Equal to."},
    "in": {**_VALUES, "description": "A choice question's value is one of these."},
    "not_in": {**_VALUES, "description": "A choice question's value is none of these."},
    "lt": {"type": "number"}, "lte": {"type": "number"},
    "gt": {"type": "number"}, "gte": {"type": "number"},
    "contains_any": {**_VALUES, "description": "A multi-choice answer includes any of these."},
    "contains_all": {**_VALUES, "description": "A multi-choice answer includes all of these."},
    "answered": {"type": "boolean",
                 "description": "The (optional) question was answered, or not."},
}
# One schema entry per operator the conditions know; a missing one fails at import.
OPERATORS: dict[str, Schema] = {op: _OPERATORS[op] for op in ALL_OPS}
