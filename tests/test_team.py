"""``llmchoice team``: several people's answers merged, their disagreements weighed alone.

Three or more people's files: agreement, a disagreement that flips the verdict, one that
does not, a tie, and a hard requirement from one person that binds everyone."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from llmchoice.cli.app import app

from .conftest import MIDDLE, REPO, to_yaml

SCHEMA = json.loads((REPO / "tests" / "data" / "team-report.schema.json").read_text())
Write = Callable[[str, str | bytes], Path]


def person(write: Write, name: str, changes: dict[str, object], *,
           respondent: str | None = None) -> str:
    body = to_yaml({**MIDDLE, **changes})
    if respondent is not None:
        body = f"respondent: {respondent}\n" + body
    return str(write(name, body))


def team_json(runner: CliRunner, *files: str) -> dict[str, object]:
    result = runner.invoke(app, ["team", *files, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    return data


def by_question(items: object) -> dict[str, dict[str, object]]:
    assert isinstance(items, list)
    return {d["question"]: d for d in items}


@pytest.fixture
def three(write: Write) -> list[str]:
    """Alice (the CTO) and Bob want community support, Carol a vendor's: that alone
    flips the verdict to a hybrid. Bob and Carol avoid lock-in, Alice tolerates it: that
    does not change the verdict. Everything else they agree on."""
    return [person(write, "alice.yaml", {}, respondent="Alice (CTO)"),
            person(write, "bob.yaml", {"lock_in": "avoid"}),
            person(write, "carol.yaml", {"support": "dedicated", "lock_in": "avoid"},
                   respondent="Carol")]


def test_majority_agreement_and_which_disagreement_matters(runner: CliRunner,
                                                          three: list[str]) -> None:
    data = team_json(runner, *three)
    assert data["recommendation"] == "open"
    names = [p["name"] for p in data["people"]]  # type: ignore[index]
    assert names == ["Alice (CTO)", "bob", "Carol"]  # respondent, else the file's name
    answers = by_question(data["answers"])
    assert answers["budget"]["how"] == "agreed"
    assert answers["support"]["how"] == "majority"
    assert answers["support"]["value"] == "community"
    ds = by_question(data["disagreements"])
    assert set(ds) == {"support", "lock_in"}  # agreement elsewhere is not a disagreement
    support = ds["support"]
    assert support["changes_recommendation"] is True
    flips = {a["value"]: a["recommendation"] for a in support["answers"]}
    assert flips == {"community": "open", "dedicated": "hybrid"}
    lock_in = ds["lock_in"]
    assert lock_in["changes_recommendation"] is False
    assert {a["recommendation"] for a in lock_in["answers"]} == {"open"}
    assert [s["question"] for s in data["settle_first"]] == ["support"]  # type: ignore[index]
    # the disagreement's verdict is the engine's verdict for the merged answers with it
    alone = runner.invoke(app, ["recommend", three[0], "--set", "lock_in=avoid",
                                "--set", "support=dedicated", "--format", "json"])
    assert json.loads(alone.stdout)["recommendation"] == "hybrid"


def test_settle_first_in_plain_words_names_people_and_titles(runner: CliRunner,
                                                             three: list[str]) -> None:
    out = runner.invoke(app, ["team", *three, "--format", "markdown"])
    assert out.exit_code == 0, out.stderr
    text = out.stdout
    settle = text.split("## Settle these first", 1)[1].split("##", 1)[0]
    # a majority settled it: said so, not worded as a split (Carol alone would change it)
    assert ("1. Support: settled by a majority (Alice (CTO) and bob say “The community”), "
            "not split, but a different answer alone would change the verdict, so confirm "
            "it.") in settle
    assert ("It changes the verdict, but only to one too close to call: with Carol's "
            "answer it would be Hybrid of both") in settle
    assert "lock\\_in" not in text and "support:" not in text.lower().split("settle")[0]
    assert "How the answers were merged" in text


def test_hard_requirement_from_one_person_binds_everyone(runner: CliRunner,
                                                         write: Write) -> None:
    files = [person(write, "a.yaml", {"data": "unrestricted"}, respondent="CTO"),
             person(write, "b.yaml", {"data": "unrestricted"}, respondent="Finance"),
             person(write, "c.yaml", {"data": "on_premises"}, respondent="Security lead")]
    data = team_json(runner, *files)
    assert data["recommendation"] == "open"
    assert data["path"] == "open.self-hosted"
    assert data["certainty"] == "forced"
    answers = by_question(data["answers"])
    assert answers["data"]["how"] == "binding"  # outvoted 2 to 1, yet it binds
    assert answers["data"]["value"] == "on_premises"
    constraints = by_question(data["constraints"])
    assert "closed" in constraints["data"]["rules_out"]
    assert constraints["data"]["rules"] == ["data-on-premises"]
    md = runner.invoke(app, ["team", *files, "--format", "markdown"]).stdout
    section = md.split("## Hard requirements that bind everyone", 1)[1].split("##", 1)[0]
    assert "Data location" in section and "said by Security lead" in section
    assert "Closed-source LLM" in section
    # the other two people's own answers would not be forced
    own = {p["name"]: p["path"] for p in data["people"]}  # type: ignore[index]
    assert own["CTO"] != "open.self-hosted" and own["Security lead"] == "open.self-hosted"


def test_a_tie_is_unsure_not_a_guess(runner: CliRunner, write: Write) -> None:
    files = [person(write, "a.yaml", {}), person(write, "b.yaml", {"support": "dedicated"}),
             person(write, "c.yaml", {"support": "unsure"})]
    data = team_json(runner, *files)
    support = by_question(data["answers"])["support"]
    assert support["how"] == "tie" and support["value"] is None
    assert support["unsure"] == ["c"]
    assert "support" in data["team"]["unsure"]  # type: ignore[index]
    sentence = data["settle_first"][0]["sentence"]  # type: ignore[index]
    assert sentence.startswith("Support: the team has not settled it")


def test_numbers_take_the_middle(runner: CliRunner, write: Write) -> None:
    files = [person(write, f"{n}.yaml", {"monthly_tokens": v})
             for n, v in (("a", 10), ("b", 40), ("c", 9000))]
    data = team_json(runner, *files)
    tokens = by_question(data["answers"])["monthly_tokens"]
    assert (tokens["how"], tokens["value"]) == ("median", 40)


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "html"])
def test_every_format_and_names_are_escaped(runner: CliRunner, write: Write,
                                            fmt: str) -> None:
    files = [person(write, "a.yaml", {}, respondent="<script>alert(1)</script>"),
             person(write, "b.yaml", {"support": "dedicated"}, respondent="B*o*b [x]"),
             person(write, "c.yaml", {"support": "dedicated"})]
    out = runner.invoke(app, ["team", *files, "--format", fmt])
    assert out.exit_code == 0, out.stderr
    assert ("<script>" not in out.stdout) is (fmt != "terminal")  # shown as text on a terminal
    assert "\x1b" not in out.stdout
    assert "Settle these first" in out.stdout and "Where people disagree" in out.stdout
    if fmt == "html":
        assert "&lt;script&gt;" in out.stdout and "http://" not in out.stdout
    if fmt == "markdown":
        assert "B\\*o\\*b \\[x\\]" in out.stdout


def test_examples_tell_a_story(runner: CliRunner) -> None:
    files = sorted(str(p) for p in (REPO / "examples" / "team").glob("*.yaml"))
    assert len(files) >= 3
    data = team_json(runner, *files)
    assert data["settle_first"], "the example team should have something to settle"
    assert any(not d["changes_recommendation"] for d in data["disagreements"])  # type: ignore[union-attr]


@pytest.mark.parametrize("case", ["none", "twice", "same-name", "bad-answer", "missing",
                                  "bad-respondent", "stdin-twice"])
def test_hostile_input_is_one_message_and_exit_2(runner: CliRunner, write: Write,
                                                 case: str) -> None:
    a = person(write, "a.yaml", {}, respondent="Sam")
    b = person(write, "b.yaml", {"support": "dedicated"}, respondent="sam")
    args = {"none": [], "twice": [a, a], "same-name": [a, b],
            "bad-answer": [a, person(write, "c.yaml", {"budget": "huge"})],
            "missing": [a, str(Path(a).with_name("nope.yaml"))],
            "bad-respondent": [a, str(write("d.yaml", "respondent: [1, 2]\n"
                                                      + to_yaml(MIDDLE)))],
            "stdin-twice": ["-", "-"]}[case]
    out = runner.invoke(app, ["team", *args])
    assert out.exit_code == 2, out.stdout
    assert out.stdout == ""
    assert "Traceback" not in out.stderr
    first = out.stderr.splitlines()[0]
    assert first and len(out.stderr.strip().splitlines()) <= 3
    expected = {"none": "at least one answers file", "twice": "given twice",
                "same-name": "both name", "bad-answer": "problem", "missing": "no such file",
                "bad-respondent": "problem", "stdin-twice": "only once"}[case]
    assert expected in out.stderr


def test_team_adr_records_the_team(runner: CliRunner, three: list[str], tmp_path: Path) -> None:
    out = tmp_path / "decision.md"
    result = runner.invoke(app, ["team", *three, "--format", "adr", "--output", str(out)])
    assert result.exit_code == 0, result.stderr
    text = out.read_text()
    assert "decision-makers:\n- Alice (CTO)\n- bob\n- Carol" in text
    assert "people's answers merged" in text
    again = runner.invoke(app, ["revisit", str(out)])
    assert again.exit_code == 0, again.stdout + again.stderr
