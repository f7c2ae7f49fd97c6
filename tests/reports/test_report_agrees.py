"""A report never contradicts itself (the final CTO review, cto2.md findings 4 and 5): the
score table shows the points the basis sentence names, and "What would change it" does not
say nothing changes the verdict above facts that do."""

from __future__ import annotations

import re
from pathlib import Path

from _reports_support import cli

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "answers"

# data on premises forces open; cutting edge and no ML staff favour closed
ON_PREMISES = ["--set", "data=on_premises", "--set", "performance=cutting_edge",
               "--set", "expertise=none", "--defaults"]


def _markdown(*args: str) -> str:
    r = cli("recommend", *args, "--format", "markdown")
    assert r.exit_code == 0, r.stdout
    return str(r.stdout)


def test_a_ruled_out_hybrid_shows_the_points_the_basis_names() -> None:
    out = _markdown(str(EXAMPLES / "insurer.yaml"))
    basis = re.search(r"over Hybrid of both \((\d+) to (\d+)\)", out)
    assert basis is not None, out
    row = re.search(r"\| Hybrid of both \(ruled out\) \| (\d+) \|", out)
    assert row is not None, out
    assert row.group(1) == basis.group(2)  # 7 in both, not 0 in the table
    closed = re.search(r"\| Closed-source LLM \(ruled out\) \| (\d+) \|", out)
    assert closed is not None and closed.group(1) == basis.group(1)


def test_no_claim_that_nothing_changes_it_under_facts_that_do() -> None:
    out = _markdown(*ON_PREMISES)
    assert "## Facts that decide it" in out
    assert "No single change of answer changes the recommendation" not in out
    assert "No single change of preference changes the recommendation" in out


def test_the_panel_names_a_preference_and_the_fact_apart() -> None:
    out = _markdown(str(EXAMPLES / "vendor-first.json"))
    facts = out.split("## Facts that decide it", 1)[1].split("##", 1)[0]
    assert "Data location" in facts
    panel = out.split("## ", 1)[0]
    assert "Decisive answer:" not in panel  # transparency is a preference, not the fact
    assert "**Decisive preference:** If your transparency" in panel
    assert "**Deciding fact:** “Data location”" in panel
    assert "(the most decisive preference)" in out


PARTIAL = ["--set", "budget=large", "--set", "performance=cutting_edge", "--set",
           "expertise=none", "--partial"]


def test_a_partial_verdict_is_provisional_never_high() -> None:
    out = _markdown(*PARTIAL)
    head = out.splitlines()[0]
    assert head.startswith("# Leaning: Closed-source LLM"), head
    assert "(10 of 13 questions unanswered)" in head
    panel = out.split("\n## ", 1)[0]
    assert "**Certainty:** provisional" in panel
    assert "high" not in panel.lower().replace("highest", "")
    assert "Robustness" not in panel and "400 of 400" not in panel
    terminal = cli("recommend", *PARTIAL, "--format", "terminal").stdout
    assert "Leaning" in terminal and "Certainty            high" not in terminal


def test_a_partial_verdict_the_open_questions_cannot_change_is_not_provisional() -> None:
    # data on premises forces open whatever the other answers are
    out = _markdown("--set", "data=on_premises", "--partial")
    assert out.startswith("# Forced: Open-source LLM"), out.splitlines()[0]


def test_a_minimal_budget_and_data_on_premises_are_named_as_a_conflict() -> None:
    out = _markdown("--set", "data=on_premises", "--set", "budget=minimal", "--set",
                    "expertise=none", "--set", "monthly_tokens=5", "--defaults")
    cost = out.split("## Cost", 1)[1].split("\n## ", 1)[0]
    assert re.search(r"Your path \(Open weights, self-hosted\).*about [\d,]+ USD a month", cost)
    steps = out.split("## Next steps", 1)[1]
    assert "your budget is minimal, and the two conflict" in steps
    assert "check with whoever set the rule whether the data really must stay" in steps
    # the budget's reason claims nothing the self-hosted path contradicts
    assert "without huge costs" not in out
    assert "rent them per token" not in out


def test_self_hosting_on_a_minimal_budget_for_other_reasons_is_flagged_too() -> None:
    # strong ML staff and deep customization run it on GPUs of their own
    out = _markdown("--set", "budget=minimal", "--set", "expertise=strong", "--set",
                    "customization=deep", "--set", "data=regulated", "--set",
                    "transparency=essential", "--defaults")
    assert "Open weights, self-hosted" in out.splitlines()[0]
    assert "Your budget is minimal, yet this way of running it needs GPUs" in out


def test_no_internal_ids_and_plain_words_in_a_report() -> None:
    out = _markdown(str(EXAMPLES / "vendor-first.json"))
    assert "capacity-one-stack" not in out
    assert not re.search(r"\((open|closed|lesson|future)\.[a-z-]+\)", out)
    assert "Resource Intensive" in out  # cited by title
    assert "random changes" not in out and "±" not in out
    assert "**Robustness:** Robust: small changes to the rules' weights do not change it." \
        in out


def test_an_exclusion_shared_by_several_outcomes_and_paths_is_told_once() -> None:
    out = _markdown(*ON_PREMISES)
    ruled = out.split("## Ruled out first", 1)[1].split("\n## ", 1)[0]
    assert ruled.count("Your data may not leave your own infrastructure") == 1
    assert ("**Closed-source LLM** and **Hybrid of both** are ruled out, and so are "
            "**Open weights through a hosted API** and **Open weights in a private "
            "endpoint**:") in ruled


def test_skipped_rules_are_one_sentence_in_partial() -> None:
    out = _markdown(*PARTIAL)
    assert "was skipped" not in out
    assert ("18 rules were not weighed because these questions are unanswered: Control "
            "and ethics, Customization, Data location,") in out


def test_the_on_premises_exclusion_admits_closed_on_premises_offers() -> None:
    out = _markdown(*ON_PREMISES)
    assert "only models you run yourselves remain" not in out
    assert "If a closed vendor offers to install its model on your own infrastructure" in out
    assert "is not weighed here, as of 2026-12" in out  # marked beyond the article, dated


def test_no_ml_hire_claim_beside_a_duty_to_explain_the_model() -> None:
    out = _markdown("--set", "transparency=essential", "--set", "expertise=none",
                    "--set", "data=regulated", "--defaults")
    assert "no ML hire is needed" not in out
    assert "you must be able to explain it, and that takes ML skill" in out


def test_costs_about_equal_are_said_to_be_about_equal() -> None:
    out = _markdown(str(EXAMPLES / "startup.yaml"))
    cost = out.split("## Cost at your volume", 1)[1].split("\n## ", 1)[0]
    assert "about 35 USD a month" in cost and "about 38 USD a month" in cost
    assert "cost about the same" in cost and "price does not decide" in cost


def test_self_hosting_shows_its_people_apart_from_its_gpus() -> None:
    out = _markdown("--set", "data=on_premises", "--set", "monthly_tokens=5", "--defaults")
    cost = out.split("## Cost at your volume", 1)[1].split("\n## ", 1)[0]
    found = re.search(r"about ([\d,]+) USD a month \(\d+ GPUs?: about ([\d,]+) USD for the "
                      r"GPUs and their upkeep, ([\d,]+) USD for the people who run them\)",
                      cost)
    assert found is not None, cost
    total, gpus, people = (int(x.replace(",", "")) for x in found.groups())
    assert people > 0 and abs(gpus + people - total) <= 0.05 * total
    assert "data-on-premises" not in cost  # no rule id in the no-API sentence
