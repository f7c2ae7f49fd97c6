"""The cost estimate: a month of closed APIs against a month of self-hosted open weights.

Pure: numbers in, numbers out, no printing. Volumes are in **millions of tokens a
month**, prices in USD (see ``docs/cost.md``). The estimate is put together from the
cost room's parts, re-exported here:

* :mod:`llmchoice.cost.formulas`: the arithmetic (blended price, replica capacity,
  replicas) and the break-even against the self-hosting staircase;
* :mod:`llmchoice.cost.options`: the five options priced at a volume;
* :mod:`llmchoice.cost.sensitivity`: the break-even with each assumption at the ends
  of its range;
* :mod:`llmchoice.cost.words`: figures in plain words, for the reading;
* :mod:`llmchoice.cost.as_json`: the ``cost`` object of the JSON report.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace

from llmchoice.cost.as_json import to_json
from llmchoice.cost.assumptions import (
    MODEL_CLASSES,
    Assumption,
    Assumptions,
    load_assumptions,
    with_overrides,
)
from llmchoice.cost.formulas import (
    BreakEven,
    api_monthly_usd,
    blended_price,
    break_even,
    replica_capacity,
    replicas_needed,
)
from llmchoice.cost.options import ApiOption, Option, SelfHostOption, price_options
from llmchoice.cost.sensitivity import Sensitivity, sensitivity
from llmchoice.cost.words import about, lower_first, swing_words, tokens_words, usd_words
from llmchoice.frozen import frozen
from llmchoice.io.errors import UsageError

__all__ = [
    "MAX_MONTHLY_TOKENS", "MIN_MONTHLY_TOKENS", "ApiOption", "Assumption", "Assumptions",
    "BreakEven", "Estimate", "Option", "SelfHostOption", "Sensitivity", "about",
    "api_monthly_usd", "blended_price", "break_even", "check_monthly_tokens", "estimate",
    "load_assumptions", "reading", "replica_capacity", "replicas_needed", "sensitivity",
    "to_json", "tokens_words", "usd_words",
]

MAX_MONTHLY_TOKENS = 1e9  # millions: 10^15 tokens a month, far beyond any single user
MIN_MONTHLY_TOKENS = 0.001  # millions: a thousand tokens
DEFAULT_MODEL_CLASS = "large"


@frozen
class Estimate:
    monthly_tokens: float
    input_share: float
    model_class: str
    options: tuple[Option, ...]
    api: ApiOption
    self_host: SelfHostOption
    break_even: BreakEven
    sensitivity: tuple[Sensitivity, ...]
    reading: tuple[str, ...]
    assumptions: Assumptions

    @property
    def api_monthly_usd(self) -> float:
        return self.api.monthly_usd

    @property
    def self_host_monthly_usd(self) -> float:
        return self.self_host.monthly_usd

    @property
    def cheaper(self) -> str:
        """``api`` or ``self_host``: which of the two is cheaper at this volume (ties: api)."""
        return "self_host" if self.self_host.monthly_usd < self.api.monthly_usd else "api"

    @property
    def cheapest(self) -> Option:
        return min(self.options, key=lambda o: (o.monthly_usd, o.id))

    @property
    def most_sensitive(self) -> Sensitivity | None:
        return self.sensitivity[0] if self.sensitivity and self.sensitivity[0].swing > 0 \
            else None


def reading(est: Estimate) -> tuple[str, ...]:
    """The estimate in plain words, one sentence per line."""
    api, host, be = est.api, est.self_host, est.break_even
    host_name = f"self-hosting the {est.model_class} open model"
    gpus = f"{host.gpus} GPU{'s' if host.gpus != 1 else ''}"
    verdict = "the API is cheaper" if est.cheaper == "api" else "self-hosting is cheaper"
    lines = [
        f"At {about(est.monthly_tokens)} million tokens a month, the frontier closed API costs "
        f"about {usd_words(api.monthly_usd)} and {host_name} about "
        f"{usd_words(host.monthly_usd)} ({gpus}): {verdict}."
    ]
    if be.monthly_tokens is None:
        lines.append(
            f"The API stays cheaper at every volume: one more replica of the {est.model_class} "
            f"model costs about {usd_words(host.step_usd)}, more than the API charges for the "
            f"{about(host.capacity)} million tokens it can serve.")
    else:
        lines.append(
            f"Below about {tokens_words(be.monthly_tokens)} the API is cheaper; "
            f"above it, {host_name} is.")
        first = be.first_crossing
        if first is not None and first < be.monthly_tokens * (1 - 1e-9):
            lines.append(
                f"Self-hosting first matches the API at about {about(first)} million tokens, "
                "but the next GPU step makes the API cheaper again until the break-even.")
    cheapest = est.cheapest
    if cheapest.id not in (api.id, host.id):
        lines.append(f"The cheapest option at this volume: {lower_first(cheapest.label)}, "
                     f"about {usd_words(cheapest.monthly_usd)}.")
    top = est.most_sensitive
    if top is not None:
        lines.append(f"The break-even moves most with {swing_words(top)}.")
        if top.unbounded:
            runner = next((s for s in est.sensitivity[1:] if 0 < s.swing < math.inf), None)
            if runner is not None:
                lines.append(f"Next comes {swing_words(runner)}.")
    return tuple(lines)


def check_monthly_tokens(monthly_tokens: object, what: str = "monthly_tokens",
                         *, allow_zero: bool = True) -> float:
    """The volume as a float, or a :class:`UsageError` saying what was expected.

    The core accepts any volume from 0 (the answers question allows it, so a report
    never fails on a valid answer); the command line asks for at least a thousand
    tokens (0.001 million).
    """
    bad = isinstance(monthly_tokens, bool) or not isinstance(monthly_tokens, int | float)
    if not bad:
        assert isinstance(monthly_tokens, int | float)
        value = float(monthly_tokens)
        low_ok = (value >= 0 and allow_zero) or value >= MIN_MONTHLY_TOKENS
        if math.isfinite(value) and low_ok and value <= MAX_MONTHLY_TOKENS:
            return value
    low = "0 or more" if allow_zero else "at least 0.001 (a thousand tokens)"
    found = monthly_tokens if not isinstance(monthly_tokens, float) else (
        "NaN" if math.isnan(monthly_tokens) else f"{monthly_tokens:,.10g}")
    raise UsageError(
        f"{what}: expected millions of tokens a month, {low} and at most "
        f"{MAX_MONTHLY_TOKENS:,.0f} (10^15 tokens), found {found}")


def estimate(monthly_tokens: float, *, model_class: str = DEFAULT_MODEL_CLASS,
             overrides: Mapping[str, float] | None = None,
             assumptions: Assumptions | None = None) -> Estimate:
    """The estimate for ``monthly_tokens`` (millions of tokens a month, input and output).

    ``assumptions`` defaults to the shipped ``rules/costs.yaml``; ``overrides``
    maps assumption ids (``gpu.hourly_usd``) to values and wins over both.
    Bad values raise :class:`UsageError`; a bad file raises ``InputError``.
    """
    volume = check_monthly_tokens(monthly_tokens)
    if model_class not in MODEL_CLASSES:
        raise UsageError(f"model class {model_class!r}: expected one of "
                         f"{', '.join(MODEL_CLASSES)}")
    a = assumptions if assumptions is not None else load_assumptions()
    if overrides:
        a = with_overrides(a, overrides)
    options, api, host = price_options(a, volume, model_class)
    est = Estimate(monthly_tokens=volume, input_share=a.value("workload.input_share"),
                   model_class=model_class, options=options, api=api, self_host=host,
                   break_even=host.break_even, sensitivity=sensitivity(a, model_class),
                   reading=(), assumptions=a)
    return replace(est, reading=reading(est))
