"""What a recommendation report says, and in what order: one view for every format.

:func:`build_view` turns a Result (and its Explanation, when given) into a
:class:`ReportView`: the verdict and its facts, what was ruled out, the scores, the
reasons for and against, the scenario, what would change it, the cost, the next
steps, what was not decided, the answers and the rule set. It opens with the headline
(the recommendation and how to run it), the certainty (its basis first), the path,
what the unsure answers leave open and the facts that decide it. The terminal, Markdown,
HTML and JSON renderers only lay it out; none words a sentence or orders a list of
its own. The sections appear in the order of the fields below (a Markdown document
opens with its title, the verdict, before anything else).

Texts here are data, not markup: each renderer escapes them for its target.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from llmchoice.answers.show import show_value
from llmchoice.decide.engine import MIXED_RULE_ID
from llmchoice.decide.explain import Step, next_steps
from llmchoice.decide.result import Contribution, Result
from llmchoice.frozen import frozen
from llmchoice.ruleset.model import RuleSet

from .advice import (
    CertaintyView,
    PathView,
    alternative_path_view,
    beyond_text,
    certainty_view,
    fact_sentence,
    no_verdict_pair,
    path_label,
    path_view,
    verdict_title,
)
from .common import (
    NO_WHAT_IF,
    LessonSteps,
    Sides,
    group_by_lesson,
    marked,
    outcome_label,
    penalties,
    question_title,
    scenario_title,
    scenario_why,
    sides,
    weight_sentence,
    what_if_notes,
    what_if_sentence,
    what_ifs_decisive_first,
)
from .costline import CostLine, cost_view
from .fit import shown_path
from .plans import framed, plan_pair
from .ruled_out import exclusions
from .standing import earned_scores, skipped_sentence
from .still_open import Section, sections
from .unsure_view import OpenView, open_view, unsure_split

if TYPE_CHECKING:
    from llmchoice.decide.explain import Explanation

NO_REASON = "No rule gave this outcome points; it won by the tie-break order."
DECISIVE_NOTE = "(the most decisive answer)"
# with facts that decide it, the what-ifs are changes of preference only: say so
DECISIVE_PREFERENCE_NOTE = "(the most decisive preference)"
NO_PREFERENCE_CHANGE = ("No single change of preference changes the recommendation; only "
                        "the facts under “Facts that decide it” do.")
SCENARIO_HEADING = "Where this fits in the article's future"
WHAT_IF_HEADING = "What would change it"
NEXT_STEPS_HEADING = "Next steps"
NEXT_STEPS_AFTER = "after the article's lessons for developers"
NOT_DECIDED_HEADING = "Not decided"
ANSWERS_HEADING = "Your answers"
PATH_HEADING = "How to run it"
OPEN_HEADING = "What your unsure answers leave open"
FACTS_HEADING = "Facts that decide it"


@frozen
class Cite:
    id: str
    title: str  # the trade-off's title; its id when the rule set has no such trade-off
    known: bool = True


@frozen
class Reason:
    """One rule's points for one outcome, with the trade-offs it cites."""

    outcome: str
    label: str
    points: float
    because: str
    cites: tuple[Cite, ...]
    beyond: str | None = None  # "beyond the article: <source>, as of <date>"


@frozen
class RuledOut:
    """An outcome, or a way of running one (``kind`` "path"), that a rule ruled out."""

    outcome: str  # the outcome id, or the path id
    label: str
    rule: str
    because: str
    cites: tuple[Cite, ...]
    kind: str = "outcome"  # or "path"
    beyond: str | None = None


@frozen
class ScoreRow:
    outcome: str
    label: str
    score: float
    ruled_out: bool
    winner: bool


@frozen
class Reasons:
    heading: str
    rows: tuple[Reason, ...]
    # a sentence in place of rows: how a hybrid scores (the mixed bonus is not a reason)
    note: str | None = None


@frozen
class ScenarioView:
    """The article's scenario: ``quoted`` when the explanation gives its words and why it
    was chosen (``why``); else ``why`` is the rule set's sentence."""

    id: str
    title: str
    text: str
    why: str
    quoted: bool


@frozen
class WhatIfs:
    sentences: tuple[str, ...]  # the most decisive first
    none: str  # what to say when there is no sentence
    weights: str | None  # the smallest weight change that flips it, with an explanation
    decisive_note: str = DECISIVE_NOTE  # after the first sentence


@frozen
class NotDecided:
    rule: str
    missing: tuple[str, ...]


@frozen
class AnswerRow:
    question: str
    prompt: str
    shown: str


@frozen
class Footer:
    id: str
    version: str
    sha12: str
    source: str  # as a shared report may name it: report.fit.shown_path


@frozen
class ReportView:
    """Everything a report says, in order. ``title`` and ``headline``: ``Recommendation``
    and the recommendation with its path (``Open-source LLM — Open weights through a
    hosted API``); ``No clear verdict`` and both outcomes (``Open-source LLM or Hybrid of
    both``) for a tie or too close a call, whose two plans are then both given
    (``path`` and ``alternative_path``, the next steps of each); ``Forced`` and the
    recommendation with its path when a constraint left nothing else; ``facts``: (name, text)
    pairs of the verdict panel, the certainty's basis first; ``ruled_out``: outcome
    exclusions, then path exclusions; ``deciding_facts``: one sentence per fact whose
    change alone changes the verdict (constraints, never levers)."""

    outcome: str
    label: str
    title: str  # Recommendation, No clear verdict (a tie, too close a call) or Forced
    headline: str
    summary: str
    facts: tuple[tuple[str, str], ...]  # (name, text): basis, certainty, robustness, ...
    certainty: CertaintyView
    path: PathView | None
    alternative_path: PathView | None  # no clear verdict: the other outcome's plan
    open_answers: OpenView | None
    deciding_facts: tuple[str, ...]
    ruled_out: tuple[RuledOut, ...]
    scores: tuple[ScoreRow, ...]  # best first, ruled-out outcomes last
    top_score: float  # the scale of the bars: the highest score, at least 0
    why: Reasons
    shared: Reasons | None
    against: Reasons | None
    scenario: ScenarioView | None
    what_if: WhatIfs
    cost: tuple[CostLine, ...] | None  # the path's own option highlighted
    next_steps: tuple[LessonSteps, ...]
    next_steps_heading: str  # "Next steps", or "Next steps if Open-source LLM"
    # no clear verdict: the other outcome's next steps, under their own heading
    alternative_steps: tuple[LessonSteps, ...]
    alternative_steps_heading: str | None
    not_decided: tuple[NotDecided, ...]  # empty when the trace is shown instead
    not_decided_summary: str
    answers: tuple[AnswerRow, ...]
    footer: Footer
    still_open: tuple[Section, ...] = ()  # not asked, still possible, --target (reach_view)


def _cites(rules: RuleSet, cites: tuple[str, ...]) -> tuple[Cite, ...]:
    return tuple(Cite(c, rules.tradeoffs[c].title, True) if c in rules.tradeoffs
                 else Cite(c, c, False) for c in cites)


def _beyond(rules: RuleSet) -> dict[str, str]:  # rule id -> its beyond-the-article marker
    return {r.id: t for r in rules.rules if (t := beyond_text(r.beyond_article)) is not None}


def _reasons(rules: RuleSet, heading: str, rows: tuple[Contribution, ...],
             note: str | None = None) -> Reasons:
    beyond = _beyond(rules)
    return Reasons(heading, tuple(
        Reason(c.outcome, outcome_label(rules, c.outcome), c.points, c.because,
               _cites(rules, c.cites), beyond.get(c.rule)) for c in rows), note)


def _facts(v: CertaintyView, result: Result, ex: Explanation | None, rules: RuleSet,
           ) -> tuple[tuple[str, str], ...]:
    """The verdict panel: the basis first, then clarity, robustness, the reconciling
    sentence, the scenario and the most decisive answer (a preference, when facts decide
    it too: those are named after it, never both "decisive")."""
    facts = [("Basis", v.basis), ("Certainty", v.clarity)]
    if v.robustness is not None:
        facts.append(("Robustness", v.robustness))
    if v.reconcile is not None:
        facts.append(("Reading", v.reconcile))
    if ex is not None:
        if ex.scenario is not None:
            facts.append(("Scenario", scenario_title(rules, result, ex.scenario.title)))
        if ex.decisive is not None:
            d = ex.decisive
            notes = next((what_if_notes(w) for w in result.what_if
                          if (w.question, w.to_value) == (d.question, d.to_value)), "")
            name = "Decisive preference" if result.deciding_facts else "Decisive answer"
            facts.append((name, marked(d.sentence, notes)))
    if result.deciding_facts:
        names = [f"“{question_title(rules, f.question)}”" for f in result.deciding_facts]
        facts.append(("Deciding fact" if len(names) == 1 else "Deciding facts",
                      f"{', '.join(names)}: a different answer alone changes the "
                      f"recommendation (see “{FACTS_HEADING}”)."))
    return tuple(facts)


def _ruled_out(rules: RuleSet, result: Result) -> tuple[RuledOut, ...]:
    """Outcome exclusions, then path exclusions, every fired rule's (ruled_out.exclusions)."""
    beyond = _beyond(rules)
    return tuple(RuledOut(o, outcome_label(rules, o) if kind == "outcome"
                          else path_label(rules, o), rid, because, _cites(rules, cites), kind,
                          beyond.get(rid))
                 for kind, o, rid, because, cites in exclusions(rules, result))


def _scenario(result: Result, rules: RuleSet, ex: Explanation | None) -> ScenarioView | None:
    if ex is not None and ex.scenario is not None:
        sc = ex.scenario
        return ScenarioView(sc.id, scenario_title(rules, result, sc.title), sc.text,
                            scenario_why(ex), quoted=True)
    if result.scenario:
        t = rules.tradeoffs[result.scenario]
        return ScenarioView(result.scenario, scenario_title(rules, result, t.title), t.text,
                            result.scenario_because, quoted=False)
    return None


def _scores(result: Result, rules: RuleSet) -> tuple[ScoreRow, ...]:
    out = {e.outcome for e in result.excluded}
    earned = earned_scores(result, rules)
    order = sorted(result.scores, key=lambda o: (o in out, -earned[o]))
    return tuple(ScoreRow(o, outcome_label(rules, o), earned[o], o in out,
                          o == result.recommendation) for o in order)


def _mixed_note(rules: RuleSet, result: Result) -> str:
    """How a hybrid won: its needs on each side, and the rule set's sentence for it."""
    m = rules.decision.mixed
    sides_ = [o for o in rules.outcome_ids if o != result.recommendation]
    if m is not None:
        sides_ = list(m.between)
    pull = ", ".join(f"{outcome_label(rules, o)} {result.scores[o]:g}" for o in sides_
                     if o in result.scores)
    because = m.because if m is not None else ""
    return f"Your needs pull both ways ({pull}). {because}".strip()


def _sides(rules: RuleSet, result: Result, label: str, pro_con: Sides
           ) -> tuple[Reasons, Reasons | None, Reasons | None]:
    """For, shared and against; the mixed bonus is never a reason on either side."""
    pro = tuple(c for c in pro_con.for_winner if c.rule != MIXED_RULE_ID)
    # points taken from a losing outcome: once, among the others, worded "Against X: ..."
    taken = {(c.rule, c.outcome): c for c in penalties(rules, result, pro_con)}
    con = tuple(taken.get((c.rule, c.outcome), c) for c in pro_con.against
                if c.rule != MIXED_RULE_ID)
    note = _mixed_note(rules, result) if pro_con.combines else None
    why = _reasons(rules, f"Why {label}", pro, note)
    shared = _reasons(rules, pro_con.SHARED_HEADING, pro_con.shared) if pro_con.shared \
        else None
    against = _reasons(rules, pro_con.others_heading, con) if con else None
    return why, shared, against


def _summary(rules: RuleSet, result: Result) -> str:
    """The outcome's summary; with no clear verdict, each outcome's, named (the pair the
    headline names)."""
    pair = unsure_split(result) or no_verdict_pair(result)
    if pair is None:
        return rules.outcome(result.recommendation).summary
    return " ".join(f"{outcome_label(rules, o)}: {rules.outcome(o).summary}" for o in pair)


def plan_steps(rules: RuleSet, result: Result, plan: Result, own: tuple[Step, ...] | None,
               ) -> tuple[tuple[LessonSteps, ...], str, tuple[LessonSteps, ...], str | None]:
    """The next steps and their heading (``own``: the recommendation's steps, None when
    not shown); with no clear verdict, each plan's steps under ``Next steps if <outcome>``
    (``plan``: report.plans.framed)."""
    if own is None:
        return (), NEXT_STEPS_HEADING, (), None
    mine = tuple(group_by_lesson(rules, own if plan is result else next_steps(rules, plan)))
    pair = no_verdict_pair(plan)
    if pair is None:
        return mine, NEXT_STEPS_HEADING, (), None
    other = dataclasses.replace(plan, recommendation=pair[1], path=plan.certainty.alternative)
    return (mine, f"{NEXT_STEPS_HEADING} if {outcome_label(rules, pair[0])}",
            tuple(group_by_lesson(rules, next_steps(rules, other))),
            f"{NEXT_STEPS_HEADING} if {outcome_label(rules, pair[1])}")


def build_view(result: Result, rules: RuleSet, explanation: Explanation | None = None, *,
               explain: bool = False, between: tuple[str, ...] | None = None) -> ReportView:
    """Everything a report says, worded and ordered once. ``explain``: the trace is shown,
    so what was not decided is told there. ``between``: the outcomes an undecided team
    record names (default: the title's); the plans, cost and next steps are for those."""
    ex = explanation
    win = result.recommendation
    label = outcome_label(rules, win)
    why, shared, against = _sides(rules, result, label, sides(result))
    trace = explain and ex is not None
    missing = sorted({q for s in result.skipped for q in s.missing})
    info = result.ruleset
    certainty = certainty_view(rules, result, ex)
    title, headline = verdict_title(rules, result)
    plan = framed(rules, result, plan_pair(result, between))
    steps = plan_steps(rules, result, plan, ex.next_steps if ex is not None else None)
    return ReportView(
        outcome=win, label=label, title=title, headline=headline,
        summary=_summary(rules, result),
        facts=_facts(certainty, result, ex, rules), certainty=certainty,
        path=path_view(rules, plan), alternative_path=alternative_path_view(rules, plan),
        open_answers=open_view(rules, result),
        deciding_facts=tuple(fact_sentence(rules, f, result.unsure) for f in result.deciding_facts),
        still_open=sections(rules, result), ruled_out=_ruled_out(rules, result),
        scores=_scores(result, rules),
        top_score=max([*earned_scores(result, rules).values(), 0.0]),
        why=why, shared=shared, against=against,
        scenario=_scenario(result, rules, ex),
        what_if=WhatIfs(tuple(what_if_sentence(rules, w)
                              for w in what_ifs_decisive_first(result, ex)),
                        NO_PREFERENCE_CHANGE if result.deciding_facts else NO_WHAT_IF,
                        weight_sentence(ex) if ex is not None else None,
                        DECISIVE_PREFERENCE_NOTE if result.deciding_facts
                        else DECISIVE_NOTE),
        cost=cost_view(plan, rules),
        next_steps=steps[0], next_steps_heading=steps[1], alternative_steps=steps[2],
        alternative_steps_heading=steps[3],
        not_decided=() if trace else tuple(NotDecided(s.rule, s.missing)
                                           for s in result.skipped),
        not_decided_summary=skipped_sentence(len(result.skipped),
                                             [question_title(rules, q) for q in missing]),
        answers=tuple(AnswerRow(q.id, q.prompt, show_value(result.answers.get(q.id)))
                      for q in rules.questions),
        footer=Footer(info.id, info.version, info.sha256[:12], shown_path(info.source)),
    )


def more_what_ifs(hidden: int) -> str:  # where a short report leaves some out
    return f"and {hidden} more (see --format json)"
