"""Run a rule set's embedded tests, and measure which rules they exercise.

A test (``tests:`` in the rule set) is a named set of answers and what must
come out of them:

* ``recommendation``: the winning outcome, or a list of acceptable ones;
* ``path``: the acceptable paths (how to run the winner), any of them;
* ``fired`` / ``not_fired``: rules that must (must not) fire. ``decision.mixed``
  counts as fired when the mixed-needs bonus contributed points;
* ``excluded``: exactly these outcomes are ruled out by hard constraints
  (``[]`` asserts none is);
* ``min_confidence``: the confidence is at least this.

A test may say ``profile: clear`` or ``profile: ambiguous`` (a labelled team profile):
the report then counts, per kind, how many verdicts (and paths) are among the acceptable
ones (:class:`Calibration`).

Answers are checked like an answers file with ``--defaults``: questions a test
leaves out take their default. Coverage is the share of rules (and of
``decision.mixed``, when the rule set has it) that fire in at least one test,
whether or not the test names them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from llmchoice.answers.validate import validate
from llmchoice.decide.engine import (
    MIXED_RULE_ID,
    NoOutcomeLeft,
    Scored,
    choose_path,
    path_exclusions,
    score,
)
from llmchoice.frozen import frozen
from llmchoice.io.errors import AnswersError, Location, UsageError
from llmchoice.io.numbers import SHARE, option_number
from llmchoice.io.textsafe import clean
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import RuleSet, RuleTest


@frozen
class Failure:
    test: str
    location: Location
    problems: tuple[str, ...]


@frozen
class Uncovered:
    rule: str
    location: Location


@frozen
class Calibrated:
    """One labelled profile (a test with ``profile``): its verdict and path, and whether
    each is among the acceptable ones."""

    test: str
    location: Location
    profile: str  # "clear" or "ambiguous"
    verdict: str | None  # None: no outcome left
    path: str | None
    verdict_ok: bool
    path_ok: bool


@dataclass(frozen=True, slots=True)
class Outcome:
    """One test as run, in file order: its problems (empty: it passed)."""

    test: str
    location: Location
    problems: tuple[str, ...]


@dataclass
class Report:
    results: list[Outcome] = field(default_factory=list)  # every test run, in file order
    passed: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    calibration: list[Calibrated] = field(default_factory=list)
    fired: set[str] = field(default_factory=set)
    universe: list[str] = field(default_factory=list)
    uncovered: list[Uncovered] = field(default_factory=list)

    @property
    def coverage(self) -> float:
        """Share of rules fired by some test; 1.0 for a rule set without rules."""
        if not self.universe:
            return 1.0
        return (len(self.universe) - len(self.uncovered)) / len(self.universe)


def _fired(s: Scored) -> set[str]:
    out = set(s.fired)
    if any(c.rule == MIXED_RULE_ID for c in s.contributions):
        out.add(MIXED_RULE_ID)
    return out


def _show_scores(s: Scored) -> str:
    return ", ".join(f"{o} {v:g}" for o, v in s.scores.items())


@frozen
class Checked:
    """One test's outcome: its problems (empty: it passed), the rules it fired, and the
    verdict and path it got (None when no outcome was left)."""

    problems: tuple[str, ...]
    fired: frozenset[str]
    verdict: str | None = None
    path: str | None = None


def _accepted(options: tuple[str, ...]) -> str:
    return options[0] if len(options) == 1 else "one of " + ", ".join(options)


def chosen_path(rs: RuleSet, answers: Mapping[str, Answer], s: Scored) -> str | None:
    """The id of the path the engine chooses for this scoring (None: the rule set has none
    for the winner)."""
    excluded = {e.outcome for e in path_exclusions(rs, s.fired)}
    chosen = choose_path(rs, answers, s.winner, excluded)
    return chosen.id if chosen is not None else None


def examine(rs: RuleSet, t: RuleTest) -> Checked:
    """Run one test: what came out, and what differs from what it expects."""
    try:
        answers = validate(rs, t.answers, source=f"test {t.name!r}", use_defaults=True).answers
    except AnswersError as exc:  # pragma: no cover - the loader checks tests' answers
        return Checked(tuple(p.message for p in exc.problems), frozenset())
    try:
        s = score(rs, answers)
    except NoOutcomeLeft as exc:
        tried = frozenset(r.id for r in rs.rules if r.when.evaluate(answers) is True)
        return Checked((f"expected a recommendation, got none: {exc.message}",), tried)
    e = t.expect
    fired = _fired(s)
    path = chosen_path(rs, answers, s)
    problems = []
    if not e.accepts(s.winner):
        problems.append(f"expected recommendation {_accepted(e.recommendations)}, got "
                        f"{s.winner} (scores: {_show_scores(s)})")
    if not e.accepts_path(path):
        problems.append(f"expected path {_accepted(e.path)}, got {path or 'none'}")
    for rid in e.fired:
        if rid not in fired:
            problems.append(f"expected rule {rid} to fire, it did not")
    for rid in e.not_fired:
        if rid in fired:
            problems.append(f"expected rule {rid} not to fire, it fired")
    if e.excluded is not None:
        got = sorted({x.outcome for x in s.excluded})
        if got != sorted(set(e.excluded)):
            problems.append(f"expected excluded [{', '.join(sorted(set(e.excluded)))}], "
                            f"got [{', '.join(got)}]")
    if e.min_confidence is not None and s.confidence < e.min_confidence:
        problems.append(f"expected confidence of at least {e.min_confidence:g}, "
                        f"got {s.confidence:g}")
    return Checked(tuple(problems), frozenset(fired), s.winner, path)


def check(rs: RuleSet, t: RuleTest) -> tuple[list[str], set[str]]:
    """The problems with one test's outcome (empty when it passes), and the rules it fired."""
    c = examine(rs, t)
    return list(c.problems), set(c.fired)


def select(rs: RuleSet, pattern: str | None) -> list[int]:
    """The indexes of the tests to run: all, or those whose name ``pattern`` (a regular
    expression, searched case-insensitively, as ``opa test --run``) finds. A bad pattern or
    one that matches no test is a :class:`UsageError`."""
    if pattern is None:
        return list(range(len(rs.tests)))
    try:
        found = re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise UsageError(f"--run {clean(pattern)!r}: not a regular expression ({exc})") from None
    picked = [i for i, t in enumerate(rs.tests) if found.search(t.name)]
    if not picked:
        names = ", ".join(repr(t.name) for t in rs.tests[:8]) + (", ..." if len(rs.tests) > 8
                                                               else "")
        raise UsageError(f"--run {clean(pattern)!r}: no test name matches; the tests are "
                         f"{clean(names) or 'none'}")
    return picked


def run(rs: RuleSet, pattern: str | None = None) -> Report:
    """Run the tests (those ``pattern`` selects, see :func:`select`); coverage counts the
    rules the tests that ran fire."""
    report = Report()
    for i in select(rs, pattern):
        t = rs.tests[i]
        c = examine(rs, t)
        report.fired |= c.fired
        where = rs.locate(("tests", i))
        report.results.append(Outcome(t.name, where, c.problems))
        if c.problems:
            report.failures.append(Failure(t.name, where, c.problems))
        else:
            report.passed.append(t.name)
        if t.profile is not None:
            verdict_ok = c.verdict is not None and t.expect.accepts(c.verdict)
            report.calibration.append(Calibrated(
                t.name, where, t.profile, c.verdict, c.path, verdict_ok,
                t.expect.accepts_path(c.path)))
    report.universe = [r.id for r in rs.rules]
    where_rule = {r.id: rs.locate(("rules", i)) for i, r in enumerate(rs.rules)}
    if rs.decision.mixed is not None:
        report.universe.append(MIXED_RULE_ID)
        where_rule[MIXED_RULE_ID] = rs.locate(("decision", "mixed"))
    report.uncovered = [Uncovered(r, where_rule[r]) for r in report.universe
                        if r not in report.fired]
    return report


def parse_threshold(text: str) -> float:
    """``--threshold``: a share from 0 to 1 (``0.9``) or a percentage with ``%`` (``90%``),
    read by the one number reader (:mod:`llmchoice.io.numbers`)."""
    value = option_number("--threshold", text, percent=SHARE,
                          expected="a share from 0 to 1 (0.9) or a percentage (90%)")
    if not 0 <= value <= 1:
        hint = f"; write {value / 100:g} or {value:g}%" if 1 < value <= 100 else ""
        raise UsageError(f"--threshold {clean(text)!r}: expected a share from 0 to 1 (0.9) "
                         f"or a percentage (90%){hint}")
    return float(value)
