"""A team report gives the plan, the cost and the next steps, as the single report does.

The sections are the single report's own (report.view via report.team_plan): "How to run
it" with each plan's notes (what it assumes, the budget check), "Cost at your volume"
when the merged answers give a volume, and the next steps, each plan's own when the team
has no verdict; in the terminal, Markdown and HTML reports alike, and in the JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from llmchoice.cli.app import app
from llmchoice.report.team import render_team
from llmchoice.ruleset.load import load_ruleset
from llmchoice.team.analysis import analyse
from llmchoice.team.people import read_people

from .conftest import REPO

SCHEMA = json.loads((REPO / "tests" / "data" / "team-report.schema.json").read_text())
EXAMPLES = sorted(str(p) for p in (REPO / "examples" / "team").glob("*.yaml"))
Write = Callable[[str, str | bytes], Path]

COMMON = ("transparency: unimportant\nsupport: dedicated\nperformance: cutting_edge\n"
          "quality: strict\ndomain: specialized_industry\ntime_to_market: urgent\n")
# a team with no ML staff and an urgent deadline, forced on premises by one person
FORCED = {
    "a.yaml": "respondent: CIO\nbudget: large\ncustomization: none\nexpertise: none\n"
              "lock_in: tolerate\ncontrol: low\ndata: regulated\n",
    "b.yaml": "respondent: Procurement\nbudget: moderate\ncustomization: none\n"
              "expertise: none\nlock_in: tolerate\ncontrol: low\ndata: regulated\n"
              "monthly_tokens: 300\n",
    "c.yaml": "respondent: CISO\nbudget: large\ncustomization: none\nexpertise: none\n"
              "lock_in: avoid\ncontrol: critical\ndata: on_premises\n",
    "d.yaml": "respondent: Head of Data\nbudget: minimal\ncustomization: moderate\n"
              "expertise: some\nlock_in: tolerate\ncontrol: low\ndata: regulated\n",
}


def team(runner: CliRunner, files: list[str], fmt: str) -> str:
    result = runner.invoke(app, ["team", *files, "--format", fmt])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def plain(text: str) -> str:
    """The words of a report, whatever its format: tags, marks and wrapping gone."""
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"[*#│•|]", " ", text).replace("&#x27;", "'").replace("&quot;", '"')
    return " ".join(text.split())


@pytest.fixture
def forced(write: Write) -> list[str]:
    return [str(write(name, COMMON + body)) for name, body in FORCED.items()]


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "html"])
def test_undecided_team_gets_both_plans_their_cost_and_next_steps(runner: CliRunner,
                                                                   fmt: str) -> None:
    out = plain(team(runner, EXAMPLES, fmt))
    assert "No clear verdict" in out and "Closed-source LLM or Hybrid of both" in out
    order = ["Settle these first", "How to run it", "If Closed-source LLM: Closed model",
             "If Hybrid of both: A closed private deployment", "Cost at your volume",
             "Next steps if Closed-source LLM", "Next steps if Hybrid of both",
             "Where people disagree", "Each person's own recommendation"]
    at = [out.find(s) for s in order]
    assert -1 not in at and at == sorted(at), dict(zip(order, at, strict=True))
    plans = out[at[1]:at[4]]
    assert plans.count("fits your budget") == 2  # each plan's own budget check
    # the split Lock-in only changes which plan wins, which "Settle these first" says; it
    # neither rules either plan out nor runs it another way, so no plan assumes it
    assert "assumes your answer to “Lock-in”" not in plans
    assert "600 million tokens a month" in out[at[4]:at[5]]


def test_json_plan_is_what_the_text_reports_say(runner: CliRunner) -> None:
    data = json.loads(team(runner, EXAMPLES, "json"))
    jsonschema.validate(data, SCHEMA)
    plan = data["plan"]
    assert plan["outcomes"] == ["closed", "hybrid"]
    assert [p["heading"] for p in plan["plans"]] == ["If Closed-source LLM",
                                                      "If Hybrid of both"]
    assert [s["heading"] for s in plan["next_steps"]] == [
        "Next steps if Closed-source LLM", "Next steps if Hybrid of both"]
    md = plain(team(runner, EXAMPLES, "markdown"))
    for p in plan["plans"]:
        for note in p["notes"]:
            assert plain(note) in md
    assert sum(c["path_cost"] for c in plan["cost"]) == 1
    for c in plan["cost"]:
        assert plain(c["text"]) in md


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "html"])
def test_forced_team_gets_the_self_hosting_bill_and_first_get_the_skill(
        runner: CliRunner, forced: list[str], fmt: str, tmp_path: Path) -> None:
    out = plain(team(runner, forced, fmt))
    assert "Forced" in out and "Open-source LLM — Open weights, self-hosted" in out
    adr = plain(team(runner, forced, "adr"))
    skill = re.search(r"First get the skill: [^.]+\.", adr)
    assert skill is not None and skill.group(0) in out  # the same step, not reworded
    assert "How to run it" in out and "Next steps" in out
    assert "Next steps if" not in out  # one plan: the verdict's
    bill = re.search(r"Your path \(Open weights, self-hosted\) priced as [^:]+: about "
                     r"([\d,]+) USD a month", out)
    assert bill is not None and bill.group(1) in adr


def test_terminal_plan_fits_80_columns(forced: list[str]) -> None:
    rules = load_ruleset(None)
    out = render_team(rules, analyse(rules, read_people(rules, forced)), "terminal", width=80)
    assert "How to run it" in out and "First get the skill" in out
    assert max(len(line) for line in out.splitlines()) <= 80
