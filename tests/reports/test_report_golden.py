"""Golden files of every report format for one answer set per outcome.

The reports are run through the real command line (width 100, NO_COLOR) with a
copy of the default rule set named ``default.yaml`` in a clean folder, so the
bytes do not depend on where the checkout lives. To accept a deliberate change,
run ``LLMCHOICE_UPDATE_GOLDEN=1 pytest tests/test_report_golden.py`` and review
the diff of ``tests/golden/reports/`` like any other change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from _reports_support import (
    ANSWER_SETS,
    EXPECTED,
    GOLDEN,
    cli,
    write_answers,
)

FORMATS = {
    # name in the golden file: (extension, arguments)
    "terminal": (".txt", ["--format", "terminal", "--explain"]),
    "markdown": (".md", ["--format", "markdown", "--explain"]),
    "html": (".html", ["--format", "html", "--explain"]),
    "json": (".json", ["--format", "json"]),
    "brief": (".brief.txt", ["--format", "terminal"]),
}
UPDATE = os.environ.get("LLMCHOICE_UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("name", sorted(ANSWER_SETS))
def test_report_matches_golden_file(workdir: Path, name: str, fmt: str) -> None:
    ext, args = FORMATS[fmt]
    answers = write_answers(workdir, name, ANSWER_SETS[name])
    result = cli("recommend", str(answers), "--rules", "default.yaml", *args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    golden = GOLDEN / f"{name}{ext}"
    if UPDATE:
        golden.write_text(result.stdout, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}; run with LLMCHOICE_UPDATE_GOLDEN=1"
    assert result.stdout == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(ANSWER_SETS))
def test_golden_files_show_the_expected_outcome_first(name: str) -> None:
    """What a reader sees first: the verdict (after any hard constraint) in every format."""
    label = {"open": "Open-source LLM", "closed": "Closed-source LLM",
             "hybrid": "Hybrid of both"}[EXPECTED[name]]
    terminal = (GOLDEN / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    first_panel = 0 if not terminal[0].startswith("╭─ Ruled out first") else \
        next(i for i, line in enumerate(terminal) if line.startswith("╭─ Recommendation"))
    assert terminal[first_panel].startswith("╭─ Recommendation")
    assert label in terminal[first_panel + 1]
    markdown = (GOLDEN / f"{name}.md").read_text(encoding="utf-8")
    assert markdown.startswith(f"# Recommendation: {label}\n")
    html = (GOLDEN / f"{name}.html").read_text(encoding="utf-8")
    assert f"<h1>{label}</h1>" in html
    assert html.index("<h1>") < html.index('<section id="scores">')
