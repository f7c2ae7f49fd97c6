"""Answers: read them from a file, stdin or ``--set``, and validate them in one place.

Every path an answer can come by (a file, ``--set``, question defaults, the
quiz) goes through :func:`coerce` for one value and :func:`validate` for the
whole set, so a value the quiz would refuse is refused from a file too.

Precedence: ``--set`` over the file over question defaults; defaults only with
``use_defaults``. All problems are reported at once, each with the allowed values.

Every question, required or not and of any type, accepts the literal :data:`UNSURE`
(``unsure``): the answer is left out of the validated answers (so conditions on it are
unknown and the rules reading it are skipped, exactly as for an unanswered optional
question) and its question is listed in :attr:`Resolved.unsure`.

The literal :data:`NOT_ASKED` (``not_asked``) is what the adaptive quiz saves for a question
it did not need to ask: left out of the answers in the same way, and listed in
:attr:`Resolved.not_asked` (a choice question whose own choices include ``not_asked`` reads
it as that choice).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Mapping
from itertools import filterfalse
from pathlib import Path
from typing import IO

from llmchoice.answers.meta import read_meta
from llmchoice.frozen import frozen
from llmchoice.io import yamlio
from llmchoice.io.check import describe, did_you_mean
from llmchoice.io.errors import AnswersError, Location, Problem, UsageError
from llmchoice.io.numbers import NumberError, parse_number, percent_scale
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.keys import META_KEYS
from llmchoice.ruleset.model import NOT_ASKED as NOT_ASKED  # re-exported for readers of answers
from llmchoice.ruleset.model import UNSURE as UNSURE
from llmchoice.ruleset.model import Question, RuleSet

MAX_ANSWERS_BYTES = 1024 * 1024
ANSWERS_LIMITS = yamlio.Limits(max_bytes=MAX_ANSWERS_BYTES, max_depth=16, max_nodes=20_000)
IGNORED_KEYS = ("$schema", *META_KEYS)  # data about the answers, not answers

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
            value = parse_number(raw, percent=percent_scale(q.unit))
        except NumberError as exc:
            if exc.reason.startswith("expected"):
                return None, exc.reason
            why = f"; {exc.reason}" if exc.reason else ""
            return None, f"expected {allowed_text(q)}, found {describe(raw)}{why}"
        # whole numbers stay exact ints; beyond 2**53 a float, as a file's number would be
        value = int(value) if float(value).is_integer() and abs(value) < 2**53 else float(value)
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


def is_unsure(raw: object, *, from_text: bool = False) -> bool:
    """Whether ``raw`` is the answer :data:`UNSURE` (from text, around spaces too)."""
    return type(raw) is str and (raw == UNSURE or (from_text and raw.strip() == UNSURE))


def is_not_asked(q: Question, raw: object, *, from_text: bool = False) -> bool:
    """Whether ``raw`` is the answer :data:`NOT_ASKED` (unless it is one of ``q``'s choices)."""
    return type(raw) is str and (raw == NOT_ASKED or (from_text and raw.strip() == NOT_ASKED)) \
        and NOT_ASKED not in q.values


def _bad(q: Question, raw: object) -> str:
    hint = did_you_mean(raw, q.values) if isinstance(raw, str) else ""
    return f"{describe(raw)} is not allowed{hint}; expected {allowed_text(q)}"


@frozen
class Resolved:
    """Validated answers, in question order, answers dropped because their question does
    not apply (its ``when`` is false), the questions answered ``unsure`` (in question
    order; not in ``answers``), the questions whose answer was filled from the
    question's default (``use_defaults``; in question order, each in ``answers``), and the
    questions the adaptive quiz did not ask (:data:`NOT_ASKED`; not in ``answers``)."""

    answers: dict[str, Answer]
    not_applicable: tuple[str, ...] = ()
    unsure: tuple[str, ...] = ()
    defaulted: tuple[str, ...] = ()
    not_asked: tuple[str, ...] = ()


@frozen
class AnswerProblem(Problem):
    """One problem with the answers, as data: which question (None for none), what kind
    (``unknown``, ``missing`` or ``invalid``), and whether the question has a default
    (``--defaults`` would fill a missing answer)."""

    question: str | None = None
    kind: str = "invalid"
    has_default: bool = False


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
    """Check answers against the rule set's questions; raise :class:`AnswersError` listing all
    (each an :class:`AnswerProblem`).

    ``require_all=False`` accepts a partial set (the quiz's ``--answers``, which asks the rest).
    """

    def where(qid: str, *, key: bool = False) -> Location:
        if locate is not None and qid in given:
            return locate.locate((qid,), key=key)
        return Location(source)

    sets = sets or {}
    problems = _unknown(rs, given, sets, where) + _meta_problems(given, source, locate)
    out: dict[str, Answer] = {}
    dropped: list[str] = []
    unsure, not_asked = list[str](), list[str]()
    for q in rs.questions:
        qid = q.id
        from_text = False
        raw: object
        if qid in sets:
            raw, from_text = sets[qid], True
        else:
            raw = given.get(qid)
            if raw is None and use_defaults:
                raw = q.default
        if q.when is not None and q.when.evaluate(out) is not True:
            if raw is not None and (qid in sets or qid in given):
                dropped.append(qid)
            continue
        if raw is None:
            if q.required and require_all:
                problems.append(_missing(q, source))
            continue
        if is_unsure(raw, from_text=from_text) or is_not_asked(q, raw, from_text=from_text):
            (unsure if is_unsure(raw, from_text=from_text) else not_asked).append(qid)
            continue
        value, problem = coerce(q, raw, from_text=from_text)
        if problem:
            loc = (Location("--set") if from_text else
                   where(qid) if given.get(qid) is not None else Location(rs.source, q.line))
            problems.append(AnswerProblem(loc, f"{qid}: {problem}", qid, "invalid"))
            continue
        out[qid] = value  # type: ignore[assignment]
    if problems:
        n = len(problems)
        raise AnswersError(f"{source}: {n} problem{'s' if n != 1 else ''} with the answers",
                           tuple(problems))
    defaulted = tuple(q for q in out if use_defaults and q not in sets and given.get(q) is None)
    return Resolved(out, tuple(dropped), tuple(unsure), defaulted, tuple(not_asked))


def _unknown(rs: RuleSet, given: Mapping[str, object], sets: Mapping[str, str],
             where: Callable[..., Location]) -> list[Problem]:
    """A problem for each answer (or ``--set``) to a question the rule set does not ask."""
    problems: list[Problem] = []
    for qid in [*given, *sets]:
        if qid in IGNORED_KEYS or rs.has_question(qid):
            continue
        loc = Location("--set") if qid in sets and qid not in given else where(qid, key=True)
        problems.append(AnswerProblem(
            loc, f"unknown question {qid!r}{did_you_mean(qid, [q.id for q in rs.questions])}; "
                 f"questions are: {', '.join(q.id for q in rs.questions)}", qid, "unknown"))
    return problems


def _meta_problems(given: Mapping[str, object], source: str,
                   locate: yamlio.Document | None) -> list[Problem]:
    """What is wrong with the file's ``respondent`` and ``rule_set`` (answers.meta)."""
    if not any(k in given for k in META_KEYS):
        return []
    try:
        read_meta(given, source=source, locate=locate)
    except AnswersError as exc:
        return list(exc.problems)
    return []


def _missing(q: Question, source: str) -> AnswerProblem:
    hint = " (or use --defaults)" if q.default is not None else ""
    return AnswerProblem(Location(source), f"missing answer to {q.id!r}; expected "
                         f"{allowed_text(q)}{hint}", q.id, "missing", q.default is not None)


class Validator:
    """:func:`validate` for one rule set, with a fast entry for the common case (many answer
    sets, as ``batch`` reads them): :meth:`answers` recognises a valid choice answer by one
    set look-up (a table of what :func:`coerce` accepts for choice questions) and gives
    every other answer to :func:`coerce`; anything unusual goes to :func:`validate`, which
    gives the same answers or lists every problem."""

    MAX_ORDERS = 256  # most remembered orders of answers' keys

    def __init__(self, rs: RuleSet) -> None:
        self.ruleset = rs
        self._questions = {q.id: q for q in rs.questions}
        self._required = frozenset(q.id for q in rs.questions if q.required)
        self._unconditional = all(q.when is None for q in rs.questions)
        self._valid_pairs = frozenset((q.id, v) for q in rs.questions if q.type == "choice"
                                      for v in q.values)
        self._orders: dict[tuple[str, ...], tuple[str, ...]] = {}

    def validate(self, given: Mapping[str, object], *, source: str = "answers",
                 sets: Mapping[str, str] | None = None, use_defaults: bool = False,
                 ) -> Resolved:
        """Exactly :func:`validate` (without ``locate``)."""
        if not sets and not use_defaults:
            quick = self._quick(given)
            if quick is not None:
                return Resolved(*quick)
        return validate(self.ruleset, given, source=source, sets=sets, use_defaults=use_defaults)

    def answers(self, given: Mapping[str, object], *, source: str = "answers",
                use_defaults: bool = False) -> dict[str, Answer]:
        """``validate(given, ...).answers``: the validated answers, in question order."""
        if not use_defaults:
            quick = self._quick(given)
            if quick is not None:
                return quick[0]
        return validate(self.ruleset, given, source=source, use_defaults=use_defaults).answers

    def _quick(self, given: Mapping[str, object],
               ) -> tuple[dict[str, Answer], tuple[str, ...], tuple[str, ...]] | None:
        """The answers, none not applicable and the unsure questions, when no question
        depends on another and nothing is unusual; else None (the caller then takes
        :func:`validate`)."""
        if not self._unconditional:
            return None
        try:
            rest = list(filterfalse(self._valid_pairs.__contains__, given.items()))
        except TypeError:  # an unhashable answer, such as a list for a multi-choice question
            return None
        changed: dict[str, Answer] = {}
        unsure: list[str] = []
        for qid, raw in rest:
            q = self._questions.get(qid)
            if q is None:
                if qid in IGNORED_KEYS and qid not in META_KEYS:
                    continue
                return None  # an unknown id, or metadata to check: validate() does both
            if raw is None:
                return None
            if is_unsure(raw):
                unsure.append(qid)
                continue
            value, problem = coerce(q, raw)
            if problem:
                return None
            if value is not raw:
                changed[qid] = value  # type: ignore[assignment]
        if not self._required <= given.keys():
            return None
        keys = tuple(given)
        order = self._orders.get(keys)
        if order is None:
            order = tuple(q for q in self._questions if q in given)
            if len(self._orders) < self.MAX_ORDERS:
                self._orders[keys] = order
        out: dict[str, Answer]
        if order == keys:  # already in question order, nothing to leave out
            out = dict(given)  # type: ignore[arg-type]
        else:
            out = dict(zip(order, map(given.__getitem__, order), strict=True))  # type: ignore[arg-type]
        if changed:
            out.update(changed)
        if unsure:
            for qid in unsure:
                del out[qid]
            return out, (), tuple(q for q in self._questions if q in unsure)
        return out, (), ()


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
