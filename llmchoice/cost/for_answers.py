"""The cost estimate a recommendation carries: computed from the answers, when they give
a volume.

A rule set asks for the volume with a number question ``monthly_tokens`` (millions of
tokens a month); when it is answered, the recommendation carries the estimate for that
volume under the loaded cost assumptions. The command line, the quiz and any other
caller get the same estimate through :func:`with_cost`, and the reports render it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from llmchoice.decide.result import Result
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import RuleSet

if TYPE_CHECKING:
    from llmchoice.cost.assumptions import Assumptions
    from llmchoice.cost.estimate import Estimate

VOLUME_QUESTION = "monthly_tokens"


def answered_volume(rules: RuleSet, answers: Mapping[str, Answer]) -> float | None:
    """The monthly volume the answers give (millions of tokens), or None: the rule set has
    no number question ``monthly_tokens``, or it was not answered."""
    if not rules.has_question(VOLUME_QUESTION) or \
            rules.question(VOLUME_QUESTION).type != "number":
        return None
    value = answers.get(VOLUME_QUESTION)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def estimate_for(rules: RuleSet, answers: Mapping[str, Answer], *,
                 assumptions: Assumptions | None = None) -> Estimate | None:
    """The cost estimate for the answered volume under ``assumptions`` (the shipped ones
    when None), or None when the answers give no volume."""
    volume = answered_volume(rules, answers)
    if volume is None:
        return None
    # lazy: only reports with a volume need the cost model
    from llmchoice.cost.estimate import estimate

    return estimate(volume, assumptions=assumptions)


def with_cost(result: Result, rules: RuleSet, *,
              assumptions: Assumptions | None = None) -> Result:
    """``result`` carrying the cost estimate for its answers (unchanged when they give no
    volume)."""
    cost = estimate_for(rules, result.answers, assumptions=assumptions)
    return result if cost is None else replace(result, cost=cost)
