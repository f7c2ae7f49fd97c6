"""Checks of ``rules validate`` on musts and paths (the rest is :mod:`llmchoice.authoring.lint`).

warnings
  ``must-not-enforced``: a choice whose label says "must" (the word, any case) that no
  rule enforces; a rule enforces it when it excludes something (an outcome or a path)
  and its ``when`` is true given that answer alone. A must that only adds points can be
  outweighed, which a reader of the label would not expect.
  ``no-fallback-path``: the rule set declares paths, but an outcome has no path rule
  without ``when``, so some verdicts of it would say nothing about how to run it.
  ``path-always-excluded``: wherever a path rule's ``when`` holds, a fired rule excludes
  its path or its outcome, so the rule can never choose it (exact: the questions of its
  condition and of those exclusions are enumerated).
  ``path-never-chosen``: no answers were found for which the path is chosen; exact when
  the answer space has at most ``MAX_ENUMERATION`` profiles, else over a seeded sample of
  ``SAMPLE`` profiles (stopping as soon as every path was chosen once).
  ``next-step-path-outcome``: a next step filtered by ``paths`` names a path whose
  outcome is not in its own ``recommendation`` filter, so the step can never apply there.
"""

from __future__ import annotations

import itertools
import math
import random
import re
from collections.abc import Iterator, Sequence

from llmchoice.authoring.findings import MAX_ENUMERATION, Finding, closure, profiles
from llmchoice.authoring.space import Axis, State, fit, non_canonical, space_of
from llmchoice.decide.compiled import compiled_for
from llmchoice.decide.engine import choose_path
from llmchoice.decide.rule import NoOutcomeLeft
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import PathRule, RuleSet

SAMPLE = 20_000
MUST = re.compile(r"\bmust\b", re.IGNORECASE)


def musts_not_enforced(rs: RuleSet) -> list[Finding]:
    """Choices labelled with "must" that no excluding rule enforces on that answer alone."""
    excluding = [r for r in rs.rules if r.exclude or r.exclude_paths]
    found = []
    for i, q in enumerate(rs.questions):
        for j, c in enumerate(q.choices):
            if not MUST.search(c.label):
                continue
            answer: Answer = (c.value,) if q.type == "multi" else c.value
            if any(r.when.evaluate({q.id: answer}) is True for r in excluding):
                continue
            found.append(Finding(
                rs.locate(("questions", i, "choices", j)), "warning", "must-not-enforced",
                f"question {q.id!r}: the choice {c.value!r} says 'must' ({c.label}), but no "
                "rule that excludes something fires on it alone, so other answers can "
                "outweigh it; add an exclude, or word it as a preference"))
    return found


def no_fallback(rs: RuleSet) -> list[Finding]:
    """Outcomes without a path rule that always applies (when the rule set has paths)."""
    if not rs.paths:
        return []
    outcome_of = {p.id: p.outcome for p in rs.paths}
    covered = {outcome_of[pr.path] for pr in rs.path_rules if pr.when is None}
    return [Finding(rs.locate(("outcomes", o), key=True), "warning", "no-fallback-path",
                    f"outcome {o!r} has no path rule without 'when', so a verdict of {o} can "
                    "end with no way to run it; add one as its last path rule")
            for o in rs.outcome_ids if o not in covered]


def _always_excluded(rs: RuleSet, pr: PathRule) -> bool:
    """Whether every profile where ``pr``'s ``when`` holds excludes its path or outcome."""
    outcome = rs.path(pr.path).outcome
    blockers = [r for r in rs.rules if outcome in r.exclude or pr.path in r.exclude_paths]
    if not blockers:
        return False
    qids = frozenset().union(*(r.when.questions() for r in blockers))
    if pr.when is not None:
        qids |= pr.when.questions()
    found = profiles(rs, closure(rs, qids))
    if found is None:
        return False  # too many to tell: no claim
    return not any((pr.when is None or pr.when.evaluate(p) is True)
                   and not any(r.when.evaluate(p) is True for r in blockers)
                   for p in found)


def always_excluded(rs: RuleSet) -> list[Finding]:
    return [Finding(rs.locate(("path_rules", i)), "warning", "path-always-excluded",
                    f"path_rules[{i}] ({pr.path}) can never choose its path: wherever its "
                    f"condition holds, a rule excludes {pr.path} or its outcome")
            for i, pr in enumerate(rs.path_rules) if _always_excluded(rs, pr)]


def _raw_profiles(axes: Sequence[Axis], seed: int) -> Iterator[dict[str, State]]:
    """Every profile when the space is small, else a seeded sample of ``SAMPLE``."""
    if math.prod(len(a.states) for a in axes) <= MAX_ENUMERATION:
        for combo in itertools.product(*(a.states for a in axes)):
            yield {a.id: s for a, s in zip(axes, combo, strict=True)}
        return
    rng = random.Random(seed)
    for _ in range(SAMPLE):
        yield {a.id: a.states[rng.randrange(len(a.states))] for a in axes}


def chosen_paths(rs: RuleSet, *, seed: int = 0) -> set[str]:
    """The paths chosen for some answers (see ``path-never-chosen``)."""
    compiled = compiled_for(rs)
    blockers = [r for r in rs.rules if r.exclude_paths]
    seen: set[str] = set()
    for raw in _raw_profiles(space_of(rs).axes, seed):
        fitted = fit(rs, raw)
        if fitted is None or non_canonical(raw, fitted[1]):
            continue
        answers = fitted[0]
        try:
            winner = compiled.verdict_of_valid(answers).winner
        except NoOutcomeLeft:
            continue
        out = {p for r in blockers if r.when.evaluate(answers) is True for p in r.exclude_paths}
        chosen = choose_path(rs, answers, winner, out)
        if chosen is not None and chosen.id not in seen:
            seen.add(chosen.id)
            if len(seen) == len(rs.paths):
                break
    return seen


def never_chosen(rs: RuleSet) -> list[Finding]:
    if not rs.paths:
        return []
    axes = space_of(rs).axes
    exact = math.prod(len(a.states) for a in axes) <= MAX_ENUMERATION
    how = "for any answers" if exact else f"in {SAMPLE:,} sampled answer profiles"
    seen = chosen_paths(rs)
    return [Finding(rs.locate(("paths", p.id), key=True), "warning", "path-never-chosen",
                    f"path {p.id!r} is never chosen {how}")
            for p in rs.paths if p.id not in seen]


def next_step_paths(rs: RuleSet) -> list[Finding]:
    found = []
    for i, ns in enumerate(rs.next_steps):
        if not ns.recommendation:
            continue
        for p in ns.paths:
            outcome = rs.path(p).outcome
            if outcome not in ns.recommendation:
                found.append(Finding(
                    rs.locate(("next_steps", i, "paths")), "warning", "next-step-path-outcome",
                    f"next step {ns.id!r} names path {p!r}, a path of {outcome!r}, which its "
                    f"recommendation filter ({', '.join(ns.recommendation)}) leaves out; the "
                    "step never applies to it"))
    return found


def path_findings(rs: RuleSet) -> list[Finding]:
    """Every finding of this module."""
    return [*musts_not_enforced(rs), *no_fallback(rs), *always_excluded(rs),
            *never_chosen(rs), *next_step_paths(rs)]


__all__ = ["MUST", "SAMPLE", "always_excluded", "chosen_paths", "musts_not_enforced",
           "never_chosen", "next_step_paths", "no_fallback", "path_findings"]
