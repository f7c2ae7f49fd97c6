"""``rules analyze --monotonicity``: each question's declared direction, checked everywhere.

A question may declare ``monotone: {from: A, to: B, order: [...]}``: moving its answer
one step toward the ``from`` end of ``order`` (for a number question: to the next lower
representative value, since ascending numbers go from ``from`` to ``to``) must never
help ``to``. For every profile of the answer space (:mod:`llmchoice.authoring.space`:
every combination of the required questions with the optional ones unanswered, and each
combination of optional answers with a seeded sample of ``samples`` core profiles), for
every question with ``monotone`` and every such one-step move, three things must hold:

* ``from-falls``: the score of ``from`` never falls;
* ``to-rises``: the score of ``to`` never rises;
* ``becomes-to``: the verdict never becomes ``to`` when it was not ``to`` before.

A move that changes which outcomes are excluded (it adds or removes a hard constraint,
such as ``data: on_premises``) is not judged by these: a constraint is not a weight, and
taking one away may let ``to`` win by design. Such moves are counted and listed apart as
*constraint changes*, never as violations. Unanswered optional questions are not on the
order, so no move starts or ends there.

Scoring goes through the compiled evaluator (:mod:`llmchoice.decide.compiled`), once
per distinct profile.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from llmchoice.answers.validate import to_plain
from llmchoice.authoring.space import DEFAULT_SAMPLES, Space, State, fit, non_canonical, space_of
from llmchoice.decide.compiled import Verdict, compiled_for
from llmchoice.decide.rule import NoOutcomeLeft
from llmchoice.frozen import frozen
from llmchoice.io.errors import UsageError
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import RuleSet

EXAMPLES = 3
KINDS = ("from-falls", "to-rises", "becomes-to")
Digits = tuple[int, ...]  # one state index per axis, in question order


def _plain(state: State) -> object:
    return list(state) if isinstance(state, tuple) else state


@frozen
class Move:
    """One checked move that broke the declared direction (or changed a constraint)."""

    question: str
    before: State
    after: State
    answers: dict[str, Answer]  # before the move
    detail: str

    def to_json(self) -> dict[str, object]:
        return {"question": self.question, "from": _plain(self.before),
                "to": _plain(self.after), "answers": to_plain(self.answers),
                "detail": self.detail}


@dataclass
class Monotonicity:
    """What :func:`monotonicity` found: moves checked, violations per kind (with up to
    ``EXAMPLES`` examples each), and constraint changes (counted apart)."""

    questions: list[str]  # the questions that declare a direction
    profiles: int = 0
    moves: int = 0
    violations: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    examples: dict[str, list[Move]] = field(default_factory=lambda: {k: [] for k in KINDS})
    constraint_changes: int = 0
    constraint_examples: list[Move] = field(default_factory=list)
    per_question: dict[str, int] = field(default_factory=dict)  # violations per question

    @property
    def total(self) -> int:
        return sum(self.violations.values())

    def to_json(self) -> dict[str, object]:
        return {"questions": self.questions, "profiles": self.profiles, "moves": self.moves,
                "violations": self.violations, "per_question": self.per_question,
                "examples": {k: [m.to_json() for m in v] for k, v in self.examples.items()},
                "constraint_changes": self.constraint_changes,
                "constraint_examples": [m.to_json() for m in self.constraint_examples]}


def steps(rs: RuleSet, space: Space) -> dict[int, dict[int, int]]:
    """For each axis (by position) whose question declares ``monotone``: each state index
    -> the state index one step toward ``from`` (states at the ``from`` end, and
    "unanswered", have none)."""
    out: dict[int, dict[int, int]] = {}
    for k, axis in enumerate(space.axes):
        m = axis.question.monotone
        if m is None:
            continue
        states = axis.states
        if axis.question.type == "number":
            order: list[State] = sorted((s for s in states if s is not None),
                                        key=lambda s: float(s))  # type: ignore[arg-type]
        else:
            order = list(m.order or axis.question.values)
        index = {s: i for i, s in enumerate(states)}
        out[k] = {index[order[i]]: index[order[i - 1]] for i in range(1, len(order))
                  if order[i] in index and order[i - 1] in index}
    return out


def _profiles(space: Space, samples: int, seed: int) -> Iterator[Digits]:
    """Every core profile (optional answers unanswered), then each combination of optional
    answers with the same seeded sample of ``samples`` core profiles."""
    core, extra = space.core, space.extra
    zeros = (0,) * len(extra.axes)
    core_pos = [k for k, a in enumerate(space.axes) if a.core]
    extra_pos = [k for k, a in enumerate(space.axes) if not a.core]

    def merge(c: Digits, e: Digits) -> Digits:
        d = [0] * len(space.axes)
        for k, v in zip(core_pos, c, strict=True):
            d[k] = v
        for k, v in zip(extra_pos, e, strict=True):
            d[k] = v
        return tuple(d)

    for c in core.all_digits():
        yield merge(c, zeros)
    if samples and extra.axes:
        sample = core.sample(samples, seed)
        for e in extra.all_digits():
            if any(e):
                for i in sample:
                    yield merge(core.digits(i), e)


class _Scorer:
    """Verdicts by profile digits, each distinct profile scored once (None: the profile
    is not canonical, or no outcome is left)."""

    def __init__(self, rs: RuleSet, space: Space) -> None:
        self.rs, self.space = rs, space
        self.compiled = compiled_for(rs)
        self.memo: dict[Digits, tuple[dict[str, Answer], Verdict] | None] = {}

    def __call__(self, digits: Digits) -> tuple[dict[str, Answer], Verdict] | None:
        if digits in self.memo:
            return self.memo[digits]
        raw = {a.id: a.states[d] for a, d in zip(self.space.axes, digits, strict=True)}
        fitted = fit(self.rs, raw)
        found = None
        if fitted is not None and not non_canonical(raw, fitted[1]):
            try:
                found = fitted[0], self.compiled.verdict_of_valid(fitted[0])
            except NoOutcomeLeft:
                found = None
        self.memo[digits] = found
        return found


def _judge(report: Monotonicity, frm: str, to: str, before: Verdict, after: Verdict,
           move: Move) -> None:
    """Count one move: a constraint change, or each broken rule of the direction."""
    if {e.outcome for e in before.excluded} != {e.outcome for e in after.excluded}:
        report.constraint_changes += 1
        if len(report.constraint_examples) < EXAMPLES:
            report.constraint_examples.append(move)
        return
    broken = []
    if after.scores[frm] < before.scores[frm]:
        broken.append(("from-falls", f"{frm} {before.scores[frm]:g} -> {after.scores[frm]:g}"))
    if after.scores[to] > before.scores[to]:
        broken.append(("to-rises", f"{to} {before.scores[to]:g} -> {after.scores[to]:g}"))
    if after.winner == to and before.winner != to:
        broken.append(("becomes-to", f"verdict {before.winner} -> {after.winner}"))
    for kind, detail in broken:
        report.violations[kind] += 1
        report.per_question[move.question] = report.per_question.get(move.question, 0) + 1
        if len(report.examples[kind]) < EXAMPLES:
            report.examples[kind].append(Move(move.question, move.before, move.after,
                                              move.answers, detail))


def monotonicity(rs: RuleSet, *, samples: int = DEFAULT_SAMPLES, seed: int = 0) -> Monotonicity:
    """Check every declared direction over the answer space (see the module's docstring)."""
    if samples < 0:
        raise UsageError(f"--samples {samples}: expected 0 or more")
    space = space_of(rs)
    toward = steps(rs, space)
    report = Monotonicity([space.axes[k].id for k in toward])
    if not toward:
        return report
    score = _Scorer(rs, space)
    for digits in _profiles(space, samples, seed):
        here = score(digits)
        if here is None:
            continue
        report.profiles += 1
        answers, before = here
        for k, step in toward.items():
            target = step.get(digits[k])
            if target is None:
                continue
            there = score((*digits[:k], target, *digits[k + 1:]))
            if there is None:
                continue
            report.moves += 1
            axis = space.axes[k]
            m = axis.question.monotone
            assert m is not None
            move = Move(axis.id, axis.states[digits[k]], axis.states[target], answers, "")
            _judge(report, m.from_outcome, m.to_outcome, before, there[1], move)
    return report


__all__ = ["EXAMPLES", "KINDS", "Monotonicity", "Move", "monotonicity", "steps"]
