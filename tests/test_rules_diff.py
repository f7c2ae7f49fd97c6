"""`llmchoice rules diff OLD NEW`: exit 0 when no recommendation changes, 1 when some do."""

from __future__ import annotations

import json
from pathlib import Path

from ._ruletools import ACME, DEFAULT, SMALL, run, write


def test_same_rule_set_changes_nothing() -> None:
    result = run("rules", "diff", "default", DEFAULT, "--samples", "20")
    assert result.exit_code == 0, result.stderr
    assert "No rule, question or decision changes." in result.stdout
    assert result.stdout.strip().endswith("No recommendation changes.")


def test_small_change_counted_exactly(tmp_path: Path) -> None:
    old = write(tmp_path, "old.yaml", SMALL)
    # rich now gives hybrid 3 instead of 1: every high-budget profile goes closed -> hybrid.
    new = write(tmp_path, "new.yaml", SMALL.replace("points: {closed: 2, hybrid: 1}",
                                                    "points: {closed: 2, hybrid: 3}"))
    result = run("rules", "diff", old, new)
    assert result.exit_code == 1
    out = result.stdout
    assert "Rules changed:\n  rich: points {closed: 2, hybrid: 1} -> {closed: 2, hybrid: 3}" in out
    assert "Compared 4 answer profiles (4 core, 0 with sampled optional answers)." in out
    assert "Recommendation changes in 2 profiles (50.0%):\n  closed -> hybrid: 2\n" in out
    drivers = out.split("Answers that drive the changes")[1].split("\n\n")[0]
    assert "budget=high" in drivers and "100.0% vs  50.0%" in drivers
    assert "colour=" not in drivers  # colour is spread evenly: it drives nothing
    assert "  closed -> hybrid: budget=high, colour=red\n    scores old: open 0, closed 2, " \
           "hybrid 1; new: open 0, closed 2, hybrid 3" in out


def test_default_against_the_acme_overlay(tmp_path: Path) -> None:
    result = run("rules", "diff", "default", ACME, "--format", "json", "--samples", "100")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["core_profiles"] == 52_488
    assert data["changed"] == sum(t["profiles"] for t in data["transitions"]) > 0
    pairs = [(t["from"], t["to"]) for t in data["transitions"]]
    assert ("closed", "hybrid") in pairs  # Acme's cheaper vendor support and platform team
    counts = [t["profiles"] for t in data["transitions"]]
    assert counts == sorted(counts, reverse=True)
    changes = data["rule_changes"]
    assert changes["rules_added"] == ["acme-platform-team", "acme-vendor-contract",
                                      "acme-regulated-needs-contract"]
    assert changes["rules_removed"] == ["capacity-one-stack"]
    assert changes["rules_changed"] == ["support-dedicated: points {closed: 3} -> {closed: 2}"]
    assert changes["questions_added"] == ["vendor_contract"]
    # Acme's platform team drops capacity-one-stack: expertise drives the changes
    assert "expertise" in {d["question"] for d in data["drivers"]}
    assert 1 <= len(data["examples"]) <= 6


def test_rule_sets_that_cannot_be_compared(tmp_path: Path) -> None:
    old = write(tmp_path, "old.yaml", SMALL)
    untested = SMALL.split("tests:")[0]
    new = write(tmp_path, "new.yaml", untested.replace("""rules:""", """  - id: size
    prompt: Size?
    type: choice
    choices: [{value: s, label: S}]
rules:"""))
    result = run("rules", "diff", old, new)
    assert result.exit_code == 2
    assert f"{new} requires 'size', which {old} does not ask, and it has no default" \
        in result.stderr
    missing = run("rules", "diff", old, tmp_path / "missing.yaml")
    assert missing.exit_code == 2
    assert "no such file" in missing.stderr


def test_question_changes_are_listed_even_when_no_winner_changes(tmp_path: Path) -> None:
    path = write(tmp_path, "defchg.yaml", """\
extends: default
ruleset: {id: defchg}
questions:
  - id: support
    default: dedicated
  - id: budget
    choices:
      - {value: minimal, label: Minimal}
      - {value: moderate, label: Moderate}
      - {value: large, label: Large}
      - {value: huge, label: Huge}
""")
    result = run("rules", "diff", "default", path)
    assert result.exit_code == 0, result.stderr  # no full answer set changes winner
    out = result.stdout
    assert "Questions changed:" in out
    assert "support: default community -> dedicated" in out
    assert "budget: choices added [huge] (answers using them are valid only in the new rule " \
           "set and are not compared)" in out
