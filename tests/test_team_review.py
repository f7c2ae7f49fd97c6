"""What an independent review of team reports, decision records and revisit found, each
checked as its reader would: the exact contradiction or wrong number must be gone.

1 the plan's own price; 2/6 no verdict means no "Use X" and one certainty vocabulary;
3/4 majority, middle answers, unsettled questions weighed both ways; 5 the dissent in a
team's record; 7 every answer that flips or weakens the verdict, and revisit's words;
9 no absolute paths or internal clutter; 10 llmchoice's own judgement labelled as such;
and a record whose title was edited to contradict its data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from llmchoice.cli.app import app

from .conftest import MIDDLE, REPO, to_yaml

EXAMPLES = REPO / "examples"
TEAM = sorted(str(p) for p in (EXAMPLES / "team").glob("*.yaml"))
DEFAULT = (REPO / "rules" / "default.yaml").read_text(encoding="utf-8")
Write = Callable[[str, str | bytes], Path]


def run(runner: CliRunner, *args: str) -> tuple[int, str]:
    r = runner.invoke(app, list(args))
    return r.exit_code, r.stdout + r.stderr


def record(runner: CliRunner, tmp_path: Path, *args: str, name: str = "d.md") -> Path:
    out = tmp_path / name
    code, text = run(runner, *args, "--format", "adr", "--output", str(out))
    assert code == 0, text
    return out


def person(write: Write, name: str, changes: dict[str, object]) -> str:
    return str(write(f"{name.lower()}.yaml",
                     f"respondent: {name}\n" + to_yaml({**MIDDLE, **changes})))


# ---------------------------------------------------------------- 1: the plan's own price

def test_startup_record_prices_its_own_path_not_the_closed_api(runner: CliRunner,
                                                             tmp_path: Path) -> None:
    rec = record(runner, tmp_path, "recommend", str(EXAMPLES / "answers" / "startup.yaml"))
    text = rec.read_text(encoding="utf-8")
    assert "190 USD" not in text  # the frontier API's price at 40 million, not the plan's
    assert ("your path's own option, open weights through a hosted API (Llama 3.1 70B on "
            "Together), costs about 35 USD a month, the cheapest option") in text
    code, out = run(runner, "revisit", str(rec), "--set", "monthly_tokens=9000")
    assert "self-hosting is now cheaper" not in out
    assert code == 0, out  # the hosted open API is still the cheapest at 9,000 million
    assert "open weights through a hosted API (Llama 3.1 70B on Together), costs about " \
           "7,900 USD a month, the cheapest option" in out


def test_a_volume_answered_later_meets_the_records_cost_condition(runner: CliRunner,
                                                                 tmp_path: Path) -> None:
    rec = record(runner, tmp_path, "recommend", str(EXAMPLES / "answers" / "vendor-first.json"))
    assert "revisit when you know it" in rec.read_text(encoding="utf-8")
    code, out = run(runner, "revisit", str(rec), "--set", "monthly_tokens=9000")
    assert code == 1 and "still holds" not in out, out
    assert "the monthly volume is now answered" in out
    assert "your path's own option, closed API, frontier model" in out


# -------------------------------------------------------- 2 and 6: no verdict, one vocabulary

def test_no_verdict_record_says_undecided_and_chooses_nothing(runner: CliRunner,
                                                              tmp_path: Path) -> None:
    rec = record(runner, tmp_path, "recommend", str(EXAMPLES / "team" / "finance.yaml"))
    text = rec.read_text(encoding="utf-8")
    # a minimal budget gives a two-stack hybrid no case (budget-one-stack)
    assert "\n# Undecided: Open-source LLM or Closed-source LLM\n" in text
    assert "# Use " not in text and "Chosen option" not in text
    assert "status: undecided" in text and "(chosen)" not in text
    assert "Clarity" not in text and "0.30" not in text


def test_undecided_team_record_and_report_never_give_one_answer(runner: CliRunner,
                                                                tmp_path: Path) -> None:
    rec = record(runner, tmp_path, "team", *TEAM)
    text = rec.read_text(encoding="utf-8")
    assert re.search(r"^# Undecided: Closed-source LLM or Hybrid of both$", text, re.M)
    assert "Chosen option" not in text and "status: undecided" in text
    code, md = run(runner, "team", *TEAM, "--format", "markdown")
    assert code == 0
    assert "The team's answers give" not in md
    assert "- **Certainty:** no clear verdict" in md


def test_one_certainty_vocabulary_and_no_bare_numbers(runner: CliRunner) -> None:
    code, out = run(runner, "recommend", str(EXAMPLES / "team" / "cto.yaml"),
                    "--format", "markdown")
    assert code == 0
    assert "Clarity" not in out and "1.00, moderate" not in out
    assert "- **Certainty:** moderate: a clear lead, but a single change" in out
    code, md = run(runner, "team", *TEAM, "--format", "markdown")
    finance = next(line for line in md.splitlines() if line.startswith("| Finance |"))
    assert "No clear verdict: Open-source LLM or Closed-source LLM" in finance
    assert "| no clear verdict |" in finance and "| none |" not in md


def test_a_forced_lead_names_the_runner_up_it_is_over(runner: CliRunner,
                                                      tmp_path: Path) -> None:
    rec = record(runner, tmp_path, "recommend", str(EXAMPLES / "answers" / "insurer.yaml"))
    text = rec.read_text(encoding="utf-8")
    assert "Without it: Closed-source LLM, by 3 points over Hybrid of both (10 to 7)." in text


# ------------------------------------------------- 3 and 4: majority, middle, unsettled


def test_an_unsettled_tie_that_decides_the_verdict_is_settled_first(runner: CliRunner,
                                                                    tmp_path: Path) -> None:
    code, out = run(runner, "team", *TEAM, "--format", "json")
    data = json.loads(out)
    assert data["certainty"] == "none" and "lock_in" in data["unsettled"]
    lock = next(d for d in data["disagreements"] if d["question"] == "lock_in")
    assert lock["how"] == "tie" and lock["changes_recommendation"]
    assert "lock_in" in [s["question"] for s in data["settle_first"]]
    code, md = run(runner, "team", *TEAM, "--format", "markdown")
    row = next(line for line in md.splitlines() if line.startswith("| Lock-in |"))
    assert "No: every answer" not in row and "too close to call" in row
    rec = record(runner, tmp_path, "team", *TEAM)
    code, out = run(runner, "revisit", str(rec))
    assert code == 0 and "still undecided" in out, out
    # settling Lock-in leaves it undecided between the same two plans (Control is still
    # not settled): the decision holds, and the lean's move is said, not called a change
    code, out = run(runner, "revisit", str(rec), "--set", "lock_in=avoid")
    assert code == 0, out
    assert "still holds: still undecided between Hybrid of both and Closed-source LLM; " \
           "the scores now lean to Hybrid of both (they leaned to Closed-source LLM), but " \
           "Control and ethics is not settled" in out
    code, out = run(runner, "revisit", str(rec), "--set", "lock_in=avoid",
                    "--set", "control=moderate", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["holds"] and data["changed"] == [] and data["undecided"]
    assert data["still_undecided"] == ["hybrid", "closed"] and data["lean_moved"] is True
    # a clear verdict today is a change: Closed-source, once lock-in is tolerated and
    # control is low
    code, out = run(runner, "revisit", str(rec), "--set", "lock_in=tolerate",
                    "--set", "control=low", "--format", "json")
    data = json.loads(out)
    assert code == 1 and "verdict" in data["changed"] and data["still_undecided"] is None
    # the same two outcomes, but one of them run another way: the plans changed
    code, out = run(runner, "revisit", str(rec), "--set", "expertise=strong")
    assert code == 1 and "the plans it is undecided between" in out, out
    assert "Hybrid of both would now be run as Self-hosted open model plus a closed API" in out


def test_two_of_four_is_not_a_majority_and_counts_are_shown(runner: CliRunner) -> None:
    code, out = run(runner, "team", *TEAM, "--format", "json")
    control = next(a for a in json.loads(out)["answers"] if a["question"] == "control")
    assert control["how"] == "tie" and control["value"] is None  # Low 2, Critical 1, Mod 1
    code, md = run(runner, "team", *TEAM, "--format", "markdown")
    assert "| Control and ethics | unsure | not settled: split 2–1–1, no majority" in md
    assert "| Budget | Moderate: a real line in the budget, but every cost is questioned " \
           "| a majority: 3 of 4 |" in md
    assert "most people" not in md


def test_an_ordered_scale_without_a_majority_takes_the_middle_answer(
        runner: CliRunner, write: Write) -> None:
    files = [person(write, "A", {"control": "low"}), person(write, "B", {"control": "critical"}),
             person(write, "C", {"control": "moderate"})]
    code, out = run(runner, "team", *files, "--format", "json")
    control = next(a for a in json.loads(out)["answers"] if a["question"] == "control")
    assert (control["how"], control["value"]) == ("median", "moderate")
    code, md = run(runner, "team", *files, "--format", "markdown")
    assert "the middle answer on its scale: no majority (1 of 3 gave it)" in md
    assert "more than half of the people who answered" in md  # the merge rule says so


def test_a_side_that_leaves_it_too_close_lowers_the_team_certainty(
        runner: CliRunner, write: Write) -> None:
    """Transparency split 1-1 (preferred, unimportant), budget moderate: both sides give the
    same outcome, but one of them only by less than a point. Left unsure, the engine's
    verdict reads moderate; the team's may not be firmer than the side too close to call."""
    files = [person(write, n, {"transparency": v, "budget": "moderate"})
             for n, v in (("A", "preferred"), ("B", "unimportant"))]
    code, out = run(runner, "team", *files, "--format", "json")
    data = json.loads(out)
    assert data["team"]["certainty"]["label"] == "moderate"
    assert data["certainty"] == "low" and data["unsettled"] == ["transparency"]
    (d,) = [d for d in data["disagreements"] if d["question"] == "transparency"]
    assert d["changes_certainty"] and not d["changes_recommendation"]
    assert len({a["recommendation"] for a in d["answers"]}) == 1
    assert any(a["close"] for a in d["answers"])
    code, md = run(runner, "team", *files, "--format", "markdown")
    assert "- **Certainty:** low" in md and "which the team has not settled" in md
    assert "1. Transparency: the team has not settled it" in md


# -------------------------------------------------------------- 5: the dissent in a record

def test_team_record_keeps_the_dissent(runner: CliRunner, tmp_path: Path) -> None:
    rec = record(runner, tmp_path, "team", *TEAM)
    text = rec.read_text(encoding="utf-8")
    dissent = text.split("## Dissent and Open Questions", 1)[1].split("\n## ", 1)[0]
    assert "### Settle these first" in dissent and "1. Support:" in dissent
    assert "2. Lock-in:" in dissent  # a clear change first, then the unsettled ones
    for name in ("CTO", "Finance", "Product lead", "Security lead"):
        assert f"* {name}: " in dissent
    assert "2 of 4 people's own answers recommend something other" in dissent


def test_an_outvoted_requirement_names_who_gave_it_and_asks_to_check(
        runner: CliRunner, write: Write, tmp_path: Path) -> None:
    files = [person(write, "Ops", {"data": "on_premises"}),
             person(write, "PM", {"data": "unrestricted"}),
             person(write, "Sales", {"data": "unrestricted"})]
    text = record(runner, tmp_path, "team", *files).read_text(encoding="utf-8")
    assert "Given by Ops; others answered differently, so check that it really is a " \
           "requirement." in text
    assert "find out which is true" in text
    assert "(your answer:" not in text


# --------------------------------------------------------- 7: when to revisit, and revisit

def test_every_answer_that_flips_the_verdict_is_a_revisit_condition(
        runner: CliRunner, tmp_path: Path) -> None:
    rec = record(runner, tmp_path, "recommend", str(EXAMPLES / "answers" / "vendor-first.json"))
    when = rec.read_text(encoding="utf-8").split("## When to Revisit", 1)[1]
    assert "* Data location, now “It is regulated” (a fact" in when
    assert "would make it Open-source LLM (Open weights, self-hosted)" in when
    code, out = run(runner, "revisit", str(rec), "--set", "data=on_premises")
    assert code == 1
    assert "Data location is now “It must stay on our own infrastructure (or air-gapped)”: " \
           "the record said that would make it Open-source LLM" in out
    team = record(runner, tmp_path, "team", *TEAM, name="team.md").read_text(encoding="utf-8")
    assert "* Lock-in, now unsure (with the other unsure answers left out):" in \
        team.split("## When to Revisit", 1)[1]


def test_revisit_words_the_change_plainly_and_the_lead_that_moved(
        runner: CliRunner, tmp_path: Path) -> None:
    rec = record(runner, tmp_path, "recommend", str(EXAMPLES / "answers" / "vendor-first.json"))
    code, out = run(runner, "revisit", str(rec))
    assert code == 0 and "break-even" not in out and "Cost today" not in out, out
    old = "when: {support: dedicated}\n    points: {closed: 3}"
    rules = tmp_path / "next.yaml"
    rules.write_text(DEFAULT.replace(old, old.replace("3", "1"), 1)
                     .replace("version: 2.0.0", "version: 2.0.1", 1), encoding="utf-8")
    code, out = run(runner, "revisit", str(rec), "--rules", str(rules))
    assert "The lead of Closed-source LLM fell from 16 to 14 points (over Open-source LLM)." \
        in out, out
    code, out = run(runner, "revisit", str(rec), "--set", "data=on_premises")
    assert "(recommendation, path" not in out
    assert "has changed (the recommendation and how to run it)" in out


# ----------------------------------------------------------- 9: paths and internal clutter

def test_team_reports_show_no_absolute_path_or_escaped_backticks(
        runner: CliRunner, tmp_path: Path) -> None:
    for fmt in ("terminal", "markdown", "html", "json"):
        code, out = run(runner, "team", *TEAM, "--format", fmt)
        assert code == 0
        assert str(REPO) not in out, fmt
    code, md = run(runner, "team", *TEAM, "--format", "markdown")
    assert "from llmchoice's shipped rules/default.yaml" in md
    text = record(runner, tmp_path, "team", *TEAM).read_text(encoding="utf-8")
    assert "\\`" not in text and "See `llmchoice team`" in text
    assert " 1 points" not in text and "random changes of up to" not in text


def test_binding_requirement_keeps_outcomes_and_ways_of_running_apart(
        runner: CliRunner, write: Write) -> None:
    files = [person(write, "Ops", {"data": "on_premises"}),
             person(write, "PM", {"data": "unrestricted"}),
             person(write, "Sales", {"data": "unrestricted"})]
    code, md = run(runner, "team", *files, "--format", "markdown")
    line = next(x for x in md.splitlines() if x.startswith("- Data location:"))
    assert re.search(r"For everyone, it rules out [^.]*Closed-source LLM[^.]*, and running "
                     r"Open-source LLM as Open weights through a hosted API or Open weights "
                     r"in a private endpoint", line), line


def test_settle_first_marks_the_current_result_as_now(runner: CliRunner) -> None:
    code, md = run(runner, "team", *TEAM, "--format", "markdown")
    settle = md.split("## Settle these first", 1)[1].split("\n## ", 1)[0]
    current = "Closed-source LLM (Closed model in a private deployment)"
    for sentence in settle.split("; "):
        if sentence.endswith(current) or f"be {current}." in sentence:
            pytest.fail(f"the current result is repeated as if it were a change: {sentence}")


# ----------------------------------------------------- 10: llmchoice's judgement, labelled

def test_a_rule_beyond_the_article_is_labelled_as_llmchoices_judgement(
        runner: CliRunner, tmp_path: Path) -> None:
    text = record(runner, tmp_path, "recommend",
                  str(EXAMPLES / "answers" / "vendor-first.json")).read_text(encoding="utf-8")
    assert "Hard requirement: A hybrid needs someone" not in text
    assert ("* Ruled out by llmchoice's judgement (from the answer In-house expertise — None: "
            "no ML or GPU infrastructure people): A hybrid needs someone") in text
    assert "That the answer rules this out is llmchoice's judgement (beyond the article: " \
        in text


# ------------------------------------------------------------- an edited, misleading title

def test_revisit_notices_a_title_that_contradicts_the_data(runner: CliRunner,
                                                          tmp_path: Path) -> None:
    rec = record(runner, tmp_path, "recommend", str(EXAMPLES / "answers" / "vendor-first.json"))
    text = rec.read_text(encoding="utf-8")
    rec.write_text(text.replace("\n# Use Closed-source LLM", "\n# Use Open-source LLM", 1),
                   encoding="utf-8")
    code, out = run(runner, "revisit", str(rec))
    assert "Note: the record's title “Use Open-source LLM" in out
    assert "does not match its data (use Closed-source LLM)" in out
    rec.write_text(text, encoding="utf-8")
    assert "Note: the record's title" not in run(runner, "revisit", str(rec))[1]


def test_an_undecided_record_names_the_same_outcomes_everywhere(runner: CliRunner,
                                                                write: Write,
                                                                tmp_path: Path) -> None:
    """Title, outcome sentence and summary name the same outcomes (no 'between Open and
    Closed' under a title that says 'Open, Hybrid or Closed')."""
    files = [person(write, "Sure1", {"support": "dedicated", "quality": "strict"}),
             person(write, "Sure2", {"support": "community", "quality": "standard",
                                     "budget": "minimal"})]
    text = record(runner, tmp_path, "team", *files).read_text(encoding="utf-8")
    title = re.search(r"^# Undecided: (.+)$", text, re.M)
    assert title is not None
    named = re.split(r", | or ", title.group(1))
    outcome = text.split("## Decision Outcome", 1)[1].split("\n\n", 2)[1]
    for label in named:
        assert label in outcome.split(". ", 1)[0], (label, outcome)
        assert f"{label}: " in outcome, label


def test_a_title_reworded_without_contradiction_is_not_flagged(runner: CliRunner,
                                                               tmp_path: Path) -> None:
    rec = record(runner, tmp_path, "recommend", str(EXAMPLES / "answers" / "vendor-first.json"))
    text = rec.read_text(encoding="utf-8")
    rec.write_text(text.replace("\n# Use Closed-source LLM", "\n# Use a closed model (Azure)",
                                1), encoding="utf-8")
    assert "Note: the record's title" not in run(runner, "revisit", str(rec))[1]
    undecided = record(runner, tmp_path, "recommend", str(EXAMPLES / "team" / "finance.yaml"),
                       name="u.md")
    body = undecided.read_text(encoding="utf-8")
    undecided.write_text(body.replace("\n# Undecided: ", "\n# Use ", 1), encoding="utf-8")
    code, out = run(runner, "revisit", str(undecided), "--format", "json")
    data = json.loads(out)
    assert data["title_warning"].startswith("Note: the record's title “Use Open-source LLM")
    assert data["undecided"] is True and data["now"]["certainty"] == "none"


def test_an_undecided_record_shows_plans_only_for_the_outcomes_it_names(
        runner: CliRunner, tmp_path: Path) -> None:
    """Finance's unsure answers leave it between Open-source LLM and Hybrid of both; the
    close call without them is Hybrid against Closed: no "If Closed-source LLM" plan under
    a title that does not name Closed. (Weighed without budget-one-stack, which since
    2026-12 gives a minimal budget's hybrid no case: the rule set this scenario arose in.)"""
    overlay = tmp_path / "no-one-stack.yaml"
    overlay.write_text("extends: default\nruleset: {id: no-one-stack, version: 1.0.0, "
                       "title: t, source: s}\nremove_rules: [budget-one-stack]\n"
                       "remove_tests: ['a start-up on a minimal budget with needs on both "
                       "sides runs one stack, not two']\n",
                       encoding="utf-8")
    text = record(runner, tmp_path, "recommend", str(EXAMPLES / "team" / "finance.yaml"),
                  "--rules", str(overlay)).read_text(encoding="utf-8")
    outcome = text.split("## Decision Outcome", 1)[1].split("### ", 1)[0]
    assert "open between Open-source LLM and Hybrid of both" in outcome
    assert "**If Closed-source LLM:**" not in outcome
    assert "**If Hybrid of both:**" in outcome
    assert "**If Open-source LLM:** Open weights through a hosted API." in outcome


def _front(text: str) -> dict[str, object]:
    import yaml  # lazy: test-only helper

    data = yaml.safe_load(text.split("---\n", 2)[1])
    assert isinstance(data, dict)
    return data


def test_an_undecided_team_record_carries_both_candidates(runner: CliRunner,
                                                          tmp_path: Path) -> None:
    """The team's record is undecided between Closed and Hybrid: its data recommends
    nothing (both candidates with their plans, the scores' leaning apart), its prose gives
    both plans and both sets of next steps, and revisit still says it holds."""
    rec = record(runner, tmp_path, "team", *TEAM)
    text = rec.read_text(encoding="utf-8")
    verdict = _front(text)["llmchoice"]["verdict"]  # type: ignore[index]
    assert verdict["recommendation"] is None and verdict["path"] is None
    assert verdict["between"] == ["closed", "hybrid"]
    assert verdict["plans"] == [{"outcome": "closed", "path": "closed.private-deployment"},
                                {"outcome": "hybrid", "path": "hybrid.private"}]
    assert verdict["leaning"] == {"outcome": "closed", "path": "closed.private-deployment"}
    outcome = text.split("## Decision Outcome", 1)[1].split("## Dissent", 1)[0]
    assert "* **If Closed-source LLM:** Closed model in a private deployment." in outcome
    assert "* **If Hybrid of both:** A closed private deployment plus an open private " \
           "endpoint, behind one router." in outcome
    steps = re.findall(r"^\* Next(?: if ([^(]+))? \(", outcome, re.M)
    assert set(steps) == {"Closed-source LLM", "Hybrid of both"}, steps
    code, out = run(runner, "revisit", str(rec))
    assert code == 0 and "still holds" in out, out
    code, out = run(runner, "revisit", str(rec), "--format", "json")
    assert code == 0 and json.loads(out)["was"]["recommendation"] is None


def test_a_decided_record_still_recommends_one_outcome(runner: CliRunner,
                                                       tmp_path: Path) -> None:
    rec = record(runner, tmp_path, "recommend", str(EXAMPLES / "answers" / "bank.json"))
    verdict = _front(rec.read_text(encoding="utf-8"))["llmchoice"]["verdict"]  # type: ignore[index]
    assert verdict["recommendation"] == "closed" and "plans" not in verdict
    assert "leaning" not in verdict


def test_an_undecided_record_with_a_changed_leaning_no_longer_holds(
        runner: CliRunner, tmp_path: Path) -> None:
    """revisit compares an undecided record's leaning with today's: Finance (undecided
    between Open-source LLM and Closed-source LLM, leaning Closed) answering community
    support makes it Open-source LLM, a change; a strict quality bar keeps the leaning
    and the unsure answers that leave it open, and says so."""
    rec = record(runner, tmp_path, "recommend", str(EXAMPLES / "team" / "finance.yaml"))
    code, out = run(runner, "revisit", str(rec), "--set", "support=community")
    assert code == 1 and "still holds" not in out, out
    assert "today it is Open-source LLM" in out
    code, out = run(runner, "revisit", str(rec), "--set", "quality=strict")
    assert code == 0 and "still holds: still undecided between Closed-source LLM and " \
        "Open-source LLM; the scores still lean to Closed-source LLM, but it depends on " \
        "the answers still unsure (Transparency and Customization)" in out, out
    assert "too close to call" not in out
