"""The cost model: arithmetic against hand-computed cases, the break-even, the sensitivity,
and the assumptions file (shipped and the user's)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from llmchoice.cost.assumptions import (
    SPECS,
    default_costs_path,
    load_assumptions,
    override,
    parse_costs,
)
from llmchoice.cost.estimate import (
    MAX_MONTHLY_TOKENS,
    SelfHostOption,
    about,
    api_monthly_usd,
    blended_price,
    break_even,
    estimate,
    replica_capacity,
    replicas_needed,
    to_json,
)
from llmchoice.io import yamlio
from llmchoice.io.errors import InputError, UsageError

# Hand-computed with the shipped defaults (rules/costs.yaml):
#   blended frontier price = 0.6 x 1.25 + 0.4 x 10            = 4.75 USD per million tokens
#   one H100 for a month   = 3.99 x 730                        = 2,912.70 USD
#   large replica (4 GPUs) = 4 x 2,912.70 = 11,650.80; x 1.15  = 13,398.42 USD with overhead
#   large self-hosting, 1 replica = 13,398.42 + 6,000 staff    = 19,398.42 USD
#   large replica capacity = 3,543 x 3,600 x 730 x 0.5 / 0.4 / 1e6 = 11,638.755 million tokens
#   small replica capacity = 8,088 x 3,600 x 730 x 0.5 / 0.4 / 1e6 = 26,569.08 million tokens
#   break-even (large)     = 19,398.42 / 4.75                  = 4,083.8779 million tokens
#   break-even (small)     = (2,912.70 x 1.15 + 6,000) / 4.75 = 9,349.605 / 4.75 = 1,968.3379
LARGE_ONE_REPLICA = 19_398.42
LARGE_CAPACITY = 11_638.755
SMALL_CAPACITY = 26_569.08
BREAK_EVEN_LARGE = 19_398.42 / 4.75
BREAK_EVEN_SMALL = 9_349.605 / 4.75


# --------------------------------------------------------------------------- formulas


def test_blended_price_and_api_month_by_hand() -> None:
    assert blended_price(0.6, 1.25, 10) == pytest.approx(4.75)
    assert api_monthly_usd(1000, 0.6, 1.25, 10) == pytest.approx(4750.0)
    # all input, all output
    assert blended_price(0.0, 3, 15) == pytest.approx(15)
    assert api_monthly_usd(10, 0.99, 3, 15) == pytest.approx(10 * (0.99 * 3 + 0.01 * 15))


def test_replica_capacity_by_hand() -> None:
    assert replica_capacity(3543, 0.5, 0.6) == pytest.approx(LARGE_CAPACITY)
    assert replica_capacity(8088, 0.5, 0.6) == pytest.approx(SMALL_CAPACITY)
    # half the utilisation, half the capacity
    assert replica_capacity(3543, 0.25, 0.6) == pytest.approx(LARGE_CAPACITY / 2)


def test_replicas_grow_in_whole_steps() -> None:
    cap = 100.0
    assert replicas_needed(0, cap) == 1  # a service must be up to serve anything
    assert replicas_needed(1, cap) == 1
    assert replicas_needed(100, cap) == 1
    assert replicas_needed(100.0001, cap) == 2
    assert replicas_needed(200, cap) == 2
    assert replicas_needed(3 * 0.1 * 1000, 100.0) == 3  # 300.00000000000006 is still 3 steps


def test_estimate_at_three_volumes_matches_hand_computation() -> None:
    e10 = estimate(10)
    assert e10.api_monthly_usd == pytest.approx(47.5)
    assert e10.self_host_monthly_usd == pytest.approx(LARGE_ONE_REPLICA)
    assert e10.self_host.gpus == 4 and e10.self_host.replicas == 1
    assert e10.cheaper == "api"

    e1k = estimate(1000)
    assert e1k.api_monthly_usd == pytest.approx(4750.0)
    assert e1k.self_host_monthly_usd == pytest.approx(LARGE_ONE_REPLICA)
    by_id = {o.id: o for o in e1k.options}
    assert by_id["small_api"].monthly_usd == pytest.approx(1000 * (0.6 * 0.25 + 0.4 * 2))
    assert by_id["open_hosted_api"].monthly_usd == pytest.approx(880.0)
    assert by_id["self_host_small"].monthly_usd == pytest.approx(9_349.605)
    assert e1k.cheapest.id == "open_hosted_api"

    e100k = estimate(100_000)
    # 100,000 / 11,638.755 = 8.59 -> 9 replicas of 4 GPUs
    assert e100k.self_host.replicas == 9 and e100k.self_host.gpus == 36
    gpu = 36 * 3.99 * 730
    assert gpu == pytest.approx(104_857.20)
    assert e100k.self_host_monthly_usd == pytest.approx(gpu * 1.15 + 6000)  # 126,585.78
    assert e100k.api_monthly_usd == pytest.approx(475_000.0)
    assert e100k.cheaper == "self_host"
    small = {o.id: o for o in e100k.options}["self_host_small"]
    assert isinstance(small, SelfHostOption)
    # 100,000 / 26,569.08 = 3.76 -> 4 GPUs
    assert small.gpus == 4 and small.monthly_usd == pytest.approx(LARGE_ONE_REPLICA)
    assert e100k.cheapest.id == "self_host_small"


def test_load_is_the_share_of_running_capacity_used() -> None:
    e = estimate(1000)
    assert e.self_host.load == pytest.approx(1000 / LARGE_CAPACITY)


def test_zero_volume_is_accepted_by_the_core_for_the_recommend_report() -> None:
    # The answers question `monthly_tokens` allows 0; the command line refuses it.
    e = estimate(0)
    assert e.api_monthly_usd == 0
    assert e.self_host_monthly_usd == pytest.approx(LARGE_ONE_REPLICA)
    assert estimate(100_000_000).self_host.replicas > 1  # the question's maximum works too


@pytest.mark.parametrize("bad", [-1, -1e-9, math.nan, math.inf, MAX_MONTHLY_TOKENS * 10, "10",
                                 True])
def test_estimate_refuses_meaningless_volumes(bad: object) -> None:
    with pytest.raises(UsageError, match="millions of tokens a month"):
        estimate(bad)  # type: ignore[arg-type]


def test_estimate_takes_every_volume_the_answers_question_allows() -> None:
    for tiny in (0, 1e-9, 0.0001):
        assert estimate(tiny).cheaper == "api"


def test_estimate_refuses_an_unknown_model_class() -> None:
    with pytest.raises(UsageError, match="expected one of small, large"):
        estimate(10, model_class="huge")


# --------------------------------------------------------------------------- break-even


def test_break_even_with_defaults_is_where_the_two_costs_meet() -> None:
    e = estimate(1000)
    be = e.break_even.monthly_tokens
    assert be is not None
    assert be == pytest.approx(BREAK_EVEN_LARGE)  # 4,083.88
    at = estimate(be)
    assert at.api_monthly_usd == pytest.approx(at.self_host_monthly_usd, rel=1e-9)
    assert estimate(be * 0.999).cheaper == "api"
    assert estimate(be * 1.001).cheaper == "self_host"
    small = estimate(1000, model_class="small")
    assert small.break_even.monthly_tokens == pytest.approx(BREAK_EVEN_SMALL)  # 1,968.34


def test_break_even_accounts_for_the_gpu_step() -> None:
    # At 12.29 USD per GPU-hour one large replica costs 4 x 12.29 x 730 x 1.15 = 41,269.82.
    # The API (4.75 per million) first catches up at (6,000 + 41,269.82) / 4.75 = 9,951.54,
    # inside the first replica (capacity 11,638.755); the second replica makes the API cheaper
    # again. It stays ahead for good from the fifth replica:
    # (6,000 + 4 x 41,269.82) / 4.75 = 36,016.69.
    a = override(load_assumptions(), "gpu.hourly_usd", 12.29, "test")
    e = estimate(1000, assumptions=a)
    step = 4 * 12.29 * 730 * 1.15
    assert e.self_host.step_usd == pytest.approx(step)
    assert e.break_even.first_crossing == pytest.approx((6000 + step) / 4.75)
    assert e.break_even.monthly_tokens == pytest.approx((6000 + 4 * step) / 4.75)
    assert e.break_even.replicas == 4
    first = e.break_even.first_crossing
    assert first is not None
    assert estimate(first * 1.0001, assumptions=a).cheaper == "self_host"
    # just past the first replica the API is cheaper again
    assert estimate(LARGE_CAPACITY * 1.001, assumptions=a).cheaper == "api"
    steady = e.break_even.monthly_tokens
    assert steady is not None
    assert estimate(steady * 0.999, assumptions=a).cheaper == "api"
    for k in range(1, 200):
        v = steady * (1 + k / 20)
        assert estimate(v, assumptions=a).cheaper == "self_host", v
    assert any("next GPU step" in line for line in e.reading)


def test_no_break_even_when_a_replica_costs_more_than_the_api_for_its_tokens() -> None:
    a = load_assumptions()
    a = override(a, "api.frontier.input_usd", 0.88, "test")
    a = override(a, "api.frontier.output_usd", 0.88, "test")
    # one replica serves 11,638.755 million tokens, worth 10,242 USD at 0.88; it costs 13,398
    e = estimate(100_000, assumptions=a)
    assert e.break_even.monthly_tokens is None and e.break_even.first_crossing is None
    assert to_json(e)["break_even_monthly_tokens"] is None
    assert any("stays cheaper at every volume" in line for line in e.reading)
    for v in (1, 1_000, 11_638, 50_000, 1e6):
        assert estimate(v, assumptions=a).cheaper == "api"


def _self_host(v: float, fixed: float, step: float, cap: float) -> float:
    return fixed + replicas_needed(v, cap) * step


@settings(max_examples=300, deadline=None)
@given(
    fixed=st.floats(0, 50_000),
    step=st.floats(1, 100_000),
    price=st.floats(0.01, 50),
    cap=st.floats(1, 50_000),
)
# the break-even lies 5e-6 above a step's start: the midpoint probe fell inside the band
# replicas_needed counts as the step before (see the direct test below)
@example(fixed=23, step=2, price=2.00001, cap=1)
def test_break_even_property_self_hosting_never_dearer_from_there_on(
        fixed: float, step: float, price: float, cap: float) -> None:
    be = break_even(fixed_usd=fixed, step_usd=step, price_usd=price, capacity=cap)
    if price * cap <= step:
        assert be.monthly_tokens is None
        # the API is cheaper at the end of every step, so at every volume
        for m in (1, 2, 10, 1000):
            assert price * m * cap < _self_host(m * cap, fixed, step, cap) + 1e-6 * step
        return
    v = be.monthly_tokens
    if v is None:  # a replica saves next to nothing: the break-even is out of any reach
        assert (fixed + price * cap) / (price * cap - step) > 1e12
        return
    assert be.first_crossing is not None
    assert be.first_crossing <= v
    # the two costs meet at the break-even
    assert price * v == pytest.approx(_self_host(v, fixed, step, cap), rel=1e-9)
    # just below it (within its GPU step) the API is cheaper; from it on self-hosting never
    # is dearer
    assert be.replicas is not None
    start = (be.replicas - 1) * cap
    below = v - min(v * 1e-7, (v - start) / 2)
    # only a probe the estimate counts in the break-even's own step: replicas_needed takes
    # a volume within 1e-12 (relative) above a whole number of replicas as that number
    if start < below < v and replicas_needed(below, cap) == be.replicas:
        assert price * below <= _self_host(below, fixed, step, cap) * (1 + 1e-9)
    for k in range(0, 60):
        x = v + k * cap / 7
        assert price * x >= _self_host(x, fixed, step, cap) * (1 - 1e-9), (k, x)
    # and at the first crossing the two costs meet too
    f = be.first_crossing
    assert price * f == pytest.approx(_self_host(f, fixed, step, cap), rel=1e-9)


# --------------------------------------------------------------------------- sensitivity


def test_sensitivity_names_what_moves_the_break_even_most_in_order() -> None:
    e = estimate(1000)
    order = [s.assumption for s in e.sensitivity]
    assert order == [
        "self_host.utilisation",      # at 0.06 self-hosting never pays: unbounded
        "gpu.hourly_usd",             # 3,165 .. 36,017
        "workload.input_share",       # 2,146 .. 10,929
        "api.frontier.output_usd",    # 4,084 .. 1,805
        "api.frontier.input_usd",     # 4,084 .. 2,771
        "self_host.staff_usd_month",  # 2,926 .. 4,084
        "self_host.overhead_share",   # 4,084 .. 4,942
        "self_host.large.throughput",  # within the first replica: no effect
    ]
    swings = [s.swing for s in e.sensitivity]
    assert swings == sorted(swings, reverse=True)
    assert e.most_sensitive is not None and e.most_sensitive.unbounded
    staff = next(s for s in e.sensitivity if s.assumption == "self_host.staff_usd_month")
    # (500 + 13,398.42) / 4.75 = 2,925.98 and (6,000 + 13,398.42) / 4.75 = 4,083.88
    assert staff.break_even_at_low == pytest.approx((500 + 13_398.42) / 4.75)
    assert staff.break_even_at_high == pytest.approx(BREAK_EVEN_LARGE)
    assert staff.swing == pytest.approx((6000 - 500) / 4.75)
    assert any("moves most with the utilisation" in line for line in e.reading)
    assert any("Next comes the GPU price" in line for line in e.reading)


def test_each_sensitivity_end_is_the_break_even_with_that_one_value_changed() -> None:
    base = load_assumptions()
    for s in estimate(1000, assumptions=base).sensitivity:
        for value, expected in ((s.low, s.break_even_at_low), (s.high, s.break_even_at_high)):
            got = estimate(1000, assumptions=override(base, s.assumption, value, "t"))
            assert got.break_even.monthly_tokens == (
                None if expected is None else pytest.approx(expected)), s.assumption


def test_sensitivity_of_the_small_model_leaves_the_large_models_throughput_out() -> None:
    e = estimate(1000, model_class="small")
    ids = [s.assumption for s in e.sensitivity]
    assert "self_host.small.throughput" in ids and "self_host.large.throughput" not in ids
    assert ids[0] == "workload.input_share"  # 1,000 .. 5,300 for the small model


def test_a_value_outside_the_sources_range_widens_the_sweep() -> None:
    a = override(load_assumptions(), "gpu.hourly_usd", 20.0, "test")
    gpu = next(s for s in estimate(10, assumptions=a).sensitivity
               if s.assumption == "gpu.hourly_usd")
    assert (gpu.low, gpu.high) == (2.69, 20.0)


# --------------------------------------------------------------------------- words and JSON


@pytest.mark.parametrize(("x", "text"), [
    (4083.88, "4,100"), (1968.3, "2,000"), (47.5, "48"), (0.953, "0.95"), (9.5, "9.5"),
    (126_585.78, "130,000"), (0, "0"),
])
def test_about_rounds_to_two_significant_figures(x: float, text: str) -> None:
    assert about(x) == text


def test_reading_says_where_the_api_stops_being_cheaper() -> None:
    lines = estimate(1000).reading
    assert lines[0].startswith("At 1,000 million tokens a month, the frontier closed API costs "
                               "about 4,800 USD a month")
    assert lines[1] == ("Below about 4,100 million tokens a month (about 4.1 billion) the API is "
                        "cheaper; above it, self-hosting the large open model is.")


def test_to_json_has_the_contract_keys_and_every_assumption_with_source_and_date() -> None:
    data: dict[str, Any] = to_json(estimate(1000))
    for key in ("api_monthly_usd", "self_host_monthly_usd", "break_even_monthly_tokens",
                "assumptions"):
        assert key in data
    assert data["api_monthly_usd"] == 4750.0
    assert data["self_host_monthly_usd"] == 19398.42
    assert data["break_even_monthly_tokens"] == round(BREAK_EVEN_LARGE, 3)
    assumptions = data["assumptions"]
    assert isinstance(assumptions, dict)
    assert list(assumptions) == [s.id for s in SPECS]
    for aid, entry in assumptions.items():
        assert {"value", "unit", "source", "as_of"} <= set(entry), aid
        assert entry["source"] and entry["unit"] and entry["as_of"], aid
        assert entry["overridden_by"] is None
    assert [o["id"] for o in data["options"]] == [
        "frontier_api", "small_api", "open_hosted_api", "self_host_small", "self_host_large"]


# --------------------------------------------------------------------------- assumptions files


def test_shipped_file_is_found_and_complete() -> None:
    path = default_costs_path()
    assert path.is_file() and path.name == "costs.yaml"
    a = load_assumptions()
    assert [x.id for x in a.entries] == [s.id for s in SPECS]
    assert a.meta.id == "llmchoice-costs" and len(a.meta.sha256) == 64
    for x in a.entries:
        assert x.source.strip() and x.as_of, x.id
        if x.low is not None:
            assert x.high is not None and x.low <= x.value <= x.high, x.id


def _shipped_text() -> str:
    return default_costs_path().read_text(encoding="utf-8")


def _parse(text: str, name: str = "costs.yaml", *, user: bool = False):  # type: ignore[no-untyped-def]
    doc = yamlio.parse(text, name)
    return parse_costs(doc, base=load_assumptions() if user else None)


def test_shipped_format_errors_name_line_and_column() -> None:
    text = _shipped_text()
    broken = text.replace("  gpu.hourly_usd:\n    value: 3.99", "  gpu.hourly_usd:\n    value: 0")
    broken = broken.replace("    as_of: 2024-09\n    range_source: >-\n      tgarg01",
                            "    as_of: last year\n    range_source: >-\n      tgarg01")
    with pytest.raises(InputError) as info:
        _parse(broken)
    rendered = info.value.render()
    line_value = broken.splitlines().index("    value: 0") + 1
    assert f"costs.yaml:{line_value}:12: assumptions.gpu.hourly_usd.value (the GPU price): " \
           "expected a number more than 0" in rendered
    assert "as_of: expected a date as YYYY, YYYY-MM or YYYY-MM-DD" in rendered
    assert rendered.startswith("costs.yaml: 2 problems")


def test_shipped_format_requires_every_assumption_and_field() -> None:
    text = _shipped_text().replace("    unit: USD per GPU-hour (H100 80GB SXM, rented on demand)\n",
                                   "")
    cut = text.index("  self_host.overhead_share:")
    with pytest.raises(InputError) as info:
        _parse(text[:cut])
    rendered = info.value.render()
    assert "assumptions.gpu.hourly_usd: missing key 'unit'" in rendered
    assert "missing 'self_host.overhead_share'" in rendered


def test_user_file_overrides_only_what_it_names_and_remembers_where() -> None:
    a = _parse("assumptions:\n  gpu.hourly_usd: 2.69\n  self_host.overhead_share:\n"
               "    value: 0.3\n    source: our invoice\n    as_of: 2026-10\n",
               "mine.yaml", user=True)
    gpu = a["gpu.hourly_usd"]
    assert gpu.value == 2.69 and gpu.overridden_by == "mine.yaml:2" and gpu.as_of is None
    over = a["self_host.overhead_share"]
    assert (over.value, over.source, over.as_of) == (0.3, "our invoice", "2026-10")
    assert a["self_host.staff_usd_month"].overridden_by is None
    e = estimate(1000, assumptions=a)
    assert e.self_host_monthly_usd == pytest.approx(4 * 2.69 * 730 * 1.3 + 6000)  # 16,211.24


@pytest.mark.parametrize(("text", "expected"), [
    ("assumptions:\n  gpu.hourly_usdd: 3\n", "mine.yaml:2:3: unknown assumption "
     "'gpu.hourly_usdd' (did you mean 'gpu.hourly_usd'?)"),
    ("assumptions:\n  gpu.hourly_usd: -2\n", "mine.yaml:2:19: assumptions.gpu.hourly_usd (the "
     "GPU price): expected a number more than 0 and at most 1,000, found -2"),
    ("assumptions:\n  self_host.utilisation: .nan\n", "found NaN"),
    ("assumptions:\n  self_host.utilisation: .inf\n", "found infinity"),
    ("assumptions:\n  self_host.utilisation: true\n", "found true/false"),
    # a number written as text is read by the one number reader (docs/numbers.md):
    # '0.5' and '50%' are a share, 'half' and '0,5' are not numbers
    ("assumptions:\n  self_host.utilisation: 'half'\n", "found the text 'half'"),
    ("assumptions:\n  self_host.utilisation: '0,5'\n", "write 0.5 (a point for decimals)"),
    # a 400-digit number used to crash (OverflowError) instead of being refused
    ("assumptions:\n  gpu.hourly_usd: 1" + "0" * 400 + "\n",
     "mine.yaml:2:19: assumptions.gpu.hourly_usd (the GPU price): expected a number more than "
     "0 and at most 1,000, found a number of about 401 digits"),
    ("assumptions:\n  gpu.hourly_usd: {value: 2, low: 1, high: 1" + "0" * 400 + "}\n",
     "assumptions.gpu.hourly_usd.high: expected a number more than 0 and at most 1,000, "
     "found a number of about 401 digits"),
    ("assumptions:\n  self_host.large.gpus_per_replica: 2.5\n", "expected a whole number"),
    ("assumptions:\n  self_host.staff_usd_month: {value: 100, unit: EUR}\n",
     "the unit is fixed to"),
    ("assumptions:\n  workload.input_share: {value: 0.5, low: 0.9, high: 0.1}\n",
     "high 0.1 is below low 0.9"),
    ("assumptions:\n  workload.input_share: {value: 0.5, low: 0.1}\n", "give both low and high"),
    ("assumptions:\n  gpu.hourly_usd: {value: 2, colour: red}\n", "unknown key 'colour'"),
    ("assumptions:\n  gpu.hourly_usd: {source: x}\n", "missing key 'value'"),
    ("assumptions:\n  gpu.hourly_usd: {value: 2, as_of: soon}\n", "expected a date"),
    ("assumptions:\n  gpu.hourly_usd: {value: 2, source: '" + "x" * 700 + "'}\n",
     "over the limit of 600"),
    ("gpu.hourly_usd: 3\n", "put it under 'assumptions:'"),
    ("options:\n  frontier_api: 12\n", "options.frontier_api: expected text"),
    ("options:\n  frontier: GPT\n", "unknown key 'frontier'"),
    ("- 1\n- 2\n", "expected a mapping with 'assumptions'"),
    ("costs: {id: x}\n", "nothing to override"),
])
def test_user_file_problems_are_clear(text: str, expected: str) -> None:
    with pytest.raises(InputError) as info:
        _parse(text, "mine.yaml", user=True)
    assert expected in info.value.render()


def test_hostile_yaml_is_refused_by_the_safe_reader(tmp_path: Path) -> None:
    evil = tmp_path / "evil.yaml"
    evil.write_text("assumptions: !!python/object/apply:os.system ['echo hi']\n")
    with pytest.raises(InputError, match="is not allowed here"):
        load_assumptions(evil)
    bomb = tmp_path / "bomb.yaml"
    rows = ["a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    rows += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 6)]
    bomb.write_text("\n".join(rows) + "\n")
    with pytest.raises(InputError, match="alias bomb"):
        load_assumptions(bomb)
    big = tmp_path / "big.yaml"
    big.write_text("assumptions:\n" + "  # padding\n" * 30_000)
    with pytest.raises(InputError, match="over the limit"):
        load_assumptions(big)


def test_override_checks_the_value() -> None:
    a = load_assumptions()
    with pytest.raises(UsageError, match="--utilisation \\(the utilisation\\): expected a number "
                                         "at least 0.01 and at most 1, found 0"):
        override(a, "self_host.utilisation", 0, "--utilisation")
    with pytest.raises(UsageError, match="did you mean 'gpu.hourly_usd'"):
        estimate(10, overrides={"gpu.hourly_usdd": 3})
    e = estimate(10, overrides={"gpu.hourly_usd": 2.69})
    assert e.assumptions["gpu.hourly_usd"].overridden_by == "override gpu.hourly_usd"


# --------------------------------------------------------------------------- no surprises

_BASE = load_assumptions()
_volume = st.one_of(st.just(0.0), st.floats(0.001, MAX_MONTHLY_TOKENS))


def _in_bounds(spec_id: str) -> st.SearchStrategy[float]:
    spec = next(s for s in SPECS if s.id == spec_id)
    if spec.kind == "integer":
        return st.integers(int(spec.minimum), int(spec.maximum)).map(float)
    low = spec.minimum if spec.min_inclusive else math.nextafter(spec.minimum, math.inf)
    return st.floats(low, spec.maximum)


@settings(max_examples=150, deadline=None)
@given(volume=_volume, cls=st.sampled_from(["small", "large"]),
       values=st.fixed_dictionaries({}, optional={s.id: _in_bounds(s.id) for s in SPECS}))
def test_any_values_within_bounds_give_a_finite_estimate(
        volume: float, cls: str, values: dict[str, float]) -> None:
    e = estimate(volume, model_class=cls, overrides=values, assumptions=_BASE)
    data = to_json(e)
    text = json.dumps(data, allow_nan=False)  # raises on NaN or infinity
    assert json.loads(text) == data
    for o in e.options:
        assert math.isfinite(o.monthly_usd) and o.monthly_usd >= 0
    assert e.reading and all(isinstance(line, str) for line in e.reading)


@settings(max_examples=150, deadline=None)
@given(volume=st.floats(allow_nan=True, allow_infinity=True),
       values=st.dictionaries(st.sampled_from([s.id for s in SPECS]),
                              st.floats(allow_nan=True, allow_infinity=True)
                              | st.integers(-10**12, 10**12), max_size=4))
def test_any_values_at_all_either_estimate_or_raise_a_usage_error(
        volume: float, values: dict[str, float]) -> None:
    try:
        e = estimate(volume, overrides=values, assumptions=_BASE)
    except UsageError as exc:
        assert exc.exit_code == 2 and "\n" not in exc.render()
        return
    json.dumps(to_json(e), allow_nan=False)


def test_break_even_a_hair_above_a_step_start() -> None:
    """fixed=23, step=2, price=2.00001, cap=1: one replica saves 0.00001 USD, so the API
    catches up at 2.3 million replicas and stays ahead from 2.5 million on; the break-even
    lies 5e-6 (5 tokens) above the start of the 2,500,000th replica's step."""
    be = break_even(fixed_usd=23, step_usd=2, price_usd=2.00001, capacity=1)
    assert be.replicas == 2_500_000
    assert be.first_crossing == pytest.approx(2_300_000, abs=1e-6)
    assert be.monthly_tokens == pytest.approx(2_499_999.000005, abs=1e-7)
    v = be.monthly_tokens
    assert 2.00001 * v == pytest.approx(23 + 2 * 2_500_000, rel=1e-12)  # the costs meet
    # 4 tokens above the step's start the estimate counts 2,500,000 replicas and the API is
    # (by 2e-6 USD) cheaper; 1 token above it, the float-noise band counts one replica fewer
    inside = 2_499_999.000004
    assert replicas_needed(inside, 1) == 2_500_000
    assert 2.00001 * inside < 23 + 2 * 2_500_000
    assert replicas_needed(2_499_999.000001, 1) == 2_499_999
    # from the break-even on, self-hosting is never dearer
    for x in (v, v + 0.5, v + 1, 2_500_001, 3e6, 1e7):
        assert 2.00001 * x >= (23 + 2 * replicas_needed(x, 1)) * (1 - 1e-12), x
