"""What a team report says about running the decision: the plans, the cost at the team's
volume and the next steps, taken from the single report's view, never worded again.

The team's title names one outcome (a verdict, or one forced by a hard requirement) or
the outcomes the team's unsettled questions leave open (``No clear verdict: A or B``);
:func:`team_pair` is that pair, the one source for the title and the plans. The plan
sections are those of :func:`llmchoice.report.view.build_view` for the merged answers,
framed for that pair (:func:`llmchoice.report.plans.framed`): "How to run it" with each
plan's notes (what it assumes of the open answers, the budget check), the cost lines
when the merged answers give a volume, and the next steps, each plan's own when the
team has no verdict. More than two outcomes left open give no plan rather than some.
"""

from __future__ import annotations

from llmchoice.decide.explain import explain
from llmchoice.frozen import frozen
from llmchoice.ruleset.model import RuleSet
from llmchoice.team.analysis import TeamResult

from .advice import NO_VERDICT_TITLE, PathView, headline_pair, verdict_title
from .common import LessonSteps
from .costline import CostLine
from .view import build_view


@frozen
class StepsView:
    heading: str  # "Next steps", or "Next steps if Open-source LLM"
    groups: tuple[LessonSteps, ...]


@frozen
class TeamPlan:
    """The plan sections of a team report: each plan ("How to run it"), the cost lines
    (None without a volume) and the next steps, each plan's own when undecided."""

    plans: tuple[PathView, ...]
    cost: tuple[CostLine, ...] | None
    steps: tuple[StepsView, ...]
    outcomes: tuple[str, ...]  # the outcomes the plans are for, the title's order


def team_pair(t: TeamResult, title: str) -> tuple[str, ...]:
    """The outcomes a team's "No clear verdict" title names: the engine's pair for the
    merged answers, then the outcomes the unsettled questions' sides give; () with a
    verdict."""
    pair: tuple[str, ...] = tuple(headline_pair(t.result)) if title == NO_VERDICT_TITLE \
        else ()
    return tuple(dict.fromkeys((*pair, *t.between))) if t.between else pair


def build_team_plan(rules: RuleSet, t: TeamResult) -> TeamPlan:
    r = t.result
    pair = team_pair(t, verdict_title(rules, r)[0])
    v = build_view(r, rules, explain(rules, r), between=pair or None)
    plans = tuple(p for p in (v.path, v.alternative_path) if p is not None)
    steps = tuple(StepsView(heading, groups) for heading, groups in (
        (v.next_steps_heading, v.next_steps),
        (v.alternative_steps_heading, v.alternative_steps)) if heading and groups)
    outcomes = pair if len(pair) == 2 else ((r.recommendation,) if not pair else ())
    return TeamPlan(plans if outcomes else (), v.cost, steps if outcomes else (), outcomes)
