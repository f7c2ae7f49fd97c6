"""What a CTO's review of the reports found, each checked as its reader would:

3 two hard requirements against one outcome are both named under "Ruled out first" (and
by --target); 4 a team question a majority settled is not presented as a split; 5 the
JSON report gives the points a ruled-out outcome earned (``earned``), as the text does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from llmchoice.cli.app import app
from llmchoice.decide.engine import evaluate
from llmchoice.report.view import build_view
from llmchoice.ruleset.load import load_ruleset

from .conftest import REPO, to_yaml

RS = load_ruleset("default")
TEAM = sorted(str(p) for p in (REPO / "examples" / "team").glob("*.yaml"))
Write = Callable[[str, str | bytes], Path]
BASE = {"budget": "moderate", "transparency": "essential", "customization": "moderate",
        "support": "community", "expertise": "strong", "performance": "good_enough",
        "quality": "standard", "lock_in": "avoid", "domain": "general", "control": "moderate",
        "time_to_market": "normal", "data": "on_premises"}
TRANSPARENCY = "You must be able to inspect or explain the model"
ON_PREMISES = "Your data may not leave your own infrastructure"


def run(runner: CliRunner, *args: str) -> str:
    r = runner.invoke(app, list(args))
    assert r.exit_code == 0, r.stdout + r.stderr
    return r.stdout


# ------------------------------------------------------- 3: every blocker of one outcome


def test_two_requirements_against_closed_are_both_in_the_view() -> None:
    view = build_view(evaluate(RS, BASE), RS)
    against_closed = [r.rule for r in view.ruled_out if r.outcome == "closed"]
    assert against_closed == ["transparency-essential", "data-on-premises"]
    # outcomes first, then the ways of running one
    kinds = [r.kind for r in view.ruled_out]
    assert kinds == sorted(kinds, key=lambda k: k != "outcome")


def test_two_requirements_against_closed_are_both_named_in_every_format(
        runner: CliRunner, write: Write) -> None:
    given = str(write("a.yaml", to_yaml(BASE)))
    md = run(runner, "recommend", given, "--format", "markdown")
    section = md.split("## Ruled out first", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("- ")]
    assert len(lines) == 2
    assert lines[0].startswith("- **Closed-source LLM** and **Hybrid of both** are ruled out: "
                               + TRANSPARENCY)
    assert lines[1].startswith("- **Closed-source LLM** and **Hybrid of both** are ruled out, "
                               "and so are **Open weights through a hosted API** and **Open "
                               "weights in a private endpoint**: " + ON_PREMISES)
    html = run(runner, "recommend", given, "--format", "html")
    assert TRANSPARENCY in html and ON_PREMISES in html
    term = run(runner, "recommend", given, "--format", "terminal")
    flat = re.sub(r"\s+", " ", term)
    assert TRANSPARENCY in flat and ON_PREMISES[:30] in flat
    adr = run(runner, "recommend", given, "--format", "adr")
    drivers = adr.split("## Decision Drivers", 1)[1].split("\n## ", 1)[0]
    assert drivers.count("It rules out Closed-source LLM and Hybrid of both") == 2, drivers


def test_target_names_both_blockers(runner: CliRunner, write: Write) -> None:
    given = str(write("a.yaml", to_yaml(BASE)))
    md = run(runner, "recommend", given, "--format", "markdown", "--target", "closed")
    section = md.split("## What it would take for Closed-source LLM to win", 1)[1]
    assert "transparency-essential (Transparency: essential) rules it out" in section
    assert "data-on-premises (Data location: on\\_premises) rules it out" in section


# ------------------------------------------------------- 4: a majority is not a split


def test_a_majority_answer_is_not_presented_as_a_split(runner: CliRunner) -> None:
    md = run(runner, "team", *TEAM, "--format", "markdown")
    settle = md.split("## Settle these first", 1)[1].split("\n## ", 1)[0]
    # the settled question whose other answer changes the verdict most (clearly)
    support = next(line for line in settle.splitlines() if "Support" in line)
    assert support.startswith("1. Support: settled by a majority (Finance, Product lead "
                              "and Security lead say “A vendor's dedicated support, with a "
                              "contract”), not split, but a different answer alone would "
                              "change the verdict, so confirm it. It changes the verdict "
                              "clearly: with CTO's answer it would be Open-source LLM"), \
        support
    assert "not settled" not in support
    # the questions with no majority still say the team has not settled them
    assert "2. Lock-in: the team has not settled it" in settle
    data = json.loads(run(runner, "team", *TEAM, "--format", "json"))
    sentences = {s["question"]: s["sentence"] for s in data["settle_first"]}
    assert sentences["support"].startswith("Support: settled by a majority")
    adr = run(runner, "team", *TEAM, "--format", "adr")
    assert "1. Support: settled by a majority" in adr


# ------------------------------------------------------- 5: the JSON report's earned points


def test_json_earned_points_of_a_ruled_out_outcome_match_the_text(
        runner: CliRunner, write: Write) -> None:
    given = str(write("b.yaml", to_yaml({
        **BASE, "budget": "large", "support": "dedicated", "performance": "cutting_edge",
        "quality": "strict", "lock_in": "tolerate", "control": "low",
        "time_to_market": "urgent", "data": "unrestricted"})))
    data = json.loads(run(runner, "recommend", given, "--format", "json"))
    assert {e["outcome"] for e in data["excluded"]} == {"closed", "hybrid"}
    assert data["scores"]["hybrid"] == 0.0  # the v1 key keeps its meaning
    assert data["earned"] == {"open": 3.0, "closed": 10.0, "hybrid": 4.2}
    md = run(runner, "recommend", given, "--format", "markdown")
    assert "| Closed-source LLM (ruled out) | 10 |" in md
    assert "| Hybrid of both (ruled out) | 4.2 |" in md
    # an outcome that is allowed earns its score
    allowed = [o for o in data["scores"] if o not in {"closed", "hybrid"}]
    assert all(data["earned"][o] == data["scores"][o] for o in allowed)
