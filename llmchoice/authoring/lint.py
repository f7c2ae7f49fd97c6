"""Checks on a rule set that loaded: things that are legal but almost certainly mistakes.

The loader (:mod:`llmchoice.ruleset`) refuses what is invalid. This module looks
at a valid rule set as a whole and reports :class:`Finding` s, each with its
``file:line:column``:

errors (``rules validate`` exits 2)
  ``no-outcome-left``: some answers exclude every outcome. Found exactly, by
  enumerating the questions the ``exclude`` rules' conditions name.

warnings
  ``unused-question``: no rule's (or path rule's) condition names the question, nor
  the ``when`` of a question that one names.
  ``uncited-tradeoff``: no rule (nor ``decision.mixed``) cites the trade-off.
  ``never-fires``: the rule's condition is false for every possible answer
  (exact: the questions it names, and those their ``when`` names, are enumerated).
  ``never-asked``: a question's ``when`` is false for every possible answer.
  ``no-effect``: a rule gives no points and excludes nothing.
  ``never-wins``: no answers were found where the outcome wins. Exact when the
  whole answer space is small; otherwise a hill-climbing search over the space
  (several starts, one answer changed at a time), which finds a winning profile
  for any outcome that can win in practice. ``rules analyze`` counts exactly.
  ``duplicate-test``: two embedded tests share a name.
  Musts and paths (``must-not-enforced``, ``no-fallback-path``, ``path-always-excluded``,
  ``path-never-chosen``, ``next-step-path-outcome``): :mod:`llmchoice.authoring.lint_paths`.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Mapping, Sequence

from llmchoice.authoring.analysis import Scorer, fit
from llmchoice.authoring.findings import Finding, closure
from llmchoice.authoring.findings import profiles as enumerate_profiles
from llmchoice.authoring.lint_paths import path_findings
from llmchoice.authoring.space import Axis, State, axis_of, show_state
from llmchoice.decide.compiled import score
from llmchoice.decide.engine import NoOutcomeLeft
from llmchoice.io.errors import Location
from llmchoice.ruleset.conditions import Answer, Condition
from llmchoice.ruleset.model import RuleSet

SEARCH_STARTS = 8
SEARCH_SWEEPS = 12


def _can_be_true(rs: RuleSet, cond: Condition) -> bool | None:
    profiles = enumerate_profiles(rs, closure(rs, cond.questions()))
    if profiles is None:
        return None
    return any(cond.evaluate(p) is True for p in profiles)


def _no_outcome_left(rs: RuleSet) -> list[Finding]:
    excluding = [r for r in rs.rules if r.exclude]
    if not excluding or set().union(*(r.exclude for r in excluding)) < set(rs.outcome_ids):
        return []
    qids = frozenset().union(*(r.when.questions() for r in excluding))
    profiles = enumerate_profiles(rs, closure(rs, qids))
    if profiles is None:
        return [Finding(rs.locate(("rules",)), "warning", "not-checked",
                        "the exclude rules name too many questions to check every combination "
                        "for answers that exclude every outcome; run 'llmchoice rules analyze'")]
    for p in profiles:
        fired = [r for r in excluding if r.when.evaluate(p) is True]
        if set().union(*(r.exclude for r in fired)) >= set(rs.outcome_ids):
            shown = ", ".join(f"{k}={show_state(v)}" for k, v in p.items())
            names = ", ".join(r.id for r in fired)
            i = rs.rules.index(fired[-1])
            return [Finding(rs.locate(("rules", i, "exclude")), "error", "no-outcome-left",
                            f"the answers {shown} exclude every outcome (rules {names}); "
                            "no recommendation is possible for them")]
    return []


def _margin(rs: RuleSet, outcome: str, answers: Mapping[str, Answer], scorer: Scorer) -> float:
    try:
        s = scorer(rs, answers)
    except NoOutcomeLeft:
        return -math.inf
    if s.winner == outcome:
        return math.inf
    if outcome in {e.outcome for e in s.excluded}:
        return -1e9
    others = [v for o, v in s.scores.items()
              if o != outcome and o not in {e.outcome for e in s.excluded}]
    return s.scores[outcome] - max(others)


def _can_win(rs: RuleSet, outcome: str, axes: Sequence[Axis], scorer: Scorer) -> tuple[bool, int]:
    """Search for answers where ``outcome`` wins. Returns (found, profiles tried)."""
    size = math.prod(len(a.states) for a in axes)
    tried = 0

    def value(digits: Sequence[int]) -> float:
        nonlocal tried
        raw: dict[str, State] = {a.id: a.states[d] for a, d in zip(axes, digits, strict=True)}
        fitted = fit(rs, raw)
        if fitted is None:
            return -math.inf
        tried += 1
        return _margin(rs, outcome, fitted[0], scorer)

    if size <= 20_000:
        for digits in itertools.product(*(range(len(a.states)) for a in axes)):
            if value(digits) == math.inf:
                return True, tried
        return False, tried
    rng = random.Random(0)
    starts: list[list[int]] = [[0] * len(axes), [len(a.states) - 1 for a in axes]]
    while len(starts) < SEARCH_STARTS:
        starts.append([rng.randrange(len(a.states)) for a in axes])
    for start in starts:
        current = list(start)
        best = value(current)
        for _ in range(SEARCH_SWEEPS):
            improved = False
            for k, a in enumerate(axes):
                for j in range(len(a.states)):
                    if j == current[k]:
                        continue
                    trial = [*current[:k], j, *current[k + 1:]]
                    got = value(trial)
                    if got == math.inf:
                        return True, tried
                    if got > best:
                        best, current, improved = got, trial, True
            if not improved:
                break
    return False, tried


def _used_questions(rs: RuleSet) -> set[str]:
    """The questions whose answer can change a recommendation: those a rule's or a path
    rule's condition names, and, through them, those their ``when`` names (a question
    that only decides whether a used question is asked is used too)."""
    used: set[str] = set()
    for r in rs.rules:
        used |= r.when.questions()
    for pr in rs.path_rules:
        if pr.when is not None:
            used |= pr.when.questions()
    todo = list(used)
    while todo:
        qid = todo.pop()
        gate = rs.question(qid).when if rs.has_question(qid) else None
        for other in (gate.questions() if gate is not None else ()):
            if other not in used:
                used.add(other)
                todo.append(other)
    return used


def lint(rs: RuleSet, *, scorer: Scorer = score) -> list[Finding]:
    """Every finding, errors first, then in file order."""
    found: list[Finding] = []
    found.extend(_no_outcome_left(rs))
    found.extend(path_findings(rs))
    used = _used_questions(rs)
    for i, q in enumerate(rs.questions):
        if q.id not in used:
            found.append(Finding(rs.locate(("questions", i)), "warning", "unused-question",
                                 f"question {q.id!r}: no rule's condition uses it, so its answer "
                                 "never changes a recommendation"))
        if q.when is not None and _can_be_true(rs, q.when) is False:
            found.append(Finding(rs.locate(("questions", i, "when")), "warning", "never-asked",
                                 f"question {q.id!r} is never asked: its when "
                                 f"({q.when.describe()}) is false for every possible answer"))
    cited = {c for r in rs.rules for c in r.cites}
    if rs.decision.mixed is not None:
        cited.update(rs.decision.mixed.cites)
    for tid in rs.tradeoffs:
        if tid not in cited:
            found.append(Finding(rs.locate(("tradeoffs", tid), key=True), "warning",
                                 "uncited-tradeoff",
                                 f"trade-off {tid!r}: no rule cites it, so no report explains "
                                 "a reason with it"))
    for i, r in enumerate(rs.rules):
        if _can_be_true(rs, r.when) is False:
            found.append(Finding(rs.locate(("rules", i, "when")), "warning", "never-fires",
                                 f"rule {r.id!r} can never fire: its condition "
                                 f"({r.when.describe()}) is false for every possible answer"))
        if not r.exclude and not any(p for _, p in r.points):
            found.append(Finding(rs.locate(("rules", i)), "warning", "no-effect",
                                 f"rule {r.id!r} gives no points and excludes nothing"))
    names: dict[str, int] = {}
    for i, t in enumerate(rs.tests):
        if t.name in names:
            found.append(Finding(rs.locate(("tests", i, "name")), "warning", "duplicate-test",
                                 f"test name {t.name!r} is used twice; failures would be hard "
                                 "to tell apart"))
        names.setdefault(t.name, i)
    axes = [axis_of(rs, q) for q in rs.questions]
    for o in rs.outcome_ids:
        ok, tried = _can_win(rs, o, axes, scorer)
        if not ok:
            exact = math.prod(len(a.states) for a in axes) <= 20_000
            how = ("for any possible answers" if exact else
                   f"in {tried:,} answer profiles searched (hill-climbing; "
                   "'llmchoice rules analyze' checks every combination)")
            found.append(Finding(rs.locate(("outcomes", o), key=True), "warning", "never-wins",
                                 f"outcome {o!r} never wins {how}"))
    return sorted(found, key=lambda f: (f.severity != "error", _order(f.location)))


def _order(loc: Location) -> tuple[str, int, int]:
    return (loc.source, loc.line or 0, loc.column or 0)
