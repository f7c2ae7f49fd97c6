"""The advice a report gives beyond the scores, worded once for every format.

How to run the recommendation (the chosen path), how far the verdict can be trusted
(its basis first, then clarity, robustness and, when the two seem to disagree, one
sentence that reconciles them), what the answers left open leave undecided, and the
facts that decide the verdict. Everything here words what the core computed
(:class:`~llmchoice.decide.result.Result`, its certainty, open answers, deciding facts
and path); nothing scores. Texts are data, not markup: each renderer escapes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from llmchoice.answers.show import show_answer, show_value
from llmchoice.decide.result import Certainty, DecidingFact, OpenQuestion, Result
from llmchoice.ruleset.conditions import Answer, leaves
from llmchoice.ruleset.model import BeyondArticle, RuleSet

from .common import outcome_label

if TYPE_CHECKING:
    from llmchoice.decide.explain import Explanation

ROBUST_SHARE = 0.95  # the robustness reading calls a share this high "Robust"
FRAGILE_SHARE = 0.6  # below this a clear lead is said to rest on a few weights
CLARITY_WORDS = {
    "high": "high: the answers point clearly one way",
    "moderate": "moderate: a clear lead, with real arguments on the other side",
    "low": "low: a close call; see what would change it",
    "none": "none: no lead to speak of",
}
RECONCILE_SMALL_LEAD = ("The lead is small, but many answers point the same way, so moving "
                        "the weights by half a step does not overturn it.")
RECONCILE_FEW_WEIGHTS = ("The lead is large, but it rests on a few heavily weighted rules: "
                         "moving the weights by half a step overturns it often, so read "
                         "the reasons before trusting the margin.")


@dataclass(frozen=True, slots=True)
class CertaintyView:
    """How far the verdict can be trusted, in the order a reader needs it.

    ``basis``: the basis sentence (forced by a constraint, a tie, too close to call, or
    decided by the scores). ``clarity``: the number and its label. ``robustness``: the
    robustness reading (None without an explanation). ``reconcile``: one sentence when
    clarity and robustness seem to disagree, else None."""

    basis_kind: str  # Certainty.basis: constraint, tie, too_close or scores
    basis: str
    clarity: str
    robustness: str | None
    reconcile: str | None


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class OpenView:
    """What the answers left unsure leave open: one line per unsure question, the share of
    each outcome over every completion, and which question to settle first."""

    lines: tuple[str, ...]
    shares: str
    settle_first: str


def beyond_text(b: BeyondArticle | None) -> str | None:
    """``beyond the article: <source>, as of <date>``, or None."""
    return None if b is None else f"beyond the article: {b.source}, as of {b.as_of}"


def question_title(rules: RuleSet, qid: str) -> str:
    """A question's short name (``Data location``), or its id in words."""
    if rules.has_question(qid):
        q = rules.question(qid)
        if q.title:
            return q.title
    return qid.replace("_", " ").capitalize()


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


def _pts(x: float) -> str:
    return f"{x:g} point{'' if x == 1 else 's'}"


def _settle(rules: RuleSet, result: Result, ex: Explanation | None) -> str:
    """The preference answers that would settle a close call: the what-if questions."""
    names: list[str] = []
    first = ex.decisive.question if ex is not None and ex.decisive is not None else None
    for q in [first, *(w.question for w in result.what_if)]:
        if q is not None and question_title(rules, q) not in names:
            names.append(question_title(rules, q))
    if not names:
        return ""
    return f"; settle {', '.join(names[:3])} first"


def _constraint_sentence(rules: RuleSet, result: Result, c: Certainty) -> str:
    by_id = {r.id: r for r in rules.rules}
    parts = []
    for rid in c.constraints:
        rule = by_id.get(rid)
        if rule is None:
            continue
        asked = dict.fromkeys(t.question for t in leaves(rule.when))
        named = "; ".join(f"{question_title(rules, q)} — {answer_text(rules, q, result.answers[q])}"
                          for q in asked if q in result.answers)
        parts.append(f"{rule.because.rstrip('.')} (your answer: {named})." if named
                     else rule.because)
    text = "Forced by a constraint: " + " ".join(parts)
    if c.unconstrained_clarity is not None:
        text += (f" Without it, the scores alone would give a verdict of {c.label} clarity "
                 f"({c.unconstrained_clarity:.2f}).")
    return text


def basis_sentence(rules: RuleSet, result: Result, ex: Explanation | None) -> str:
    """The first thing said about certainty: why this is the verdict at all."""
    c = result.certainty
    win = result.recommendation
    label = outcome_label(rules, win)
    if c.basis == "constraint":
        return _constraint_sentence(rules, result, c)
    if c.basis == "tie":
        a, b = c.tied
        return (f"A tie between {outcome_label(rules, a)} and {outcome_label(rules, b)} "
                f"({result.scores[a]:g} points each); the tie-break order picks {label}.")
    other = c.tied[1] if c.basis == "too_close" and len(c.tied) > 1 else _runner_up(result)
    if other is None:
        return f"Decided by the scores: {label} is the only outcome left."
    lead = round(result.scores[win] - result.scores[other], 4)
    if c.basis == "too_close":
        floor = rules.decision.min_lead
        smaller = ("less than any single answer moves" if floor == 1
                   else f"less than the {_pts(floor)} this rule set asks for")
        return (f"No basis for a verdict yet: {label} leads {outcome_label(rules, other)} by "
                f"{_pts(lead)}, {smaller}{_settle(rules, result, ex)}.")
    return f"Decided by the scores: {label} leads {outcome_label(rules, other)} by {_pts(lead)}."


def _clarity_text(c: Certainty) -> str:
    if c.basis == "constraint" and c.unconstrained_clarity is not None:
        return (f"{c.clarity:.2f}, nothing else is allowed; the scores alone "
                f"{c.unconstrained_clarity:.2f}, {CLARITY_WORDS[c.label]}")
    return f"{c.clarity:.2f}, {CLARITY_WORDS[c.label]}"


def certainty_view(rules: RuleSet, result: Result, ex: Explanation | None) -> CertaintyView:
    c = result.certainty
    robust = None
    reconcile = None
    if ex is not None:
        r = ex.robustness
        robust = f"{r.share:.2f} — {r.reading}"
        if c.basis != "constraint":
            if c.label in ("low", "none") and r.share >= ROBUST_SHARE:
                reconcile = RECONCILE_SMALL_LEAD
            elif c.label == "high" and r.share < FRAGILE_SHARE:
                reconcile = RECONCILE_FEW_WEIGHTS
    return CertaintyView(c.basis, basis_sentence(rules, result, ex), _clarity_text(c),
                         robust, reconcile)


# --------------------------------------------------------------------------- path


def path_view(rules: RuleSet, result: Result) -> PathView | None:
    p = result.path
    if p is None:
        return None
    cites = tuple((c, rules.tradeoffs[c].title, True) if c in rules.tradeoffs else (c, c, False)
                  for c in p.cites)
    return PathView(p.id, p.label, p.summary, p.hosting, p.cost_option, p.because, cites,
                    beyond_text(p.beyond_article))


def path_label(rules: RuleSet, pid: str) -> str:
    try:
        return rules.path(pid).label
    except KeyError:
        return pid


# --------------------------------------------------------------------------- unsure answers


def _open_line(rules: RuleSet, q: OpenQuestion) -> str:
    """``Left open: Budget — Open-source LLM for 2 of 3 values (minimal, moderate),
    Closed-source LLM for large``."""
    title = question_title(rules, q.question)
    if not q.values:
        return f"Left open: {title} — no rule reads it, so any answer gives the same verdict"
    groups: dict[str, list[str]] = {}
    mixed: list[str] = []
    for v in q.values:
        won = [o for o, n in v.counts if n]
        key = won[0] if len(won) == 1 else ""
        groups.setdefault(key, []).append(show_value(v.value))
        mixed.extend(o for o in won if len(won) > 1 and o not in mixed)
    total = len(q.values)
    if set(groups) == {""}:
        either = " or ".join(outcome_label(rules, o) for o in mixed)
        return (f"Left open: {title} — each value can give {either}, "
                "depending on the other open answers")
    parts = []
    for key, values in groups.items():
        who = outcome_label(rules, key) if key else "depends on the other open answers"
        if len(values) == total:
            parts.append(f"{who} whatever the answer")
        elif len(values) == 1:
            parts.append(f"{who} for {values[0]}")
        else:
            parts.append(f"{who} for {len(values)} of {total} values ({', '.join(values)})")
    return f"Left open: {title} — {', '.join(parts)}"


def open_view(rules: RuleSet, result: Result) -> OpenView | None:
    oa = result.open_answers
    if oa is None:
        return None
    lines = tuple(_open_line(rules, q) for q in oa.questions)
    how = f"a seeded sample of {oa.completions}" if oa.sampled else f"all {oa.completions}"
    shown = ", ".join(f"{outcome_label(rules, o)} {s:.0%}" for o, s in oa.shares if s > 0)
    shares = f"Over {how} ways of answering them: {shown or 'no outcome is left'}."
    if oa.contradictory:
        shares += f" {oa.contradictory} more leave no outcome at all."
    settle = (f"Settle first: {question_title(rules, oa.settle_first)}."
              if oa.settle_first is not None
              else "Every way of answering them gives the same verdict.")
    return OpenView(lines, shares, settle)


# --------------------------------------------------------------------------- deciding facts


def fact_sentence(rules: RuleSet, fact: DecidingFact) -> str:
    """``Your data location decides this: if it were <answer>, it would be Open-source LLM.``"""
    title = question_title(rules, fact.question).lower()
    now = "" if fact.value is not None else " (not answered)"
    ifs = "; ".join(
        (f"if it were “{answer_text(rules, fact.question, v)}”" if v is not None
         else "if it were not answered") + f", it would be {outcome_label(rules, rec)}"
        for v, rec in fact.changes)
    return f"Your {title}{now} decides this: {ifs}."
