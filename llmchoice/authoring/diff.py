"""Compare two rule sets on their common answer space: ``rules diff``.

Every profile of the common space (see :func:`llmchoice.authoring.space.common_space`)
is scored with both rule sets by the same ``scorer`` as the analysis uses; the
recommendations are compared, and the answers most often behind a change are listed
with the rules, questions and decision that differ.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from llmchoice.answers.validate import to_plain
from llmchoice.authoring.space import (
    DEFAULT_SAMPLES,
    MAX_CORE,
    MAX_STRATA,
    NONE,
    Scorer,
    Space,
    common_space,
    fit,
    non_canonical,
    show_state,
)
from llmchoice.decide.compiled import score
from llmchoice.decide.engine import Scored
from llmchoice.decide.rule import NoOutcomeLeft
from llmchoice.io.errors import UsageError
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import Decision, Mixed, Question, Rule, RuleSet

MAX_DIFF_EXAMPLES = 6


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


def _profiles(space: Space, *, samples: int, seed: int,
              exhaustive: bool) -> list[tuple[int, tuple[int, ...]]]:
    """The (core index, optional-answer stratum) pairs to compare: the core (or a sample
    of it) unanswered, then each stratum (or a sample of them) on a sample of the core."""
    core, extra = space.core, space.extra
    zeros = (0,) * len(extra.axes)
    core_indices: Sequence[int] = (range(core.size) if exhaustive or core.size <= MAX_CORE
                                   else core.sample(MAX_CORE, seed))
    profiles: list[tuple[int, tuple[int, ...]]] = [(i, zeros) for i in core_indices]
    strata = [d for d in extra.all_digits() if any(d)] if extra.axes else []
    if not exhaustive and len(strata) > MAX_STRATA:
        strata = sorted(random.Random(seed).sample(strata, MAX_STRATA))
    pool = list(core_indices)
    sample = pool if exhaustive or samples >= len(pool) else sorted(
        random.Random(seed + 1).sample(pool, samples))
    profiles += [(i, s) for s in strata for i in sample]
    return profiles


def _winner(rs: RuleSet, answers: dict[str, Answer],
            scorer: Scorer) -> tuple[str, Scored | None]:
    try:
        s = scorer(rs, answers)
    except NoOutcomeLeft:
        return NONE, None
    return s.winner, s


class _Comparison:
    """What is counted while the profiles are scored with both rule sets."""

    def __init__(self) -> None:
        self.compared = self.core_count = 0
        self.transitions: Counter[tuple[str, str]] = Counter()
        self.examples_by: dict[tuple[str, str], list[dict[str, object]]] = {}
        self.all_answers: Counter[tuple[str, str]] = Counter()
        self.changed_answers: Counter[tuple[str, str]] = Counter()

    def add(self, core: bool, shown: list[tuple[str, str]], answers: dict[str, Answer],
            was: tuple[str, Scored | None], now: tuple[str, Scored | None]) -> None:
        self.compared += 1
        if core:
            self.core_count += 1
        self.all_answers.update(shown)
        if was[0] == now[0]:
            return
        self.transitions[(was[0], now[0])] += 1
        self.changed_answers.update(shown)
        kept = self.examples_by.setdefault((was[0], now[0]), [])
        if len(kept) < 2:
            kept.append({
                "answers": to_plain(answers), "old": was[0], "new": now[0],
                "old_scores": was[1].scores if was[1] else {},
                "new_scores": now[1].scores if now[1] else {}})

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
         exhaustive: bool = False, scorer: Scorer = score) -> Diff:
    """Score the common answer space with both rule sets and compare the recommendations."""
    if samples < 0:
        raise UsageError(f"--samples {samples}: expected 0 or more")
    space = common_space(old, new)
    c = _Comparison()
    for index, stratum in _profiles(space, samples=samples, seed=seed, exhaustive=exhaustive):
        raw = space.raw(space.core.digits(index), stratum)
        a = fit(old, raw)
        b = fit(new, raw)
        if a is None or b is None or non_canonical(raw, a[1] | b[1]):
            continue
        shown = [(k, show_state(v)) for k, v in raw.items() if v is not None]
        c.add(not any(stratum), shown, b[0], _winner(old, a[0], scorer),
              _winner(new, b[0], scorer))
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
