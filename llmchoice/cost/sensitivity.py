"""How far the break-even moves when one assumption goes to each end of its range."""

from __future__ import annotations

import math
from dataclasses import replace

from llmchoice.cost.assumptions import SPEC_BY_ID, Assumptions
from llmchoice.cost.formulas import BreakEven
from llmchoice.cost.options import price_options
from llmchoice.frozen import frozen


@frozen
class Sensitivity:
    """The break-even with one assumption at each end of its range, the others as they are."""

    assumption: str
    name: str
    unit: str
    low: float
    high: float
    break_even_at_low: float | None
    break_even_at_high: float | None

    @property
    def unbounded(self) -> bool:
        """True when one end of the range leaves no break-even at all."""
        return (self.break_even_at_low is None) != (self.break_even_at_high is None)

    @property
    def swing(self) -> float:
        """How far the break-even moves across the range (millions of tokens; inf: unbounded)."""
        lo, hi = self.break_even_at_low, self.break_even_at_high
        if lo is None and hi is None:
            return 0.0
        if lo is None or hi is None:
            return math.inf
        return abs(hi - lo)


def _break_even_only(a: Assumptions, cls: str) -> BreakEven:
    _, _, host = price_options(a, 1.0, cls)
    return host.break_even


def sensitivity_ids(cls: str) -> tuple[str, ...]:
    """The assumptions the headline break-even depends on (the other class's are left out)."""
    return ("workload.input_share", "api.frontier.input_usd", "api.frontier.output_usd",
            "gpu.hourly_usd", f"self_host.{cls}.throughput", "self_host.utilisation",
            "self_host.staff_usd_month", "self_host.overhead_share")


def sensitivity(a: Assumptions, cls: str) -> tuple[Sensitivity, ...]:
    """One at a time: each assumption at the low and the high end of its range, the rest fixed.

    Ordered by how far the break-even moves, largest first; an assumption whose
    range reaches a point with no break-even at all comes first; ties by id.
    Assumptions without a range are not swept.
    """
    out: list[Sensitivity] = []
    for aid in sensitivity_ids(cls):
        entry = a[aid]
        span = entry.swept_range
        if span is None:
            continue
        ends = []
        for v in span:
            ends.append(_break_even_only(a.with_entry(replace(entry, value=v)), cls).monthly_tokens)
        out.append(Sensitivity(assumption=aid, name=SPEC_BY_ID[aid].name,
                               unit=SPEC_BY_ID[aid].short_unit,
                               low=span[0], high=span[1], break_even_at_low=ends[0],
                               break_even_at_high=ends[1]))
    out.sort(key=lambda s: (-s.swing, s.assumption))
    return tuple(out)
