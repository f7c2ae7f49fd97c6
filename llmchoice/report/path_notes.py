"""What a plan rests on, said under "How to run it": the answers left open, and the budget.

Two kinds of note, worded once for every format (texts are data; each renderer escapes):

* an **assumption**: an optional question left unanswered (or answered unsure) whose
  answer would run it another way (:mod:`llmchoice.decide.assume`): "This way of
  running it assumes your answer to “Data location” is “No special restrictions”; if it
  were “It must stay on our own infrastructure”, it would be Open weights,
  self-hosted ...". A plan never silently assumes the answer it was not given.
* the **budget check**: the rule set's ``budget_bands`` give the answered budget a
  monthly ceiling, and the chosen path's estimate at the answered volume is compared
  with it. When it exceeds the band the note says they conflict, in those words, citing
  the band's trade-offs (the article's Higher Costs and Resource Intensive), and that
  the budget's reason for the verdict does not cover this bill: the budget is never
  offered as support for a path it cannot pay for. Without a volume a self-hosted path
  is compared at its floor (GPUs and people are paid at any volume); a hosted one is said
  to need the volume for the check.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from llmchoice.answers.show import show_answer
from llmchoice.cost.words import tokens_words, usd_words
from llmchoice.decide.engine import choose_path
from llmchoice.decide.result import PathAssumption, Result
from llmchoice.ruleset.conditions import Answer, leaves
from llmchoice.ruleset.model import BudgetBands, RuleSet

from .common import outcome_label, question_title

if TYPE_CHECKING:
    from llmchoice.cost.estimate import Option

CONFLICT = "conflict"
FITS = "fits"
MAY_EXCEED = "may_exceed"
NEEDS_VOLUME = "needs_volume"


def _answer(rules: RuleSet, qid: str, value: Answer) -> str:
    return f"“{show_answer(rules.question(qid), value)}”"


def _either(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def path_label(rules: RuleSet, pid: str) -> str:
    try:
        return rules.path(pid).label
    except KeyError:
        return pid


def _plan(rules: RuleSet, result: Result, outcome: str, pid: str) -> str:
    label = path_label(rules, pid)
    if outcome == result.recommendation:
        return label if pid else outcome_label(rules, outcome)
    return f"{outcome_label(rules, outcome)}" + (f" ({label})" if pid else "")


def assumption_sentence(rules: RuleSet, result: Result, a: PathAssumption) -> str:
    """One assumption, as a person reads it."""
    title = question_title(rules, a.question)
    left = "you were unsure of" if a.unsure else "you left open"
    if a.holds and rules.question(a.question).type != "number":  # a number's are samples
        head = (f"This way of running it assumes your answer to “{title}”, which {left}, is "
                f"{_either([_answer(rules, a.question, v) for v in a.holds])}")
    else:
        head = f"This way of running it rests on “{title}”, which {left}"
    groups: dict[tuple[str, str], list[str]] = {}
    for value, outcome, pid in a.changes:
        groups.setdefault((outcome, pid), []).append(_answer(rules, a.question, value))
    parts = [f"if it were {_either(values)}, it would be {_plan(rules, result, o, p)}"
             for (o, p), values in groups.items()]
    return f"{head}; {'; '.join(parts)}. Answer it to be sure."


# --------------------------------------------------------------------------- budget


def _cost_range(rules: RuleSet, result: Result) -> tuple[float, float] | None:
    """The path's monthly cost (low, high: a hybrid's two halves) at the answered volume,
    or at the smallest volume for a self-hosted path (its floor); None when the check
    needs the volume."""
    path = result.path
    if path is None:
        return None
    est = result.cost
    if est is None and path.hosting != "self":
        return None
    # lazy: only reports with a volume need the cost model (and a self-hosted path's floor)
    from llmchoice.cost.estimate import MIN_MONTHLY_TOKENS, estimate

    # lazy: only reports with a volume need the cost model
    from .costview import closed_half, fixed_half, hybrid_range

    if est is None:
        est = estimate(MIN_MONTHLY_TOKENS)
    options: list[Option] = list(est.options)
    own = next((o for o in options if o.id == path.cost_option), None)
    if own is None:
        return None
    closed = closed_half(result, rules, options)
    if closed is None:
        return own.monthly_usd, own.monthly_usd
    return hybrid_range(own, closed, fixed_half(path))


def budget_check(rules: RuleSet, result: Result) -> tuple[str, float, float, float] | None:
    """(status, ceiling, low, high) of the chosen path against the answered budget band:
    ``conflict`` (even the lower cost exceeds it), ``may_exceed`` (a hybrid's dearer half
    does), ``fits``, or ``needs_volume`` (low/high 0). None without bands, a path, or a
    ceiling for the answer."""
    bands = rules.budget_bands
    if bands is None or result.path is None:
        return None
    ceiling = bands.ceiling(result.answers.get(bands.question))
    if ceiling is None:
        return None
    costs = _cost_range(rules, result)
    if costs is None:
        return NEEDS_VOLUME, ceiling, 0.0, 0.0
    low, high = costs
    status = CONFLICT if low > ceiling else MAY_EXCEED if high > ceiling else FITS
    return status, ceiling, low, high


def _cites(rules: RuleSet, bands: BudgetBands, outcome: str) -> str:
    """The band's trade-offs that speak of ``outcome``'s side (all of them for an outcome
    that is no side, such as a hybrid), in the article's words."""
    known = [rules.tradeoffs[c] for c in bands.cites if c in rules.tradeoffs]
    mine = [t for t in known if t.side in (outcome, "both")] \
        if any(t.side == outcome for t in known) else known
    return "; ".join(f"{t.title}: “{t.text}”" for t in mine)


def budget_sentence(rules: RuleSet, result: Result) -> str | None:
    """The budget check in words, or None when there is nothing to compare."""
    check = budget_check(rules, result)
    bands = rules.budget_bands
    if check is None or bands is None:
        return None
    status, ceiling, low, high = check
    answer = _answer(rules, bands.question, result.answers[bands.question])
    judged = ", the rule set's judgement beyond the article" \
        if bands.beyond_article is not None else ""
    band = f"your budget, {answer} (up to about {usd_words(ceiling)}{judged})"
    if status == NEEDS_VOLUME:
        return (f"Budget: whether this way of running it fits {band} depends on your volume; "
                "answer the monthly tokens to check it.")
    volume = result.cost.monthly_tokens if result.cost is not None else None
    at = f"at {tokens_words(volume)}" if volume is not None \
        else "at any volume (GPUs and people)"
    if status == FITS:
        return (f"Budget: this way of running it, about {usd_words(high)} {at}, fits {band}."
                + _not_deciding(rules, result, ceiling, True))
    fixed = result.path is not None and result.path.hosting == "self" and low != high
    if status == MAY_EXCEED and fixed:
        return (f"Budget: this way of running it costs between about {usd_words(low)} and "
                f"about {usd_words(high)} {at}: the self-hosted open half, about "
                f"{usd_words(low)}, is paid whatever the routing and fits {band}; every "
                "task sent to the closed API adds to it, so keep the closed API's share "
                "small enough to stay within it, or raise the budget."
                + _not_deciding(rules, result, ceiling, False))
    if status == MAY_EXCEED:
        return (f"Budget: this way of running it costs between about {usd_words(low)} and "
                f"about {usd_words(high)} {at}, depending on routing; only the cheaper end "
                f"fits {band}, so route most work to the cheaper half or raise the budget."
                + _not_deciding(rules, result, ceiling, False))
    cost = f"about {usd_words(low)} {at}" if low == high else \
        (f"at least about {usd_words(low)} {at}, the self-hosted open half's GPUs and "
         f"people, paid whatever the routing (up to about {usd_words(high)} with the "
         "closed API)" if fixed else
         f"between about {usd_words(low)} and about {usd_words(high)} {at}")
    text = (f"Budget: this way of running it costs {cost}, more than {band}: the two "
            f"conflict. The article warns of this "
            f"({_cites(rules, bands, result.recommendation)}).")
    if _budget_reasons(rules, result, bands):
        text += (" The budget's reason in the scores above does not cover this bill: it "
                 "supports the kind of model, not this way of running it.")
    return text + _instead(rules, result, ceiling, at) + \
        _not_deciding(rules, result, ceiling, False)


def _other_ways(rules: RuleSet, result: Result) -> list[tuple[str, float, float]]:
    """The other ways of running the recommendation that the answers allow, in the order
    the path rules would choose them if the chosen one were ruled out (each as the rule
    that would choose it prices it): (label, low, high) of those that can be priced."""
    if result.path is None:
        return []
    tried = {e.outcome for e in result.excluded_paths} | {result.path.id}
    out: list[tuple[str, float, float]] = []
    while (alt := choose_path(rules, result.answers, result.recommendation, tried)) \
            is not None:
        tried.add(alt.id)
        costs = _cost_range(rules, dataclasses.replace(result, path=alt))
        if costs is not None:
            out.append((alt.label, *costs))
    return out


def _instead(rules: RuleSet, result: Result, ceiling: float, at: str) -> str:
    """What to do about a conflict: a cheaper way of running the same recommendation that
    fits the band, named with its cost; or that none of the allowed ways does."""
    ways = _other_ways(rules, result)
    fits = next((w for w in ways if w[2] <= ceiling), None)
    if fits is not None:
        label, low, high = fits
        cost = f"about {usd_words(high)}" if low == high else \
            f"between about {usd_words(low)} and about {usd_words(high)}"
        return (f" Raise the budget, or run it another way that fits it: {label}, "
                f"{cost} {at}.")
    if result.cost is None and any(p.outcome == result.recommendation
                                   and p.hosting == "hosted" for p in rules.paths):
        return (" Raise the budget, or answer the monthly tokens to price the other ways "
                "of running it (llmchoice cost).")
    return (" Raise the budget: no other way of running it that your answers allow fits "
            "it either.")


def also_fits(rules: RuleSet, result: Result, ceiling: float
              ) -> list[tuple[str, str, float, float]]:
    """The other sides (each outcome not ruled out, the mixed-needs outcome apart) whose
    plan, as the path rules would run it, also fits the band at the answered volume:
    (outcome, path id, low, high). Empty without a volume, or when no budget rule gave the
    recommendation points (then the budget is no reason to weigh)."""
    bands = rules.budget_bands
    if result.cost is None or bands is None or not _budget_reasons(rules, result, bands):
        return []
    mixed = rules.decision.mixed.outcome if rules.decision.mixed is not None else None
    out_excluded = {e.outcome for e in result.excluded}
    paths_excluded = {e.outcome for e in result.excluded_paths}
    out: list[tuple[str, str, float, float]] = []
    for outcome in rules.outcome_ids:
        if outcome in (result.recommendation, mixed) or outcome in out_excluded:
            continue
        plan = choose_path(rules, result.answers, outcome, paths_excluded)
        costs = None if plan is None else \
            _cost_range(rules, dataclasses.replace(result, recommendation=outcome, path=plan))
        if plan is not None and costs is not None and costs[1] <= ceiling:
            out.append((outcome, plan.id, *costs))
    return out


def _not_deciding(rules: RuleSet, result: Result, ceiling: float, fits: bool) -> str:
    """The budget's reason qualified: another side's plan fits the band too, so the budget
    does not decide between them (the rule's premise, that a closed vendor costs more,
    does not separate them at this volume)."""
    parts = []
    for outcome, pid, low, high in also_fits(rules, result, ceiling):
        cost = f"about {usd_words(high)}" if low == high else \
            f"between about {usd_words(low)} and about {usd_words(high)}"
        parts.append(f"{outcome_label(rules, outcome)} ({path_label(rules, pid)}) costs "
                     f"{cost}, {'also ' if fits else ''}within your budget")
    if not parts:
        return ""
    return (f" Your budget's reason for {outcome_label(rules, result.recommendation)} in "
            f"the scores above assumes the other side costs more; at your volume "
            f"{'; '.join(parts)}, so the budget does not decide between them.")


def _budget_reasons(rules: RuleSet, result: Result, bands: BudgetBands) -> bool:
    """Some rule that reads the budget question gave the recommendation points."""
    budget = {r.id for r in rules.rules
              if any(leaf.question == bands.question for leaf in leaves(r.when))}
    return any(c.rule in budget and c.outcome == result.recommendation and c.points > 0
               for c in result.contributions)


def path_notes(rules: RuleSet, result: Result) -> tuple[str, ...]:
    """The notes under the chosen path: its assumptions, then the budget check."""
    out = [assumption_sentence(rules, result, a) for a in result.path_assumptions]
    budget = budget_sentence(rules, result)
    if budget is not None:
        out.append(budget)
    return tuple(out)


def json_fields(rules: RuleSet, result: Result) -> dict[str, object]:
    """The JSON report's ``path_assumptions`` and ``budget``, each only when there is one."""
    out: dict[str, object] = {}
    if result.path_assumptions:
        out["path_assumptions"] = [
            {"question": a.question, "unsure": a.unsure, "holds": list(a.holds),
             "changes": [{"value": v, "recommendation": o, "path": p or None}
                         for v, o, p in a.changes]}
            for a in result.path_assumptions]
    check = budget_check(rules, result)
    if check is not None and rules.budget_bands is not None:
        status, ceiling, low, high = check
        out["budget"] = {
            "question": rules.budget_bands.question,
            "answer": result.answers.get(rules.budget_bands.question), "status": status,
            "ceiling_usd": ceiling,
            "low_usd": None if status == NEEDS_VOLUME else round(low, 2),
            "high_usd": None if status == NEEDS_VOLUME else round(high, 2),
            # other sides whose plan fits the band too: the budget does not decide
            "also_fits": [{"recommendation": o, "path": p, "low_usd": round(lo, 2),
                           "high_usd": round(hi, 2)}
                          for o, p, lo, hi in also_fits(rules, result, ceiling)]}
    return out
