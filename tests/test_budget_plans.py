"""What a report says of a plan's cost against the budget (CTO review, session 18b):
a hybrid's self-hosted open half is paid whatever the routing; a good-enough self-hosted
model is priced as the small one; a conflict names a cheaper way of running the same
recommendation that fits, or says there is none."""

from __future__ import annotations

import dataclasses
import json

import pytest
from typer.testing import CliRunner

from llmchoice.api import load_rules, recommend
from llmchoice.cli.app import app
from llmchoice.report.path_notes import budget_check, budget_sentence, json_fields
from llmchoice.ruleset.model import RuleSet

# examples/answers/bank.json, wanting deep changes it can make itself and frontier models
BANK = {"budget": "moderate", "transparency": "preferred", "customization": "deep",
        "support": "dedicated", "expertise": "strong", "performance": "cutting_edge",
        "quality": "strict", "lock_in": "avoid", "domain": "specialized_industry",
        "control": "moderate", "time_to_market": "normal", "data": "regulated",
        "monthly_tokens": 1500}
# examples/answers/startup.yaml with strong ML staff, its own support and time to learn
STARTUP = {"budget": "moderate", "transparency": "preferred", "customization": "deep",
           "support": "self", "expertise": "strong", "performance": "good_enough",
           "quality": "standard", "lock_in": "avoid", "domain": "general",
           "control": "moderate", "time_to_market": "flexible", "monthly_tokens": 2000}


@pytest.fixture(scope="module")
def rs() -> RuleSet:
    return load_rules()


def test_a_self_hosted_hybrid_is_never_cheaper_than_its_gpus(rs: RuleSet) -> None:
    r = recommend(rs, BANK)
    assert r.path is not None and r.path.id == "hybrid.self-hosted-open"
    status, ceiling, low, high = budget_check(rs, r) or ("", 0, 0, 0)
    # the open half (4 H100 and the people) is the floor; the closed API adds on top
    assert (status, ceiling) == ("conflict", 10000.0)
    assert low == pytest.approx(19398.42)
    assert high == pytest.approx(19398.42 + 1500 * (0.6 * 1.25 + 0.4 * 10))
    said = budget_sentence(rs, r) or ""
    assert "route most work" not in said and "cheaper half" not in said
    assert "at least about 19,000 USD a month" in said and "paid whatever the routing" in said
    # a hosted hybrid of the same outcome fits the band, and is named with its cost
    assert said.endswith(
        "Raise the budget, or run it another way that fits it: A closed private deployment "
        "plus an open private endpoint, behind one router, between about 1,300 USD a month "
        "and about 7,100 USD a month at 1,500 million tokens a month (about 1.5 billion).")


def test_a_self_hosted_hybrid_within_the_band_may_exceed_only_by_its_closed_share(
        rs: RuleSet) -> None:
    r = recommend(rs, {**BANK, "monthly_tokens": 100})
    assert r.path is not None and r.path.id == "hybrid.self-hosted-open"
    assert rs.budget_bands is not None
    fixed = dataclasses.replace(rs.budget_bands, ceilings=(("moderate", 19500.0),))
    wide = dataclasses.replace(rs, budget_bands=fixed)
    status, _, low, high = budget_check(wide, r) or ("", 0, 0, 0)
    assert status == "may_exceed" and low < 19500 < high
    said = budget_sentence(wide, r) or ""
    assert "is paid whatever the routing and fits" in said
    assert "keep the closed API's share small enough to stay within it" in said
    assert "route most work to the cheaper half" not in said


def test_the_cost_section_of_a_self_hosted_hybrid_says_routing_cannot_lower_it(
        runner: CliRunner) -> None:
    args = ["recommend", "examples/answers/bank.json"]
    for k, v in (("customization", "deep"), ("expertise", "strong"),
                 ("performance", "cutting_edge"), ("budget", "moderate"),
                 ("monthly_tokens", "1500")):
        args += ["--set", f"{k}={v}"]
    md = runner.invoke(app, [*args, "--format", "markdown"])
    assert md.exit_code == 0, md.output
    assert "paid whatever the routing (its GPUs and people cost the same busy or idle)" \
        in md.output
    assert "routing cannot bring it below the open half's cost" in md.output
    assert "each priced here as if it carried all the traffic" not in md.output
    js = runner.invoke(app, [*args, "--format", "json"])
    assert js.exit_code == 0, js.output
    budget = json.loads(js.output)["budget"]
    assert budget["status"] == "conflict" and budget["low_usd"] == pytest.approx(19398.42)
    adr = runner.invoke(app, [*args, "--format", "adr"])
    assert "self-hosted open half costs about 19,000 USD a month" in adr.output
    assert "whatever the routing" in adr.output


def test_a_good_enough_self_hosted_model_is_priced_small_and_fits(rs: RuleSet) -> None:
    r = recommend(rs, STARTUP)
    assert r.path is not None and r.path.id == "open.self-hosted"
    assert r.path.cost_option == "self_host_small"
    assert budget_check(rs, r) == ("fits", 10000.0, pytest.approx(9349.605),
                                   pytest.approx(9349.605))
    frontier = recommend(rs, {**STARTUP, "performance": "cutting_edge"})
    assert frontier.path is not None and frontier.path.cost_option == "self_host_large"


def test_a_conflict_names_the_same_outcomes_way_that_fits(rs: RuleSet) -> None:
    r = recommend(rs, {**STARTUP, "performance": "cutting_edge"})
    assert r.recommendation == "open" and r.path is not None
    said = budget_sentence(rs, r) or ""
    assert "the two conflict" in said
    assert said.endswith("Raise the budget, or run it another way that fits it: Open "
                         "weights through a hosted API, about 1,800 USD a month at 2,000 "
                         "million tokens a month (about 2 billion).")


def test_with_every_hosted_way_ruled_out_no_cheaper_way_is_offered(rs: RuleSet) -> None:
    r = recommend(rs, {**STARTUP, "budget": "minimal", "data": "on_premises",
                       "monthly_tokens": 40})
    said = budget_sentence(rs, r) or ""
    assert "the two conflict" in said
    assert "choose a cheaper way" not in said and "Cost at your volume" not in said
    assert said.endswith("Raise the budget: no other way of running it that your answers "
                         "allow fits it either.")


# examples/answers/startup.yaml wanting frontier models and moderate changes: open wins
# on the minimal budget's reason, but the closed API fits the 500 USD band too
FRONTIER_STARTUP = {"budget": "minimal", "transparency": "preferred",
                    "customization": "moderate", "support": "community", "expertise": "some",
                    "performance": "cutting_edge", "quality": "standard", "lock_in": "avoid",
                    "domain": "general", "control": "moderate", "time_to_market": "normal",
                    "monthly_tokens": 40}


def test_the_budget_reason_is_qualified_when_the_closed_plan_fits_too(rs: RuleSet) -> None:
    r = recommend(rs, FRONTIER_STARTUP)
    assert r.recommendation == "open"
    assert any(c.rule == "budget-minimal" and c.points > 0 for c in r.contributions)
    said = budget_sentence(rs, r) or ""
    assert said.endswith(
        "Your budget's reason for Open-source LLM in the scores above assumes the other "
        "side costs more; at your volume Closed-source LLM (A closed vendor's API) costs "
        "about 190 USD a month, also within your budget, so the budget does not decide "
        "between them.")

    budget = json_fields(rs, r)["budget"]
    assert isinstance(budget, dict)
    assert budget["also_fits"] == [{"recommendation": "closed", "path": "closed.vendor-api",
                                    "low_usd": 190.0, "high_usd": 190.0}]


def test_the_budget_reason_stands_when_the_closed_plan_does_not_fit(rs: RuleSet) -> None:
    r = recommend(rs, {**FRONTIER_STARTUP, "monthly_tokens": 300})
    said = budget_sentence(rs, r) or ""
    assert "does not decide between them" not in said  # 1,400 USD for the frontier API

    budget = json_fields(rs, r)["budget"]
    assert isinstance(budget, dict) and budget["also_fits"] == []


def test_without_a_budget_reason_there_is_nothing_to_qualify(rs: RuleSet) -> None:
    r = recommend(rs, {**FRONTIER_STARTUP, "budget": "moderate"})
    assert not any(c.rule.startswith("budget") for c in r.contributions)
    assert "does not decide between them" not in (budget_sentence(rs, r) or "")


def test_every_format_qualifies_the_budget_reason(runner: CliRunner) -> None:
    args = ["recommend", "examples/answers/startup.yaml", "--set", "performance=cutting_edge",
            "--set", "customization=moderate"]
    for fmt in ("terminal", "markdown", "html", "adr"):
        done = runner.invoke(app, [*args, "--format", fmt])
        assert done.exit_code == 0, done.output
        flat = " ".join(done.output.split())
        assert "so the budget does not decide between them" in flat, fmt
    done = runner.invoke(app, [*args, "--format", "json"])
    assert json.loads(done.output)["budget"]["also_fits"][0]["recommendation"] == "closed"
