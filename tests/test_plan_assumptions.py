"""Each plan of a report with no clear verdict says what it assumes of the questions left
open (decide/assume.plan_assumptions: an open answer that would rule its outcome out or
run it another way), in the text and in ``headline.plans[*].path_assumptions``; and the
JSON reports say whether they give a verdict at all (``decided``)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from typer.testing import CliRunner

from llmchoice.cli.app import app
from llmchoice.decide.engine import evaluate, plan_assumptions
from llmchoice.decide.unsure import open_answers
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.load import load_ruleset

RS = load_ruleset("default")
ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "tests" / "data" / "report-v2.schema.json").read_text())
TEAM_SCHEMA = json.loads((ROOT / "tests" / "data" / "team-report.schema.json").read_text())
# the reviewer's profile: budget, customization and performance unsure, data location
# left open; the unsure answers split Closed and Hybrid
UNSURE_YAML = """\
budget: unsure
transparency: preferred
customization: unsure
support: dedicated
expertise: some
performance: unsure
quality: strict
lock_in: avoid
domain: general
control: moderate
time_to_market: normal
monthly_tokens: 300
"""
ANSWERS: dict[str, Answer] = {
    "transparency": "preferred", "support": "dedicated", "expertise": "some",
    "quality": "strict", "lock_in": "avoid", "domain": "general", "control": "moderate",
    "time_to_market": "normal"}
UNSURE = ("budget", "customization", "performance")
TEAM = sorted(str(p) for p in (ROOT / "examples" / "team").glob("*.yaml"))


def _run(*args: str) -> str:
    got = CliRunner().invoke(app, list(args))
    assert got.exit_code == 0, got.output
    return got.output


def _file(tmp_path: Path) -> str:
    f = tmp_path / "unsure.yaml"
    f.write_text(UNSURE_YAML)
    return str(f)


def test_a_plan_rests_on_what_would_rule_it_out_or_run_it_another_way() -> None:
    r = evaluate(RS, ANSWERS, unsure=UNSURE)
    hybrid = plan_assumptions(RS, r.answers, "hybrid", r.certainty.alternative, r.unsure)
    by_q = {a.question: a for a in hybrid}
    # data left open: on premises rules hybrid out (names what it would be then),
    # regulated runs hybrid another way (names hybrid's other path)
    assert set(by_q) == {"data"}
    data = by_q["data"]
    assert data.unsure is False and data.holds == ("unrestricted",)
    assert ("on_premises", "open", "open.self-hosted") in data.changes
    assert ("regulated", "hybrid", "hybrid.private") in data.changes
    # performance flips which plan the scores favour, not how hybrid is run: not assumed
    closed = plan_assumptions(RS, r.answers, "closed", r.path, r.unsure)
    assert "performance" not in {a.question for a in closed}
    assert {a.question for a in closed} == {"data"}
    assert plan_assumptions(RS, r.answers, "closed", None, r.unsure) == ()


def test_both_plans_of_an_undecided_report_state_their_assumptions(tmp_path: Path) -> None:
    out = _run("recommend", _file(tmp_path), "--format", "markdown")
    plans = out.split("## How to run it")[1].split("\n## ")[0]
    closed, hybrid = plans.split("If Hybrid of both:")
    assert "If Closed-source LLM" in closed
    for part in (closed, hybrid):
        assert "assumes your answer to “Data location”, which you left open" in part
        assert "if it were “It must stay on our own infrastructure (or air-gapped)”, it " \
               "would be Open-source LLM" in part
    assert "A closed private deployment plus an open private endpoint" in hybrid


def test_json_plans_carry_their_own_assumptions_and_say_undecided(tmp_path: Path) -> None:
    d = json.loads(_run("recommend", _file(tmp_path), "--format", "json"))
    jsonschema.validate(d, SCHEMA)
    assert d["decided"] is False and d["headline"]["title"] == "No clear verdict"
    first, second = d["headline"]["plans"]
    assert (first["outcome"], second["outcome"]) == ("closed", "hybrid")
    for plan in (first, second):
        assert [a["question"] for a in plan["path_assumptions"]] == ["data"]
    assert {"value": "regulated", "recommendation": "hybrid", "path": "hybrid.private"} in \
        second["path_assumptions"][0]["changes"]


def test_a_decided_report_says_so_and_its_plan_is_the_top_level_assumptions() -> None:
    d = json.loads(_run("recommend", str(ROOT / "examples" / "answers" / "startup.yaml"),
                        "--format", "json"))
    jsonschema.validate(d, SCHEMA)
    assert d["decided"] is True and d["headline"]["title"] != "No clear verdict"
    (plan,) = d["headline"]["plans"]
    assert plan["path_assumptions"] == d.get("path_assumptions", [])


def test_team_json_says_it_is_undecided_as_its_record_does() -> None:
    d = json.loads(_run("team", *TEAM, "--format", "json"))
    jsonschema.validate(d, TEAM_SCHEMA)
    adr = _run("team", *TEAM, "--format", "adr")
    assert "status: undecided" in adr
    assert d["decided"] is False
    assert d["recommendation"] == "closed"  # kept (the v2 contract): only the lean


def test_an_undecided_record_prices_each_plan_it_names(tmp_path: Path) -> None:
    adr = _run("recommend", _file(tmp_path), "--format", "adr")
    assert "status: undecided" in adr
    cost = adr.split("* Cost: ")[1].split("\n")[0]
    assert "your path" not in cost
    closed, hybrid = cost.split("If Hybrid of both, ")
    assert closed.startswith("If Closed-source LLM, at 300 million tokens a month, its "
                             "plan's own option, closed API, frontier model")
    assert "its plan's two halves cost about 1,400 USD a month" in hybrid
    front = adr.split("\n---\n")[0]
    assert "    plans:\n    - outcome: closed\n      path: closed.vendor-api\n" \
           "      own_option: frontier_api\n" in front
    assert "    - outcome: hybrid\n      path: hybrid.managed\n" \
           "      own_option: open_hosted_api\n" in front


def test_a_decided_record_prices_its_path_alone() -> None:
    adr = _run("recommend", str(ROOT / "examples" / "answers" / "startup.yaml"),
               "--format", "adr")
    assert "status: proposed" in adr and "your path's" in adr
    assert "    plans:" not in adr.split("\n---\n")[0]


# --------------------------------------------------------------------------- unsure numbers

BANK = str(ROOT / "examples" / "answers" / "bank.json")


def test_an_unsure_number_states_its_cut_off_not_shares_of_a_grid() -> None:
    # the bank wanting frontier models and deep customization: volume-high (frontier needs
    # at 4,000 million tokens or more) turns it to a hybrid at the cut-off
    frontier = ("--set", "performance=cutting_edge", "--set", "customization=deep")
    unsure = _run("recommend", BANK, "--set", "monthly_tokens=unsure", *frontier,
                  "--format", "markdown")
    # the headline is the verdict with the number left out, not a split of sample values
    assert unsure.startswith("# Recommendation: Closed-source LLM")
    assert "67%" not in unsure and "No clear verdict" not in unsure
    cut = ("below about 4,000 million tokens per month: Closed-source LLM; at or above: "
           "Hybrid of both")
    assert f"Monthly tokens, which you were unsure of, decides it: {cut}." in unsure
    assert f"Left open: Monthly tokens — {cut} (the other unsure answers left out)" in unsure
    assert "Settle first: Monthly tokens: the verdict changes at its cut-off." in unsure
    d = json.loads(_run("recommend", BANK, "--set", "monthly_tokens=unsure", *frontier,
                        "--format", "json"))
    jsonschema.validate(d, SCHEMA)
    assert d["decided"] is True and d["recommendation"] == "closed"
    assert d["open_answers"]["shares"] == {"open": 0.0, "closed": 1.0, "hybrid": 0.0}
    walk = [(v["value"], [o for o, n in v["counts"].items() if n])
            for v in d["open_answers"]["questions"][0]["values"]]
    assert walk == [(2000, ["closed"]), (4000, ["hybrid"]), (8000, ["hybrid"])]


def test_an_unsure_number_with_unsure_choices_gets_no_share() -> None:
    answers = {k: v for k, v in json.loads(Path(BANK).read_text()).items()
               if k not in ("monthly_tokens", "customization")}
    oa = open_answers(RS, answers, ["customization", "monthly_tokens"])
    # only customization's three choices are ways of answering; the number is walked alone
    assert oa.completions == 3
    tokens = next(q for q in oa.questions if q.question == "monthly_tokens")
    assert [sum(n for _, n in v.counts) for v in tokens.values] == [1] * len(tokens.values)


# --------------------------------------------------------------------------- no verdict


def test_an_undecided_report_does_not_call_a_lean_robust_or_a_lever_final(
        tmp_path: Path) -> None:
    md = _run("recommend", _file(tmp_path), "--format", "markdown")
    assert "**Robustness:** Fairly robust (of the scores' lean to Closed-source LLM, not a " \
           "verdict): most" in md
    adr = _run("recommend", _file(tmp_path), "--format", "adr")
    # the lever weighs one unsure answer with the others left out, and says so
    assert "* Performance, now unsure (with the other unsure answers left out): " \
           "“Cutting edge” would make it a clear verdict for Closed-source LLM" in adr
    decided = _run("recommend", str(ROOT / "examples" / "answers" / "startup.yaml"),
                   "--format", "markdown")
    assert "lean to" not in decided.split("**Robustness:**")[1].split("\n")[0]
