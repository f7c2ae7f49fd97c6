"""Whose plans a report gives: the outcomes its title names, and only those.

A report with no clear verdict names two outcomes in its title ("No clear verdict:
Open-source LLM or Hybrid of both"): the two that win most ways of answering the unsure
questions when those answers split the verdict, else the two of a tie or too close a
call (:func:`llmchoice.report.advice.headline_pair`); a team's decision record may name
the outcomes its members' answers leave open. Its plans ("How to run it"), their cost
lines and the next steps are given for exactly those outcomes, in the title's order: one
source for the title and the plans, so a report never names one pair on top and plans
another below.

:func:`framed` words nothing: it returns the Result the plan sections are built from,
with the title's first outcome as the recommendation (its path) and the second as the
runner-up (``certainty.close`` or ``tied``, and ``certainty.alternative``, the path it
would be run with, chosen by :func:`llmchoice.decide.engine.choose_path` as the engine
chooses every path). The scores, reasons and what-ifs stay the engine's own.
"""

from __future__ import annotations

import dataclasses

from llmchoice.decide.engine import choose_path, plan_assumptions
from llmchoice.decide.result import ChosenPath, PathAssumption, Result
from llmchoice.ruleset.model import RuleSet

from .advice import headline_pair, no_verdict_pair


def plan_pair(result: Result, between: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """The outcomes the plans are for: ``between`` when given (a team's record), else the
    title's pair; () when there is a verdict, or when more than two outcomes are left open
    (then no plan is given rather than some of them)."""
    pair = tuple(headline_pair(result)) if between is None else between
    return pair if len(pair) == 2 else ()


def path_for(rules: RuleSet, result: Result, outcome: str) -> ChosenPath | None:
    """How ``outcome`` would be run with these answers: the engine's own choice for the
    recommendation and for the runner-up of a close call, else chosen the same way."""
    if outcome == result.recommendation:
        return result.path
    alt = result.certainty.alternative
    if alt is not None and alt.outcome == outcome:
        return alt
    return choose_path(rules, result.answers, outcome,
                       {e.outcome for e in result.excluded_paths})


def framed(rules: RuleSet, result: Result, pair: tuple[str, ...]) -> Result:
    """``result`` as the plan sections read it: ``pair[0]`` recommended with its path,
    ``pair[1]`` the runner-up with its path (``result`` itself when there is no pair).
    The first plan's ``path_assumptions`` are its own (:func:`plan_assumptions`: an open
    answer that would exclude it or run it another way), not the engine's, which were
    worked out for a verdict this report does not give."""
    if len(pair) != 2:
        return result
    if no_verdict_pair(result) == pair and result.recommendation == pair[0]:
        return dataclasses.replace(result, path_assumptions=plan_assumptions(
            rules, result.answers, pair[0], result.path, result.unsure))
    c = result.certainty
    tied = pair if c.tied else ()
    certainty = dataclasses.replace(c, alternative=path_for(rules, result, pair[1]),
                                    tied=tied, close=() if tied else pair)
    path = path_for(rules, result, pair[0])
    return dataclasses.replace(result, recommendation=pair[0], path=path, certainty=certainty,
                               path_assumptions=plan_assumptions(
                                   rules, result.answers, pair[0], path, result.unsure))


def alternative_assumptions(rules: RuleSet, plan: Result) -> tuple[PathAssumption, ...]:
    """What the second plan of a framed result (``certainty.alternative``) assumes, read
    the way :func:`framed` reads the first's; () without a second plan."""
    alt = plan.certainty.alternative
    if alt is None:
        return ()
    return plan_assumptions(rules, plan.answers, alt.outcome, alt, plan.unsure)


__all__ = ["alternative_assumptions", "framed", "path_for", "plan_pair"]
