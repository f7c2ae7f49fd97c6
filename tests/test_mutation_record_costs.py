"""A decision record's cost condition, checked directly: at a given volume, the plan's own
option, the cheapest one, every option priced (no API where the answers rule every hosted
way out) and the volume at which another option becomes the cheapest.

Hand-computed with the shipped rules/costs.yaml: open weights through a hosted API cost
0.88 USD per million tokens; a small self-hosted model costs 2,912.70 x 1.15 + 6,000 =
9,349.605 USD a month for its first replica (26,569 million tokens), so it becomes the
cheapest at 9,349.605 / 0.88 = 10,624.55 million tokens.

Written to kill the mutants ``.ci/mutation.py record-costs`` found alive (docs/testing.md).

Mutants left alive, each only changing how finely or how fast the crossing is searched
(the record rounds it to 3 decimals; these tests check it to 1e-9 relative):

- ``x__crossing__mutmut_7`` (``low >= MAX`` → ``>``): at the largest volume the grid then
  stays on it and finds no change, as the early return says.
- ``x__crossing__mutmut_16``, ``_18``, ``_20``: the grid starts at step 0 or 2, or runs one
  step past the end (capped at the largest volume): the same crossing is bracketed.
- ``x__crossing__mutmut_37`` (41 halvings instead of 40): a finer crossing.
- ``x__cheapest__mutmut_1``: the default of ``apis``, which every caller passes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from llmchoice.cost.assumptions import Assumptions, load_assumptions, override
from llmchoice.cost.options import price_options
from llmchoice.decide.engine import evaluate
from llmchoice.decide.result import Result
from llmchoice.record.costs import apis_allowed, cost_condition
from llmchoice.ruleset.load import load_ruleset
from llmchoice.ruleset.model import RuleSet
from tests.conftest import MIDDLE, OPEN_TEAM

ALL = ("frontier_api", "small_api", "open_hosted_api", "self_host_small", "self_host_large")
SMALL_FIXED = 2912.70 * 1.15 + 6000  # 9,349.605 USD
CROSSING = SMALL_FIXED / 0.88  # 10,624.55 million tokens


def _result(rs: RuleSet, answers: dict[str, object]) -> Result:
    return evaluate(rs, answers)  # type: ignore[arg-type]


def _cost(a: Assumptions, id_: str, volume: float) -> float:
    (usd,) = [o.monthly_usd for o in price_options(a, volume, "large")[0]
              if o.id == id_]
    return usd


# 10,600: the first point of the search grid (x1.049) is already past the crossing
@pytest.mark.parametrize("volume", [0.001, 1, 100, 5000, 10_600])
def test_below_the_crossing_the_hosted_api_is_cheapest_until_self_hosting_is(
        rs: RuleSet, volume: float) -> None:
    c = cost_condition(rs, _result(rs, MIDDLE), load_assumptions(), volume)
    assert c.volume == volume
    assert c.own is not None and c.own.id == "open_hosted_api"  # the plan's own path
    assert c.own.monthly_usd == pytest.approx(0.88 * volume)
    assert c.cheapest.id == "open_hosted_api"
    assert c.next_at == pytest.approx(CROSSING, rel=1e-9)
    assert c.next_cheapest is not None and c.next_cheapest.id == "self_host_small"
    assert c.next_cheapest.monthly_usd == pytest.approx(SMALL_FIXED, rel=1e-9)
    assert tuple(o.id for o in c.options) == ALL


def test_beyond_the_crossing_nothing_else_becomes_cheapest(rs: RuleSet) -> None:
    # a frontier-class open model (cutting-edge performance) is priced at the 70B one
    frontier = _result(rs, {**OPEN_TEAM, "performance": "cutting_edge"})
    c = cost_condition(rs, frontier, load_assumptions(), 20_000)
    assert c.own is not None and c.own.id == "self_host_large"
    assert c.cheapest.id == "self_host_small"
    assert c.cheapest.monthly_usd == pytest.approx(SMALL_FIXED)
    assert (c.next_at, c.next_cheapest) == (None, None)


def test_data_on_premises_prices_no_api(rs: RuleSet) -> None:
    result = _result(rs, {**MIDDLE, "data": "on_premises"})
    assert apis_allowed(rs, result) is False
    c = cost_condition(rs, result, load_assumptions(), 1)
    assert tuple(o.id for o in c.options) == ("self_host_small", "self_host_large")
    assert c.own is not None and c.own.id == "self_host_small"
    assert c.cheapest.id == "self_host_small"
    # the hosted API, cheaper at this volume, is not an option: nothing changes
    assert (c.next_at, c.next_cheapest) == (None, None)
    assert apis_allowed(rs, _result(rs, MIDDLE)) is True


def test_a_crossing_below_one_million_tokens(rs: RuleSet) -> None:
    # GPUs at 0.0005 USD an hour and no staff: one small replica costs 0.4198 USD a month
    a = override(override(load_assumptions(), "self_host.staff_usd_month", 0, "t"),
                 "gpu.hourly_usd", 0.0005, "t")
    replica = _cost(a, "self_host_small", 0.1)
    assert replica == pytest.approx(0.0005 * 730 * 1.15)
    c = cost_condition(rs, _result(rs, MIDDLE), a, 0.1)
    assert c.cheapest.id == "open_hosted_api"
    assert c.next_at == pytest.approx(replica / 0.88, rel=1e-9)  # 0.477 million tokens
    assert c.next_cheapest is not None and c.next_cheapest.id == "self_host_small"


def test_a_crossing_just_below_the_largest_volume(rs: RuleSet) -> None:
    # staff of 10 million USD a month and a hosted open model at 0.1368 USD a million
    # tokens: self-hosting catches up only at about 9.5e8 million tokens (MAX is 1e9)
    a = override(load_assumptions(), "self_host.staff_usd_month", 10_000_000, "t")
    a = override(override(a, "api.open_hosted.input_usd", 0.1368, "t"),
                 "api.open_hosted.output_usd", 0.1368, "t")
    c = cost_condition(rs, _result(rs, MIDDLE), a, 1)
    assert c.cheapest.id == "open_hosted_api"
    assert c.next_at is not None and 9.0e8 < c.next_at < 1e9
    assert c.next_cheapest is not None and c.next_cheapest.id == "self_host_small"
    assert _cost(a, "self_host_small", c.next_at) <= _cost(a, "open_hosted_api", c.next_at)
    below = c.next_at * (1 - 1e-9)
    assert _cost(a, "self_host_small", below) > _cost(a, "open_hosted_api", below)


def test_a_rule_set_without_paths_has_no_own_option() -> None:
    rs = load_ruleset(str(Path(__file__).parent / "data" / "quiz-rules.yaml"))
    result = _result(rs, {"hosting": False, "budget": "low"})
    assert result.path is None
    c = cost_condition(rs, result, load_assumptions(), 100)
    assert c.own is None
    assert c.cheapest.id == "open_hosted_api"


def test_at_no_volume_every_api_costs_nothing(rs: RuleSet) -> None:
    # a tie at 0 USD, broken by id; from the first volume above 0 the hosted open model
    # is the cheapest, and it is an API: priced since APIs are allowed
    c = cost_condition(rs, _result(rs, MIDDLE), load_assumptions(), 0)
    assert (c.cheapest.id, c.cheapest.monthly_usd) == ("frontier_api", 0)
    assert c.next_at == pytest.approx(0.001, rel=1e-9)
    assert c.next_cheapest is not None and c.next_cheapest.id == "open_hosted_api"


def test_without_apis_the_crossing_between_two_self_hosted_models(rs: RuleSet) -> None:
    # a large model on 2 GPUs serving 10 million tokens/s: beyond one small replica's
    # 26,569 million tokens, two small replicas cost as much as one large one (2 GPUs
    # each), and the tie goes to self_host_large by id. The hosted API at 0.01 USD a
    # million would be the cheapest of all, but the data stays on premises
    a = override(load_assumptions(), "self_host.large.gpus_per_replica", 2, "t")
    a = override(a, "self_host.large.throughput", 10_000_000, "t")
    a = override(override(a, "api.open_hosted.input_usd", 0.01, "t"),
                 "api.open_hosted.output_usd", 0.01, "t")
    small_capacity = 8088 * 3600 * 730 * 0.5 / 0.4 / 1e6
    c = cost_condition(rs, _result(rs, {**MIDDLE, "data": "on_premises"}), a, 1)
    assert c.cheapest.id == "self_host_small"
    assert c.next_at == pytest.approx(small_capacity, rel=1e-9)
    assert c.next_cheapest is not None and c.next_cheapest.id == "self_host_large"
