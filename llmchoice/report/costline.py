"""The cost section's heading and lines, and :func:`cost_view`, which words them only
when the answers give a volume: a report without one (most) does not import the cost
model (:mod:`llmchoice.report.costview` and :mod:`llmchoice.cost.estimate`, about 2 ms of
start-up)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from llmchoice.frozen import frozen

if TYPE_CHECKING:
    from llmchoice.decide.result import Result
    from llmchoice.ruleset.model import RuleSet

COST_HEADING = "Cost at your volume"


@frozen
class CostLine:
    text: str
    highlight: bool = False  # the line of the path's own cost option


def cost_view(result: Result, rules: RuleSet) -> tuple[CostLine, ...] | None:
    """The cost lines of the report, or None when the answers give no volume."""
    if result.cost is None:
        return None
    # lazy: only reports with a volume need the cost model
    from .costview import worded_cost

    return worded_cost(result, rules)
