"""The answer space of a rule set: which answers each question can take, and their combinations.

Every question becomes an :class:`Axis` with a finite list of *states*:

* ``choice``: each value; ``confirm``: true and false;
* ``multi``: every subset of its values (only up to :data:`MAX_MULTI` values;
  above that, the empty set, each single value and all values);
* ``number``: representative values around the thresholds the rule set's
  conditions use (``engine.alternatives``: halfway between thresholds, each
  threshold, and one below the lowest and one above the highest); a number
  that no condition uses has no states beyond its default (or none when it is
  optional, as only "unanswered" then matters);
* ``None``, first, for "unanswered": for an optional question, and for a
  question with a ``when`` (where it stands for "not asked").

A *profile* is one state per axis. Profiles that describe the same answers
twice (a value for a question that is not asked) or miss a required answer are
not *canonical* and are skipped, so every set of answers is counted once.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import cast

from llmchoice.answers.validate import applicable
from llmchoice.decide.engine import Scored, alternatives
from llmchoice.frozen import frozen
from llmchoice.io.errors import UsageError
from llmchoice.ruleset.conditions import Answer, leaves
from llmchoice.ruleset.model import Question, RuleSet

MAX_MULTI = 6
State = Answer | None
Scorer = Callable[[RuleSet, Mapping[str, Answer]], Scored]  # engine.score's signature

DEFAULT_SAMPLES = 1000
MAX_CORE = 200_000
MAX_STRATA = 256
NONE = "(none)"  # no outcome left: every outcome excluded


@frozen
class Axis:
    question: Question
    states: tuple[State, ...]

    @property
    def id(self) -> str:
        return self.question.id

    @property
    def core(self) -> bool:
        """Part of the exhaustive core: a required question."""
        return self.question.required


def answered_states(rs: RuleSet, q: Question) -> tuple[Answer, ...]:
    """The representative answers of one question (see the module's docstring)."""
    if q.type == "choice":
        return q.values
    if q.type == "confirm":
        return (True, False)
    if q.type == "multi":
        vals = q.values
        if len(vals) <= MAX_MULTI:
            return tuple(tuple(c) for n in range(len(vals) + 1)
                         for c in itertools.combinations(vals, n))
        return ((), *((v,) for v in vals), tuple(vals))
    reps = alternatives(rs, q, None)
    reps += [v for v in _gate_values(rs, q) if v not in reps]
    if reps:
        return tuple(reps)
    if q.required:
        fallback = q.default if q.default is not None else (q.minimum or 0)
        return (fallback,)  # type: ignore[return-value]
    return ()


def _gate_values(rs: RuleSet, q: Question) -> list[Answer]:
    """Numbers on each side of every limit another question's ``when`` compares ``q``
    with (``gpus > 0`` asks about GPU kinds only for 1 or more), within ``q``'s range, so
    a question asked only above a limit is seen asked."""
    out: list[Answer] = []
    for other in rs.questions:
        for leaf in leaves(other.when) if other.when is not None else ():
            if leaf.question != q.id or leaf.op not in ("eq", "lt", "lte", "gt", "gte"):
                continue
            t = float(cast(float, leaf.value))
            for v in (t / 2 if t > 0 else t - 1, t, t * 2 if t > 0 else t + 1):
                if (q.minimum is not None and v < q.minimum) or \
                        (q.maximum is not None and v > q.maximum):
                    continue
                rep: Answer = int(v) if v.is_integer() else v
                if rep not in out:
                    out.append(rep)
    return out


def axis_of(rs: RuleSet, q: Question) -> Axis:
    states: tuple[State, ...] = answered_states(rs, q)
    if not q.required or q.when is not None:
        states = (None, *states)
    return Axis(q, states)


def axes_of(rs: RuleSet) -> tuple[Axis, ...]:
    return tuple(axis_of(rs, q) for q in rs.questions)


def show_state(state: State) -> str:
    """How a state reads in reports: ``unanswered``, ``1000``, ``[a, b]``."""
    if state is None:
        return "unanswered"
    if isinstance(state, tuple):
        return "[" + ", ".join(state) + "]"
    if isinstance(state, bool):
        return "true" if state else "false"
    if isinstance(state, float) and state.is_integer():
        return str(int(state))
    return str(state)


def make_answers(axes: Sequence[Axis], digits: Sequence[int]) -> dict[str, Answer] | None:
    """The answers of one profile, or ``None`` when the profile is not canonical."""
    out: dict[str, Answer] = {}
    for ax, i in zip(axes, digits, strict=True):
        q = ax.question
        value = ax.states[i]
        if q.when is not None and not applicable(q, out):
            if value is not None:
                return None
            continue
        if value is None:
            if q.required:
                return None
            continue
        out[q.id] = value
    return out


@frozen
class Grid:
    """A mixed-radix grid over some axes: index <-> digits, first axis most significant."""

    axes: tuple[Axis, ...]

    @property
    def radices(self) -> tuple[int, ...]:
        return tuple(len(a.states) for a in self.axes)

    @property
    def size(self) -> int:
        return math.prod(self.radices)

    def strides(self) -> tuple[int, ...]:
        out = []
        stride = 1
        for r in reversed(self.radices):
            out.append(stride)
            stride *= r
        return tuple(reversed(out))

    def digits(self, index: int) -> tuple[int, ...]:
        out = []
        for r in reversed(self.radices):
            index, d = divmod(index, r)
            out.append(d)
        return tuple(reversed(out))

    def all_digits(self) -> Iterator[tuple[int, ...]]:
        """Every profile's digits, in index order."""
        return itertools.product(*(range(r) for r in self.radices))

    def sample(self, n: int, seed: int) -> list[int]:
        """``n`` distinct indices drawn uniformly (all of them if ``n`` >= size), sorted."""
        if n >= self.size:
            return list(range(self.size))
        return sorted(random.Random(seed).sample(range(self.size), n))


def has_when(axes: Sequence[Axis]) -> bool:
    return any(a.question.when is not None for a in axes)


@frozen
class Space:
    """Axes in question order, split into the exhaustive core and the optional extras."""

    axes: tuple[Axis, ...]

    @property
    def core(self) -> Grid:
        return Grid(tuple(a for a in self.axes if a.core))

    @property
    def extra(self) -> Grid:
        return Grid(tuple(a for a in self.axes if not a.core))

    def raw(self, core_digits: Sequence[int], extra_digits: Sequence[int]) -> dict[str, State]:
        ci = iter(core_digits)
        ei = iter(extra_digits)
        return {a.id: a.states[next(ci) if a.core else next(ei)] for a in self.axes}

    def describe(self) -> list[dict[str, object]]:
        return [{"question": a.id, "required": a.core,
                 "states": [show_state(s) for s in a.states]} for a in self.axes]


def fit(rs: RuleSet, raw: Mapping[str, State]) -> tuple[dict[str, Answer], set[str]] | None:
    """One rule set's answers for a raw profile, and the questions it used.

    Questions the profile does not name take their default when required (else
    stay unanswered); questions whose ``when`` is false are dropped. ``None``
    when a required question that applies has no answer.
    """
    out: dict[str, Answer] = {}
    used: set[str] = set()
    for q in rs.questions:
        value = raw.get(q.id, q.default if q.required else None)
        if q.when is not None and not applicable(q, out):
            continue
        used.add(q.id)
        if value is None:
            if q.required:
                return None
            continue
        out[q.id] = cast(Answer, value)
    return out, used


def space_of(rs: RuleSet) -> Space:
    return Space(tuple(axis_of(rs, q) for q in rs.questions))


def common_space(old: RuleSet, new: RuleSet) -> Space:
    """The questions both rule sets ask, with the states both accept."""
    problems = []
    for a, b in ((old, new), (new, old)):
        for q in a.questions:
            if not b.has_question(q.id) and q.required and q.default is None:
                problems.append(f"{a.source} requires {q.id!r}, which {b.source} does not ask, "
                                "and it has no default")
    if problems:
        raise UsageError("cannot compare the rule sets: " + "; ".join(problems))
    axes = []
    for q in new.questions:
        if not old.has_question(q.id):
            continue
        p = old.question(q.id)
        if p.type != q.type:
            raise UsageError(f"cannot compare the rule sets: question {q.id!r} is a {p.type} "
                             f"question in {old.source} and a {q.type} question in {new.source}")
        mine = answered_states(new, q)
        theirs = answered_states(old, p)
        if q.type == "number":
            states: tuple[State, ...] = tuple(sorted({*mine, *theirs}, key=float))  # type: ignore[arg-type]
        else:
            states = tuple(s for s in mine if s in theirs)
        required = q.required or p.required
        if not required or q.when is not None or p.when is not None:
            states = (None, *states)
        merged = Question(q.id, q.prompt, q.help, q.type, q.choices, q.default, required,
                          q.when, q.minimum, q.maximum, q.unit, q.line)
        axes.append(Axis(merged, states))
    return Space(tuple(axes))


def non_canonical(raw: Mapping[str, State], used: set[str]) -> bool:
    """A profile that names a value for a question no rule set asks: a duplicate."""
    return any(v is not None and k not in used for k, v in raw.items())
