"""Conditions: the ``when`` of rules and questions, as data.

A condition is a tree of :class:`Test` leaves under :class:`All`, :class:`Any`
and :class:`Not`. Evaluation is three-valued: ``True``, ``False``, or ``None``
when a question it needs was not answered. A rule fires only on ``True``; on
``None`` it is listed as skipped, so that absence never silently equals a value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from llmchoice.frozen import frozen

Answer = str | float | int | bool | tuple[str, ...]
Answers = Mapping[str, Answer]

CHOICE_OPS = ("eq", "in", "not_in")
NUMBER_OPS = ("eq", "lt", "lte", "gt", "gte")
MULTI_OPS = ("eq", "contains_any", "contains_all")
CONFIRM_OPS = ("eq",)
ALL_OPS = ("eq", "in", "not_in", "lt", "lte", "gt", "gte", "contains_any", "contains_all",
           "answered")


@frozen
class Test:
    """One comparison of one question's answer."""

    question: str
    op: str
    value: object

    def evaluate(self, answers: Answers) -> bool | None:
        if self.op == "answered":
            return (self.question in answers) == bool(self.value)
        if self.question not in answers:
            return None
        have = answers[self.question]
        op = self.op
        want = self.value
        if op == "eq":
            if isinstance(have, tuple):
                return set(have) == set(cast(tuple[str, ...], want))
            return bool(have == want)
        if op == "in":
            return have in want  # type: ignore[operator]
        if op == "not_in":
            return have not in want  # type: ignore[operator]
        if op == "contains_any":
            return any(v in have for v in want)  # type: ignore[attr-defined, operator]
        if op == "contains_all":
            return all(v in have for v in want)  # type: ignore[attr-defined, operator]
        number = float(have)  # type: ignore[arg-type]
        limit = float(want)  # type: ignore[arg-type]
        if op == "lt":
            return number < limit
        if op == "lte":
            return number <= limit
        if op == "gt":
            return number > limit
        return number >= limit  # gte

    def questions(self) -> frozenset[str]:
        return frozenset((self.question,))

    def describe(self) -> str:
        words = {
            "eq": "is", "in": "is one of", "not_in": "is not one of", "lt": "<", "lte": "<=",
            "gt": ">", "gte": ">=", "contains_any": "includes any of",
            "contains_all": "includes all of",
        }
        if self.op == "answered":
            return f"{self.question} is {'answered' if self.value else 'not answered'}"
        return f"{self.question} {words[self.op]} {_show(self.value)}"


@frozen
class All:
    items: tuple[Condition, ...]

    def evaluate(self, answers: Answers) -> bool | None:
        unknown = False
        for item in self.items:
            got = item.evaluate(answers)
            if got is False:
                return False
            if got is None:
                unknown = True
        return None if unknown else True

    def questions(self) -> frozenset[str]:
        return frozenset().union(*(i.questions() for i in self.items))

    def describe(self) -> str:
        return " and ".join(_paren(i) for i in self.items)


@frozen
class Any:
    items: tuple[Condition, ...]

    def evaluate(self, answers: Answers) -> bool | None:
        unknown = False
        for item in self.items:
            got = item.evaluate(answers)
            if got is True:
                return True
            if got is None:
                unknown = True
        return None if unknown else False

    def questions(self) -> frozenset[str]:
        return frozenset().union(*(i.questions() for i in self.items))

    def describe(self) -> str:
        return " or ".join(_paren(i) for i in self.items)


@frozen
class Not:
    item: Condition

    def evaluate(self, answers: Answers) -> bool | None:
        got = self.item.evaluate(answers)
        return None if got is None else not got

    def questions(self) -> frozenset[str]:
        return self.item.questions()

    def describe(self) -> str:
        return f"not {_paren(self.item)}"


Condition = Test | All | Any | Not

ALWAYS = All(())


def _paren(cond: Condition) -> str:
    text = cond.describe()
    return f"({text})" if isinstance(cond, All | Any) and len(cond.items) > 1 else text


def _show(value: object) -> str:
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def leaves(cond: Condition) -> list[Test]:
    """Every :class:`Test` in the tree, in order."""
    if isinstance(cond, Test):
        return [cond]
    if isinstance(cond, Not):
        return leaves(cond.item)
    out: list[Test] = []
    for item in cond.items:
        out.extend(leaves(item))
    return out
