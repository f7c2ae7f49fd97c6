"""``recommend --partial``, ``recommend --target`` and answers saved as ``not_asked``, on
the command line, in every report format; the JSON stays valid against the v2 schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from llmchoice.cli.app import app

from .conftest import CLOSED_TEAM, OPEN_TEAM, to_yaml

SCHEMA = Draft202012Validator(json.loads(
    (Path(__file__).parent / "data" / "report-v2.schema.json").read_text("utf-8")))


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["recommend", *args])


def write(tmp_path: Path, answers: dict[str, object], name: str = "a.yaml") -> str:
    path = tmp_path / name
    path.write_text(to_yaml(answers), encoding="utf-8")
    return str(path)


def test_missing_answers_still_exit_2_without_partial(tmp_path: Path) -> None:
    result = run(write(tmp_path, {"budget": "minimal"}))
    assert result.exit_code == 2 and "missing answer to 'transparency'" in result.stderr


def test_partial_reports_what_is_still_possible_and_what_settles_it(tmp_path: Path) -> None:
    path = write(tmp_path, {"budget": "minimal", "data": "regulated"})
    result = run(path, "--partial", "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    SCHEMA.validate(report)
    reach = report["reach"]
    # a minimal budget leaves a two-stack hybrid no case (budget-one-stack)
    assert reach["reachable"] == ["open", "closed"]
    assert "budget" not in reach["open"] and "transparency" in reach["open"]
    transparency = next(q for q in reach["questions"] if q["question"] == "transparency")
    assert transparency["decides"] is True
    assert {"value": "essential", "reachable": ["open"]} in transparency["answers"]
    md = run(path, "--partial", "--format", "markdown").stdout
    assert "## What the open questions leave possible" in md
    assert "An answer to any of these can settle it: Transparency." in md


def test_partial_with_a_constraint_says_it_is_settled(tmp_path: Path) -> None:
    result = run(write(tmp_path, {"data": "on_premises"}), "--partial", "-f", "markdown")
    assert result.exit_code == 0, result.stderr
    assert "Settled: Open-source LLM (Open weights, self-hosted), whatever the answers to " \
        "the 12 open questions." in result.stdout
    assert "The advice is not settled: the next steps under Skill Up" in result.stdout


def test_partial_says_how_to_run_it_is_open_when_only_the_outcome_is_settled(
        tmp_path: Path) -> None:
    path = write(tmp_path, {"transparency": "essential"})
    md = run(path, "--partial", "-f", "markdown").stdout
    assert "Settled: Open-source LLM, whatever the answers to the 12 open questions; how " \
        "to run it is not." in md
    assert "How to run it: self-hosted, through a hosted API or in a private endpoint, " \
        "depending on Data location." in md
    report = json.loads(run(path, "--partial", "-f", "json").stdout)
    SCHEMA.validate(report)
    assert report["reach"]["paths"] == [
        {"outcome": "open", "paths": ["open.self-hosted", "open.hosted-api",
                                      "open.private-endpoint"], "deciding": ["data"]}]
    # several outcomes: how each would be run, and what decides it
    md = run(write(tmp_path, {"budget": "minimal", "data": "regulated"}, "b.yaml"),
             "--partial", "-f", "markdown").stdout
    assert "If Closed-source LLM wins: Closed model in a private deployment." in md
    assert "If Open-source LLM wins: self-hosted or in a private endpoint, depending on " \
        "In-house expertise and Time to market." in md


def test_target_gives_the_fewest_changes(tmp_path: Path) -> None:
    path = write(tmp_path, OPEN_TEAM)
    report = json.loads(run(path, "--target", "hybrid", "-f", "json").stdout)
    SCHEMA.validate(report)
    plan = report["target"]
    assert plan["possible"] and plan["current"] == "open" and plan["changes"]
    changed = {**OPEN_TEAM, **{c["question"]: c["to"] for c in plan["changes"]}}
    again = json.loads(run(write(tmp_path, changed, "b.yaml"), "-f", "json").stdout)
    assert again["recommendation"] == "hybrid"
    assert "unsure" not in again["answers"].values()
    md = run(path, "--target", "hybrid", "-f", "markdown").stdout
    assert f"At least {len(plan['changes'])} change" in md
    # --target is about the outcome: its section claims no way to run the target
    section = md.split("## What it would take for Hybrid of both to win")[1].split("\n## ")[0]
    assert "behind one router" not in section and "path" not in plan


@pytest.mark.parametrize("fmt", ["markdown", "json"])
def test_target_names_every_constraint_that_forbids_it(tmp_path: Path, fmt: str) -> None:
    """Transparency essential and data on premises both rule closed source out: --target
    closed names both, with the answers behind each, not only the first."""
    path = write(tmp_path, {**CLOSED_TEAM, "transparency": "essential",
                            "data": "on_premises"})
    result = run(path, "--target", "closed", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    if fmt == "json":
        plan = json.loads(result.stdout)["target"]
        assert not plan["possible"]
        assert [b["rule"] for b in plan["blockers"]] == ["transparency-essential",
                                                         "data-on-premises"]
        assert plan["blockers"][0]["answers"] == {"transparency": "essential"}
        return
    section = result.stdout.split("## What it would take for Closed-source LLM to win")[1]
    section = section.split("\n## ")[0]
    assert "transparency-essential (Transparency: essential) rules it out" in section
    assert "data-on-premises (Data location: on\\_premises) rules it out" in section


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "html", "json"])
def test_target_forbidden_by_a_fact_names_it_in_every_format(tmp_path: Path, fmt: str) -> None:
    path = write(tmp_path, {**CLOSED_TEAM, "data": "on_premises"})
    result = run(path, "--target", "closed", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    if fmt == "json":
        plan = json.loads(result.stdout)["target"]
        assert not plan["possible"] and plan["blockers"][0]["rule"] == "data-on-premises"
    else:
        assert "No change of your preferences makes Closed-source LLM win" in result.stdout
        assert "data-on-premises" in result.stdout


def test_target_already_winning_and_unknown_targets(tmp_path: Path) -> None:
    path = write(tmp_path, OPEN_TEAM)
    assert "Open-source LLM already wins" in run(path, "--target", "open", "-f",
                                                 "markdown").stdout
    bad = run(path, "--target", "clsoed")
    assert bad.exit_code == 2 and "did you mean 'closed'" in bad.stderr


def test_not_asked_answers_are_reported_as_not_needed_or_as_able_to_change_it(
        tmp_path: Path) -> None:
    stopped = {"transparency": "essential",
               **{q: "not_asked" for q in OPEN_TEAM if q != "transparency"}}
    report = json.loads(run(write(tmp_path, stopped), "-f", "json").stdout)
    SCHEMA.validate(report)
    assert report["recommendation"] == "open" and len(report["not_asked"]) == 10
    assert report["reach"]["reachable"] == ["open"]
    md = run(write(tmp_path, stopped), "-f", "markdown").stdout
    # transparency settles the outcome but not how to run it: expertise and time are open
    assert "Not needed" not in md
    assert "no answer to them changes the recommendation, but an answer could change how " \
        "to run it: self-hosted or through a hosted API, depending on In-house expertise " \
        "and Time to market. This report runs it as Open weights through a hosted API" in md
    # a bank stopped after transparency and data: open source, self-hosted, whatever the
    # rest; but the advice (hire first, or learn to serve models?) is not settled
    bank = {**stopped, "data": "on_premises"}
    report = json.loads(run(write(tmp_path, bank, "bank.yaml"), "-f", "json").stdout)
    SCHEMA.validate(report)
    assert report["path"]["id"] == "open.self-hosted"
    assert report["reach"]["paths"][0]["paths"] == ["open.self-hosted"]
    advice = report["reach"]["next_steps"]
    assert advice["settled"] is False and "expertise" in advice["deciding"]
    md = run(write(tmp_path, bank, "bank.yaml"), "-f", "markdown").stdout
    assert "Not needed" not in md
    assert "no answer to them changes the recommendation or how to run it, but an answer " \
        "could change the advice: the next steps under Skill Up" in md
    assert "In-house expertise" in md.split("could change the advice")[1].split("\n")[0]
    # what the advice reads answered: now nothing left could change any of it
    told = {**bank, "expertise": "none", "budget": "moderate", "customization": "moderate",
            "performance": "good_enough", "control": "moderate", "time_to_market": "normal"}
    report = json.loads(run(write(tmp_path, told, "told.yaml"), "-f", "json").stdout)
    SCHEMA.validate(report)
    assert report["reach"]["next_steps"] == {"outcome": "open", "path": "open.self-hosted",
                                             "settled": True, "deciding": []}
    md = run(write(tmp_path, told, "told.yaml"), "-f", "markdown").stdout
    assert "Not needed: Support" in md
    assert "changes the recommendation, how to run it or the advice" in md
    # a file whose not-asked questions could change the verdict says so
    risky = {**dict.fromkeys(OPEN_TEAM, "not_asked"), "budget": "minimal"}
    md = run(write(tmp_path, risky, "r.yaml"), "-f", "markdown").stdout
    assert "could change the recommendation" in md and "answer them to be sure" in md


def test_reports_without_any_of_it_are_unchanged(tmp_path: Path) -> None:
    report = json.loads(run(write(tmp_path, OPEN_TEAM), "-f", "json").stdout)
    assert not {"not_asked", "reach", "target"} & report.keys()


def test_a_provisional_verdict_says_so_in_the_json_too() -> None:
    """--partial with 3 of 13 answers: the text says "Leaning"; the JSON carries
    ``provisional`` (how many unanswered, what else they could give), and a complete set
    of answers has none."""
    partial = json.loads(run("--set", "budget=large", "--set", "performance=cutting_edge",
                             "--set", "expertise=none", "--partial", "-f", "json").stdout)
    SCHEMA.validate(partial)
    assert partial["provisional"] == {"unanswered": 10, "questions": 13, "others": ["open"]}
    assert set(partial["provisional"]["others"]) <= set(partial["reach"]["reachable"])
    startup = Path(__file__).parent.parent / "examples" / "answers" / "startup.yaml"
    full = json.loads(run(str(startup),
                          "-f", "json").stdout)
    SCHEMA.validate(full)
    assert "provisional" not in full
