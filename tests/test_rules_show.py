"""`llmchoice rules show` and `llmchoice questions`: readable tables, data escaped."""

from __future__ import annotations

import json
from pathlib import Path

from ._ruletools import ACME, DEFAULT, SMALL, run, write


def test_show_default_lists_questions_rules_and_tradeoffs() -> None:
    result = run("rules", "show", env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("Open-source, closed-source or hybrid LLM\n"
                          f"llmchoice-default 2.0.0 · {DEFAULT}\n")
    for title in ("Outcomes", "Questions", "Rules", "Trade-offs", "Tests"):
        assert f"\n{title}" in out
    assert "budget-minimal" in out and "open +3" in out
    # (the cell wraps: "excludes closed, excludes hybrid" over lines)
    assert "data-on-premises" in out and "excludes hybrid" in out
    assert "Vendor Lock-In" in out
    assert "Mixed needs: hybrid gains 1.4 x (the weaker of open and closed - 0) when positive" \
        in out
    assert "Exact ties go to: hybrid, open, closed" in out


def test_show_overlay_names_its_base() -> None:
    result = run("rules", "show", ACME)
    assert result.exit_code == 0
    assert f"acme-llm-policy 1.0.0 · {ACME}\nextends {DEFAULT}\n" in result.stdout
    assert "acme-platform-team" in result.stdout


def test_show_and_questions_escape_markup_and_control_characters(tmp_path: Path) -> None:
    nasty = SMALL.replace("because: Low budget.", 'because: "[red]Low[/red] \\e[31m budget"') \
                 .replace("prompt: Colour?", 'prompt: "[bold]Colour[/bold]?"')
    path = write(tmp_path, "nasty.yaml", nasty)
    result = run("rules", "show", path)
    assert result.exit_code == 0
    assert "[red]Low[/red]" in result.stdout
    assert "\x1b" not in result.stdout
    assert "\\x1b[31m" in result.stdout
    questions = run("questions", "--rules", path, "--format", "terminal")
    assert "[bold]Colour[/bold]?" in questions.stdout
    piped = run("questions", "--rules", path)  # into a pipe: Markdown, escaped for it
    assert "- **colour**: \\[bold\\]Colour\\[/bold\\]?" in piped.stdout


def test_questions_json_lists_help_and_conditions() -> None:
    result = run("questions", "--format", "json")
    assert result.exit_code == 0
    data = {q["id"]: q for q in json.loads(result.stdout)}
    assert data["budget"]["allowed"] == "one of minimal, moderate, large"
    assert data["budget"]["help"].startswith("Count API bills")
    assert data["budget"]["when"] is None
    assert data["monthly_tokens"]["min"] == 0
    assert data["monthly_tokens"]["unit"] == "million tokens per month"
    assert data["data"]["required"] is False
