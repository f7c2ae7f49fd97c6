"""Text from a rule set is data: shown literally and harmlessly in every format."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from _reports_support import (
    ANSWER_SETS,
    cli,
    rules_data,
    write_answers,
    write_rules,
)

from llmchoice.answers.validate import validate
from llmchoice.decide.engine import evaluate
from llmchoice.decide.explain import explain
from llmchoice.report import render
from llmchoice.ruleset.load import load_ruleset

SCRIPT = "<script>alert(1)</script>"
MARKUP = "[bold red]LOUD[/bold red]"
ANSI = "\x1b[31mRED\x1b[0m"
HOSTILE = f"{SCRIPT} {MARKUP} {ANSI}"


def _hostile_rules(folder: Path) -> Path:
    """The default rule set with hostile text wherever a report shows rule-set text."""
    data: dict[str, Any] = rules_data()
    data["outcomes"]["hybrid"]["label"] = f"Hybrid {SCRIPT}"
    data["outcomes"]["hybrid"]["summary"] = HOSTILE
    data["tradeoffs"]["future.collaboration"]["title"] = f"Collab {MARKUP}"
    data["tradeoffs"]["future.collaboration"]["text"] = HOSTILE
    data["tradeoffs"]["lesson.skill-up"]["text"] = HOSTILE
    for rule in data["rules"]:
        if rule["id"] in ("support-community", "performance-cutting-edge"):  # one per side
            rule["because"] = HOSTILE
    for sc in data["scenarios"]:
        sc["because"] = HOSTILE
    for step in data["next_steps"]:
        if step["id"] == "learn-both":
            step["text"] = HOSTILE
    data["questions"][0]["prompt"] = f"Budget? {SCRIPT}"
    return write_rules(folder, "hostile.yaml", data)


def _run(folder: Path, fmt: str) -> str:
    rules = _hostile_rules(folder)
    answers = write_answers(folder, "m", ANSWER_SETS["hybrid-middle"])
    out = cli("recommend", str(answers), "--rules", str(rules), "--format", fmt, "--explain")
    assert out.exit_code == 0, out.stderr
    assert out.stderr == ""
    assert "\x1b" not in out.stdout  # no escape character of any kind reaches the reader
    return str(out.stdout)


def test_terminal_shows_markup_and_escapes_literally(workdir: Path) -> None:
    text = _run(workdir, "terminal")
    flat = re.sub(r"\s+", " ", text)
    assert f"{SCRIPT} {MARKUP} \\x1b[31mRED\\x1b[0m" in flat  # the scenario's reason, whole
    assert "Collab [bold red]LOUD[/bold red]" in flat
    assert "LOUD" in text and "RED" in text


def test_terminal_in_colour_emits_only_its_own_styles(workdir: Path) -> None:
    rs = load_ruleset(_hostile_rules(workdir))
    result = evaluate(rs, validate(rs, ANSWER_SETS["hybrid-middle"], source="t").answers)
    text = render(result, rs, "terminal", width=200, color=True,
                  explanation=explain(rs, result), explain=True)
    assert "\x1b[" in text  # it is coloured
    assert re.findall(r"\x1b(?!\[[0-9;]*m)", text) == []  # every escape is a style (SGR)
    assert "\x1b[31mRED" not in text  # the rule set's red never reaches the terminal
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert f"{SCRIPT} {MARKUP} \\x1b[31mRED\\x1b[0m" in plain


def test_markdown_escapes_html_and_markup(workdir: Path) -> None:
    text = _run(workdir, "markdown")
    assert "<script" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "\\[bold red\\]LOUD\\[/bold red\\]" in text
    assert "\\\\x1b\\[31mRED" in text  # the backslash itself escaped: it shows as \x1b


def test_html_escapes_everything_and_runs_nothing(workdir: Path) -> None:
    text = _run(workdir, "html")
    assert "<script" not in text.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "[bold red]LOUD[/bold red]" in text  # brackets mean nothing to HTML
    assert "\\x1b[31mRED" in text
    assert "Hybrid &lt;script&gt;" in text  # in the title, headings and the SVG chart
    assert re.search(r"<title>Recommendation: Hybrid &lt;script&gt;", text)
    assert "default-src 'none'" in text  # and a policy that would block a script anyway


def test_json_keeps_the_text_exactly(workdir: Path) -> None:
    text = _run(workdir, "json")
    data = json.loads(text)
    assert data["scenario_because"] == HOSTILE
    assert data["explanation"]["scenario"]["because"] == HOSTILE
    reasons = {c["because"] for c in data["contributions"]}
    assert HOSTILE in reasons


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "html", "json"])
def test_hostile_answers_file_is_refused_before_any_report(workdir: Path, fmt: str) -> None:
    answers = dict(ANSWER_SETS["hybrid-middle"], budget=HOSTILE)
    path = write_answers(workdir, "bad", answers)
    out = cli("recommend", str(path), "--format", fmt)
    assert out.exit_code == 2
    assert out.stdout == ""
    assert "\x1b" not in out.stderr and "budget" in out.stderr
