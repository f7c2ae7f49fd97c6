"""Compare two rule sets on their common answer space: ``rules diff``.

Every profile of the common space (see :func:`llmchoice.authoring.space.common_space`)
is scored with both rule sets by the same ``scorer`` as the analysis uses; the
recommendations are compared, and the answers most often behind a change are listed
with the rules, questions and decision that differ.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from llmchoice.answers.validate import to_plain
from llmchoice.authoring.pivots import slices
from llmchoice.authoring.space import (
    DEFAULT_SAMPLES,
    MAX_CORE,
    MAX_STRATA,
    NONE,
    Scorer,
    Space,
    State,
    common_space,
    fit,
    non_canonical,
    show_state,
)
from llmchoice.decide.compiled import compiled_for, score
from llmchoice.decide.engine import Scored
from llmchoice.decide.rule import NoOutcomeLeft
from llmchoice.io.errors import UsageError
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import Decision, Mixed, Question, Rule, RuleSet

MAX_DIFF_EXAMPLES = 6
MAX_KEYS = 1 << 17  # most verdict keys remembered per rule set
STEP = (1 << 12) - 1  # progress is told every 4,096 profiles


@dataclass
class Diff:
    old: dict[str, str]
    new: dict[str, str]
    space: list[dict[str, object]]
    profiles: int
    core_profiles: int
    sampled_profiles: int
    changed: int
    transitions: list[dict[str, object]]
    examples: list[dict[str, object]]
    drivers: list[dict[str, object]]
    rule_changes: dict[str, list[str]]

    def to_json(self) -> dict[str, object]:
        return {key: getattr(self, key) for key in self.__dataclass_fields__}


def _sampling(space: Space, *, samples: int, seed: int, exhaustive: bool,
              ) -> tuple[Sequence[int], list[tuple[int, ...]], Sequence[int]]:
    """What to compare: the core indices (all, or a sample), optional answers unanswered;
    then each stratum of optional answers (or a sample of them) on a sample of the core."""
    core, extra = space.core, space.extra
    core_indices: Sequence[int] = (range(core.size) if exhaustive or core.size <= MAX_CORE
                                   else core.sample(MAX_CORE, seed))
    strata = [d for d in extra.all_digits() if any(d)] if extra.axes else []
    if not exhaustive and len(strata) > MAX_STRATA:
        strata = sorted(random.Random(seed).sample(strata, MAX_STRATA))
    sample: Sequence[int] = core_indices if exhaustive or samples >= len(core_indices) \
        else sorted(random.Random(seed + 1).sample(list(core_indices), samples))
    return core_indices, strata, sample


def _winner(rs: RuleSet, answers: dict[str, Answer],
            scorer: Scorer) -> tuple[str, Scored | None]:
    try:
        s = scorer(rs, answers)
    except NoOutcomeLeft:
        return NONE, None
    return s.winner, s


class _Winners:
    """One rule set's recommendation per profile. With the default scorer and exact sums,
    the compiled rule set's verdict key decides it, remembered per key."""

    def __init__(self, rs: RuleSet, scorer: Scorer) -> None:
        self.rs = rs
        self.scorer = scorer
        self.compiled = compiled_for(rs) if scorer is score else None
        self.memo: dict[int, str] = {}

    def __call__(self, answers: dict[str, Answer]) -> str:
        key = self.compiled.verdict_key(answers) if self.compiled is not None else None
        if key is None:
            return _winner(self.rs, answers, self.scorer)[0]
        found = self.memo.get(key)
        if found is None:
            assert self.compiled is not None
            try:
                found = self.compiled.decided_of_key(key)[0].winner
            except NoOutcomeLeft:
                found = NONE
            if len(self.memo) < MAX_KEYS:
                self.memo[key] = found
        return found

    def scores(self, answers: dict[str, Answer]) -> dict[str, float]:
        s = _winner(self.rs, answers, self.scorer)[1]
        return s.scores if s else {}


Fitter = Callable[[Sequence[State]], dict[str, Answer] | None]


def _fitter(rs: RuleSet, space: Space) -> Fitter | None:
    """``fit(rs, raw)[0]`` for a raw profile given as one state per axis, faster, for a rule
    set whose questions do not depend on other answers (no ``when``): then every profile is
    canonical. None for a rule set with such questions."""
    if any(q.when is not None for q in rs.questions):
        return None
    ids = [a.id for a in space.axes]
    if [q.id for q in rs.questions] == ids and all(
            None not in a.states for a, q in zip(space.axes, rs.questions, strict=True)
            if q.required):
        def same(states: Sequence[State]) -> dict[str, Answer] | None:
            return {k: v for k, v in zip(ids, states, strict=True) if v is not None}
        return same
    pos = {a: i for i, a in enumerate(ids)}
    plan = [(q.id, pos.get(q.id), q.default if q.required else None, q.required)
            for q in rs.questions]

    def planned(states: Sequence[State]) -> dict[str, Answer] | None:
        out: dict[str, Answer] = {}
        for qid, i, default, required in plan:
            value = states[i] if i is not None else default
            if value is None:
                if required:
                    return None
                continue
            out[qid] = cast(Answer, value)
        return out
    return planned


class _Comparison:
    """What is counted while the profiles are scored with both rule sets."""

    def __init__(self, space: Space, old: _Winners, new: _Winners) -> None:
        self.space = space
        self.old, self.new = old, new
        self.compared = self.core_count = 0
        self.transitions: Counter[tuple[str, str]] = Counter()
        self.examples_by: dict[tuple[str, str], list[dict[str, object]]] = {}
        self.all_answers: Counter[tuple[str, str]] = Counter()
        self.changed_answers: Counter[tuple[str, str]] = Counter()
        # (question, answer) as shown, per axis and state; None for unanswered
        self.shown = [[None if v is None else (a.id, show_state(v)) for v in a.states]
                      for a in space.axes]

    def compare(self, a: dict[str, Answer], b: dict[str, Answer]) -> bool:
        """Whether the recommendations of both rule sets differ (counted when they do)."""
        was, now = self.old(a), self.new(b)
        if was == now:
            return False
        key = (was, now)
        self.transitions[key] += 1
        kept = self.examples_by.setdefault(key, [])
        if len(kept) < 2:
            kept.append({
                "answers": to_plain(b), "old": was, "new": now,
                "old_scores": self.old.scores(a), "new_scores": self.new.scores(b)})
        return True

    def add(self, core: bool, digits: Sequence[int], a: dict[str, Answer],
            b: dict[str, Answer]) -> None:
        """One profile (its digits over every axis), counted with its shown answers."""
        self.compared += 1
        if core:
            self.core_count += 1
        shown = [s for s in map(list.__getitem__, self.shown, digits) if s is not None]
        self.all_answers.update(shown)
        if self.compare(a, b):
            self.changed_answers.update(shown)

    def add_core(self, old_fit: Fitter, new_fit: Fitter, tell: Callable[[int], None]) -> None:
        """The whole core, optional answers unanswered, for rule sets without ``when``:
        each profile marked (1 compared, 2 changed), and the shown answers counted from
        the marks afterwards, one axis at a time."""
        axes = self.space.axes
        core = self.space.core
        marks = bytearray(core.size)
        combos = itertools.product(*(a.states if a.core else a.states[:1] for a in axes))
        for index, combo in enumerate(combos):
            if not index & STEP:
                tell(index)
            a, b = old_fit(combo), new_fit(combo)
            if a is not None and b is not None:
                marks[index] = 2 if self.compare(a, b) else 1
        data = bytes(marks)
        counted = len(data) - data.count(0)
        self.compared += counted
        self.core_count += counted
        core_shown = [shown for ax, shown in zip(axes, self.shown, strict=True) if ax.core]
        for k, shown in enumerate(core_shown):
            for part, item in zip(slices(data, core.radices, k), shown, strict=True):
                if item is not None:
                    self.all_answers[item] += len(part) - part.count(0)
                    if part.count(2):
                        self.changed_answers[item] += part.count(2)

    def drivers(self) -> list[dict[str, object]]:
        """The answers more common among changed profiles than overall, by lift."""
        changed = sum(self.transitions.values())
        drivers: list[dict[str, object]] = []
        if not changed:
            return drivers
        for key, n in self.changed_answers.items():
            share = n / changed
            base = self.all_answers[key] / self.compared
            if share > base:
                drivers.append({"question": key[0], "answer": key[1], "changed_share": share,
                                "overall_share": base, "lift": share / base})
        drivers.sort(key=lambda d: (-cast(float, d["lift"]), -cast(float, d["changed_share"]),
                                    str(d["question"]), str(d["answer"])))
        return drivers


def diff(old: RuleSet, new: RuleSet, *, samples: int = DEFAULT_SAMPLES, seed: int = 0,
         exhaustive: bool = False, scorer: Scorer = score,
         progress: Callable[[int, int], None] | None = None) -> Diff:
    """Score the common answer space with both rule sets and compare the recommendations.
    ``progress(done, total)`` is called now and then with the profiles compared so far."""
    if samples < 0:
        raise UsageError(f"--samples {samples}: expected 0 or more")
    space = common_space(old, new)
    c = _Comparison(space, _Winners(old, scorer), _Winners(new, scorer))
    core_indices, strata, sample = _sampling(space, samples=samples, seed=seed,
                                             exhaustive=exhaustive)
    zeros = (0,) * len(space.extra.axes)
    fast_old, fast_new = _fitter(old, space), _fitter(new, space)
    tell = progress or (lambda done, total: None)
    total = len(core_indices) + len(strata) * len(sample)
    if fast_old is not None and fast_new is not None and isinstance(core_indices, range):
        c.add_core(fast_old, fast_new, lambda done: tell(done, total))
    else:
        for n, index in enumerate(core_indices):
            if not n & STEP:
                tell(n, total)
            _one(c, old, new, space.core.digits(index), zeros)
    done = len(core_indices)
    for stratum in strata:
        tell(done, total)
        for index in sample:
            _one(c, old, new, space.core.digits(index), stratum)
        done += len(sample)
    ordered = sorted(c.transitions.items(), key=lambda kv: (-kv[1], kv[0]))
    examples = [e for key, _ in ordered for e in c.examples_by[key]][:MAX_DIFF_EXAMPLES]
    return Diff(
        old={"id": old.meta.id, "version": old.meta.version, "source": old.source},
        new={"id": new.meta.id, "version": new.meta.version, "source": new.source},
        space=space.describe(), profiles=c.compared, core_profiles=c.core_count,
        sampled_profiles=c.compared - c.core_count, changed=sum(c.transitions.values()),
        transitions=[{"from": a, "to": b, "profiles": n}
                     for (a, b), n in ordered],
        examples=examples, drivers=c.drivers()[:6], rule_changes=rule_changes(old, new),
    )


def _one(c: _Comparison, old: RuleSet, new: RuleSet, core_digits: Sequence[int],
         stratum: tuple[int, ...]) -> None:
    """Compare one profile: its core digits and optional-answer stratum."""
    raw = c.space.raw(core_digits, stratum)
    a = fit(old, raw)
    b = fit(new, raw)
    if a is None or b is None or non_canonical(raw, a[1] | b[1]):
        return
    ci, ei = iter(core_digits), iter(stratum)
    digits = [next(ci) if ax.core else next(ei) for ax in c.space.axes]
    c.add(not any(stratum), digits, a[0], b[0])


def _points(rule_points: tuple[tuple[str, float], ...]) -> str:
    return "{" + ", ".join(f"{o}: {p:g}" for o, p in rule_points) + "}"


def rule_changes(old: RuleSet, new: RuleSet) -> dict[str, list[str]]:
    """What differs in the rules, questions and decision, by id."""
    before = {r.id: r for r in old.rules}
    after = {r.id: r for r in new.rules}
    return {
        "rules_added": [r for r in after if r not in before],
        "rules_removed": [r for r in before if r not in after],
        "rules_changed": _rules_changed(before, after),
        "questions_added": [q.id for q in new.questions if not old.has_question(q.id)],
        "questions_removed": [q.id for q in old.questions if not new.has_question(q.id)],
        "questions_changed": [f"{q.id}: " + "; ".join(parts) for q in new.questions
                              if old.has_question(q.id)
                              and (parts := _question_changes(old.question(q.id), q))],
        "decision": _decision_changes(old.decision, new.decision),
    }


def _rules_changed(before: Mapping[str, Rule], after: Mapping[str, Rule]) -> list[str]:
    """Each rule in both sets whose points, exclusions or condition differ."""
    changed = []
    for rid, r in after.items():
        p = before.get(rid)
        if p is None:
            continue
        parts = []
        if dict(p.points) != dict(r.points):
            parts.append(f"points {_points(p.points)} -> {_points(r.points)}")
        if set(p.exclude) != set(r.exclude):
            parts.append(f"exclude [{', '.join(p.exclude)}] -> [{', '.join(r.exclude)}]")
        if p.when != r.when:
            parts.append(f"when '{p.when.describe()}' -> '{r.when.describe()}'")
        if parts:
            changed.append(f"{rid}: " + "; ".join(parts))
    return changed


def _decision_changes(old: Decision, new: Decision) -> list[str]:
    decision = []
    if old != new:
        om, nm = old.mixed, new.mixed
        if (om and (om.outcome, om.between, om.weight, om.min_points)) != (
                nm and (nm.outcome, nm.between, nm.weight, nm.min_points)):
            decision.append("mixed: " + _mixed(om) + " -> " + _mixed(nm))
        if old.tie_break != new.tie_break:
            decision.append(f"tie_break [{', '.join(old.tie_break)}] -> "
                            f"[{', '.join(new.tie_break)}]")
    return decision


def _question_changes(was: Question, q: Question) -> list[str]:
    """What differs in one question present in both rule sets."""
    parts = []
    if was.type != q.type:
        parts.append(f"type {was.type} -> {q.type}")
    added = [v for v in q.values if v not in was.values]
    dropped = [v for v in was.values if v not in q.values]
    if added:
        parts.append(f"choices added [{', '.join(added)}] (answers using them are valid "
                     "only in the new rule set and are not compared)")
    if dropped:
        parts.append(f"choices removed [{', '.join(dropped)}] (answers using them are valid "
                     "only in the old rule set and are not compared)")
    if was.default != q.default:
        parts.append(f"default {was.default} -> {q.default} (changes what --defaults and "
                     "the quiz start from, not full answer sets)")
    if was.required != q.required:
        parts.append(f"required {was.required} -> {q.required}".lower())
    if (was.minimum, was.maximum) != (q.minimum, q.maximum):
        parts.append(f"range [{was.minimum}, {was.maximum}] -> [{q.minimum}, {q.maximum}]")
    if was.when != q.when:
        parts.append("when changed")
    return parts


def _mixed(m: Mixed | None) -> str:
    if m is None:
        return "off"
    return (f"{m.outcome} gains {m.weight:g} x (min({m.between[0]}, {m.between[1]}) - "
            f"{m.min_points:g}) when positive")
