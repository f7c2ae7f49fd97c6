"""The cost estimate: a month of closed APIs against a month of self-hosted open weights.

Pure: numbers in, numbers out, no printing. The formulas are the ones public
cost guides use (see ``docs/cost.md``); volumes are in **millions of tokens a
month**, prices in USD.

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
from collections.abc import Mapping
from dataclasses import dataclass, replace

from llmchoice.cost.assumptions import (
    MODEL_CLASSES,
    SPEC_BY_ID,
    Assumption,
    Assumptions,
    load_assumptions,
    with_overrides,
)
from llmchoice.io.errors import UsageError

__all__ = [
    "ApiOption", "Assumption", "Assumptions", "BreakEven", "Estimate", "SelfHostOption",
    "Sensitivity", "api_monthly_usd", "blended_price", "break_even", "estimate",
    "load_assumptions", "replica_capacity", "replicas_needed", "to_json",
]

HOURS_PER_MONTH = 730.0
SECONDS_PER_HOUR = 3_600.0
MAX_MONTHLY_TOKENS = 1e9  # millions: 10^15 tokens a month, far beyond any single user
MIN_MONTHLY_TOKENS = 0.001  # millions: a thousand tokens
DEFAULT_MODEL_CLASS = "large"
_MAX_STEPS = 1e12  # a break-even further away than this many replicas is reported as none


# --------------------------------------------------------------------------- formulas


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


@dataclass(frozen=True, slots=True)
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


# --------------------------------------------------------------------------- the options


@dataclass(frozen=True, slots=True)
class ApiOption:
    id: str
    label: str
    input_usd: float
    output_usd: float
    blended_usd: float
    monthly_usd: float

    kind = "api"


@dataclass(frozen=True, slots=True)
class SelfHostOption:
    id: str
    label: str
    model_class: str
    gpus_per_replica: int
    throughput: float
    capacity: float  # millions of tokens a month per replica
    replicas: int
    gpus: int
    load: float  # share of the capacity running that the volume uses
    gpu_usd: float
    overhead_usd: float
    staff_usd: float
    monthly_usd: float
    step_usd: float  # what one more replica adds a month, overhead included
    break_even: BreakEven  # against the frontier API

    kind = "self_host"


Option = ApiOption | SelfHostOption


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


def _api(a: Assumptions, oid: str, key: str, volume: float, share: float) -> ApiOption:
    inp = a.value(f"api.{key}.input_usd")
    out = a.value(f"api.{key}.output_usd")
    price = blended_price(share, inp, out)
    return ApiOption(id=oid, label=a.label(oid), input_usd=inp, output_usd=out,
                     blended_usd=price, monthly_usd=volume * price)


def _self_host(a: Assumptions, cls: str, volume: float, share: float,
               frontier_price: float) -> SelfHostOption:
    per = int(a.value(f"self_host.{cls}.gpus_per_replica"))
    throughput = a.value(f"self_host.{cls}.throughput")
    cap = replica_capacity(throughput, a.value("self_host.utilisation"), share)
    n = replicas_needed(volume, cap)
    hourly = a.value("gpu.hourly_usd")
    overhead = a.value("self_host.overhead_share")
    staff = a.value("self_host.staff_usd_month")
    gpu_usd = n * per * hourly * HOURS_PER_MONTH
    overhead_usd = gpu_usd * overhead
    step = per * hourly * HOURS_PER_MONTH * (1.0 + overhead)
    oid = f"self_host_{cls}"
    return SelfHostOption(
        id=oid, label=a.label(oid), model_class=cls, gpus_per_replica=per,
        throughput=throughput, capacity=cap, replicas=n, gpus=n * per,
        load=volume / (n * cap), gpu_usd=gpu_usd, overhead_usd=overhead_usd, staff_usd=staff,
        monthly_usd=gpu_usd + overhead_usd + staff, step_usd=step,
        break_even=break_even(fixed_usd=staff, step_usd=step, price_usd=frontier_price,
                              capacity=cap),
    )


def _options(a: Assumptions, volume: float, cls: str
             ) -> tuple[tuple[Option, ...], ApiOption, SelfHostOption]:
    share = a.value("workload.input_share")
    frontier = _api(a, "frontier_api", "frontier", volume, share)
    small = _api(a, "small_api", "small", volume, share)
    hosted = _api(a, "open_hosted_api", "open_hosted", volume, share)
    hosts = {c: _self_host(a, c, volume, share, frontier.blended_usd) for c in MODEL_CLASSES}
    options: tuple[Option, ...] = (frontier, small, hosted, hosts["small"], hosts["large"])
    return options, frontier, hosts[cls]


def _break_even_only(a: Assumptions, cls: str) -> BreakEven:
    _, _, host = _options(a, 1.0, cls)
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


# --------------------------------------------------------------------------- words


def about(x: float) -> str:
    """Two significant figures with thousands separators: 4,083.9 -> '4,100', 0.953 -> '0.95'."""
    if x == 0 or not math.isfinite(x):
        return "0" if x == 0 else str(x)
    digits = math.floor(math.log10(abs(x)))
    r = round(x, 1 - digits)
    decimals = max(0, 1 - digits)
    text = f"{r:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def tokens_words(millions: float) -> str:
    """'4,100 million tokens a month (about 4.1 billion)'."""
    text = f"{about(millions)} million tokens a month"
    if millions >= 1000:
        text += f" (about {about(millions / 1000)} billion)"
    return text


def usd_words(usd: float) -> str:
    return f"{about(usd)} USD a month"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


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
        lines.append(f"The cheapest option at this volume: {_lower_first(cheapest.label)}, "
                     f"about {usd_words(cheapest.monthly_usd)}.")
    top = est.most_sensitive
    if top is not None:
        lines.append(f"The break-even moves most with {_swing_words(top)}.")
        if top.unbounded:
            runner = next((s for s in est.sensitivity[1:] if 0 < s.swing < math.inf), None)
            if runner is not None:
                lines.append(f"Next comes {_swing_words(runner)}.")
    return tuple(lines)


def _swing_words(s: Sensitivity) -> str:
    span = f"{_plain(s.low)} to {_plain(s.high)}" + (f" {s.unit}" if s.unit else "")
    lo, hi = s.break_even_at_low, s.break_even_at_high
    if lo is None or hi is None:
        never, at, value = (s.low, s.high, hi) if lo is None else (s.high, s.low, lo)
        assert value is not None
        return (f"{s.name}: at {_plain(never)} self-hosting never becomes cheaper, at "
                f"{_plain(at)} the break-even is about {about(value)} million tokens a month "
                f"(range {span})")
    return (f"{s.name}: from about {about(lo)} to {about(hi)} million tokens a month "
            f"across {span}")


def _plain(x: float) -> str:
    return f"{x:,.6g}" if not float(x).is_integer() else f"{int(x):,}"


# --------------------------------------------------------------------------- the estimate


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
    options, api, host = _options(a, volume, model_class)
    est = Estimate(monthly_tokens=volume, input_share=a.value("workload.input_share"),
                   model_class=model_class, options=options, api=api, self_host=host,
                   break_even=host.break_even, sensitivity=sensitivity(a, model_class),
                   reading=(), assumptions=a)
    return replace(est, reading=reading(est))


# --------------------------------------------------------------------------- JSON


def _r(x: float | None, digits: int) -> float | None:
    return None if x is None else round(x, digits)


def _break_even_json(be: BreakEven) -> dict[str, object]:
    return {"monthly_tokens": _r(be.monthly_tokens, 3),
            "first_crossing_monthly_tokens": _r(be.first_crossing, 3),
            "replicas": be.replicas}


def _option_json(o: Option) -> dict[str, object]:
    if isinstance(o, ApiOption):
        return {"id": o.id, "label": o.label, "kind": "api",
                "monthly_usd": round(o.monthly_usd, 2),
                "usd_per_million_tokens": round(o.blended_usd, 6),
                "input_usd_per_million": o.input_usd, "output_usd_per_million": o.output_usd}
    return {"id": o.id, "label": o.label, "kind": "self_host", "model_class": o.model_class,
            "monthly_usd": round(o.monthly_usd, 2),
            "gpu_usd": round(o.gpu_usd, 2), "overhead_usd": round(o.overhead_usd, 2),
            "staff_usd": round(o.staff_usd, 2),
            "replicas": o.replicas, "gpus": o.gpus, "gpus_per_replica": o.gpus_per_replica,
            "replica_capacity_monthly_tokens": round(o.capacity, 3),
            "load": round(o.load, 6),
            "replica_step_usd": round(o.step_usd, 2),
            "break_even_vs_frontier": _break_even_json(o.break_even)}


def _assumption_json(a: Assumption) -> dict[str, object]:
    return {"value": a.value, "unit": a.unit, "source": a.source, "as_of": a.as_of,
            "low": a.low, "high": a.high, "range_source": a.range_source, "note": a.note,
            "overridden_by": a.overridden_by}


def to_json(est: Estimate) -> dict[str, object]:
    """The estimate as plain data (the ``cost`` object of DESIGN.md).

    Keys may be added, never renamed or removed. Volumes are millions of tokens a
    month, money USD a month (rounded to cents); the same inputs give the same data.
    """
    meta = est.assumptions.meta
    return {
        "monthly_tokens": est.monthly_tokens,
        "input_share": est.input_share,
        "model_class": est.model_class,
        "api_monthly_usd": round(est.api_monthly_usd, 2),
        "self_host_monthly_usd": round(est.self_host_monthly_usd, 2),
        "cheaper": est.cheaper,
        "break_even_monthly_tokens": _r(est.break_even.monthly_tokens, 3),
        "break_even": _break_even_json(est.break_even),
        "options": [_option_json(o) for o in est.options],
        "cheapest": est.cheapest.id,
        "sensitivity": [
            {"assumption": s.assumption, "name": s.name, "unit": s.unit, "low": s.low,
             "high": s.high, "break_even_at_low": _r(s.break_even_at_low, 3),
             "break_even_at_high": _r(s.break_even_at_high, 3),
             "swing_monthly_tokens": None if math.isinf(s.swing) else round(s.swing, 3),
             "unbounded": s.unbounded}
            for s in est.sensitivity
        ],
        "most_sensitive": est.most_sensitive.assumption if est.most_sensitive else None,
        "reading": list(est.reading),
        "assumptions": {a.id: _assumption_json(a) for a in est.assumptions.entries},
        "costs_file": {"id": meta.id, "version": meta.version, "sha256": meta.sha256,
                       "overrides_file": meta.overrides_file,
                       "overrides_sha256": meta.overrides_sha256},
    }
