"""The coherence checks that read what the report view says: its headline and verdict facts
(basis, clarity, robustness, reading) and its cost lines.

Each check first works out from the Result and the rule set alone what is true (a tie, a
verdict forced by constraints, a lead under ``decision.min_lead``, every hosted path
ruled out, the path's cost option), never from the Result's certainty or the view, and
then reads the view's texts for a sentence that says otherwise or leaves it out. The
kinds are described in :mod:`llmchoice.authoring.coherence`, which runs them all.
"""

from __future__ import annotations

import re

from llmchoice.authoring.coherence_result import Incoherence
from llmchoice.cost.estimate import ApiOption, Estimate
from llmchoice.decide.result import Result
from llmchoice.report.advice import NO_VERDICT_TITLE, RECONCILE_SMALL_LEAD, answer_text
from llmchoice.report.common import outcome_label
from llmchoice.report.plans import framed, plan_pair
from llmchoice.report.view import ReportView
from llmchoice.ruleset.conditions import leaves
from llmchoice.ruleset.model import RuleSet

NO_BASIS = "no basis for a verdict"
DECIDED = "decided by"
FORCED_CLARITY = "nothing else is allowed"  # a forced verdict's clarity: why it is robust
LOW_CLARITY = re.compile(r"\b(low|no clear verdict):")  # the certainty fact's label, as worded
ROBUST = "Robust:"  # the robustness reading of a share of at least 0.95
NO_API = "No API"  # the cost line that says why no API is priced
API_WORD = re.compile(r"\bAPIs?\b")
RECOMMENDING = re.compile(r"\b(cheaper|cheapest|recommend\w*|consider|should|instead|"
                          r"switch\w*|better|prefer\w*)\b", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.;])\s+")


def _fact(view: ReportView, name: str) -> str:
    """The text of the verdict panel's fact ``name`` ('' when the view has none)."""
    return next((text for n, text in view.facts if n == name), "")


def _allowed(result: Result) -> list[str]:
    """The outcomes no rule ruled out, best score first."""
    out = {e.outcome for e in result.excluded}
    return sorted((o for o in result.scores if o not in out), key=lambda o: -result.scores[o])


def forced(result: Result) -> bool:
    """True when exclusions left a single outcome."""
    return bool(result.excluded) and len(_allowed(result)) == 1


def tied(result: Result) -> list[str]:
    """The allowed outcomes sharing the top score, when more than one does; else []."""
    allowed = _allowed(result)
    top = [o for o in allowed if result.scores[o] == result.scores[allowed[0]]]
    return top if len(top) > 1 else []


def lead(result: Result) -> float | None:
    """The winner's lead over the best other allowed outcome (None: nothing else allowed)."""
    allowed = _allowed(result)
    if len(allowed) < 2:
        return None
    return round(result.scores[allowed[0]] - result.scores[allowed[1]], 6)


def check_tie_view(rules: RuleSet, result: Result, view: ReportView) -> list[Incoherence]:
    """A tie: the headline or the basis fact says "tie" and names every tied outcome."""
    both = tied(result)
    if not both:
        return []
    said = f"{view.headline} {_fact(view, 'Basis')}"
    missing = [outcome_label(rules, o) for o in both if outcome_label(rules, o) not in said]
    if missing or "tie" not in said.lower():
        return [Incoherence("tie-unnamed-in-view",
                            f"a tie of {', '.join(both)}, but the view says: {said!r}")]
    return []


def _named(rules: RuleSet, result: Result, rule_id: str, basis: str) -> bool:
    """Whether ``basis`` names rule ``rule_id``: its reason, or an answer it reads."""
    rule = next((r for r in rules.rules if r.id == rule_id), None)
    if rule is None:
        return False
    if rule.because.rstrip(".") in basis:
        return True
    return any(answer_text(rules, t.question, result.answers[t.question]) in basis
               for t in leaves(rule.when) if t.question in result.answers)


def check_constraint_view(rules: RuleSet, result: Result, view: ReportView,
                          ) -> list[Incoherence]:
    """A verdict forced by exclusions: the basis fact names each rule that excluded (its
    reason or the answer it reads)."""
    if not forced(result):
        return []
    basis = _fact(view, "Basis")
    unnamed = [r for r in dict.fromkeys(e.rule for e in result.excluded)
               if not _named(rules, result, r, basis)]
    return [Incoherence("constraint-unnamed-in-view",
                        f"forced by {rule}, but the basis says: {basis!r}")
            for rule in unnamed]


def check_too_close_view(rules: RuleSet, result: Result, view: ReportView,
                         ) -> list[Incoherence]:
    """A lead above 0 but under ``decision.min_lead``: the basis fact says there is no
    basis for a verdict, and no fact says it was decided."""
    margin = lead(result)
    if forced(result) or margin is None or not 0 < margin < rules.decision.min_lead:
        return []
    basis = _fact(view, "Basis")
    decided = [n for n, text in view.facts if DECIDED in text.lower()]
    if NO_BASIS not in basis.lower() or decided:
        return [Incoherence("too-close-decided",
                            f"a lead of {margin:g} < {rules.decision.min_lead:g}, but the "
                            f"view says: {basis!r}" + (f" ({', '.join(decided)})"
                                                       if decided else ""))]
    return []


def check_robust_view(rules: RuleSet, result: Result, view: ReportView) -> list[Incoherence]:
    """A "Robust" reading beside a low or no clarity: the reconciling sentence follows,
    unless the verdict is forced and its clarity says nothing else is allowed."""
    robustness = _fact(view, "Robustness")
    clarity = _fact(view, "Certainty")
    if not robustness.startswith(ROBUST) or \
            not LOW_CLARITY.search(clarity):
        return []
    if _fact(view, "Reading") == RECONCILE_SMALL_LEAD or \
            (forced(result) and FORCED_CLARITY in clarity):
        return []
    return [Incoherence("robust-unreconciled",
                        f"{robustness!r} beside {clarity!r}, with no sentence reconciling "
                        "them")]


# --------------------------------------------------------------------------- cost


def hosted_all_out(rules: RuleSet, result: Result) -> bool:
    """Every hosted path (``hosting: hosted``) is ruled out, itself or by its outcome."""
    hosted = [p for p in rules.paths if p.hosting == "hosted"]
    paths = {e.outcome for e in result.excluded_paths}
    outcomes = {e.outcome for e in result.excluded}
    return bool(hosted) and all(p.id in paths or p.outcome in outcomes for p in hosted)


def _options_named(est: Estimate, text: str) -> set[str]:
    """The ids of the estimate's options whose label ``text`` names."""
    low = text.lower()
    return {o.id for o in est.options if o.label.lower() in low}


def _offers_api(est: Estimate, text: str) -> bool:
    if text.startswith(NO_API):
        return False
    apis = {o.id for o in est.options if isinstance(o, ApiOption)}
    return bool(_options_named(est, text) & apis) or API_WORD.search(text) is not None


def _own_line(rules: RuleSet, result: Result, est: Estimate, own: str, text: str) -> bool:
    """Whether a highlighted cost line prices the path: it names the path's own option
    and, for a path of the mixed-needs outcome (a hybrid), at most one API option more,
    its closed half."""
    names = _options_named(est, text)
    mixed = rules.decision.mixed
    if mixed is None or result.path is None or result.path.outcome != mixed.outcome:
        return names == {own}
    apis = {o.id for o in est.options if o.kind == "api"}
    return own in names and len(names) <= 2 and names - {own} <= apis


def check_cost_view(rules: RuleSet, result: Result, view: ReportView) -> list[Incoherence]:
    """The cost lines: no API when every hosted path is ruled out; the path's own cost
    option highlighted, and no other line; no sentence recommending another option."""
    # with no clear verdict the cost follows the plans: the first one's option highlighted
    result = framed(rules, result, plan_pair(result))
    est, path = result.cost, result.path
    if view.cost is None or est is None or path is None:
        return []
    own = path.cost_option  # the choosing rule's, else the path's own
    found = []
    if hosted_all_out(rules, result):
        found += [Incoherence("cost-api-offered", f"every hosted path is ruled out, but: "
                                                  f"{c.text!r}")
                  for c in view.cost if _offers_api(est, c.text)]
    highlighted = [c for c in view.cost if c.highlight]
    found += [Incoherence("cost-highlight", f"{c.text!r} highlighted for {path.id} ({own})")
              for c in highlighted if not _own_line(rules, result, est, own, c.text)]
    if not highlighted and any(o.id == own for o in est.options):
        found.append(Incoherence("cost-highlight", f"{own}, the cost option of {path.id}, "
                                                   "is not highlighted"))
    found += [Incoherence("cost-recommends-other", f"{s!r} for {path.id} ({own})")
              for c in view.cost for s in SENTENCE_END.split(c.text)
              if RECOMMENDING.search(s) and _options_named(est, s) != {own}]
    return found


def check_plans_view(rules: RuleSet, result: Result, view: ReportView) -> list[Incoherence]:
    """``plans-other-outcomes``: a title naming two outcomes ("No clear verdict: A or B")
    whose plans, next steps or cost lines ("If C") are for another outcome, or do not give
    both; the title's pair itself is read from its words, not from how the view chose it."""
    if view.title != NO_VERDICT_TITLE or " or " not in view.headline:
        return []
    labels = {outcome_label(rules, o): o for o in rules.outcome_ids}
    named = view.headline.split(" or ")
    if len(named) != 2 or not set(named) <= set(labels):
        return [Incoherence("plans-other-outcomes", f"title names {view.headline!r}")]
    want = [f"If {n}" for n in named]
    found = []
    plans = [p.heading for p in (view.path, view.alternative_path) if p is not None]
    if plans and plans != want:
        found.append(Incoherence("plans-other-outcomes", f"{view.headline!r}: plans {plans}"))
    steps = [h for h, g in ((view.next_steps_heading, view.next_steps),
                            (view.alternative_steps_heading, view.alternative_steps))
             if g and h is not None]
    if steps and steps != [f"Next steps if {n}" for n in named]:
        found.append(Incoherence("plans-other-outcomes", f"{view.headline!r}: steps {steps}"))
    for c in view.cost or ():
        who = next((label for label in labels if c.text.startswith(f"If {label}")), None)
        if who is not None and who not in named:
            found.append(Incoherence("plans-other-outcomes",
                                     f"{view.headline!r}: cost {c.text!r}"))
    return found


__all__ = ["check_constraint_view", "check_cost_view", "check_plans_view", "check_robust_view",
           "check_tie_view", "check_too_close_view", "forced", "hosted_all_out", "lead",
           "tied"]
