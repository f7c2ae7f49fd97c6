"""The coherence checks that read the Result and the rule set (and the view's next steps
and scenario): the path, capacity, the scenario, next-step filters, the mixed bonus and
the middle rules argued, the certainty's tie and constraint, and overruled musts. The
kinds are described in :mod:`llmchoice.authoring.coherence`, which runs them all.
"""

from __future__ import annotations

from collections.abc import Callable

from llmchoice.authoring.lint_paths import MUST
from llmchoice.decide.result import Result
from llmchoice.decide.rule import MIXED_RULE_ID
from llmchoice.frozen import frozen
from llmchoice.report.view import Reason, ReportView
from llmchoice.ruleset.model import RuleSet

CAPACITY = ("expertise", "none")  # the default set's answer for a team without ML staff
SKILL_UP = "lesson.skill-up"
HYBRID_APPROACH = "future.hybrid-approach"
NO_CUSTOMIZATION = ("customization", "none")


@frozen
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


__all__ = ["CAPACITY", "Check", "Incoherence", "check_capacity", "check_certainty",
           "check_middle", "check_mixed", "check_musts", "check_next_steps", "check_path",
           "check_scenario", "middle_rules"]
