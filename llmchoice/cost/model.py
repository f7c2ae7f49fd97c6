"""What each cost assumption is: its bounds and names, and the figures the estimate rests on.

The bounds are sanity limits, not opinions: they refuse what cannot be meant (a
negative price, a utilisation of 3, a GPU at a million dollars an hour) so that
a typo never turns into a confident estimate.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from llmchoice.frozen import frozen
from llmchoice.io.check import Bounds

MODEL_CLASSES = ("small", "large")
OPTION_IDS = ("frontier_api", "small_api", "open_hosted_api", "self_host_small", "self_host_large")



@frozen
class Spec:
    """What one assumption is allowed to be, and what it is called in words and on the CLI."""

    id: str
    name: str
    kind: Literal["number", "integer"]
    minimum: float
    maximum: float
    min_inclusive: bool
    short_unit: str = ""
    flag: str | None = None

    @property
    def bounds(self) -> Bounds:
        return Bounds(self.minimum, self.maximum, self.min_inclusive,
                      integer=self.kind == "integer")

    def bounds_text(self) -> str:
        return self.bounds.text()

    @property
    def share(self) -> bool:
        """A share (0.6, or 60% where text is read), not an amount."""
        return self.id in SHARE_IDS

    def value_problem(self, value: object) -> str | None:
        """Why ``value`` cannot be this assumption, or ``None`` when it is fine."""
        problem = self.bounds.problem(value)
        if problem is not None and self.share and isinstance(value, int | float) \
                and not isinstance(value, bool) and 1 < value <= 100:
            problem += f"; a share is written {value / 100:g} or {value:g}%"
        return problem


PRICE_MAX = 1_000.0
SHARE_IDS = ("workload.input_share", "self_host.utilisation", "self_host.overhead_share")
SPECS: tuple[Spec, ...] = (
    Spec("workload.input_share", "the input share", "number", 0.0, 0.99, True, "",
         "--input-share"),
    Spec("api.frontier.input_usd", "the frontier API's input price", "number", 0.0, PRICE_MAX,
         False, "USD per million input tokens", "--api-input-usd"),
    Spec("api.frontier.output_usd", "the frontier API's output price", "number", 0.0, PRICE_MAX,
         False, "USD per million output tokens", "--api-output-usd"),
    Spec("api.small.input_usd", "the small API's input price", "number", 0.0, PRICE_MAX, False,
         "USD per million input tokens"),
    Spec("api.small.output_usd", "the small API's output price", "number", 0.0, PRICE_MAX,
         False, "USD per million output tokens"),
    Spec("api.open_hosted.input_usd", "the hosted open model's input price", "number", 0.0,
         PRICE_MAX, False, "USD per million input tokens"),
    Spec("api.open_hosted.output_usd", "the hosted open model's output price", "number", 0.0,
         PRICE_MAX, False, "USD per million output tokens"),
    Spec("gpu.hourly_usd", "the GPU price", "number", 0.0, 1_000.0, False, "USD per GPU-hour",
         "--gpu-hourly-usd"),
    Spec("self_host.small.gpus_per_replica", "GPUs per replica of the small model", "integer",
         1, 1024, True, "GPUs"),
    Spec("self_host.small.throughput", "the small model's throughput", "number", 1.0, 1e7, True,
         "output tokens/s", "--throughput"),
    Spec("self_host.large.gpus_per_replica", "GPUs per replica of the large model", "integer",
         1, 1024, True, "GPUs"),
    Spec("self_host.large.throughput", "the large model's throughput", "number", 1.0, 1e7, True,
         "output tokens/s", "--throughput"),
    Spec("self_host.utilisation", "the utilisation", "number", 0.01, 1.0, True, "",
         "--utilisation"),
    Spec("self_host.staff_usd_month", "the staff time", "number", 0.0, 1e7, True,
         "USD a month", "--staff-usd-month"),
    Spec("self_host.overhead_share", "the infrastructure overhead", "number", 0.0, 5.0, True,
         "of the GPU rent"),
)
SPEC_BY_ID: dict[str, Spec] = {s.id: s for s in SPECS}


@frozen
class Assumption:
    """One figure the estimate rests on, with where it comes from.

    ``overridden_by`` is ``None`` for the shipped default, else what replaced it:
    a command-line flag (``--gpu-hourly-usd``) or ``file:line``.
    """

    id: str
    value: float
    unit: str
    source: str
    as_of: str | None
    low: float | None = None
    high: float | None = None
    range_source: str | None = None
    note: str | None = None
    overridden_by: str | None = None

    @property
    def spec(self) -> Spec:
        return SPEC_BY_ID[self.id]

    @property
    def swept_range(self) -> tuple[float, float] | None:
        """The span the sensitivity sweeps: the sources' low..high, widened to hold the value."""
        if self.low is None or self.high is None:
            return None
        return min(self.low, self.value), max(self.high, self.value)


@frozen
class CostsMeta:
    id: str
    version: str
    title: str
    source: str
    sha256: str
    overrides_file: str | None = None
    overrides_sha256: str | None = None


@frozen
class Assumptions:
    """Every assumption (in the order of :data:`SPECS`) and the labels of the options."""

    entries: tuple[Assumption, ...]
    labels: tuple[tuple[str, str], ...]
    meta: CostsMeta

    def __getitem__(self, aid: str) -> Assumption:
        for a in self.entries:
            if a.id == aid:
                return a
        raise KeyError(aid)

    def value(self, aid: str) -> float:
        return self[aid].value

    def label(self, option: str) -> str:
        for oid, text in self.labels:
            if oid == option:
                return text
        return option

    def with_entry(self, new: Assumption) -> Assumptions:
        return replace(self, entries=tuple(new if a.id == new.id else a for a in self.entries))
