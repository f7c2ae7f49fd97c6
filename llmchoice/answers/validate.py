"""Answers: read them from a file, stdin or ``--set``, and validate them in one place.

Every path an answer can come by (a file, ``--set``, question defaults, the
quiz) goes through :func:`coerce` for one value and :func:`validate` for the
whole set, so a value the quiz would refuse is refused from a file too.

Precedence: ``--set`` over the file over question defaults; defaults only with
``use_defaults``. All problems are reported at once, each with the allowed values.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from llmchoice.io import yamlio
from llmchoice.io.check import describe, did_you_mean
from llmchoice.io.errors import AnswersError, Location, Problem, UsageError
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import Question, RuleSet

MAX_ANSWERS_BYTES = 1024 * 1024
ANSWERS_LIMITS = yamlio.Limits(max_bytes=MAX_ANSWERS_BYTES, max_depth=16, max_nodes=20_000)
IGNORED_KEYS = ("$schema",)

_FLOAT_MAX = int(sys.float_info.max)  # a larger integer has no float: no finite number
_TRUE = ("true", "yes", "y", "1", "on")
_FALSE = ("false", "no", "n", "0", "off")


def allowed_text(q: Question) -> str:
    """What a question accepts, for error messages and help."""
    if q.type == "choice":
        return "one of " + ", ".join(q.values)
    if q.type == "multi":
        return "a list of any of " + ", ".join(q.values)
    if q.type == "confirm":
        return "true or false"
    bounds = []
    if q.minimum is not None:
        bounds.append(f">= {_num(q.minimum)}")
    if q.maximum is not None:
        bounds.append(f"<= {_num(q.maximum)}")
    unit = f" ({q.unit})" if q.unit else ""
    return "a number" + (" " + " and ".join(bounds) if bounds else "") + unit


def _num(value: float) -> str:
    """A bound as written, not in exponent form (100000000, not 1e+08)."""
    return str(int(value)) if float(value).is_integer() and abs(value) < 2**53 else f"{value:g}"


def coerce(q: Question, raw: object, *, from_text: bool = False) -> tuple[Answer | None, str]:
    """Turn one raw value into the question's type. Returns (value, "") or (None, problem).

    ``from_text`` is for ``--set`` and CSV cells, where everything arrives as text.
    """
    if q.type == "choice":
        if isinstance(raw, str) and raw in q.values:
            return raw, ""
        return None, _bad(q, raw)
    if q.type == "multi":
        items: object = raw
        if from_text and isinstance(raw, str):
            items = [p.strip() for p in raw.split(",") if p.strip()]
        if not isinstance(items, list | tuple):
            return None, f"expected a list, found {describe(raw)}; allowed: {allowed_text(q)}"
        out: list[str] = []
        for item in items:
            if not isinstance(item, str) or item not in q.values:
                return None, _bad(q, item)
            if item not in out:
                out.append(item)
        return tuple(v for v in q.values if v in out), ""
    if q.type == "confirm":
        if isinstance(raw, bool):
            return raw, ""
        if isinstance(raw, str):
            low = raw.strip().lower()
            if low in _TRUE:
                return True, ""
            if low in _FALSE:
                return False, ""
        return None, f"expected true or false, found {describe(raw)}"
    # number
    value: float | int
    if isinstance(raw, bool):
        return None, f"expected {allowed_text(q)}, found {describe(raw)}"
    if isinstance(raw, int | float):
        value = raw
    elif isinstance(raw, str):
        try:
            value = float(raw.strip().replace("_", "").replace(",", ""))
        except ValueError:
            return None, f"expected {allowed_text(q)}, found {describe(raw)}"
        if value.is_integer() and abs(value) < 2**53:
            value = int(value)
    else:
        return None, f"expected {allowed_text(q)}, found {describe(raw)}"
    if isinstance(value, int) and not -_FLOAT_MAX <= value <= _FLOAT_MAX:
        return None, f"expected a finite number, found a {len(str(abs(value)))}-digit number"
    if not math.isfinite(value):
        return None, f"expected a finite number, found {raw}"
    if (q.minimum is not None and value < q.minimum) or (
        q.maximum is not None and value > q.maximum
    ):
        return None, f"{value:g} is out of range; expected {allowed_text(q)}"
    return value, ""


def _bad(q: Question, raw: object) -> str:
    hint = did_you_mean(raw, q.values) if isinstance(raw, str) else ""
    return f"{describe(raw)} is not allowed{hint}; expected {allowed_text(q)}"


@dataclass(frozen=True, slots=True)
class Resolved:
    """Validated answers, in question order, and answers dropped because their question
    does not apply (its ``when`` is false)."""

    answers: dict[str, Answer]
    not_applicable: tuple[str, ...] = ()


def applicable(q: Question, answers: Mapping[str, Answer]) -> bool:
    """A question applies unless its ``when`` is false (unknown counts as not applying)."""
    return q.when is None or q.when.evaluate(answers) is True


def validate(
    rs: RuleSet,
    given: Mapping[str, object],
    *,
    source: str = "answers",
    sets: Mapping[str, str] | None = None,
    use_defaults: bool = False,
    locate: yamlio.Document | None = None,
    require_all: bool = True,
) -> Resolved:
    """Check answers against the rule set's questions; raise :class:`AnswersError` listing all.

    ``require_all=False`` accepts a partial set (the quiz's ``--answers``, which asks the rest).
    """
    problems: list[Problem] = []

    def where(qid: str, *, key: bool = False) -> Location:
        if locate is not None and qid in given:
            return locate.locate((qid,), key=key)
        return Location(source)

    sets = dict(sets or {})
    for qid in [*given, *sets]:
        if qid in IGNORED_KEYS or rs.has_question(qid):
            continue
        origin = "--set" if qid in sets and qid not in given else None
        loc = Location("--set") if origin else where(qid, key=True)
        problems.append(Problem(loc, f"unknown question {qid!r}"
                                     f"{did_you_mean(qid, [q.id for q in rs.questions])}; "
                                     f"questions are: {', '.join(q.id for q in rs.questions)}"))
    out: dict[str, Answer] = {}
    dropped: list[str] = []
    for q in rs.questions:
        raw: object = None
        from_text = False
        origin_loc: Location
        if q.id in sets:
            raw, from_text, origin_loc = sets[q.id], True, Location("--set")
        elif q.id in given and given[q.id] is not None:
            raw, origin_loc = given[q.id], where(q.id)
        elif use_defaults and q.default is not None:
            raw, origin_loc = q.default, Location(rs.source, q.line)
        else:
            raw, origin_loc = None, Location(source)
        if not applicable(q, out):
            if raw is not None and (q.id in sets or q.id in given):
                dropped.append(q.id)
            continue
        if raw is None:
            if q.required and require_all:
                problems.append(Problem(Location(source),
                                        f"missing answer to {q.id!r}; expected {allowed_text(q)}"
                                        + (" (or use --defaults)" if q.default is not None
                                           else "")))
            continue
        value, problem = coerce(q, raw, from_text=from_text)
        if problem:
            problems.append(Problem(origin_loc, f"{q.id}: {problem}"))
            continue
        assert value is not None
        out[q.id] = value
    if problems:
        n = len(problems)
        raise AnswersError(f"{source}: {n} problem{'s' if n != 1 else ''} with the answers",
                           tuple(problems))
    return Resolved(out, tuple(dropped))


def parse_sets(items: list[str]) -> dict[str, str]:
    """``--set ID=VALUE`` options into a mapping; a later one wins over an earlier one."""
    out: dict[str, str] = {}
    for item in items:
        qid, sep, value = item.partition("=")
        if not sep or not qid.strip():
            raise UsageError(f"--set {item!r}: expected ID=VALUE, for example --set budget=minimal")
        out[qid.strip()] = value.strip()
    return out


def read_answers(name: str | Path, *, stdin: IO[bytes] | None = None) -> yamlio.Document:
    """Read an answers file (YAML or JSON) or ``-``; the top level must be a mapping."""
    doc = yamlio.load(name, what="answers file", limits=ANSWERS_LIMITS, stdin=stdin)
    if not isinstance(doc.data, dict):
        raise AnswersError(
            f"{doc.locate(())}: expected a mapping of question id to answer "
            f"(for example 'budget: minimal'), found {describe(doc.data)}"
        )
    return doc


def to_plain(answers: Mapping[str, Answer]) -> dict[str, object]:
    """Answers as JSON/YAML-ready values (multi-choice tuples become lists)."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()}
