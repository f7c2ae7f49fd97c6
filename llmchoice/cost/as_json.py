"""The estimate as plain data: the ``cost`` object of the JSON report (and of
``llmchoice cost --format json``)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from llmchoice.cost.assumptions import Assumption
from llmchoice.cost.formulas import BreakEven
from llmchoice.cost.options import ApiOption, Option

if TYPE_CHECKING:  # for the annotation only: estimate.py imports this module to re-export to_json
    from llmchoice.cost.estimate import Estimate


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
    """The estimate as plain data (the ``cost`` object of the JSON report).

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
