"""The five priced options of the estimate: three closed or hosted APIs, and self-hosting
the small and the large open model (each with its break-even against the frontier API).
"""

from __future__ import annotations

from llmchoice.cost.assumptions import MODEL_CLASSES, Assumptions
from llmchoice.cost.formulas import (
    HOURS_PER_MONTH,
    BreakEven,
    blended_price,
    break_even,
    replica_capacity,
    replicas_needed,
)
from llmchoice.frozen import frozen


@frozen
class ApiOption:
    id: str
    label: str
    input_usd: float
    output_usd: float
    blended_usd: float
    monthly_usd: float

    kind = "api"


@frozen
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


def price_options(a: Assumptions, volume: float, cls: str
                  ) -> tuple[tuple[Option, ...], ApiOption, SelfHostOption]:
    """Every option priced at ``volume``; then the frontier API and self-hosting ``cls``,
    the two the headline compares."""
    share = a.value("workload.input_share")
    frontier = _api(a, "frontier_api", "frontier", volume, share)
    small = _api(a, "small_api", "small", volume, share)
    hosted = _api(a, "open_hosted_api", "open_hosted", volume, share)
    hosts = {c: _self_host(a, c, volume, share, frontier.blended_usd) for c in MODEL_CLASSES}
    options: tuple[Option, ...] = (frontier, small, hosted, hosts["small"], hosts["large"])
    return options, frontier, hosts[cls]
