"""The coherence check: does a report contradict itself or the rule set?

:func:`incoherences` reads a Result, the report view built from it
(:func:`llmchoice.report.view.build_view`) and the rule set, and returns every
:class:`Incoherence` it finds. Each kind is a case a review found in a real report:

``path-excluded``, ``path-other-outcome``
    the path is one a fired rule excludes, or a path of another outcome.
``self-hosted-without-staff``
    a self-hosted path for a team without ML staff (``expertise: none``) while a hosted
    path of that outcome is allowed; ``skill-not-first``: when every hosted path is
    excluded, the first next step does not cite ``lesson.skill-up``.
``scenario-other-outcome``, ``hybrid-approach-without-customization``
    the scenario's entry does not list the recommendation, or the article's hybrid
    approach (building your own layers) is offered to a plan with ``customization: none``.
``next-step-filter``
    a next step shown although its ``recommendation`` or ``paths`` filter leaves out the
    recommendation or the path.
``mixed-as-reason``
    the mixed-needs bonus (``decision.mixed``) listed among the reasons for or against.
``middle-as-argument``
    a middle rule (points to both sides of ``decision.mixed``) listed as an argument for
    or against one outcome rather than once among the needs that fit either.
``tie-unnamed``, ``constraint-unnamed``
    a tie whose certainty does not name both tied outcomes at the same score; a verdict
    forced by a constraint whose certainty names no rule, or a rule that did not exclude.
``must-overruled``
    a recommendation (or path) that a rule enforcing an answer labelled "must" rules out.

Checks on fields the view does not carry yet (the headline, the cost lines) read the
Result. :func:`fast_result` and :func:`fast_view` build what the checks read for many
answer sets quickly (the compiled evaluator; no what-if, robustness or trace), for the
whole-space test.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from llmchoice.authoring.lint_paths import MUST
from llmchoice.decide.compiled import compiled_for
from llmchoice.decide.engine import certainty_of, choose_path, path_exclusions, pick_scenario
from llmchoice.decide.explain import Step, next_steps
from llmchoice.decide.result import Result, RuleSetInfo
from llmchoice.decide.rule import MIXED_RULE_ID, decide
from llmchoice.report.common import LessonSteps
from llmchoice.report.view import Reason, ReportView, build_view
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import RuleSet

CAPACITY = ("expertise", "none")  # the default set's answer for a team without ML staff
SKILL_UP = "lesson.skill-up"
HYBRID_APPROACH = "future.hybrid-approach"
NO_CUSTOMIZATION = ("customization", "none")


@dataclass(frozen=True, slots=True)
class Incoherence:
    kind: str
    detail: str


Check = Callable[[RuleSet, Result, ReportView], list[Incoherence]]


def check_path(rules: RuleSet, result: Result, view: ReportView) -> list[Incoherence]:
    p = result.path
    if p is None:
        return []
    found = []
    if p.id in {e.outcome for e in result.excluded_paths}:
        found.append(Incoherence("path-excluded", f"{p.id} is excluded by a fired rule"))
    if p.outcome != result.recommendation:
        found.append(Incoherence("path-other-outcome",
                                 f"{p.id} runs {p.outcome}, not {result.recommendation}"))
    return found


def _first_step_cites(view: ReportView) -> tuple[str, ...] | None:
    for group in view.next_steps:
        for step in group.steps:
            return tuple(c.id for c in step.cites)
    return None


def check_capacity(rules: RuleSet, result: Result, view: ReportView) -> list[Incoherence]:
    qid, none = CAPACITY
    p = result.path
    if p is None or p.hosting != "self" or result.answers.get(qid) != none:
        return []
    out = {e.outcome for e in result.excluded_paths}
    allowed = [q.id for q in rules.paths
               if q.outcome == p.outcome and q.hosting == "hosted" and q.id not in out]
    if allowed:
        return [Incoherence("self-hosted-without-staff",
                            f"{p.id} for {qid}: {none}, while {', '.join(allowed)} is allowed")]
    cites = _first_step_cites(view)
    if cites is not None and SKILL_UP not in cites:
        return [Incoherence("skill-not-first",
                            f"{p.id} for {qid}: {none}, but the first next step cites "
                            f"{', '.join(cites) or 'nothing'}, not {SKILL_UP}")]
    return []


def check_scenario(rules: RuleSet, result: Result, view: ReportView) -> list[Incoherence]:
    sid = view.scenario.id if view.scenario is not None else result.scenario
    if sid is None:
        return []
    found = []
    if not any(sc.id == sid and result.recommendation in sc.recommendation
               for sc in rules.scenarios):
        found.append(Incoherence("scenario-other-outcome",
                                 f"{sid} does not list {result.recommendation}"))
    qid, none = NO_CUSTOMIZATION
    if sid == HYBRID_APPROACH and result.answers.get(qid) == none:
        found.append(Incoherence("hybrid-approach-without-customization",
                                 f"{sid} for {qid}: {none}"))
    return found


def check_next_steps(rules: RuleSet, result: Result, view: ReportView) -> list[Incoherence]:
    by_id = {ns.id: ns for ns in rules.next_steps}
    path = result.path.id if result.path is not None else None
    found = []
    for group in view.next_steps:
        for step in group.steps:
            ns = by_id.get(step.id)
            if ns is None:
                continue
            if ns.recommendation and result.recommendation not in ns.recommendation:
                found.append(Incoherence("next-step-filter", f"{ns.id} is not for "
                                                             f"{result.recommendation}"))
            if ns.paths and path not in ns.paths:
                found.append(Incoherence("next-step-filter", f"{ns.id} is not for path "
                                                             f"{path}"))
    return found


def _reasons(view: ReportView, *, shared: bool) -> list[Reason]:
    groups = [view.why, view.against, *([view.shared] if shared else [])]
    return [r for g in groups if g is not None for r in g.rows]


def check_mixed(rules: RuleSet, result: Result, view: ReportView) -> list[Incoherence]:
    mixed = rules.decision.mixed
    if mixed is None:
        return []
    return [Incoherence("mixed-as-reason", f"{MIXED_RULE_ID} listed for {r.outcome}")
            for r in _reasons(view, shared=True)
            if r.outcome == mixed.outcome and r.because == mixed.because]


def middle_rules(rules: RuleSet) -> dict[str, str]:
    """The rules that give points to both sides of ``decision.mixed``: because -> rule id."""
    mixed = rules.decision.mixed
    if mixed is None:
        return {}
    a, b = mixed.between
    return {r.because: r.id for r in rules.rules
            if {a, b} <= {o for o, pts in r.points if pts > 0}}


def check_middle(rules: RuleSet, result: Result, view: ReportView) -> list[Incoherence]:
    middle = middle_rules(rules)
    return [Incoherence("middle-as-argument",
                        f"{middle[r.because]} listed as an argument for or against {r.outcome}")
            for r in _reasons(view, shared=False) if r.because in middle]


def check_certainty(rules: RuleSet, result: Result, view: ReportView) -> list[Incoherence]:
    c = result.certainty
    top = result.scores[result.recommendation]
    if c.basis == "tie" and (len(c.tied) != 2 or result.recommendation not in c.tied
                             or any(result.scores[o] != top for o in c.tied)):
        return [Incoherence("tie-unnamed", f"a tie naming {list(c.tied)} at "
                                           f"{[result.scores.get(o) for o in c.tied]}")]
    if c.basis == "constraint":
        by_id = {r.id: r for r in rules.rules}
        excluding = {r for r in result.fired if by_id[r].exclude}
        if not c.constraints or not set(c.constraints) <= excluding:
            return [Incoherence("constraint-unnamed",
                                f"forced by a constraint naming {list(c.constraints)}")]
    return []


def check_musts(rules: RuleSet, result: Result, view: ReportView) -> list[Incoherence]:
    path = result.path.id if result.path is not None else None
    found = []
    for q in rules.questions:
        value = result.answers.get(q.id)
        if value is None or q.type != "choice" or not MUST.search(q.label_of(value)):
            continue
        for r in rules.rules:
            if r.when.evaluate({q.id: value}) is not True:
                continue
            if result.recommendation in r.exclude or (path is not None
                                                      and path in r.exclude_paths):
                found.append(Incoherence("must-overruled",
                                         f"{q.id}: {value} (a must) rules out "
                                         f"{result.recommendation} / {path} by {r.id}"))
    return found


CHECKS: tuple[Check, ...] = (check_path, check_capacity, check_scenario, check_next_steps,
                             check_mixed, check_middle, check_certainty, check_musts)


def incoherences(rules: RuleSet, result: Result, view: ReportView) -> list[Incoherence]:
    """Every incoherence of one report, in the order of :data:`CHECKS`."""
    return [i for check in CHECKS for i in check(rules, result, view)]


# --------------------------------------------------------------------------- fast builders


def fast_result(rules: RuleSet, answers: Mapping[str, Answer]) -> Result:
    """The Result of :func:`llmchoice.decide.engine.evaluate` for valid answers, without
    what-if, deciding facts or unsure analysis (which the checks do not read), through the
    compiled evaluator. Without what-if the certainty's label is not capped (a ``high``
    that a preference change flips reads ``moderate`` in the full Result)."""
    s = compiled_for(rules).score(answers)
    sums = dict.fromkeys(rules.outcome_ids, 0.0)
    for c in s.contributions:
        if c.rule != MIXED_RULE_ID:
            sums[c.outcome] += c.points
    verdict = decide(sums, {e.outcome for e in s.excluded}, rules.decision, rules.outcome_ids)
    assert verdict is not None  # score raised NoOutcomeLeft otherwise
    excluded_paths = path_exclusions(rules, s.fired)
    scenario, because = pick_scenario(rules, answers, s.winner)
    return Result(
        recommendation=s.winner, scores=s.scores, confidence=s.confidence,
        answers=dict(answers), contributions=s.contributions, excluded=s.excluded,
        skipped=s.skipped, fired=s.fired, what_if=(), scenario=scenario,
        scenario_because=because,
        ruleset=RuleSetInfo(rules.meta.id, rules.meta.version, rules.sha256, rules.source),
        certainty=certainty_of(rules, answers, verdict, list(sums.values()), s.fired,
                               excluded_paths, flips=False),
        path=choose_path(rules, answers, s.winner, {e.outcome for e in excluded_paths}),
        excluded_paths=excluded_paths)


def lesson_groups(rules: RuleSet, result: Result) -> tuple[LessonSteps, ...]:
    """The next steps of ``result`` grouped by lesson, as the report view groups them."""
    groups: dict[str, list[Step]] = {}
    for s in next_steps(rules, result):
        groups.setdefault(s.lesson, []).append(s)
    out = []
    for lesson, steps in groups.items():
        t = rules.tradeoffs.get(lesson)
        out.append(LessonSteps(lesson, t.title if t else lesson, t.text if t else "",
                               tuple(steps)))
    return tuple(out)


def fast_view(rules: RuleSet, result: Result) -> ReportView:
    """The report view without an explanation, with the next steps it would show."""
    return dataclasses.replace(build_view(result, rules),
                               next_steps=lesson_groups(rules, result))


def check_answers(rules: RuleSet, answers: Sequence[Mapping[str, Answer]],
                  ) -> list[tuple[Mapping[str, Answer], Incoherence]]:
    """Every incoherence over many answer sets, each with its answers."""
    found = []
    for a in answers:
        result = fast_result(rules, a)
        found += [(a, i) for i in incoherences(rules, result, fast_view(rules, result))]
    return found


__all__ = ["CHECKS", "Incoherence", "check_answers", "fast_result", "fast_view",
           "incoherences", "lesson_groups", "middle_rules"]
