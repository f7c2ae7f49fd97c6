"""``rules test --slack``: how far each weight can move before an embedded test fails.

For each weight (every rule's points for each outcome it gives points to, and the
decision weights ``decision.mixed.weight`` and ``decision.mixed.min_points``), the
*slack* is the interval [low, high] around the shipped value over which every embedded
test that passes at the shipped values still passes, when that one weight varies and
every other stays as shipped. It is searched outward from the shipped value in steps of
:data:`STEP` (so an end is exact to 0.01) within :func:`bounds` (0 to 3 x value + 3 for
a weight that is not negative; ``min_points`` within 3 x |value| + 3 either way).

Only what a weight can change is re-decided: a rule's points change the sums of the
tests where that rule fired, and nothing else; which rules fire, which outcomes and
paths are excluded, and which path each outcome would get stay as they are. Each test's
verdict is re-decided with the one decision rule (:func:`llmchoice.decide.rule.decide`)
and checked against what the test expects of it: an acceptable verdict and path, the
minimum confidence, and whether ``decision.mixed`` contributes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from llmchoice.answers.validate import validate
from llmchoice.authoring.ruletest import examine
from llmchoice.decide.engine import MIXED_RULE_ID, choose_path, path_exclusions, score
from llmchoice.decide.rule import decide
from llmchoice.frozen import frozen
from llmchoice.ruleset.model import Decision, RuleSet, RuleTest

STEP = 0.01
_SCALE = 100  # steps per unit


@frozen
class Case:
    """One passing test, reduced to what a weight can change."""

    sums: tuple[float, ...]  # per outcome, before the mixed bonus, in outcome order
    excluded: frozenset[str]
    fired: frozenset[str]
    ok_winners: frozenset[str]  # outcomes whose verdict and path the test accepts
    min_confidence: float | None
    wants_mixed: bool | None  # True: expects decision.mixed to fire; False: not to


@frozen
class Slack:
    """One weight's interval. ``at_low_bound``/``at_high_bound``: the tests still pass at
    the end of the search range, so the true interval may reach further."""

    weight: str  # "rule-id open", "decision.mixed.weight"
    shipped: float
    low: float
    high: float
    at_low_bound: bool
    at_high_bound: bool

    def to_json(self) -> dict[str, object]:
        return {"weight": self.weight, "shipped": self.shipped, "low": self.low,
                "high": self.high, "below": round(self.shipped - self.low, 6),
                "above": round(self.high - self.shipped, 6),
                "low_is_search_bound": self.at_low_bound,
                "high_is_search_bound": self.at_high_bound}


def case_of(rs: RuleSet, t: RuleTest) -> Case:
    """What one (passing) test needs from the decision."""
    answers = validate(rs, t.answers, source=f"test {t.name!r}", use_defaults=True).answers
    s = score(rs, answers)
    sums = dict.fromkeys(rs.outcome_ids, 0.0)
    for c in s.contributions:
        if c.rule != MIXED_RULE_ID:
            sums[c.outcome] += c.points
    out_paths = {e.outcome for e in path_exclusions(rs, s.fired)}
    ok = set()
    for o in rs.outcome_ids:
        chosen = choose_path(rs, answers, o, out_paths)
        if t.expect.accepts(o) and t.expect.accepts_path(chosen.id if chosen else None):
            ok.add(o)
    e = t.expect
    wants = True if MIXED_RULE_ID in e.fired else False if MIXED_RULE_ID in e.not_fired \
        else None
    return Case(tuple(sums.values()), frozenset(x.outcome for x in s.excluded),
                frozenset(s.fired), frozenset(ok), e.min_confidence, wants)


def passes(case: Case, sums: Sequence[float], decision: Decision,
           outcomes: Sequence[str]) -> bool:
    """Whether the test still passes with these sums and decision weights."""
    v = decide(list(sums), case.excluded, decision, outcomes)
    if v is None or v.winner not in case.ok_winners:
        return False
    if case.min_confidence is not None and v.confidence < case.min_confidence:
        return False
    return case.wants_mixed is None or case.wants_mixed == (v.bonus > 0)


def bounds(value: float) -> tuple[float, float]:
    """The search range: [0, 3 x value + 3] for a value >= 0, mirrored for a negative one."""
    return (0.0, 3 * value + 3) if value >= 0 else (3 * value - 3, 0.0)


def interval(name: str, shipped: float, ok: Callable[[float], bool],
             low_bound: float, high_bound: float) -> Slack:
    """Walk out from ``shipped`` in steps of :data:`STEP` while ``ok`` holds."""
    def walk(direction: int, bound: float) -> tuple[float, bool]:
        k, last = 0, shipped
        while True:
            k += direction
            x = round(shipped + k / _SCALE, 6)
            if (direction > 0 and x > bound) or (direction < 0 and x < bound):
                return last, True
            if not ok(x):
                return last, False
            last = x

    low, lb = walk(-1, low_bound)
    high, hb = walk(1, high_bound)
    return Slack(name, shipped, low, high, lb, hb)


def _rule_slack(rs: RuleSet, cases: Sequence[Case]) -> list[Slack]:
    out = []
    outcomes = rs.outcome_ids
    for rule in rs.rules:
        mine = [c for c in cases if rule.id in c.fired]
        for outcome, pts in rule.points:
            i = outcomes.index(outcome)

            def ok(x: float, mine: Sequence[Case] = mine, i: int = i, pts: float = pts) -> bool:
                return all(passes(c, [*c.sums[:i], c.sums[i] + x - pts, *c.sums[i + 1:]],
                                  rs.decision, outcomes) for c in mine)

            out.append(interval(f"{rule.id} {outcome}", pts, ok, *bounds(pts)))
    return out


def _decision_slack(rs: RuleSet, cases: Sequence[Case]) -> list[Slack]:
    mixed = rs.decision.mixed
    if mixed is None:
        return []
    out = []
    for key in ("weight", "min_points"):
        shipped = float(getattr(mixed, key))

        def ok(x: float, key: str = key) -> bool:
            changed = (dataclasses.replace(mixed, weight=x) if key == "weight"
                       else dataclasses.replace(mixed, min_points=x))
            d = dataclasses.replace(rs.decision, mixed=changed)
            return all(passes(c, c.sums, d, rs.outcome_ids) for c in cases)

        reach = 3 * abs(shipped) + 3  # min_points may go below 0: a window both ways
        lo, hi = bounds(shipped) if key == "weight" else (shipped - reach, shipped + reach)
        out.append(interval(f"decision.mixed.{key}", shipped, ok, lo, hi))
    return out


def slack(rs: RuleSet) -> tuple[list[Slack], int]:
    """Every weight's slack over the tests that pass as shipped, and how many tests fail
    as shipped (left out)."""
    passing = [t for t in rs.tests if not examine(rs, t).problems]
    cases = [case_of(rs, t) for t in passing]
    return _rule_slack(rs, cases) + _decision_slack(rs, cases), len(rs.tests) - len(passing)


__all__ = ["STEP", "Case", "Slack", "bounds", "case_of", "interval", "passes", "slack"]
