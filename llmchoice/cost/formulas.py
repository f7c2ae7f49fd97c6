"""The arithmetic of the cost estimate: prices, replica capacity and the break-even.

Pure: numbers in, numbers out. The formulas are the ones public cost guides use
(see ``docs/cost.md``); volumes are in **millions of tokens a month**, prices in USD.

* API month = V x blended price, where the blended price is
  ``s x input price + (1 - s) x output price`` and ``s`` is the input share.
* Self-hosting month = replicas x GPUs per replica x USD per GPU-hour x 730
  x (1 + overhead) + staff. A rented GPU costs the same busy or idle, and at
  least one replica runs whatever the volume.
* Replicas = ceil(V / capacity), capacity per replica = output tokens/s x 3,600
  x 730 x utilisation / (1 - s): the benchmarks measure output tokens per
  second on a workload with its own prompts, so the GPUs are sized on the
  output tokens.

The self-hosting cost is a staircase, so the API (a straight line) can cross it
more than once: it may catch up within one GPU step and fall behind again when
the next replica is added. The break-even reported is the volume from which on
self-hosting is never dearer again; the first crossing is kept beside it.
"""

from __future__ import annotations

import math

from llmchoice.frozen import frozen

HOURS_PER_MONTH = 730.0
SECONDS_PER_HOUR = 3_600.0
_MAX_STEPS = 1e12  # a break-even further away than this many replicas is reported as none


def blended_price(input_share: float, input_usd: float, output_usd: float) -> float:
    """USD per million tokens of the mix: ``s x input + (1 - s) x output``."""
    return input_share * input_usd + (1.0 - input_share) * output_usd


def api_monthly_usd(monthly_tokens: float, input_share: float, input_usd: float,
                    output_usd: float) -> float:
    """A month of an API: input tokens x input price + output tokens x output price."""
    return monthly_tokens * blended_price(input_share, input_usd, output_usd)


def replica_capacity(throughput: float, utilisation: float, input_share: float) -> float:
    """Millions of tokens (input and output) one replica serves in a month at this utilisation."""
    output_tokens = throughput * SECONDS_PER_HOUR * HOURS_PER_MONTH * utilisation
    return output_tokens / (1.0 - input_share) / 1e6


def replicas_needed(monthly_tokens: float, capacity: float) -> int:
    """Whole replicas for the volume; at least one, because a service must be up to serve."""
    if monthly_tokens <= 0:
        return 1
    ratio = monthly_tokens / capacity
    n = math.ceil(ratio)
    if n > 1 and (n - 1) >= ratio * (1 - 1e-12):  # a float hair above a whole number
        n -= 1
    return max(1, n)


@frozen
class BreakEven:
    """Where self-hosting stops being dearer than the API.

    ``monthly_tokens``: from this volume on, self-hosting is never dearer (``None``:
    never, because each extra replica costs more than the API charges for the
    tokens it serves). ``first_crossing``: the lowest volume where self-hosting
    is not dearer; below ``monthly_tokens`` when a GPU step lets the API win again.
    ``replicas``: replicas running at ``monthly_tokens``.
    """

    monthly_tokens: float | None
    first_crossing: float | None
    replicas: int | None


NEVER = BreakEven(None, None, None)


def break_even(*, fixed_usd: float, step_usd: float, price_usd: float,
               capacity: float) -> BreakEven:
    """Solve ``fixed + n(V) x step = price x V`` for the staircase ``n(V) = max(1, ceil(V/cap))``.

    Within step ``m`` (``(m-1) cap < V <= m cap``) self-hosting costs
    ``fixed + m step``. The API has caught up inside step ``m`` when
    ``fixed + m step <= price m cap``, i.e. ``m >= fixed / margin`` with
    ``margin = price cap - step`` (what one full replica saves). It stays ahead
    through the jump into step ``m`` when ``price (m-1) cap >= fixed + m step``,
    i.e. ``m >= (fixed + price cap) / margin``. With no margin it never wins.
    """
    if price_usd <= 0 or capacity <= 0:
        return NEVER
    margin = price_usd * capacity - step_usd
    if margin <= 0:
        return NEVER

    def at_least(a: float, b: float) -> bool:  # a >= b, a tie in floating point counts
        return a >= b - 1e-12 * max(abs(a), abs(b))

    def catches_up(m: int) -> bool:
        return at_least(price_usd * m * capacity, fixed_usd + m * step_usd)

    def ahead_from_start(m: int) -> bool:
        return at_least(price_usd * (m - 1) * capacity, fixed_usd + m * step_usd)

    steady_x = (fixed_usd + price_usd * capacity) / margin
    if steady_x > _MAX_STEPS:
        return NEVER
    first = max(1, math.ceil(fixed_usd / margin))
    while first > 1 and catches_up(first - 1):
        first -= 1
    while not catches_up(first):
        first += 1
    steady = max(2, math.ceil(steady_x))
    while steady > 2 and ahead_from_start(steady - 1):
        steady -= 1
    while not ahead_from_start(steady):
        steady += 1
    replicas = steady - 1
    at = (fixed_usd + replicas * step_usd) / price_usd
    first_at = (fixed_usd + first * step_usd) / price_usd
    return BreakEven(monthly_tokens=at, first_crossing=min(first_at, at), replicas=replicas)
