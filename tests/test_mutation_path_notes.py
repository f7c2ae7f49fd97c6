"""Direct tests of the notes under a plan (``report/path_notes.py``), written against the
mutation survivors (docs/testing.md): each pins the words or the JSON a user reads for
one branch, the hybrid's range, a conflict with and without the budget's reason, the
check that needs a volume, and an assumption that changes the outcome."""

from __future__ import annotations

import dataclasses

import pytest

from llmchoice.api import load_rules, recommend
from llmchoice.decide.engine import choose_path
from llmchoice.decide.result import Contribution, PathAssumption, Result
from llmchoice.report.path_notes import (
    also_fits,
    assumption_sentence,
    budget_check,
    budget_sentence,
    json_fields,
    path_label,
)
from llmchoice.ruleset.model import RuleSet

MODERATE = ("your budget, “Moderate: a real line in the budget, but every cost is "
            "questioned” (up to about 10,000 USD a month, the rule set's judgement beyond the "
            "article)")
MINIMAL = ("your budget, “Minimal: a few hundred dollars a month or less” (up to about 500 "
           "USD a month, the rule set's judgement beyond the article)")
BOTH = ("The article warns of this (Higher Costs: “Can be expensive, especially for smaller "
        "organizations.”; Resource Intensive: “Training requires significant computing "
        "power and energy.”).")
# a SaaS with a premium frontier tier and a big free tier: a managed hybrid
SAAS = {"budget": "moderate", "transparency": "unimportant", "customization": "moderate",
        "support": "community", "expertise": "some", "performance": "cutting_edge",
        "quality": "standard", "lock_in": "avoid", "domain": "general", "control": "low",
        "time_to_market": "normal", "data": "unrestricted"}
OWN_MODEL = {"budget": "minimal", "transparency": "preferred", "customization": "deep",
             "support": "self", "expertise": "strong", "performance": "good_enough",
             "quality": "standard", "lock_in": "avoid", "domain": "general",
             "control": "moderate", "time_to_market": "normal", "data": "unrestricted"}
STARTUP = {**OWN_MODEL, "support": "community", "expertise": "some", "monthly_tokens": 40}
STARTUP.pop("data")
# the startup's closed plan (the vendor's small model, 38 USD) fits its 500 USD band too
QUALIFIED = (" Your budget's reason for Open-source LLM in the scores above assumes the other "
             "side costs more; at your volume Closed-source LLM (A closed vendor's API) costs "
             "about 38 USD a month, also within your budget, so the budget does not decide "
             "between them.")


@pytest.fixture(scope="module")
def rs() -> RuleSet:
    return load_rules()


def test_a_hybrid_whose_dearer_half_exceeds_the_band_may_exceed_it(rs: RuleSet) -> None:
    r = recommend(rs, {**SAAS, "monthly_tokens": 3000})
    assert r.path is not None and r.path.id == "hybrid.managed"
    assert budget_check(rs, r) == ("may_exceed", 10000.0, pytest.approx(2640.0),
                                   pytest.approx(14250.0))
    assert budget_sentence(rs, r) == (
        "Budget: this way of running it costs between about 2,600 USD a month and about "
        "14,000 USD a month at 3,000 million tokens a month (about 3 billion), depending on "
        f"routing; only the cheaper end fits {MODERATE}, so route most work to the cheaper "
        "half or raise the budget.")


def test_a_hybrid_over_the_band_at_both_ends_conflicts_citing_both_sides(rs: RuleSet) -> None:
    r = recommend(rs, {**SAAS, "monthly_tokens": 12000})
    assert budget_sentence(rs, r) == (
        "Budget: this way of running it costs between about 11,000 USD a month and about "
        "57,000 USD a month at 12,000 million tokens a month (about 12 billion), more than "
        f"{MODERATE}: the two conflict. {BOTH} Raise the budget: no other way of running it "
        "that your answers allow fits it either.")
    assert json_fields(rs, r)["budget"] == {
        "question": "budget", "answer": "moderate", "status": "conflict",
        "ceiling_usd": 10000.0, "low_usd": 10560.0, "high_usd": 57000.0, "also_fits": []}


def test_self_hosting_on_a_minimal_budget_with_no_volume(rs: RuleSet) -> None:
    r = recommend(rs, OWN_MODEL)
    assert budget_sentence(rs, r) == (
        "Budget: this way of running it costs about 9,300 USD a month at any volume (GPUs "
        f"and people), more than {MINIMAL}: the two conflict. The article warns of this "
        "(Resource Intensive: “Training requires significant computing power and energy.”)."
        " The budget's reason in the scores above does not cover this bill: it supports "
        "the kind of model, not this way of running it. Raise the budget, or answer the "
        "monthly tokens to price the other ways of running it (llmchoice cost).")


def test_only_points_the_budget_gave_the_verdict_are_its_reason(rs: RuleSet) -> None:
    r = recommend(rs, OWN_MODEL)
    budget = next(c for c in r.contributions if c.rule == "budget-minimal")
    for points, said in ((0.0, False), (0.5, True), (-1.0, False)):
        others = tuple(c for c in r.contributions if c.rule != "budget-minimal")
        changed = dataclasses.replace(
            r, contributions=(*others, dataclasses.replace(budget, points=points)))
        assert ("budget's reason" in (budget_sentence(rs, changed) or "")) is said, points
    moved = dataclasses.replace(r, contributions=(
        Contribution("budget-minimal", "closed", 3.0, "", ()),))
    assert "budget's reason" not in (budget_sentence(rs, moved) or "")


def test_a_check_that_needs_the_volume(rs: RuleSet) -> None:
    r = recommend(rs, {**SAAS, "performance": "good_enough", "customization": "none",
                       "support": "dedicated", "lock_in": "tolerate", "expertise": "none"})
    assert r.path is not None and r.path.hosting == "hosted"
    assert budget_check(rs, r) == ("needs_volume", 10000.0, 0.0, 0.0)
    assert budget_sentence(rs, r) == (
        f"Budget: whether this way of running it fits {MODERATE} depends on your volume; "
        "answer the monthly tokens to check it.")
    assert json_fields(rs, r)["budget"] == {
        "question": "budget", "answer": "moderate", "status": "needs_volume",
        "ceiling_usd": 10000.0, "low_usd": None, "high_usd": None, "also_fits": []}


def test_a_path_the_estimate_cannot_price_needs_the_volume(rs: RuleSet) -> None:
    r = recommend(rs, {**SAAS, "monthly_tokens": 3000})
    assert r.path is not None
    unpriced = dataclasses.replace(r, path=dataclasses.replace(r.path, cost_option="nope"))
    assert budget_check(rs, unpriced) == ("needs_volume", 10000.0, 0.0, 0.0)


def test_a_path_that_fits(rs: RuleSet) -> None:
    r = recommend(rs, STARTUP)
    assert budget_sentence(rs, r) == (
        "Budget: this way of running it, about 35 USD a month at 40 million tokens a month, "
        f"fits {MINIMAL}.{QUALIFIED}")
    assert budget_check(rs, r) == ("fits", 500.0, pytest.approx(35.2), pytest.approx(35.2))


def test_the_startup_assumption_in_full(rs: RuleSet) -> None:
    r = recommend(rs, STARTUP)
    [a] = r.path_assumptions
    assert assumption_sentence(rs, r, a) == (
        "This way of running it assumes your answer to “Data location”, which you left "
        "open, is “No special restrictions”; if it were “It must stay on our own "
        "infrastructure (or air-gapped)”, it would be Open weights, self-hosted; if it were "
        "“It is regulated: contracts, audits or residency needed”, it would be Open weights "
        "in a private endpoint. Answer it to be sure.")
    assert json_fields(rs, r)["path_assumptions"] == [
        {"question": "data", "unsure": False, "holds": ["unrestricted"],
         "changes": [
             {"value": "on_premises", "recommendation": "open", "path": "open.self-hosted"},
             {"value": "regulated", "recommendation": "open",
              "path": "open.private-endpoint"}]}]


def test_a_volume_left_open_that_would_change_the_outcome(rs: RuleSet) -> None:
    answers = {"budget": "moderate", "transparency": "preferred", "customization": "moderate",
               "support": "community", "expertise": "some", "performance": "cutting_edge",
               "quality": "standard", "lock_in": "tolerate", "domain": "general",
               "control": "moderate", "time_to_market": "flexible"}  # a middle hybrid
    r = recommend(rs, answers)
    [a] = [x for x in r.path_assumptions if x.question == "monthly_tokens"]
    text = assumption_sentence(rs, r, a)
    # a number's tried values are samples: never "assumes your answer is 2,000"
    assert text.startswith("This way of running it rests on “Monthly tokens”, which you "
                           "left open; if it were “")
    other = next(c for c in a.changes if c[1] != r.recommendation)
    label = f"{rs.outcome(other[1]).label} ({path_label(rs, other[2])})"
    assert f", it would be {label}" in text and text.endswith(". Answer it to be sure.")


def _with(r: Result, a: PathAssumption) -> Result:
    return dataclasses.replace(r, path_assumptions=(a,))


def test_changes_are_grouped_and_named_with_or(rs: RuleSet) -> None:
    r = recommend(rs, STARTUP)
    a = PathAssumption("data", True, (),
                       (("on_premises", "closed", ""), ("regulated", "closed", ""),
                        ("unrestricted", "closed", ""), ("on_premises", "open", "")))
    assert assumption_sentence(rs, r, a) == (
        "This way of running it rests on “Data location”, which you were unsure of; if it "
        "were “It must stay on our own infrastructure (or air-gapped)”, “It is regulated: "
        "contracts, audits or residency needed” or “No special restrictions”, it would be "
        "Closed-source LLM; if it were “It must stay on our own infrastructure (or "
        "air-gapped)”, it would be Open-source LLM. Answer it to be sure.")
    two = PathAssumption("data", False, ("regulated", "unrestricted"),
                         (("on_premises", "hybrid", "hybrid.managed"),))
    assert assumption_sentence(rs, r, two).startswith(
        "This way of running it assumes your answer to “Data location”, which you left "
        "open, is “It is regulated: contracts, audits or residency needed” or “No special "
        "restrictions”; if it were “It must stay on our own infrastructure (or "
        "air-gapped)”, it would be Hybrid of both (A closed API plus hosted open models, "
        "behind one router).")
    assert json_fields(rs, _with(r, a))["path_assumptions"] == [
        {"question": "data", "unsure": True, "holds": [],
         "changes": [{"value": "on_premises", "recommendation": "closed", "path": None},
                     {"value": "regulated", "recommendation": "closed", "path": None},
                     {"value": "unrestricted", "recommendation": "closed", "path": None},
                     {"value": "on_premises", "recommendation": "open", "path": None}]}]


def test_nothing_to_say_gives_no_fields(rs: RuleSet) -> None:
    r = recommend(rs, {**SAAS, "budget": "large", "monthly_tokens": 3000})
    assert r.path_assumptions == () and json_fields(rs, r) == {}
    assert path_label(rs, "no.such-path") == "no.such-path"


def test_no_path_no_budget_check(rs: RuleSet) -> None:
    r = recommend(rs, {**SAAS, "monthly_tokens": 3000})
    pathless = dataclasses.replace(r, path=None)
    assert budget_check(rs, pathless) is None and budget_sentence(rs, pathless) is None


def test_the_json_budget_keeps_cents(rs: RuleSet) -> None:
    r = recommend(rs, {**STARTUP, "monthly_tokens": 40.123})  # 40.123 x 0.88 = 35.30824
    budget = json_fields(rs, r)["budget"]
    assert budget == {"question": "budget", "answer": "minimal", "status": "fits",
                      "ceiling_usd": 500.0, "low_usd": 35.31, "high_usd": 35.31,
                      "also_fits": [{"recommendation": "closed", "path": "closed.vendor-api",
                                     "low_usd": 38.12, "high_usd": 38.12}]}


def test_an_unsure_required_answer_the_plan_rests_on_is_named(rs: RuleSet) -> None:
    from llmchoice.api import check_answers, evaluate

    # strong expertise and deep customization would run the model on your own GPUs
    resolved = check_answers(rs, {**STARTUP, "data": "unrestricted", "expertise": "unsure"})
    r = evaluate(rs, resolved)
    [a] = r.path_assumptions
    assert (a.question, a.unsure, a.changes) == \
        ("expertise", True, (("strong", "open", "open.self-hosted"),))
    assert assumption_sentence(rs, r, a).startswith(
        "This way of running it assumes your answer to “In-house expertise”, which you "
        "were unsure of, is “Some: a few people who have done it, limited compute” or "
        "“None: no ML or GPU infrastructure people”; if it were “Strong: ML engineers and "
        "GPUs of our own, or easy access to them”, it would be Open weights, self-hosted.")


def test_bands_without_a_source_are_not_called_a_judgement_beyond_the_article(
        rs: RuleSet) -> None:
    assert rs.budget_bands is not None
    plain = dataclasses.replace(rs, budget_bands=dataclasses.replace(
        rs.budget_bands, beyond_article=None))
    r = recommend(rs, STARTUP)
    assert budget_sentence(plain, r) == (
        "Budget: this way of running it, about 35 USD a month at 40 million tokens a month, "
        "fits your budget, “Minimal: a few hundred dollars a month or less” (up to about 500 "
        f"USD a month).{QUALIFIED}")


# --------------------------------------------------------------------------- second pass
# (survivors of the 488/569 run: the self-hosted hybrid's floor, the cheaper way named,
# "no other way", the "does not decide" note in every branch, and the band's edges)

# examples/answers/bank.json wanting deep changes it can make itself: a self-hosted hybrid
BANK = {"budget": "moderate", "transparency": "preferred", "customization": "deep",
        "support": "dedicated", "expertise": "strong", "performance": "cutting_edge",
        "quality": "strict", "lock_in": "avoid", "domain": "specialized_industry",
        "control": "moderate", "time_to_market": "normal", "data": "regulated",
        "monthly_tokens": 1500}
AT_1500 = "at 1,500 million tokens a month (about 1.5 billion)"
RESOURCE = "Resource Intensive: “Training requires significant computing power and energy.”"
# the startup's closed plan at 40 million tokens, as a conflict's note says it (no "also")
NOT_DECIDING = (" Your budget's reason for Open-source LLM in the scores above assumes the "
                "other side costs more; at your volume Closed-source LLM (A closed vendor's "
                "API) costs about 38 USD a month, within your budget, so the budget does not "
                "decide between them.")


def _band(rs: RuleSet, choice: str, usd: float) -> RuleSet:
    assert rs.budget_bands is not None
    return dataclasses.replace(rs, budget_bands=dataclasses.replace(
        rs.budget_bands, ceilings=((choice, usd),)))


def _run(r: Result, rs: RuleSet, outcome: str, **answers: object) -> Result:
    """``r`` run the way the path rules would run ``outcome`` with ``answers`` changed."""
    path = choose_path(rs, {**r.answers, **answers}, outcome, set())
    assert path is not None
    return dataclasses.replace(r, path=path)


def test_a_self_hosted_hybrid_over_the_band_names_its_floor_and_a_cheaper_way(
        rs: RuleSet) -> None:
    r = recommend(rs, BANK)
    assert r.path is not None and r.path.id == "hybrid.self-hosted-open"
    # the open half (4 H100 and the people) is the floor; the closed API adds on top
    assert budget_check(rs, r) == ("conflict", 10000.0, pytest.approx(19398.42),
                                   pytest.approx(26523.42))
    assert budget_sentence(rs, r) == (
        f"Budget: this way of running it costs at least about 19,000 USD a month {AT_1500}, "
        "the self-hosted open half's GPUs and people, paid whatever the routing (up to about "
        f"27,000 USD a month with the closed API), more than {MODERATE}: the two conflict. "
        f"{BOTH} Raise the budget, or run it another way that fits it: A closed private "
        "deployment plus an open private endpoint, behind one router, between about 1,300 "
        f"USD a month and about 7,100 USD a month {AT_1500}.")


def test_a_self_hosted_hybrid_whose_floor_fits_may_exceed_by_its_closed_share(
        rs: RuleSet) -> None:
    r = recommend(rs, {**BANK, "monthly_tokens": 100})
    wide = _band(rs, "moderate", 19500.0)
    assert budget_check(wide, r) == ("may_exceed", 19500.0, pytest.approx(19398.42),
                                     pytest.approx(19873.42))
    assert budget_sentence(wide, r) == (
        "Budget: this way of running it costs between about 19,000 USD a month and about "
        "20,000 USD a month at 100 million tokens a month: the self-hosted open half, about "
        "19,000 USD a month, is paid whatever the routing and fits your budget, “Moderate: a "
        "real line in the budget, but every cost is questioned” (up to about 20,000 USD a "
        "month, the rule set's judgement beyond the article); every task sent to the closed "
        "API adds to it, so keep the closed API's share small enough to stay within it, or "
        "raise the budget.")


def test_a_conflict_names_the_cheaper_way_and_the_other_side_that_fits(rs: RuleSet) -> None:
    r = _run(recommend(rs, STARTUP), rs, "open", data="on_premises")  # small model, own GPUs
    assert r.path is not None and r.path.id == "open.self-hosted"
    assert budget_check(rs, r) == ("conflict", 500.0, pytest.approx(9349.605),
                                   pytest.approx(9349.605))
    assert budget_sentence(rs, r) == (
        "Budget: this way of running it costs about 9,300 USD a month at 40 million tokens "
        f"a month, more than {MINIMAL}: the two conflict. The article warns of this "
        f"({RESOURCE}). The budget's reason in the scores above does not cover this bill: "
        "it supports the kind of model, not this way of running it. Raise the budget, or "
        "run it another way that fits it: Open weights through a hosted API, about 35 USD a "
        f"month at 40 million tokens a month.{NOT_DECIDING}")
    assert json_fields(rs, r)["budget"] == {
        "question": "budget", "answer": "minimal", "status": "conflict",
        "ceiling_usd": 500.0, "low_usd": 9349.6, "high_usd": 9349.6,
        "also_fits": [{"recommendation": "closed", "path": "closed.vendor-api",
                       "low_usd": 38.0, "high_usd": 38.0}]}


def test_a_conflict_cites_the_sides_trade_offs_and_those_of_both(rs: RuleSet) -> None:
    assert rs.budget_bands is not None
    cites = dataclasses.replace(rs, budget_bands=dataclasses.replace(
        rs.budget_bands, cites=("closed.higher-costs", "future.collaboration",
                                "open.resource-intensive")))
    r = _run(recommend(rs, STARTUP), rs, "open", data="on_premises")
    assert (f"The article warns of this (Collaboration: “Increased collaboration leads to "
            f"hybrid models that combine the best of open and closed source.”; {RESOURCE}).") \
        in (budget_sentence(cites, r) or "")


def test_a_self_hosted_hybrid_beside_other_sides_that_fit(rs: RuleSet) -> None:
    r = recommend(rs, {**STARTUP, "expertise": "strong"})
    # hand-built: the hybrid won, self-hosted, and the minimal budget gave it points
    h = dataclasses.replace(_run(r, rs, "hybrid"), recommendation="hybrid", contributions=(
        *r.contributions, Contribution("budget-minimal", "hybrid", 1.0, "", ())))
    assert h.path is not None and h.path.id == "hybrid.self-hosted-open"
    hybrid = " Your budget's reason for Hybrid of both in the scores above assumes the " \
        "other side costs more; at your volume "
    assert budget_sentence(rs, h) == (
        "Budget: this way of running it costs at least about 9,300 USD a month at 40 "
        "million tokens a month, the self-hosted open half's GPUs and people, paid whatever "
        "the routing (up to about 9,400 USD a month with the closed API), more than "
        f"{MINIMAL}: the two conflict. {BOTH} The budget's reason in the scores above does "
        "not cover this bill: it supports the kind of model, not this way of running it. "
        "Raise the budget, or run it another way that fits it: A closed API plus hosted "
        "open models, behind one router, between about 35 USD a month and about 38 USD a "
        f"month at 40 million tokens a month.{hybrid}Closed-source LLM (A closed vendor's "
        "API) costs about 38 USD a month, within your budget, so the budget does not decide "
        "between them.")
    assert budget_sentence(_band(rs, "minimal", 9360.0), h) == (
        "Budget: this way of running it costs between about 9,300 USD a month and about "
        "9,400 USD a month at 40 million tokens a month: the self-hosted open half, about "
        "9,300 USD a month, is paid whatever the routing and fits your budget, “Minimal: a "
        "few hundred dollars a month or less” (up to about 9,400 USD a month, the rule "
        "set's judgement beyond the article); every task sent to the closed API adds to it, "
        f"so keep the closed API's share small enough to stay within it, or raise the "
        f"budget.{hybrid}Open-source LLM (Open weights, self-hosted) costs about 9,300 USD a "
        "month, within your budget; Closed-source LLM (A closed vendor's API) costs about 38 "
        "USD a month, within your budget, so the budget does not decide between them.")


def test_a_hosted_plan_that_may_exceed_beside_another_side_that_fits(rs: RuleSet) -> None:
    r = _run(recommend(rs, STARTUP), rs, "hybrid")
    assert r.path is not None and r.path.hosting == "hosted"
    # a hosted hybrid whose open half were priced as GPUs: only the cheaper end fits
    dear = dataclasses.replace(r, path=dataclasses.replace(r.path, cost_option="self_host_small"))
    assert budget_check(rs, dear) == ("may_exceed", 500.0, 38.0, pytest.approx(9349.605))
    assert budget_sentence(rs, dear) == (
        "Budget: this way of running it costs between about 38 USD a month and about 9,300 "
        "USD a month at 40 million tokens a month, depending on routing; only the cheaper "
        f"end fits {MINIMAL}, so route most work to the cheaper half or raise the budget."
        f"{NOT_DECIDING}")


def test_without_a_hosted_way_and_a_volume_no_other_way_fits(rs: RuleSet) -> None:
    own = {p.id for p in rs.paths if p.outcome != "open" or p.hosting == "self"}
    no_hosted_open = dataclasses.replace(
        rs, paths=tuple(p for p in rs.paths if p.id in own),
        path_rules=tuple(pr for pr in rs.path_rules if pr.path in own))
    r = recommend(rs, OWN_MODEL)
    assert r.cost is None and r.path is not None and r.path.id == "open.self-hosted"
    assert (budget_sentence(no_hosted_open, r) or "").endswith(
        "more than your budget, “Minimal: a few hundred dollars a month or less” (up to "
        "about 500 USD a month, the rule set's judgement beyond the article): the two "
        f"conflict. The article warns of this ({RESOURCE}). The budget's reason in the "
        "scores above does not cover this bill: it supports the kind of model, not this way "
        "of running it. Raise the budget: no other way of running it that your answers "
        "allow fits it either.")


def test_a_cost_exactly_at_the_ceiling_fits_it(rs: RuleSet) -> None:
    r = recommend(rs, {**BANK, "monthly_tokens": 100})
    _, _, low, high = budget_check(rs, r) or ("", 0, 0, 0)
    assert (budget_check(_band(rs, "moderate", low), r) or ("",))[0] == "may_exceed"
    assert (budget_check(_band(rs, "moderate", high), r) or ("",))[0] == "fits"
    startup = recommend(rs, STARTUP)
    # the closed plan at exactly the ceiling fits it too; the cheaper way at exactly it fits
    assert also_fits(_band(rs, "minimal", 38.0), startup, 38.0) == \
        [("closed", "closed.vendor-api", 38.0, 38.0)]
    hosted = (budget_check(rs, startup) or ("", 0, 0, 0))[3]
    own = _run(startup, rs, "open", data="on_premises")
    assert (budget_sentence(_band(rs, "minimal", hosted), own) or "").endswith(
        "Raise the budget, or run it another way that fits it: Open weights through a "
        "hosted API, about 35 USD a month at 40 million tokens a month.")


def test_another_side_over_the_band_is_not_said_to_fit(rs: RuleSet) -> None:
    r = recommend(rs, {**STARTUP, "monthly_tokens": 540})  # open 475 USD, closed 513 USD
    assert budget_sentence(rs, r) == (
        "Budget: this way of running it, about 480 USD a month at 540 million tokens a "
        f"month, fits {MINIMAL}.")
    assert json_fields(rs, r)["budget"] == {
        "question": "budget", "answer": "minimal", "status": "fits", "ceiling_usd": 500.0,
        "low_usd": 475.2, "high_usd": 475.2, "also_fits": []}


def test_without_a_mixed_outcome_every_other_side_that_fits_is_named(rs: RuleSet) -> None:
    nomix = dataclasses.replace(rs, decision=dataclasses.replace(rs.decision, mixed=None))
    r = recommend(rs, STARTUP)
    assert [(o, p) for o, p, _, _ in also_fits(nomix, r, 500.0)] == \
        [("closed", "closed.vendor-api"), ("hybrid", "hybrid.managed")]
    assert "about 38 USD a month, also within your budget; Hybrid of both (A closed API " \
        "plus hosted open models, behind one router) costs about 35 USD a month, also " \
        "within your budget, so the budget does not decide between them." \
        in (budget_sentence(nomix, r) or "")


def test_a_way_the_answers_rule_out_is_never_offered_as_the_cheaper_one(
        rs: RuleSet) -> None:
    r = recommend(rs, {**STARTUP, "data": "on_premises"})
    assert r.path is not None and r.path.id == "open.self-hosted"
    assert {e.outcome for e in r.excluded_paths} == {"open.hosted-api",
                                                     "open.private-endpoint"}
    # the hosted API would cost 35 USD, but the data may not leave: nothing else fits
    assert budget_sentence(rs, r) == (
        "Budget: this way of running it costs about 9,300 USD a month at 40 million tokens "
        f"a month, more than {MINIMAL}: the two conflict. The article warns of this "
        f"({RESOURCE}). The budget's reason in the scores above does not cover this bill: "
        "it supports the kind of model, not this way of running it. Raise the budget: no "
        "other way of running it that your answers allow fits it either.")
