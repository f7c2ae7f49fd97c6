"""What would it take for another outcome to win: the fewest answer changes, exactly.

:func:`what_it_takes` looks for the smallest set of changed answers to the *preference*
questions (the facts stay as given) that makes ``target`` win, over every combination of
their answers: the same components and packed sum sets as :mod:`llmchoice.decide.reach`,
each total carrying the fewest changes that reach it (a shortest path through the
components, so the first size that works is found without trying every set of that size;
equivalent to an exact search by increasing size). Among the smallest sets it takes the
nearest (the fewest steps along the ordered scales of the questions with a ``monotone``
order: "essential" to "preferred" before "essential" to "unimportant" when both work; any
other change is one step), then the one that gives the target the largest lead, then the
first in question order. A preference
left unanswered may stay unanswered at no cost; answering it counts as a change.

When no change of preferences can make ``target`` win, it says why: every rule that
excludes it for these answers, with the answers it read (those that read no preference
are the facts that forbid it whatever the preferences; a constraint a preference set,
such as an essential need to inspect the model, is listed too, as one of the things in the
way), or, when points alone decide, the facts given.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from llmchoice.decide.engine import preference_questions
from llmchoice.decide.reach import Reacher, State, reacher_for
from llmchoice.decide.tables import MISSING
from llmchoice.frozen import frozen
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import RuleSet


@frozen
class Change:
    question: str
    from_value: Answer | None  # None: not answered
    to_value: Answer | None


@frozen
class Blocker:
    """A rule that excludes the target for these answers, with the answers it read;
    ``fixed``: it reads no preference (no change of preferences lifts it)."""

    rule: str
    because: str
    answers: tuple[tuple[str, Answer], ...]
    fixed: bool = True


@frozen
class TargetPlan:
    """The answer of :func:`what_it_takes`. ``possible`` False: no change of preferences
    makes ``outcome`` win (``blockers`` says what forbids it; ``facts`` lists the facts
    answered). ``changes`` is empty when ``outcome`` already wins. ``margin`` is its lead
    after the changes; ``forced``: the changed answers rule out every other outcome (it
    wins by a hard requirement, not by a lead)."""

    outcome: str
    current: str
    possible: bool
    changes: tuple[Change, ...] = ()
    margin: float = 0.0
    blockers: tuple[Blocker, ...] = ()
    facts: tuple[tuple[str, Answer], ...] = ()
    forced: bool = False


Cost = tuple[int, int]  # (changes, steps along the ordered scales): added and compared as tuples


def _steps(rs: RuleSet) -> dict[str, dict[str, int]]:
    """Each ordered scale's values by position (choice questions with a ``monotone`` order)."""
    return {q.id: {v: n for n, v in enumerate(q.values)} for q in rs.questions
            if q.type == "choice" and q.monotone is not None}


def _cost(scales: Mapping[str, Mapping[str, int]], answers: Mapping[str, Answer],
          questions: tuple[str, ...], combo: tuple[object, ...],
          levers: Mapping[str, object]) -> Cost:
    changes = steps = 0
    for q, v in zip(questions, combo, strict=True):
        old = answers.get(q, MISSING)
        if q not in levers or v == old:
            continue
        changes += 1
        scale = scales.get(q, {})
        if old in scale and v in scale:
            steps += abs(scale[cast(str, v)] - scale[cast(str, old)])
        else:
            steps += 1
    return changes, steps


def _plus(a: Cost, b: Cost) -> Cost:
    return a[0] + b[0], a[1] + b[1]


def _layers(r: Reacher, answers: Mapping[str, Answer], levers: list[str],
            ) -> tuple[list[dict[State, tuple[Cost, State | None, object]]], list[object]]:
    """The shortest-path layers: after each component, every reachable total with the
    fewest changes (then the fewest steps) that reach it, the total before and the
    component's completion."""
    spaces = {}
    for q in levers:
        space: list[object] = list(r.space(q))
        current = answers.get(q, MISSING)
        if current is MISSING:
            space.append(MISSING)
        elif current not in space:
            space.append(current)
        spaces[q] = space
    base, comps = r.split(answers, levers, spaces=spaces)
    scales = _steps(r.ruleset)
    layer: dict[State, tuple[Cost, State | None, object]] = {base: ((0, 0), None, None)}
    layers = [layer]
    for c in comps:
        best: dict[State, tuple[Cost, tuple[object, ...]]] = {}
        for combo, effect in c.completions:
            cost = _cost(scales, answers, c.questions, combo, spaces)
            if effect not in best or cost < best[effect][0]:
                best[effect] = (cost, combo)
        nxt: dict[State, tuple[Cost, State | None, object]] = {}
        for state, (cost, _, _) in layer.items():
            for effect, (extra, combo) in best.items():
                total = r.plus(state, effect)
                if total not in nxt or _plus(cost, extra) < nxt[total][0]:
                    nxt[total] = (_plus(cost, extra), state, (c.questions, combo))
        layer = nxt
        layers.append(layer)
    return layers, list(comps)


def what_it_takes(rs: RuleSet, answers: Mapping[str, Answer], target: str,
                  current: str) -> TargetPlan:
    """The fewest changes of preference answers that make ``target`` win (see the module);
    ``current`` is the verdict now."""
    r = reacher_for(rs)
    facts = tuple((q.id, answers[q.id]) for q in rs.questions
                  if q.kind == "fact" and q.id in answers)
    if target == current:
        return TargetPlan(target, current, True, facts=facts)
    levers = list(preference_questions(rs))
    layers, _ = _layers(r, answers, levers)
    best: tuple[Cost, float, State] | None = None
    for state, (cost, _, _) in layers[-1].items():
        verdict = r.verdict(state)
        if verdict is None or verdict[0] != target:
            continue
        if best is None or (cost, -verdict[1]) < best[:2]:
            best = (cost, -verdict[1], state)
    if best is None:
        return TargetPlan(target, current, False, blockers=_blockers(rs, answers, target),
                          facts=facts)
    changes: dict[str, Change] = {}
    at: State | None = best[2]
    for layer in reversed(layers[1:]):
        assert at is not None
        _, at, step = layer[at]
        qs, combo = cast(tuple[tuple[str, ...], tuple[object, ...]], step)
        for q, picked in zip(qs, combo, strict=True):
            old = answers.get(q, MISSING)
            if q in levers and picked != old:
                changes[q] = Change(q, None if old is MISSING else cast(Answer, old),
                                    None if picked is MISSING else cast(Answer, picked))
    order = [q.id for q in rs.questions]
    return TargetPlan(target, current, True,
                      tuple(sorted(changes.values(), key=lambda c: order.index(c.question))),
                      -best[1], facts=facts, forced=r.alone(best[2]))


def _blockers(rs: RuleSet, answers: Mapping[str, Answer], target: str) -> tuple[Blocker, ...]:
    """Every rule that excludes ``target`` for these answers, in rule-set order."""
    levers = set(preference_questions(rs))
    found = []
    for rule in rs.rules:
        if target in rule.exclude and rule.when.evaluate(answers) is True:
            reads = rule.when.questions()
            read = tuple((q.id, answers[q.id]) for q in rs.questions
                         if q.id in reads and q.id in answers)
            found.append(Blocker(rule.id, rule.because, read, not reads & levers))
    return tuple(found)


__all__ = ["Blocker", "Change", "TargetPlan", "what_it_takes"]
