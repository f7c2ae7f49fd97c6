"""What a report explains beyond the scores: the trace, near misses, sensitivity, next steps.

:func:`explain` is pure: it reads a rule set and a :class:`~llmchoice.decide.result.Result`
(whose ``answers`` it re-uses) and returns a frozen :class:`Explanation`. Every
number in it comes from the engine's own :func:`~llmchoice.decide.engine.score`, run on
changed copies of the rule set; nothing here assumes the scores are linear in
the weights (the ``decision.mixed`` bonus makes them piecewise linear, with
bends). Robustness does the engine's own arithmetic on the fired rules' points
(the answers, and so the fired rules, stay fixed). The renderers only word what
is computed here.

Definitions (also in ``docs/explain.md``):

- **Near miss**: a rule that did not fire, whose condition has at least two
  leaves, and that exactly one leaf kept from firing: flipping that leaf's
  truth value alone would make the condition true, and flipping any other would
  not. One-leaf rules (``budget: minimal``) are left out: that they did not
  fire is just the answer, and what-if covers answer changes.
- **Most decisive answer**: the first what-if (the engine orders them by how
  far ahead the new winner would be).
- **Weight sensitivity** (after Triantaphyllou's sensitivity analysis of
  weighted-sum decisions): for every fired rule and every outcome it gives
  points, the smallest change of those points, in steps of
  :data:`RESOLUTION`, that changes the winner. It is reported only within the
  plausible range: a change of at most :data:`PLAUSIBLE_CHANGE` (100%) of the
  rule's points, that is from zero to double. Changes are ranked by their
  relative size (Triantaphyllou's criticality degree), then absolute size.
- **Robustness**: the share of :data:`ROBUSTNESS_SAMPLES` random perturbations
  that keep the winner, each multiplying the points of every fired rule (the
  only ones that count) by an independent factor drawn uniformly from
  1 - :data:`PERTURBATION` to 1 + :data:`PERTURBATION`, with a fixed seed, so
  the same answers always give the same figure.
"""

from __future__ import annotations

import dataclasses
import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from llmchoice.decide.engine import MIXED_RULE_ID, score
from llmchoice.decide.result import Result
from llmchoice.ruleset.conditions import All, Answer, Condition, Not, Test, leaves
from llmchoice.ruleset.model import Rule, RuleSet

ROBUSTNESS_SAMPLES = 400
ROBUSTNESS_SEED = 20240
PERTURBATION = 0.20
PLAUSIBLE_CHANGE = 1.0
RESOLUTION = 0.01

Points = tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class Cited:
    """A trade-off a rule cites, with the article's own words."""

    id: str
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class FiredRule:
    rule: str
    line: int | None
    when: str
    points: Points
    exclude: tuple[str, ...]
    because: str
    cites: tuple[Cited, ...]


@dataclass(frozen=True, slots=True)
class SkippedRule:
    rule: str
    line: int | None
    missing: tuple[str, ...]
    points: Points
    exclude: tuple[str, ...]
    because: str


@dataclass(frozen=True, slots=True)
class NearMiss:
    rule: str
    line: int | None
    failed: str  # the one condition leaf that did not hold, in words
    question: str
    answer: Answer | None
    points: Points
    exclude: tuple[str, ...]
    because: str


@dataclass(frozen=True, slots=True)
class Decisive:
    question: str
    from_value: Answer | None
    to_value: Answer | None
    recommendation: str
    margin: float
    sentence: str


@dataclass(frozen=True, slots=True)
class WeightFlip:
    rule: str
    line: int | None
    outcome: str
    points: float  # what the rule gives the outcome now
    threshold: float  # the points at which the winner changes (or just past it, if beyond)
    beyond: bool  # the points must pass the threshold, not only reach it (a tie keeps it)
    to: float  # the smallest points on a RESOLUTION grid that change the winner (verified)
    change: float  # to - points
    relative: float  # |threshold - points| / |points|: Triantaphyllou's criticality degree
    recommendation: str
    sentence: str


@dataclass(frozen=True, slots=True)
class Robustness:
    share: float
    kept: int
    samples: int
    seed: int
    perturbation: float
    others: tuple[tuple[str, float], ...]  # other winners and their shares, most frequent first
    reading: str


@dataclass(frozen=True, slots=True)
class ScenarioNote:
    id: str  # the trade-off id, e.g. future.hybrid-approach
    title: str
    text: str
    because: str
    condition: str
    line: int | None


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    lesson: str
    lesson_title: str
    text: str
    cites: tuple[Cited, ...]
    line: int | None


@dataclass(frozen=True, slots=True)
class Explanation:
    source: str
    fired: tuple[FiredRule, ...]
    skipped: tuple[SkippedRule, ...]
    near_misses: tuple[NearMiss, ...]
    decisive: Decisive | None
    weight_flips: tuple[WeightFlip, ...]
    robustness: Robustness
    scenario: ScenarioNote | None
    next_steps: tuple[Step, ...]

    @property
    def smallest_flip(self) -> WeightFlip | None:
        return self.weight_flips[0] if self.weight_flips else None


# --------------------------------------------------------------------------- words


def _label(rs: RuleSet, outcome: str) -> str:
    try:
        return rs.outcome(outcome).label
    except KeyError:
        return outcome


def _value(value: Answer | None) -> str:
    if value is None:
        return "not answered"
    if isinstance(value, tuple):
        return ", ".join(value) if value else "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _points(x: float) -> str:
    return f"{_num(x)} point{'' if _num(x) in ('1', '-1') else 's'}"


def _cited(rs: RuleSet, cites: tuple[str, ...]) -> tuple[Cited, ...]:
    out = []
    for c in cites:
        t = rs.tradeoffs.get(c)
        out.append(Cited(c, t.title, t.text) if t else Cited(c, c, ""))
    return tuple(out)


def decisive_sentence(rs: RuleSet, question: str, frm: Answer | None, to: Answer | None,
                      recommendation: str) -> str:
    """'If your budget were large (not moderate), the recommendation would be Closed-source LLM.'"""
    name = question.replace("_", " ")
    label = _label(rs, recommendation)
    if frm is None:
        return (f"If your {name} were {_value(to)} (not answered now), "
                f"the recommendation would be {label}.")
    return (f"If your {name} were {_value(to)} (not {_value(frm)}), "
            f"the recommendation would be {label}.")


# --------------------------------------------------------------------------- near misses


def _eval_flipped(cond: Condition, answers: Mapping[str, Answer], target: int) -> bool | None:
    """Evaluate ``cond`` with the truth of leaf number ``target`` (in :func:`leaves` order)
    flipped. Three-valued like :meth:`Condition.evaluate`."""
    counter = 0

    def go(c: Condition) -> bool | None:
        nonlocal counter
        if isinstance(c, Test):
            index = counter
            counter += 1
            got = c.evaluate(answers)
            return (not got) if index == target and got is not None else got
        if isinstance(c, Not):
            got = go(c.item)
            return None if got is None else not got
        results = [go(item) for item in c.items]  # all of them, to keep leaf numbers aligned
        if isinstance(c, All):
            return False if False in results else None if None in results else True
        return True if True in results else None if None in results else False

    return go(cond)


def leaf_requirements(cond: Condition, negated: bool = False) -> list[str]:
    """What each leaf (in :func:`leaves` order) needs for the condition to hold, in words:
    a leaf under an odd number of ``not`` must *not* hold."""
    if isinstance(cond, Test):
        return [f"not ({cond.describe()})" if negated else cond.describe()]
    if isinstance(cond, Not):
        return leaf_requirements(cond.item, not negated)
    out: list[str] = []
    for item in cond.items:
        out.extend(leaf_requirements(item, negated))
    return out


def near_miss_index(cond: Condition, answers: Mapping[str, Answer]) -> int | None:
    """Which leaf alone kept a false, multi-leaf condition from holding, else ``None``."""
    tests = leaves(cond)
    if len(tests) < 2 or cond.evaluate(answers) is not False:
        return None
    fixes = [i for i in range(len(tests)) if _eval_flipped(cond, answers, i) is True]
    return fixes[0] if len(fixes) == 1 else None


def near_miss_leaf(cond: Condition, answers: Mapping[str, Answer]) -> Test | None:
    """The one leaf that kept a false, multi-leaf condition from holding, else ``None``."""
    index = near_miss_index(cond, answers)
    return None if index is None else leaves(cond)[index]


# --------------------------------------------------------------------------- re-scoring


def _with_points(rs: RuleSet, rules: tuple[Rule, ...]) -> RuleSet:
    return dataclasses.replace(rs, rules=rules)


def _base_scores(result: Result) -> dict[str, float]:
    """Scores before the decision.mixed bonus."""
    base = dict.fromkeys(result.scores, 0.0)
    for c in result.contributions:
        if c.rule != MIXED_RULE_ID:
            base[c.outcome] = base.get(c.outcome, 0.0) + c.points
    return base


class _Rescorer:
    """Scores the answers with one rule's points for one outcome changed (fired rules only:
    the others add nothing, so leaving them out changes no score)."""

    def __init__(self, rs: RuleSet, result: Result) -> None:
        fired = set(result.fired)
        self.rs = rs
        self.answers = result.answers
        self.rules = tuple(r for r in rs.rules if r.id in fired)
        self.reduced = _with_points(rs, self.rules)
        self.calls = 0

    def winner(self, index: int, outcome: str, value: float) -> str:
        rule = self.rules[index]
        points = tuple((o, value if o == outcome else p) for o, p in rule.points)
        changed = (*self.rules[:index], dataclasses.replace(rule, points=points),
                   *self.rules[index + 1:])
        self.calls += 1
        return score(_with_points(self.rs, changed), self.answers).winner

    def scores(self, index: int, outcome: str, value: float) -> dict[str, float]:
        rule = self.rules[index]
        points = tuple((o, value if o == outcome else p) for o, p in rule.points)
        changed = (*self.rules[:index], dataclasses.replace(rule, points=points),
                   *self.rules[index + 1:])
        self.calls += 1
        return score(_with_points(self.rs, changed), self.answers).scores


def _kinks(rs: RuleSet, result: Result, outcome: str, sign: int, limit: float) -> list[float]:
    """Where, along a change of ``outcome``'s points, the decision.mixed bonus bends:
    the two sides cross, or the weaker side crosses ``min_points`` or zero."""
    mixed = rs.decision.mixed
    out_ = {e.outcome for e in result.excluded}
    if mixed is None or outcome not in mixed.between or \
            out_.intersection((*mixed.between, mixed.outcome)):
        return []
    base = _base_scores(result)
    other = mixed.between[1] if outcome == mixed.between[0] else mixed.between[0]
    found = []
    for target in (base[other], mixed.min_points, 0.0):
        x = (target - base[outcome]) * sign
        if 0 < x < limit:
            found.append(x)
    return sorted(set(found))


def _first_flip(winner_at: Callable[[float], str], scores_at: Callable[[float], dict[str, float]],
                winner: str, allowed: list[str], order: dict[str, int], kinks: list[float],
                limit: float) -> tuple[float, bool] | None:
    """The smallest step ``x`` in (0, limit] at which the winner changes, and whether the change
    needs strictly more than ``x``. Scores are linear between kinks: two evaluations per piece
    give each line exactly, and the engine itself is asked at every kink."""
    bounds = [0.0, *kinks, limit]
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        if lo > 0 and winner_at(lo) != winner:
            return lo, False
        x1, x2 = lo + (hi - lo) / 3, lo + 2 * (hi - lo) / 3
        s1, s2 = scores_at(x1), scores_at(x2)
        best: tuple[float, bool] | None = None
        for o in allowed:
            if o == winner:
                continue
            g1 = s1[o] - s1[winner]
            slope = ((s2[o] - s2[winner]) - g1) / (x2 - x1)
            wins_tie = order[o] < order[winner]
            cand: tuple[float, bool] | None = None
            if abs(slope) < 1e-12:
                if g1 > 1e-9 or (abs(g1) <= 1e-9 and wins_tie):
                    cand = (lo, True)
            else:
                cross = x1 - g1 / slope
                if slope > 0:
                    cand = (max(cross, lo), cross <= lo + 1e-9 or not wins_tie)
                elif cross > lo + 1e-9:
                    cand = (lo, True)
            if cand is not None and cand[0] <= hi and (best is None or cand[0] < best[0]):
                best = cand
        if best is not None:
            return best
    if limit > 0 and winner_at(limit) != winner:
        return limit, False
    return None


def _flip(rescorer: _Rescorer, rs: RuleSet, result: Result, index: int, outcome: str,
          sign: int) -> tuple[float, float, bool, str] | None:
    """The smallest change in one direction, at most the plausible limit, that changes the
    winner: (threshold, applied change, whether the threshold must be passed, new winner).
    The applied change is a multiple of RESOLUTION verified by re-scoring: it changes the
    winner, and one RESOLUTION less does not."""
    rule = rescorer.rules[index]
    current = dict(rule.points)[outcome]
    limit = abs(current) * PLAUSIBLE_CHANGE
    winner = result.recommendation
    out_ = {e.outcome for e in result.excluded}
    allowed = [o for o in rs.decision.tie_break if o not in out_]
    order = {o: i for i, o in enumerate(rs.decision.tie_break)}

    def value(x: float) -> float:
        return round(current + sign * x, 9)

    def winner_at(x: float) -> str:
        return rescorer.winner(index, outcome, value(x))

    def scores_at(x: float) -> dict[str, float]:
        return rescorer.scores(index, outcome, value(x))

    found = _first_flip(winner_at, scores_at, winner, allowed, order,
                        _kinks(rs, result, outcome, sign, limit), limit)
    if found is None:
        return None
    threshold, beyond = found
    steps = math.ceil(round(threshold / RESOLUTION, 6))
    if beyond and abs(steps * RESOLUTION - threshold) < 1e-9:
        steps += 1
    planned = steps
    top = math.floor(round(limit / RESOLUTION, 6))
    while steps <= top and winner_at(steps * RESOLUTION) == winner:
        steps += 1
    if steps > top:
        return None
    while steps > 1 and winner_at((steps - 1) * RESOLUTION) != winner:
        steps -= 1
    x = round(steps * RESOLUTION, 2)
    if steps != planned:  # the lines were off (rounding in a tiny piece): trust the engine
        threshold, beyond = x, False
    return sign * round(threshold, 6), sign * x, beyond, winner_at(x)


def _flip_sentence(rs: RuleSet, rule: str, outcome: str, current: float, threshold: float,
                   change: float, beyond: bool, winner: str) -> str:
    up = change > 0
    then = f"the recommendation would be {_label(rs, winner)}."
    if beyond and threshold == 0:  # any change at all in this direction flips it
        return (f"If rule {rule} gave {_label(rs, outcome)} any {'more' if up else 'less'} "
                f"than its {_points(current)}, {then}")
    amount = _points(current + threshold)
    if beyond:
        amount = f"{'more' if up else 'less'} than {amount}"
    relative = abs(threshold) / abs(current)
    return (f"If rule {rule} gave {_label(rs, outcome)} {amount} instead of {_num(current)} "
            f"({'+' if up else '-'}{relative:.0%}), {then}")


def weight_flips(rs: RuleSet, result: Result) -> tuple[WeightFlip, ...]:
    """For each fired rule and outcome it gives points, the smallest plausible change of those
    points that changes the winner; most critical (smallest relative change) first."""
    if len(rs.outcome_ids) - len({e.outcome for e in result.excluded}) < 2:
        return ()
    rescorer = _Rescorer(rs, result)
    found: list[tuple[float, float, int, WeightFlip]] = []
    for index, rule in enumerate(rescorer.rules):
        for outcome, current in rule.points:
            if current == 0:
                continue
            best: tuple[float, float, bool, str] | None = None
            for sign in (-1, 1):
                got = _flip(rescorer, rs, result, index, outcome, sign)
                if got is not None and (best is None or abs(got[1]) < abs(best[1])):
                    best = got
            if best is None:
                continue
            threshold, change, beyond, new_winner = best
            relative = abs(threshold) / abs(current)
            found.append((relative, abs(change), len(found), WeightFlip(
                rule=rule.id, line=rule.line, outcome=outcome, points=current,
                threshold=round(current + threshold, 6), beyond=beyond,
                to=round(current + change, 2), change=round(change, 2),
                relative=round(relative, 4), recommendation=new_winner,
                sentence=_flip_sentence(rs, rule.id, outcome, current, threshold, change,
                                        beyond, new_winner))))
    found.sort(key=lambda t: t[:3])
    return tuple(f for *_, f in found)


# --------------------------------------------------------------------------- robustness


def _reading(kept: int, samples: int, perturbation: float,
             others: tuple[tuple[str, float], ...], rs: RuleSet) -> str:
    """One line a reader understands: how many changed weightings kept the winner."""
    share = kept / samples if samples else 1.0
    rival = _label(rs, others[0][0]) if others else ""
    tried = f"{kept} of {samples} random ±{perturbation:.0%} changes of the rule points"
    if share >= 0.95:
        return f"Robust: {tried} keep this recommendation."
    if share >= 0.75:
        return f"Fairly robust: {tried} keep it; the rest pick {rival}."
    if share >= 0.5:
        return (f"Fragile: only {tried} keep it; the rest pick {rival} mostly, "
                "so treat that as a real option.")
    return (f"Very fragile: only {tried} keep it, most pick {rival}; "
            "these answers sit on a boundary.")


def robustness(rs: RuleSet, result: Result, *, samples: int = ROBUSTNESS_SAMPLES,
               seed: int = ROBUSTNESS_SEED, perturbation: float = PERTURBATION) -> Robustness:
    """The share of seeded random ±``perturbation`` changes of all rule points that keep the
    winner. Only fired rules' points are drawn: the others add nothing to any score."""
    rng = random.Random(seed)
    fired = set(result.fired)
    rules = tuple(r for r in rs.rules if r.id in fired and r.points)
    # The answers stay fixed, so the fired rules and the exclusions do too: each sample
    # is the engine's arithmetic (same order of additions, same bonus, same rounding and
    # tie-break) on perturbed points, without re-evaluating any condition.
    excluded = {e.outcome for e in result.excluded}
    order = {o: i for i, o in enumerate(rs.decision.tie_break)}
    allowed = [o for o in rs.decision.tie_break if o not in excluded]
    mixed = rs.decision.mixed
    if mixed is not None and excluded.intersection((*mixed.between, mixed.outcome)):
        mixed = None
    kept = 0
    others: dict[str, int] = {}
    for _ in range(samples):
        sums = dict.fromkeys(rs.outcome_ids, 0.0)
        for r in rules:
            for o, p in r.points:
                sums[o] += p * (1 + rng.uniform(-perturbation, perturbation))
        if mixed is not None:
            bonus = mixed.bonus(sums[mixed.between[0]], sums[mixed.between[1]])
            if bonus:
                sums[mixed.outcome] += bonus
        w = min(allowed, key=lambda o: (-round(sums[o], 6), order[o]))
        if w == result.recommendation:
            kept += 1
        else:
            others[w] = others.get(w, 0) + 1
    share = round(kept / samples, 4) if samples else 1.0
    ranked = tuple((o, round(n / samples, 4))
                   for o, n in sorted(others.items(), key=lambda t: (-t[1], t[0])))
    return Robustness(share, kept, samples, seed, perturbation, ranked,
                      _reading(kept, samples, perturbation, ranked, rs))


# --------------------------------------------------------------------------- the rest


def _mixed_entry(rs: RuleSet, result: Result) -> FiredRule | None:
    mixed = rs.decision.mixed
    bonus = [c for c in result.contributions if c.rule == MIXED_RULE_ID]
    if mixed is None or not bonus:
        return None
    base = _base_scores(result)
    a, b = mixed.between
    weaker = min(base[a], base[b])
    when = (f"{a} ({_num(base[a])}) and {b} ({_num(base[b])}) both pass "
            f"{_num(mixed.min_points)} points: {mixed.outcome} gains {_num(mixed.weight)} x "
            f"({_num(weaker)} - {_num(mixed.min_points)}), the weaker side's points above it")
    return FiredRule(MIXED_RULE_ID, None, when, ((mixed.outcome, bonus[0].points),), (),
                     mixed.because, _cited(rs, mixed.cites))


def _scenario(rs: RuleSet, result: Result) -> ScenarioNote | None:
    if result.scenario is None:
        return None
    t = rs.tradeoffs.get(result.scenario)
    for sc in rs.scenarios:
        if sc.id == result.scenario and sc.because == result.scenario_because and \
                result.recommendation in sc.recommendation:
            cond = sc.when.describe()
            why = f"the recommendation is {_label(rs, result.recommendation)}"
            if cond:
                why += f" and {cond}"
            return ScenarioNote(sc.id, t.title if t else sc.id, t.text if t else "",
                                sc.because, why, sc.line)
    return ScenarioNote(result.scenario, t.title if t else result.scenario,
                        t.text if t else "", result.scenario_because, "", None)


def next_steps(rs: RuleSet, result: Result) -> tuple[Step, ...]:
    """The rule set's next steps that apply, grouped by lesson in the article's order."""
    lessons = [tid for tid, t in rs.tradeoffs.items() if t.kind == "lesson"]
    rank = {tid: i for i, tid in enumerate(lessons)}
    found: list[tuple[int, int, Step]] = []
    for i, ns in enumerate(rs.next_steps):
        if ns.recommendation and result.recommendation not in ns.recommendation:
            continue
        if ns.when is not None and ns.when.evaluate(result.answers) is not True:
            continue
        lesson = next((c for c in ns.cites if c in rank), ns.cites[0] if ns.cites else "")
        t = rs.tradeoffs.get(lesson)
        found.append((rank.get(lesson, len(rank)), i, Step(
            ns.id, lesson, t.title if t else lesson, ns.text, _cited(rs, ns.cites), ns.line)))
    found.sort(key=lambda x: x[:2])
    return tuple(s for *_, s in found)


def explain(rs: RuleSet, result: Result, *, samples: int = ROBUSTNESS_SAMPLES,
            seed: int = ROBUSTNESS_SEED) -> Explanation:
    """Everything the reports explain beyond the scores. Pure and deterministic."""
    answers = result.answers
    by_id = {r.id: r for r in rs.rules}
    fired = [FiredRule(r.id, r.line, r.when.describe() or "always", r.points, r.exclude,
                       r.because, _cited(rs, r.cites))
             for r in (by_id[f] for f in result.fired)]
    mixed = _mixed_entry(rs, result)
    if mixed is not None:
        fired.append(mixed)
    skipped = tuple(SkippedRule(s.rule, s.line, s.missing, by_id[s.rule].points,
                                by_id[s.rule].exclude, by_id[s.rule].because)
                    for s in result.skipped if s.rule in by_id)
    near: list[NearMiss] = []
    fired_ids = set(result.fired)
    for r in rs.rules:
        if r.id in fired_ids:
            continue
        index = near_miss_index(r.when, answers)
        if index is not None:
            leaf = leaves(r.when)[index]
            near.append(NearMiss(r.id, r.line, leaf_requirements(r.when)[index], leaf.question,
                                 answers.get(leaf.question), r.points, r.exclude, r.because))
    decisive = None
    if result.what_if:
        # The biggest change among the answers given; an unanswered optional question
        # (often a hard constraint) only when no given answer changes anything.
        given = [w for w in result.what_if if w.from_value is not None]
        w = (given or list(result.what_if))[0]
        decisive = Decisive(w.question, w.from_value, w.to_value, w.recommendation, w.margin,
                            decisive_sentence(rs, w.question, w.from_value, w.to_value,
                                              w.recommendation))
    return Explanation(
        source=rs.source,
        fired=tuple(fired),
        skipped=skipped,
        near_misses=tuple(near),
        decisive=decisive,
        weight_flips=weight_flips(rs, result),
        robustness=robustness(rs, result, samples=samples, seed=seed),
        scenario=_scenario(rs, result),
        next_steps=next_steps(rs, result),
    )


__all__ = ["PERTURBATION", "PLAUSIBLE_CHANGE", "RESOLUTION", "ROBUSTNESS_SAMPLES",
           "ROBUSTNESS_SEED", "Explanation", "explain", "near_miss_leaf", "next_steps",
           "robustness", "weight_flips"]
