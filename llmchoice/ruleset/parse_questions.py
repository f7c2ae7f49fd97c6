"""The ``questions:`` section: ids, types, kinds, choices, number ranges, defaults, ``when``
and ``monotone``."""

from __future__ import annotations

import dataclasses
import re

from llmchoice.answers.validate import coerce
from llmchoice.io import yamlio
from llmchoice.io.check import Checker, describe, did_you_mean
from llmchoice.ruleset.keys import CHOICE, META_KEYS, MONOTONE, QUESTION
from llmchoice.ruleset.limits import MAX_CHOICES, MAX_QUESTIONS
from llmchoice.ruleset.model import (
    NOT_ASKED,
    QUESTION_KINDS,
    QUESTION_TYPES,
    UNSURE,
    Choice,
    Monotone,
    Question,
)
from llmchoice.ruleset.parse_conditions import parse_condition

_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")  # the whole value (fullmatch)


def parse_questions(chk: Checker, raw: object,
                    outcomes: tuple[str, ...] = ()) -> tuple[Question, ...]:
    """Every question in order; a ``when`` may name only questions before it."""
    items = chk.seq(("questions",), raw, "questions", nonempty=True)
    if len(items) > MAX_QUESTIONS:
        chk.error(("questions",), f"questions: {len(items):,} questions is over the limit of "
                                  f"{MAX_QUESTIONS} for one rule set")
        items = items[:MAX_QUESTIONS]
    seen: dict[str, Question] = {}
    for i, body in enumerate(items):
        q = _question(chk, ("questions", i), body, seen, outcomes)
        if q is not None:
            seen[q.id] = q
    return tuple(seen.values())


def _question(chk: Checker, path: yamlio.Path_, body: object,
              seen: dict[str, Question], outcomes: tuple[str, ...]) -> Question | None:
    b = chk.mapping(path, body, f"questions[{path[-1]}]", required=QUESTION.required,
                    optional=QUESTION.optional)
    if not b:
        return None
    qid = chk.ident((*path, "id"), b.get("id"), f"questions[{path[-1]}].id")
    what = f"question {qid!r}"
    if qid in seen:
        chk.error((*path, "id"), f"{what}: duplicate question id")
    elif qid in META_KEYS:
        chk.error((*path, "id"), f"{what}: this id is reserved for answers files "
                  f"({', '.join(META_KEYS)} say who answered and for which rule set); "
                  "choose another")
    qtype = chk.one_of((*path, "type"), b.get("type"), QUESTION_TYPES, f"{what} type")
    choices: tuple[Choice, ...] = ()
    if qtype in ("choice", "multi"):
        choices = _choices(chk, path, b.get("choices"), what)
    elif "choices" in b:
        chk.error((*path, "choices"), f"{what}: a {qtype} question has no choices", key=True)
    minimum, maximum = _number_range(chk, path, b, qtype, what)
    required = chk.boolean((*path, "required"), b.get("required", True), f"{what} required")
    when = None
    if "when" in b:
        when = parse_condition(chk, (*path, "when"), b["when"], dict(seen), f"{what} when")
    q = Question(
        id=qid, prompt=chk.text((*path, "prompt"), b.get("prompt"), f"{what} prompt"),
        help=chk.text((*path, "help"), b.get("help", ""), f"{what} help", allow_empty=True),
        type=qtype or "choice", choices=choices, required=required, when=when,
        minimum=minimum, maximum=maximum,
        unit=chk.text((*path, "unit"), b.get("unit", ""), f"{what} unit", allow_empty=True,
                      name=True),
        title=chk.text((*path, "title"), b.get("title", ""), f"{what} title",
                       allow_empty=True, name=True),
        line=chk.line(path),
        kind=chk.one_of((*path, "kind"), b.get("kind", QUESTION_KINDS[0]), QUESTION_KINDS,
                        f"{what} kind") or QUESTION_KINDS[0],
        monotone=(_monotone(chk, (*path, "monotone"), b["monotone"], qtype, choices, outcomes,
                            what) if "monotone" in b else None),
    )
    if "default" in b and b["default"] is not None:
        value, problem = coerce(q, b["default"])
        if problem:
            chk.error((*path, "default"), f"{what} default: {problem}")
        else:
            q = dataclasses.replace(q, default=value)
    return q


def _choices(chk: Checker, path: yamlio.Path_, raw: object, what: str) -> tuple[Choice, ...]:
    choices: list[Choice] = []
    items = chk.seq((*path, "choices"), raw, f"{what} choices", nonempty=True)
    if len(items) > MAX_CHOICES:
        chk.error((*path, "choices"), f"{what}: {len(items):,} choices is over the limit of "
                                      f"{MAX_CHOICES} for one question")
        items = items[:MAX_CHOICES]
    for j, c in enumerate(items):
        cpath = (*path, "choices", j)
        cm = chk.mapping(cpath, c, f"{what} choice", required=CHOICE.required,
                         optional=CHOICE.optional)
        value = cm.get("value")
        if not isinstance(value, str) or not _VALUE.fullmatch(value):
            chk.error((*cpath, "value"), f"{what} choice value: expected a word of "
                      f"letters, digits, '-', '_' or '.', found {describe(value)}")
            continue
        if value in [x.value for x in choices]:
            chk.error((*cpath, "value"), f"{what}: duplicate choice {value!r}")
        if value == UNSURE:
            chk.error((*cpath, "value"), f"{what}: {UNSURE!r} cannot be a choice; it is the "
                                         "answer every question accepts for 'not sure'")
        elif value == NOT_ASKED:
            chk.error((*cpath, "value"), f"{what}: {NOT_ASKED!r} cannot be a choice; it is "
                                         "what the quiz saves for a question it did not need")
        choices.append(Choice(value, chk.text((*cpath, "label"), cm.get("label"), "label",
                                              name=True),
                              chk.text((*cpath, "help"), cm.get("help", ""), "help",
                                       allow_empty=True)))
    return tuple(choices)


def _number_range(chk: Checker, path: yamlio.Path_, b: dict[str, object], qtype: str | None,
                  what: str) -> tuple[float | None, float | None]:
    """``min``/``max`` of a number question; on any other type they (and ``unit``) are errors."""
    if qtype != "number":
        for key in ("min", "max", "unit"):
            if key in b:
                chk.error((*path, key), f"{what}: {key!r} is only for number questions",
                          key=True)
        return None, None
    minimum = chk.number((*path, "min"), b["min"], f"{what} min") if "min" in b else None
    maximum = chk.number((*path, "max"), b["max"], f"{what} max") if "max" in b else None
    if minimum is not None and maximum is not None and minimum > maximum:
        chk.error((*path, "max"), f"{what}: max {maximum} is below min {minimum}")
    return minimum, maximum


def _monotone(chk: Checker, path: yamlio.Path_, raw: object, qtype: str | None,
              choices: tuple[Choice, ...], outcomes: tuple[str, ...],
              what: str) -> Monotone | None:
    """``{from, to, order}``: for choice and number questions only.

    A multi answer is a set, with no one step toward either end, and a confirm
    question has no values to order; a choice question with two values says it.
    """
    m = chk.mapping(path, raw, f"{what} monotone", required=MONOTONE.required,
                    optional=MONOTONE.optional)
    if not m or qtype is None:
        return None
    if qtype in ("multi", "confirm"):
        chk.error(path, f"{what} monotone: only a choice or number question has an order of "
                        f"answers; a {qtype} question has none", key=True)
        return None
    ends = []
    for key in ("from", "to"):
        if key in m:
            ends.append(chk.one_of((*path, key), m[key], outcomes, f"{what} monotone.{key}"))
    if len(ends) != 2 or ends[0] is None or ends[1] is None:
        return None
    if ends[0] == ends[1]:
        chk.error((*path, "to"), f"{what} monotone: 'from' and 'to' are both {ends[0]!r}; "
                                 "expected two different outcomes")
        return None
    values = tuple(c.value for c in choices)
    order: tuple[str, ...] = values
    if "order" in m:
        if qtype == "number":
            chk.error((*path, "order"), f"{what} monotone.order: a number question's answers "
                                        "go in ascending order; leave 'order' out", key=True)
            return None
        order = _order(chk, (*path, "order"), m["order"], values, what)
    return Monotone(ends[0], ends[1], order)


def _order(chk: Checker, path: yamlio.Path_, raw: object, values: tuple[str, ...],
           what: str) -> tuple[str, ...]:
    """Every choice of the question exactly once."""
    items = chk.seq(path, raw, f"{what} monotone.order", nonempty=True, of="choice values")
    out: list[str] = []
    for i, v in enumerate(items):
        if not isinstance(v, str) or v not in values:
            hint = did_you_mean(v, values) if isinstance(v, str) else ""
            chk.error((*path, i), f"{what} monotone.order: expected one of "
                                  f"{', '.join(values)}, found {describe(v)}{hint}")
        elif v in out:
            chk.error((*path, i), f"{what} monotone.order: {v!r} is listed twice")
        else:
            out.append(v)
    missing = [v for v in values if v not in out]
    if missing and len(out) == len(items):  # a wrong or repeated value is reported above
        chk.error(path, f"{what} monotone.order: expected every choice once, missing "
                        f"{', '.join(missing)}")
    return tuple(out)
