"""The advice a report gives beyond the scores, worded once for every format.

How to run the recommendation (the chosen path, with what it rests on:
:mod:`.path_notes`), how far the verdict can be trusted (basis, clarity, robustness and
one sentence when those seem to disagree), what the answers left open leave undecided,
and the facts that decide the verdict: words for what the core computed; data, not markup."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from llmchoice.answers.show import show_answer, show_value
from llmchoice.decide.certainty import DEFAULTS, clarity_label
from llmchoice.decide.engine import plan_assumptions
from llmchoice.decide.result import Certainty, ChosenPath, DecidingFact, Result
from llmchoice.frozen import frozen
from llmchoice.ruleset.conditions import Answer, leaves
from llmchoice.ruleset.model import RuleSet

from . import standing as st
from .common import beyond_text as beyond_text  # re-exported: view, team, record
from .common import outcome_label, question_title
from .common import pts_words as _pts
from .path_notes import path_label as path_label  # re-exported: view, team, record
from .path_notes import path_notes
from .unsure_view import unsure_prefix, unsure_split

if TYPE_CHECKING:
    from llmchoice.decide.explain import Explanation

ROBUST_SHARE = 0.95  # the robustness reading calls a share this high "Robust"
FRAGILE_SHARE = 0.6  # below this a clear lead is said to rest on a few weights
# One certainty vocabulary for every report (single, team, decision record): the label's
# name, then what it means. "none" is always said "no clear verdict".
CERTAINTY_NAMES = {"high": "high", "moderate": "moderate", "low": "low",
                   "none": "no clear verdict", "forced": "forced", "defaults": "no clear verdict"}
CLARITY_WORDS = {
    "high": "high: the answers point clearly one way",
    "moderate": "moderate: a clear lead, with real arguments on the other side",
    "low": "low: a close call; see what would change it",
    "none": "no clear verdict: no lead to speak of",
    "forced": "forced: nothing else is allowed",
    "defaults": "no clear verdict: every answer is a default, so the lead says nothing "
                "about your needs",
}
SPLIT_WORDS = "no clear verdict: it depends on the unsure answers"
# a hybrid that won by mixed needs is clear when the needs are balanced, not one-sided
BALANCED_WORDS = {
    "high": "high: the needs are clearly balanced",
    "moderate": "moderate: both sides are needed, one more than the other",
}
CAPPED_WORDS = ("moderate: a clear lead, but a single change of preference overturns it "
                "(see what would change it)")
CAPPED_BALANCED_WORDS = ("moderate: the needs are clearly balanced, but a single change of "
                         "preference overturns it (see what would change it)")
RECONCILE_SMALL_LEAD = ("The lead is small, but many answers point the same way, so moving "
                        "the weights by half a step does not overturn it.")
RECONCILE_FEW_WEIGHTS = ("The lead is large, but it rests on a few heavily weighted rules: "
                         "moving the weights by half a step overturns it often, so read "
                         "the reasons before trusting the margin.")
RECOMMENDATION_TITLE = "Recommendation"
NO_VERDICT_TITLE = "No clear verdict"
BELOW = "the scores, reasons and what-ifs below"  # not the plans: report.plans
FORCED_TITLE = "Forced"
DEFAULTS_SENTENCE = ("Every answer is a default: there is no basis for a verdict yet; answer "
                     "the questions (llmchoice quiz) or give a file.")


@frozen
class CertaintyView:
    """How far the verdict can be trusted, in the order a reader needs it.

    ``basis``: the basis sentence (forced by a constraint, a tie, too close to call, or
    decided by the scores). ``clarity``: the certainty's label in words, what it means
    (``moderate: a clear lead, ...``; never a bare number). ``robustness``: the
    robustness reading (None without an explanation). ``reconcile``: one sentence when
    clarity and robustness seem to disagree, else None."""

    basis_kind: str  # Certainty.basis: constraint, tie, too_close, defaults or scores
    basis: str
    clarity: str
    robustness: str | None
    reconcile: str | None


@frozen
class PathView:
    """How to run the recommendation: the chosen path and why."""

    id: str
    label: str
    summary: str
    hosting: str  # "self" or "hosted"
    cost_option: str
    because: str
    cites: tuple[tuple[str, str, bool], ...]  # (trade-off id, title, known)
    beyond: str | None  # "beyond the article: <source>, as of <date>"
    # ``If Open-source LLM``: when there is no clear verdict, each plan says whose it is
    heading: str | None = None
    notes: tuple[str, ...] = ()  # what it assumes of open answers; the budget check


def answer_text(rules: RuleSet, qid: str, value: Answer | None) -> str:
    """An answer as a person reads it: the choice's label, the number with its unit."""
    if rules.has_question(qid):
        return show_answer(rules.question(qid), value)
    return show_value(value)


# --------------------------------------------------------------------------- certainty


def _runner_up(result: Result) -> str | None:
    out = {e.outcome for e in result.excluded}
    others = [o for o in result.ranking() if o != result.recommendation and o not in out]
    return others[0] if others else None


def no_verdict_pair(result: Result) -> tuple[str, str] | None:  # winner first
    """The two outcomes of a tie or of too close a call, else None."""
    pair = result.certainty.tied or result.certainty.close
    return (pair[0], pair[1]) if len(pair) == 2 else None


def headline_pair(result: Result) -> tuple[str, ...]:
    """The two outcomes a "No clear verdict" headline names (the unsure answers' split, a
    tie or too close a call), or () when there is a verdict."""
    return unsure_split(result) or no_verdict_pair(result) or ()


def plain_basis(rules: RuleSet, result: Result, answer_of: str = "your answer") -> str:
    """The basis sentence without the opening about unsure answers (a team report says
    which questions are unsettled itself)."""
    return _basis_sentence(rules, result, None, answer_of)


def verdict_title(rules: RuleSet, result: Result) -> tuple[str, str]:
    """What a report says first: (``Recommendation``, ``Open-source LLM — <path>``);
    (``No clear verdict``, ``Open-source LLM or Hybrid of both``) when the unsure answers
    split the verdict (the two outcomes that win most ways of answering them), for a tie,
    too close a call or defaults alone (a single outcome left by defaults alone is named
    with its path); (``Forced``, ``Open-source LLM — <path>``) when a constraint forced
    it."""
    pair = unsure_split(result) or no_verdict_pair(result)
    if pair is not None:
        return NO_VERDICT_TITLE, " or ".join(outcome_label(rules, o) for o in pair)
    label = outcome_label(rules, result.recommendation)
    head = f"{label} — {result.path.label}" if result.path is not None else label
    basis = result.certainty.basis
    if basis == DEFAULTS:
        return NO_VERDICT_TITLE, head
    if (p := st.provisional(rules, result)) is not None:
        return st.PROVISIONAL_TITLE, st.provisional_headline(p, head)
    return (FORCED_TITLE if basis == "constraint" else RECOMMENDATION_TITLE), head


def _settle(rules: RuleSet, result: Result, ex: Explanation | None) -> str:
    """The preference answers that would settle a close call: the what-if questions."""
    names: list[str] = []
    first = ex.decisive.question if ex is not None and ex.decisive is not None else None
    for q in [first, *(w.question for w in result.what_if)]:
        if q is not None and question_title(rules, q) not in names:
            names.append(question_title(rules, q))
    if not names:
        return ""
    return (f" Look again at {', '.join(names[:3])}: a different answer to any of them "
            "decides it.")


def _without(rules: RuleSet, result: Result, c: Certainty) -> str:
    """``Without it: Closed-source LLM, by 14 points.``"""
    if c.unconstrained_winner is None or c.unconstrained_margin is None:
        return ""
    label = outcome_label(rules, c.unconstrained_winner)
    it = "them" if len(c.constraints) > 1 else "it"
    if c.unconstrained_margin == 0:
        return f" Without {it}: a tie, which the tie-break order gives to {label}."
    too = " too" if c.unconstrained_winner == result.recommendation else ""
    other = c.unconstrained_runner_up
    over = ""
    if other is not None and c.unconstrained_scores:
        scores = dict(c.unconstrained_scores)
        over = (f" over {outcome_label(rules, other)} ({scores[c.unconstrained_winner]:g} "
                f"to {scores[other]:g})")
    return f" Without {it}: {label}{too}, by {_pts(c.unconstrained_margin)}{over}."


def _constraint_sentence(rules: RuleSet, result: Result, c: Certainty,
                         answer_of: str = "your answer") -> str:
    by_id = {r.id: r for r in rules.rules}
    parts = []
    for rid in c.constraints:
        rule = by_id.get(rid)
        if rule is None:
            continue
        asked = dict.fromkeys(t.question for t in leaves(rule.when))
        named = "; ".join(f"{question_title(rules, q)} — {answer_text(rules, q, result.answers[q])}"
                          for q in asked if q in result.answers)
        parts.append(f"{rule.because.rstrip('.')} ({answer_of}: {named})." if named
                     else rule.because)
    by = "constraints" if len(parts) > 1 else "a constraint"
    return f"Forced by {by}: " + " ".join(parts) + _without(rules, result, c)


def _defaults_sentence(rules: RuleSet, result: Result) -> str:
    """Defaults alone: no basis for a verdict, and where the defaults' scores lean."""
    c = result.certainty
    label = outcome_label(rules, result.recommendation)
    if c.tied:
        a, b = c.tied
        lean = (f" The defaults tie {outcome_label(rules, a)} and {outcome_label(rules, b)} "
                f"({result.scores[a]:g} points each); the tie-break order leans to {label}")
    elif c.close:
        other = c.close[1]
        lead = round(result.scores[c.close[0]] - result.scores[other], 4)
        lean = (f" The defaults lean to {label}, by {_pts(lead)} over "
                f"{outcome_label(rules, other)}")
    else:
        lean = f" The defaults leave only {label}"
    return f"{DEFAULTS_SENTENCE}{lean}, and the rest of this report is written for it."


def basis_sentence(rules: RuleSet, result: Result, ex: Explanation | None,
                   answer_of: str = "your answer") -> str:
    """The first thing said about certainty: why this is the verdict at all. When the
    unsure answers split the verdict, that comes first, and what the scores say with them
    left out follows (the verdict the scores and reasons are written for)."""
    prefix = unsure_prefix(rules, result)
    if not prefix:
        return _basis_sentence(rules, result, ex, answer_of)
    label, other = outcome_label(rules, result.recommendation), _runner_up(result)
    prefix += "Leaving it out, " if len(result.unsure) == 1 else "Leaving them out, "
    if result.certainty.basis == "scores" and other is not None:
        lead = round(result.scores[result.recommendation] - result.scores[other], 4)
        return (f"{prefix}{label} leads {outcome_label(rules, other)} by "
                f"{_pts(lead)}, and {BELOW} are written for it.")
    if result.certainty.basis in ("tie", "too_close"):
        shown = ", ".join(f"{outcome_label(rules, o)} {result.scores[o]:g}"
                          for o in result.ranking() if o in result.scores)
        return (f"{prefix}the scores are too close to call ({shown}); "
                f"{BELOW} are written for {label}."
                f"{_settle(rules, result, ex)}")
    return (f"{prefix}{BELOW} are written for {label}. "
            f"{_basis_sentence(rules, result, ex, answer_of)}")


def _basis_sentence(rules: RuleSet, result: Result, ex: Explanation | None,
                    answer_of: str = "your answer") -> str:
    c = result.certainty
    win = result.recommendation
    label = outcome_label(rules, win)
    if c.basis == DEFAULTS:
        return _defaults_sentence(rules, result)
    if c.basis == "constraint":
        return _constraint_sentence(rules, result, c, answer_of)
    if c.basis == "tie":
        a, b = c.tied
        return (f"A tie between {outcome_label(rules, a)} and {outcome_label(rules, b)} "
                f"({result.scores[a]:g} points each), so no verdict: both plans are shown. "
                f"The tie-break order leans to {label}, and the rest of this report is "
                f"written for it.{_settle(rules, result, ex)}")
    other = c.close[1] if c.basis == "too_close" and len(c.close) > 1 else _runner_up(result)
    if other is None:
        return f"Decided by the scores: {label} is the only outcome left."
    lead = round(result.scores[win] - result.scores[other], 4)
    if c.basis == "too_close":
        floor = rules.decision.min_lead
        smaller = ("less than any single answer moves" if floor == 1
                   else f"less than the {_pts(floor)} this rule set asks for")
        return (f"No basis for a verdict yet: {label} leads {outcome_label(rules, other)} by "
                f"{_pts(lead)}, {smaller}, so both plans are shown. The scores lean to "
                f"{label}, and the rest of this report is written for it."
                f"{_settle(rules, result, ex)}")
    return f"Decided by the scores: {label} leads {outcome_label(rules, other)} by {_pts(lead)}."


def _words(rules: RuleSet, outcome: str | None, label: str) -> str:
    """The label in words; a hybrid of mixed needs is clear when the needs are balanced."""
    mixed = rules.decision.mixed
    if mixed is not None and outcome == mixed.outcome and label in BALANCED_WORDS:
        return BALANCED_WORDS[label]
    return CLARITY_WORDS[label]


def certainty_name(rules: RuleSet, result: Result) -> str:
    """The certainty's label as every report names it (``no clear verdict`` for none, and
    whenever the report's title says there is none)."""
    title = verdict_title(rules, result)[0]
    if title == NO_VERDICT_TITLE:
        return CERTAINTY_NAMES["none"]
    if title == st.PROVISIONAL_TITLE:
        return "provisional"
    return CERTAINTY_NAMES.get(result.certainty.label, result.certainty.label)


def _clarity_text(rules: RuleSet, result: Result) -> str:
    """The certainty in words: its label, then what it means (no bare 0-1 number; the
    clarity itself is in the JSON report)."""
    c = result.certainty
    if c.basis == "constraint" and c.unconstrained_clarity is not None:
        free = c.unconstrained_clarity
        who = outcome_label(rules, c.unconstrained_winner or result.recommendation)
        which = "constraints" if len(c.constraints) > 1 else "constraint"
        # a tie or a lead under min_lead has no lead to speak of, as when unconstrained
        close = c.unconstrained_margin is not None and \
            c.unconstrained_margin < rules.decision.min_lead
        label = "none" if close else clarity_label(free)
        return (f"{CLARITY_WORDS['forced']}. Without the {which}: {who}, "
                f"{_words(rules, c.unconstrained_winner, label)}")
    if c.basis == DEFAULTS:
        return CLARITY_WORDS[DEFAULTS]
    if unsure_split(result) is not None:
        return SPLIT_WORDS
    if (p := st.provisional(rules, result)) is not None:
        return st.provisional_clarity(rules, p)
    if c.label == "moderate" and clarity_label(c.clarity) == "high":
        balanced = _words(rules, result.recommendation, "high") == BALANCED_WORDS["high"]
        return CAPPED_BALANCED_WORDS if balanced else CAPPED_WORDS
    return _words(rules, result.recommendation, c.label)


def certainty_view(rules: RuleSet, result: Result, ex: Explanation | None) -> CertaintyView:
    c = result.certainty
    robust = None
    reconcile = None
    basis = basis_sentence(rules, result, ex)
    if (p := st.provisional(rules, result)) is not None:  # no figure that implies certainty
        return CertaintyView(c.basis, st.provisional_basis(p, basis),
                             _clarity_text(rules, result), None, None)
    if ex is not None:
        r = ex.robustness
        robust = st.robustness_words(rules, r.share, r.others)
        if verdict_title(rules, result)[0] == NO_VERDICT_TITLE:  # no verdict to be robust
            robust = st.of_lean(robust, outcome_label(rules, result.recommendation))
        if c.basis not in ("constraint", DEFAULTS):  # nothing to reconcile: no basis
            if c.label in ("low", "none") and r.share >= ROBUST_SHARE:
                reconcile = RECONCILE_SMALL_LEAD
            elif c.label == "high" and r.share < FRAGILE_SHARE:
                reconcile = RECONCILE_FEW_WEIGHTS
    return CertaintyView(c.basis, basis, _clarity_text(rules, result), robust, reconcile)



def _path_view(rules: RuleSet, p: ChosenPath, heading: str | None,
               notes: tuple[str, ...] = ()) -> PathView:
    cites = tuple((c, rules.tradeoffs[c].title, True) if c in rules.tradeoffs else (c, c, False)
                  for c in p.cites)
    return PathView(p.id, p.label, p.summary, p.hosting, p.cost_option, p.because, cites,
                    beyond_text(p.beyond_article), heading, notes)


def path_view(rules: RuleSet, result: Result) -> PathView | None:
    """The recommendation's path; headed ``If <outcome>`` when there is no clear verdict."""
    p = result.path
    if p is None:
        return None
    pair = no_verdict_pair(result)
    return _path_view(rules, p, f"If {outcome_label(rules, pair[0])}" if pair else None,
                      path_notes(rules, result))


def alternative_path_view(rules: RuleSet, result: Result) -> PathView | None:
    """With no clear verdict: the other outcome's path, its assumptions and budget check."""
    pair = no_verdict_pair(result)
    alt = result.certainty.alternative
    if pair is None or alt is None:
        return None
    own = plan_assumptions(rules, result.answers, alt.outcome, alt, result.unsure)
    as_plan = dataclasses.replace(result, recommendation=alt.outcome, path=alt,
                                  path_assumptions=own)
    return _path_view(rules, alt, f"If {outcome_label(rules, pair[1])}",
                      path_notes(rules, as_plan))



def fact_sentence(rules: RuleSet, fact: DecidingFact, unsure: tuple[str, ...] = ()) -> str:
    """``Your answer to “Data location” (not answered) decides it: if it were “a” or “b”,
    it would be Open-source LLM; if it were not answered, Hybrid of both.`` Values that
    give the same verdict are named together."""
    title = question_title(rules, fact.question)
    now = ("unsure" if fact.question in unsure else "not answered") if fact.value is None \
        else answer_text(rules, fact.question, fact.value)
    groups: dict[str, list[str]] = {}
    for v, rec in fact.changes:
        groups.setdefault(rec, []).append(
            "not answered" if v is None else f"“{answer_text(rules, fact.question, v)}”")
    parts = []
    for i, (rec, values) in enumerate(groups.items()):
        said = values[0] if len(values) == 1 else \
            f"{', '.join(values[:-1])} or {values[-1]}"
        verdict = outcome_label(rules, rec)
        parts.append(f"if it were {said}, it would be {verdict}" if i == 0
                     else f"if it were {said}, {verdict}")
    return f"Your answer to “{title}” ({now}) decides it: {'; '.join(parts)}."
