"""The coherence check: does a report contradict itself or the rule set?

:func:`incoherences` reads a Result, the report view built from it
(:func:`llmchoice.report.view.build_view`) and the rule set, and returns every
:class:`Incoherence` it finds. Each kind is a case a review found in a real report.

Read from the Result and the rule set (:mod:`llmchoice.authoring.coherence_result`):

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
    the Result's certainty: a tie that does not name both tied outcomes at the same
    score; a verdict forced by a constraint naming no rule, or a rule that did not exclude.
``must-overruled``
    a recommendation (or path) that a rule enforcing an answer labelled "must" rules out.

Read from what the view says (:mod:`llmchoice.authoring.coherence_view`), against what the
scores, the exclusions and the rule set make true:

``tie-unnamed-in-view``
    a tie whose headline and basis fact do not say "tie" and name every tied outcome.
``constraint-unnamed-in-view``
    a verdict forced by exclusions whose basis fact does not name a rule that excluded
    (its reason or the answer it reads).
``too-close-decided``
    a lead under ``decision.min_lead`` whose basis fact does not say there is no basis for
    a verdict, or a fact that says it was decided.
``robust-unreconciled``
    a "Robust" reading beside a low or no clarity without the sentence that reconciles
    them (a forced verdict's clarity saying nothing else is allowed does).
``cost-api-offered``, ``cost-highlight``, ``cost-recommends-other``
    the cost lines: an API priced or named when every hosted path is ruled out; a
    highlighted line other than the path's ``cost_option`` (or that option not
    highlighted); a sentence recommending another option than the path's. With no clear
    verdict the path is the first plan's (:func:`llmchoice.report.plans.framed`).
``plans-other-outcomes``
    a title naming two outcomes ("No clear verdict: A or B") whose plans, next steps or
    cost lines are for another outcome, in another order, or leave one out.

:func:`fast_result` and :func:`fast_view` build what the checks read for many answer sets
quickly (the compiled evaluator; no what-if or trace; the robustness reading only when
asked), for the whole-space test.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache

from llmchoice.authoring.coherence_result import (
    Check,
    Incoherence,
    check_capacity,
    check_certainty,
    check_middle,
    check_mixed,
    check_musts,
    check_next_steps,
    check_path,
    check_scenario,
    middle_rules,
)
from llmchoice.authoring.coherence_view import (
    check_constraint_view,
    check_cost_view,
    check_plans_view,
    check_robust_view,
    check_tie_view,
    check_too_close_view,
)
from llmchoice.cost.estimate import Estimate, estimate
from llmchoice.cost.for_answers import answered_volume
from llmchoice.decide.compiled import compiled_for
from llmchoice.decide.engine import certainty_of, choose_path, path_exclusions, pick_scenario
from llmchoice.decide.explain import Explanation, next_steps
from llmchoice.decide.result import Result, RuleSetInfo
from llmchoice.decide.rule import MIXED_RULE_ID, decide
from llmchoice.decide.sensitivity import robustness
from llmchoice.report.plans import framed, plan_pair
from llmchoice.report.view import ReportView, build_view, plan_steps
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import RuleSet

CHECKS: tuple[Check, ...] = (check_path, check_capacity, check_scenario, check_next_steps,
                             check_mixed, check_middle, check_certainty, check_musts,
                             check_tie_view, check_constraint_view, check_too_close_view,
                             check_robust_view, check_cost_view, check_plans_view)


def incoherences(rules: RuleSet, result: Result, view: ReportView) -> list[Incoherence]:
    """Every incoherence of one report, in the order of :data:`CHECKS`."""
    return [i for check in CHECKS for i in check(rules, result, view)]


# --------------------------------------------------------------------------- fast builders


@lru_cache(maxsize=64)
def _estimate(volume: float) -> Estimate:
    """The shipped assumptions' estimate at ``volume``: one per volume, however many
    answer sets give it."""
    return estimate(volume)


def fast_result(rules: RuleSet, answers: Mapping[str, Answer]) -> Result:
    """The Result of :func:`llmchoice.decide.engine.evaluate` for valid answers, carrying
    its cost estimate (:func:`llmchoice.cost.for_answers.with_cost`), without what-if,
    deciding facts or unsure analysis (which the checks do not read), through the
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
    volume = answered_volume(rules, answers)
    return Result(
        recommendation=s.winner, scores=s.scores, confidence=s.confidence,
        answers=dict(answers), contributions=s.contributions, excluded=s.excluded,
        skipped=s.skipped, fired=s.fired, what_if=(), scenario=scenario,
        scenario_because=because,
        ruleset=RuleSetInfo(rules.meta.id, rules.meta.version, rules.sha256, rules.source),
        certainty=certainty_of(rules, answers, verdict, list(sums.values()), s.fired,
                               excluded_paths, flips=False),
        cost=_estimate(volume) if volume is not None else None,
        path=choose_path(rules, answers, s.winner, {e.outcome for e in excluded_paths}),
        excluded_paths=excluded_paths)


def robust_explanation(rules: RuleSet, result: Result) -> Explanation:
    """The explanation with only what the checks read: the robustness (the report's 400
    seeded samples) and the next steps; no trace, decisive answer or weight flips."""
    return Explanation(source=rules.source, fired=(), skipped=(), near_misses=(),
                       decisive=None, weight_flips=(), robustness=robustness(rules, result),
                       scenario=None, next_steps=next_steps(rules, result))


def fast_view(rules: RuleSet, result: Result, *, robust: bool = False) -> ReportView:
    """The report view with the next steps it would show; with its robustness reading (and
    the sentence reconciling it with the clarity) when ``robust``, which costs about as
    much as the rest of the view ten times over."""
    if robust:
        return build_view(result, rules, robust_explanation(rules, result))
    view = build_view(result, rules)
    own, heading, other, other_heading = plan_steps(
        rules, result, framed(rules, result, plan_pair(result)), next_steps(rules, result))
    return dataclasses.replace(view, next_steps=own, next_steps_heading=heading,
                               alternative_steps=other, alternative_steps_heading=other_heading)


def check_answers(rules: RuleSet, answers: Sequence[Mapping[str, Answer]], *,
                  robust: Callable[[Result], bool] | None = None,
                  ) -> list[tuple[Mapping[str, Answer], Incoherence]]:
    """Every incoherence over many answer sets, each with its answers. ``robust``: which
    results' views carry the robustness reading (none when None)."""
    found = []
    for a in answers:
        result = fast_result(rules, a)
        view = fast_view(rules, result, robust=robust is not None and robust(result))
        found += [(a, i) for i in incoherences(rules, result, view)]
    return found


__all__ = ["CHECKS", "Incoherence", "check_answers", "fast_result", "fast_view",
           "incoherences", "middle_rules", "robust_explanation"]
