"""What a report explains beyond the scores: the trace, near misses, sensitivity, next steps.

:func:`explain` is pure: it reads a rule set and a :class:`~llmchoice.decide.result.Result`
(whose ``answers`` it re-uses) and returns a frozen :class:`Explanation`. Every
number in it comes from the engine's own :func:`~llmchoice.decide.engine.score`, run on
changed copies of the rule set; nothing here assumes the scores are linear in
the weights (the ``decision.mixed`` bonus makes them piecewise linear, with
bends). Robustness asks the one decision rule (:func:`llmchoice.decide.rule.decide`)
on the fired rules' perturbed points (the answers, and so the fired rules, stay
fixed). Weight sensitivity and robustness live in :mod:`llmchoice.decide.sensitivity`.
The renderers only word what is computed here.

Definitions (also in ``docs/explain.md``):

- **Near miss**: a rule that did not fire, whose condition has at least two
  leaves, and that exactly one leaf kept from firing: flipping that leaf's
  truth value alone would make the condition true, and flipping any other would
  not. One-leaf rules (``budget: minimal``) are left out: that they did not
  fire is just the answer, and what-if covers answer changes.
- **Most decisive answer**: the first what-if (the engine orders them by how
  far ahead the new winner would be) among the lever questions (``levers``;
  default: every question), so facts can be left out of it; a change of
  preference before a hard requirement (a change whose new answer makes a rule
  exclude the winner), and an answer given before one left unanswered.
- **Weight sensitivity** (after Triantaphyllou's sensitivity analysis of
  weighted-sum decisions): for every fired rule and every outcome it gives
  points, the smallest change of those points, in steps of
  :data:`RESOLUTION`, that changes the winner. It is reported only within the
  plausible range: a change of at most :data:`PLAUSIBLE_CHANGE` (100%) of the
  rule's points, that is from zero to double. Changes are ranked by their
  relative size (Triantaphyllou's criticality degree), then absolute size.
- **Robustness**: the share of :data:`ROBUSTNESS_SAMPLES` random perturbations
  that keep the winner, each adding to every point of every fired rule (the only
  ones that count) an amount drawn uniformly within ±:data:`PERTURBATION` (half a
  step of the 1/2/3 scale) and to the mixed-needs weight one within
  ±:data:`WEIGHT_PERTURBATION`, with a fixed seed, so the same answers always give
  the same figure (why these ranges: :mod:`llmchoice.decide.sensitivity`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from llmchoice.decide.result import Result
from llmchoice.decide.rule import MIXED_RULE_ID
from llmchoice.decide.sensitivity import (
    PERTURBATION,
    PLAUSIBLE_CHANGE,
    RESOLUTION,
    ROBUSTNESS_SAMPLES,
    ROBUSTNESS_SEED,
    WEIGHT_PERTURBATION,
    Robustness,
    WeightFlip,
    base_scores,
    robustness,
    weight_flips,
)
from llmchoice.decide.words import label as _label
from llmchoice.decide.words import num as _num
from llmchoice.decide.words import value as _value
from llmchoice.frozen import frozen
from llmchoice.ruleset.conditions import All, Answer, Condition, Not, Test, leaves
from llmchoice.ruleset.model import Question, RuleSet

Points = tuple[tuple[str, float], ...]


@frozen
class Cited:
    """A trade-off a rule cites, with the article's own words."""

    id: str
    title: str
    text: str


@frozen
class FiredRule:
    rule: str
    line: int | None
    when: str
    points: Points
    exclude: tuple[str, ...]
    because: str
    cites: tuple[Cited, ...]


@frozen
class SkippedRule:
    rule: str
    line: int | None
    missing: tuple[str, ...]
    points: Points
    exclude: tuple[str, ...]
    because: str


@frozen
class NearMiss:
    rule: str
    line: int | None
    failed: str  # the one condition leaf that did not hold, in words
    question: str
    answer: Answer | None
    points: Points
    exclude: tuple[str, ...]
    because: str


@frozen
class Decisive:
    question: str
    from_value: Answer | None
    to_value: Answer | None
    recommendation: str
    margin: float
    sentence: str


@frozen
class ScenarioNote:
    id: str  # the trade-off id, e.g. future.hybrid-approach
    title: str
    text: str
    because: str
    condition: str
    line: int | None


@frozen
class Step:
    id: str
    lesson: str
    lesson_title: str
    text: str
    cites: tuple[Cited, ...]
    line: int | None


@frozen
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


def _cited(rs: RuleSet, cites: tuple[str, ...]) -> tuple[Cited, ...]:
    out = []
    for c in cites:
        t = rs.tradeoffs.get(c)
        out.append(Cited(c, t.title, t.text) if t else Cited(c, c, ""))
    return tuple(out)


def decisive_sentence(rs: RuleSet, question: str, frm: Answer | None, to: Answer | None,
                      recommendation: str) -> str:
    """'If your budget were “Large” (not “Moderate”), the recommendation would be
    Closed-source LLM.' The question by its title, a choice by the short form of its label
    (the part before a colon), quoted; a number or a yes/no as such."""
    q = rs.question(question) if rs.has_question(question) else None
    title = q.title if q is not None and q.title else question.replace("_", " ")
    name = title if title[:2].isupper() else title[:1].lower() + title[1:]
    label = _label(rs, recommendation)
    if frm is None:
        return (f"If your {name} were {_short(q, to)} (not answered now), "
                f"the recommendation would be {label}.")
    return (f"If your {name} were {_short(q, to)} (not {_short(q, frm)}), "
            f"the recommendation would be {label}.")


def _short(q: Question | None, value: Answer | None) -> str:
    """A value in a sentence: a choice's label up to its colon, quoted; else as shown."""
    if q is not None and q.type == "choice" and isinstance(value, str) and \
            value in q.values:
        return f"“{q.label_of(value).split(':', 1)[0].strip()}”"
    return _value(value)


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


# --------------------------------------------------------------------------- the rest


def _mixed_entry(rs: RuleSet, result: Result) -> FiredRule | None:
    mixed = rs.decision.mixed
    bonus = [c for c in result.contributions if c.rule == MIXED_RULE_ID]
    if mixed is None or not bonus:
        return None
    base = base_scores(result)
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
    """The rule set's next steps that apply (to the recommendation, its path and the
    answers), grouped by lesson in the article's order, file order within a lesson."""
    lessons = [tid for tid, t in rs.tradeoffs.items() if t.kind == "lesson"]
    rank = {tid: i for i, tid in enumerate(lessons)}
    found: list[tuple[int, int, Step]] = []
    for i, ns in enumerate(rs.next_steps):
        if ns.recommendation and result.recommendation not in ns.recommendation:
            continue
        if ns.paths and (result.path is None or result.path.id not in ns.paths):
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
            seed: int = ROBUSTNESS_SEED, levers: Collection[str] | None = None,
            ) -> Explanation:
    """Everything the reports explain beyond the scores. Pure and deterministic.
    ``levers``: the questions the decisive answer may name (default: every question)."""
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
    changes = [w for w in result.what_if if levers is None or w.question in levers]
    if changes:
        # A weighing before a hard requirement (a change that makes a rule exclude the
        # winner); then the biggest change among the answers given, an unanswered optional
        # question only when no given answer changes anything. Stable: the engine's order
        # (the new winner's lead) within each group.
        w = min(changes, key=lambda c: (c.constraint, c.from_value is None))
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
           "ROBUSTNESS_SEED", "WEIGHT_PERTURBATION", "Explanation", "Robustness", "WeightFlip",
           "explain", "near_miss_leaf", "next_steps", "robustness", "weight_flips"]
