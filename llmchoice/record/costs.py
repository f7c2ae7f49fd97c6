"""The cost condition of a decision record: the chosen path's own cost option against the
cheapest option at the answered volume, and the volume at which the cheapest changes.

The path's ``cost_option`` (``open_hosted_api`` for open weights through a hosted API)
prices the plan; a frontier closed API is never presented as the plan's price. The
prices are the estimate's (:func:`llmchoice.cost.options.price_options`); nothing here
scores a recommendation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from llmchoice.cost.assumptions import Assumptions
from llmchoice.cost.estimate import MAX_MONTHLY_TOKENS, ApiOption, Option
from llmchoice.cost.options import price_options
from llmchoice.decide.result import Result
from llmchoice.ruleset.model import RuleSet

CLASS = "large"  # the estimate's default model class; every option is priced either way
STEPS = 240  # points on the log scale from the answered volume to the largest one


@dataclass(frozen=True, slots=True)
class CostCondition:
    """At ``volume`` (millions of tokens a month): the path's own option (None without a
    path, or when the estimate has no such line) and the cheapest option; ``next_at``:
    the volume above which another option becomes the cheapest (``next_cheapest``), or
    None when none does up to the largest volume."""

    volume: float
    own: Option | None
    cheapest: Option
    next_at: float | None
    next_cheapest: Option | None
    options: tuple[Option, ...] = ()  # every option priced (APIs left out when ruled out)


def _options(a: Assumptions, volume: float, apis: bool) -> tuple[Option, ...]:
    return tuple(o for o in price_options(a, volume, CLASS)[0]
                 if apis or not isinstance(o, ApiOption))


def _cheapest(a: Assumptions, volume: float, apis: bool = True) -> Option:
    return min(_options(a, volume, apis), key=lambda o: (o.monthly_usd, o.id))


def apis_allowed(rs: RuleSet, result: Result) -> bool:
    """Some hosted way of running an outcome is still allowed (data that must stay on your
    infrastructure rules every API out, and then no API is priced)."""
    paths = {e.outcome for e in result.excluded_paths}
    outcomes = {e.outcome for e in result.excluded}
    hosted = [p for p in rs.paths if p.hosting == "hosted"]
    return not hosted or any(p.id not in paths and p.outcome not in outcomes for p in hosted)


def _crossing(a: Assumptions, volume: float, now: str,
              apis: bool) -> tuple[float, Option] | None:
    """The first volume above ``volume`` whose cheapest option is not ``now`` (a grid on
    the log scale, then halving the last step)."""
    low = max(volume, 0.001)
    if low >= MAX_MONTHLY_TOKENS:
        return None
    ratio = math.exp(math.log(MAX_MONTHLY_TOKENS / low) / STEPS)
    prev = low
    for i in range(1, STEPS + 1):
        v = min(low * ratio ** i, MAX_MONTHLY_TOKENS)
        if _cheapest(a, v, apis).id != now:
            lo, hi = prev, v
            for _ in range(40):
                mid = (lo + hi) / 2
                if _cheapest(a, mid, apis).id != now:
                    hi = mid
                else:
                    lo = mid
            return hi, _cheapest(a, hi, apis)
        prev = v
    return None


def cost_condition(rs: RuleSet, result: Result, a: Assumptions,
                   volume: float) -> CostCondition:
    """The cost condition for ``result`` at ``volume`` (APIs left out when the answers
    rule out every hosted way of running it)."""
    apis = apis_allowed(rs, result)
    options = _options(a, volume, apis)
    path = result.path
    own = next((o for o in options if path is not None and o.id == path.cost_option), None)
    cheapest = min(options, key=lambda o: (o.monthly_usd, o.id))
    found = _crossing(a, volume, cheapest.id, apis)
    return CostCondition(volume, own, cheapest, found[0] if found else None,
                         found[1] if found else None, options)
