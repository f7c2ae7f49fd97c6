"""Golden files of every report format for one answer set per outcome.

The reports are run through the real command line (width 100, NO_COLOR) with a
copy of the default rule set named ``default.yaml`` in a clean folder, so the
bytes do not depend on where the checkout lives. To accept a deliberate change,
run ``LLMCHOICE_UPDATE_GOLDEN=1 pytest tests/reports/test_report_golden.py`` and review
the diff of ``tests/reports/golden/`` like any other change.
"""

from __future__ import annotations

import json
import os
from html import escape
from pathlib import Path

import pytest
from _reports_support import (
    ADVICE_CASES,
    ANSWER_SETS,
    EXPECTED,
    EXPECTED_PATH,
    GOLDEN,
    cli,
    rules_data,
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
# every golden case: its answers and the extra arguments of the command
CASES: dict[str, tuple[dict[str, object], list[str]]] = {
    **{name: (answers, []) for name, answers in ANSWER_SETS.items()},
    **{name: (answers, extra) for name, (answers, extra, _, _) in ADVICE_CASES.items()},
}
LABELS = {"open": "Open-source LLM", "closed": "Closed-source LLM", "hybrid": "Hybrid of both"}


def _run(workdir: Path, name: str, args: list[str]) -> str:
    answers, extra = CASES[name]
    given = [str(write_answers(workdir, name, answers))] if answers else []
    result = cli("recommend", *given, "--rules", "default.yaml", *extra, *args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return str(result.stdout)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("name", sorted(CASES))
def test_report_matches_golden_file(workdir: Path, name: str, fmt: str) -> None:
    ext, args = FORMATS[fmt]
    out = _run(workdir, name, args)
    golden = GOLDEN / f"{name}{ext}"
    if UPDATE:
        golden.write_text(out, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}; run with LLMCHOICE_UPDATE_GOLDEN=1"
    assert out == golden.read_text(encoding="utf-8")


def _expected(name: str) -> tuple[str, str]:
    """The outcome label and the path label a reader should see first."""
    if name in ADVICE_CASES:
        _, _, outcome, path = ADVICE_CASES[name]
    else:
        outcome, path = EXPECTED[name], EXPECTED_PATH[name]
    return LABELS[outcome], rules_data()["paths"][path]["label"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_files_show_the_recommendation_and_its_path_first(name: str) -> None:
    """What a reader sees first (after any hard constraint), in every format: the verdict and
    how to run it; ``Forced:`` when a constraint left nothing else; ``No clear verdict:``
    and both outcomes for a tie or too close a call (the basis is read from the JSON)."""
    data = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    c = data["certainty"]
    label, path = _expected(name)
    oa = data["open_answers"]
    won = [o for o, share in (oa or {}).get("shares", {}).items() if share > 0]
    if len(won) > 1:  # the unsure answers split the verdict: the two most frequent outcomes
        won.sort(key=lambda o: (-oa["shares"][o], o != data["recommendation"]))
        title, headline = "No clear verdict", f"{LABELS[won[0]]} or {LABELS[won[1]]}"
    elif c["basis"] in ("tie", "too_close", "defaults"):
        title, headline = "No clear verdict", " or ".join(LABELS[o] for o in c["tied"] or
                                                          c["close"])
        assert headline.startswith(label)
    else:
        title = "Forced" if c["basis"] == "constraint" else "Recommendation"
        headline = f"{label} — {path}"
    terminal = (GOLDEN / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    first_panel = 0 if not terminal[0].startswith("╭─ Ruled out first") else \
        next(i for i, line in enumerate(terminal) if line.startswith(f"╭─ {title}"))
    assert terminal[first_panel].startswith(f"╭─ {title}")
    assert terminal[first_panel + 1].startswith(f"│ {headline}")
    markdown = (GOLDEN / f"{name}.md").read_text(encoding="utf-8")
    assert markdown.startswith(f"# {title}: {headline}\n")
    html = (GOLDEN / f"{name}.html").read_text(encoding="utf-8")
    assert f'<p class="kicker">{title}</p><h1>{escape(headline)}</h1>' in html
    assert html.index("<h1>") < html.index('<section id="path">') \
        < html.index('<section id="scores">')
    assert (data["label"], data["path"]["label"]) == (label, path)
    if c["basis"] in ("tie", "too_close"):  # both plans
        other = c["alternative_path"]["label"]
        assert f"If {LABELS[data['recommendation']]}: **{path}**" in markdown
        assert f"**{other}**" in markdown
