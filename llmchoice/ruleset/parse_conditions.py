"""Conditions as written in a rule set (``when:``), checked against the questions' types."""

from __future__ import annotations

from llmchoice.io import yamlio
from llmchoice.io.check import Checker, describe, did_you_mean
from llmchoice.ruleset.conditions import (
    ALL_OPS,
    ALWAYS,
    CHOICE_OPS,
    CONFIRM_OPS,
    MULTI_OPS,
    NUMBER_OPS,
    All,
    Any,
    Condition,
    Not,
    Test,
)
from llmchoice.ruleset.model import Question


def parse_condition(chk: Checker, path: yamlio.Path_, raw: object,
                    questions: dict[str, Question], what: str) -> Condition:
    """Build a condition, checking questions, values and operators against types."""
    if not isinstance(raw, dict) or not raw:
        chk.error(path, f"{what}: expected a condition mapping such as {{budget: minimal}}, "
                        f"found {describe(raw)}")
        return ALWAYS
    items: list[Condition] = []
    for key, value in raw.items():
        sub = (*path, key)
        if key in ("all", "any"):
            parts = chk.seq(sub, value, f"{what}: '{key}'", nonempty=True)
            conds = tuple(parse_condition(chk, (*sub, i), p, questions, what)
                          for i, p in enumerate(parts))
            items.append(All(conds) if key == "all" else Any(conds))
        elif key == "not":
            items.append(Not(parse_condition(chk, sub, value, questions, what)))
        elif key in questions:
            items.extend(_parse_tests(chk, sub, questions[key], value, what))
        else:
            chk.error(sub, f"{what}: unknown question {key!r}"
                           f"{did_you_mean(key, [*questions, 'all', 'any', 'not'])}; "
                           "expected a question id asked before this point, or all/any/not",
                      key=True)
    if len(items) == 1:
        return items[0]
    return All(tuple(items))


def _parse_tests(chk: Checker, path: yamlio.Path_, q: Question, raw: object,
                 what: str) -> list[Test]:
    if isinstance(raw, dict):
        tests = []
        for op, operand in raw.items():
            tests.append(_parse_test(chk, (*path, op), q, op, operand, what))
        if not tests:
            chk.error(path, f"{what}: an empty operator mapping for {q.id!r}")
        return tests
    return [_parse_test(chk, path, q, "eq", raw, what)]


def _parse_test(chk: Checker, path: yamlio.Path_, q: Question, op: str, operand: object,
                what: str) -> Test:
    allowed = {"choice": CHOICE_OPS, "number": NUMBER_OPS, "multi": MULTI_OPS,
               "confirm": CONFIRM_OPS}[q.type] + ("answered",)
    if op not in allowed:
        hint = did_you_mean(op, ALL_OPS) if op not in ALL_OPS else ""
        chk.error(path, f"{what}: operator {op!r}{hint} does not apply to {q.type} question "
                        f"{q.id!r}; expected one of {', '.join(allowed)}", key=True)
        return Test(q.id, "eq", None)
    label = f"{what}: {q.id!r}"
    if op == "answered":
        return Test(q.id, op, chk.boolean(path, operand, f"{label} answered"))
    if q.type == "number":
        return Test(q.id, op, chk.number(path, operand, label))
    if q.type == "confirm":
        return Test(q.id, op, chk.boolean(path, operand, label))
    many = op != "eq" or q.type == "multi"
    if many:
        values = operand if isinstance(operand, list) else None
        if values is None:
            chk.error(path, f"{label} {op}: expected a list of values from "
                            f"{', '.join(q.values)}, found {describe(operand)}")
            return Test(q.id, op, ())
        out = []
        for i, v in enumerate(values):
            checked = chk.one_of((*path, i), v, q.values, f"{label} value")
            if checked is not None:
                out.append(checked)
        return Test(q.id, op, tuple(out))
    checked = chk.one_of(path, operand, q.values, f"{label} value")
    return Test(q.id, op, checked)
