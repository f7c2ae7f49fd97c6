"""Decision records (``--format adr``) and ``llmchoice revisit``: each example's record
replays unchanged (exit 0) and, after a changed cost figure or rule weight, says what
changed (exit 1); a hostile or edited record is one message and exit 2."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from llmchoice.cli.app import app

from .conftest import REPO

EXAMPLES = sorted((REPO / "examples" / "answers").iterdir())
DEFAULT = (REPO / "rules" / "default.yaml").read_text(encoding="utf-8")
Write = Callable[[str, str | bytes], Path]


def adr(runner: CliRunner, answers: Path, out: Path, *extra: str) -> str:
    result = runner.invoke(app, ["recommend", str(answers), "--format", "adr",
                                 "--output", str(out), *extra])
    assert result.exit_code == 0, result.stderr
    return out.read_text(encoding="utf-8")


def revisit(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, ["revisit", *args])
    return r.exit_code, r.stdout, r.stderr


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_record_has_the_madr_sections_and_its_data(runner: CliRunner, tmp_path: Path,
                                                   example: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    text = adr(runner, example, tmp_path / "decision.md")
    for heading in ("# Use ", "## Context and Problem Statement", "## Decision Drivers",
                    "## Considered Options", "## Decision Outcome",
                    "### Reasons, in the article's words", "### Consequences",
                    "## When to Revisit"):
        assert f"\n{heading}" in text
    assert text.startswith("---\nstatus: proposed\ndate: '2026-01-01'\n")
    assert f"decision-makers:\n- {example.stem}\n" in text
    json_report = json.loads(runner.invoke(app, ["recommend", str(example), "--format",
                                                 "json"]).stdout)
    assert f"sha256: {json_report['ruleset']['sha256']}" in text  # the rule set's sha256
    assert f"recommendation: {json_report['recommendation']}" in text
    assert "as_of: " in text and "break_even_monthly_tokens:" in text
    assert "(chosen)" in text.split("## Considered Options", 1)[1].split("##", 1)[0]
    # the same inputs and date give the same bytes
    assert adr(runner, example, tmp_path / "again.md") == text


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_revisit_unchanged_holds(runner: CliRunner, tmp_path: Path, example: Path) -> None:
    record = tmp_path / "decision.md"
    adr(runner, example, record)
    code, out, err = revisit(runner, str(record))
    assert (code, err) == (0, "")
    assert "still holds" in out and "Nothing it rests on changed" in out
    data = json.loads(revisit(runner, str(record), "--format", "json")[1])
    assert data["holds"] is True and data["moved"] == [] and data["met"] == []


def _rules_with(tmp_path: Path, old: str, new: str) -> str:
    assert old in DEFAULT
    text = DEFAULT.replace(old, new, 1).replace("version: 2.0.0", "version: 2.0.1", 1)
    path = tmp_path / "rules-next.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


# what changes for each example: a rule weight, a rule's exclusion, or a cost figure
CHANGES = {
    "vendor-first": ("rule", "when: {support: dedicated}\n    points: {closed: 3}",
             "when: {support: dedicated}\n    points: {open: 30}"),
    "bank": ("rule", "when: {support: dedicated}\n    points: {closed: 3}",
             "when: {support: dedicated}\n    points: {open: 30}"),
    "insurer": ("rule", "when: {transparency: essential}\n    exclude: [closed, hybrid]",
                "when: {transparency: essential}\n    points: {open: 0.5}"),
    "startup": ("cost", "assumptions:\n  api.open_hosted.input_usd: 60\n"
                        "  api.open_hosted.output_usd: 60\n  gpu.hourly_usd: 0.05\n"
                        "  self_host.staff_usd_month: 0\n", ""),
}


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_revisit_after_a_change_names_it(runner: CliRunner, tmp_path: Path,
                                         example: Path) -> None:
    record = tmp_path / "decision.md"
    adr(runner, example, record)
    kind, old, new = CHANGES[example.stem]
    if kind == "rule":
        args = ["--rules", _rules_with(tmp_path, old, new)]
    else:
        costs = tmp_path / "prices.yaml"
        costs.write_text(old, encoding="utf-8")
        args = ["--assumptions", str(costs)]
    code, out, err = revisit(runner, str(record), *args)
    assert code == 1, out + err
    assert "still holds" not in out
    if kind == "rule":
        assert "Rule set: llmchoice-default 2.0.0" in out
        assert "is now llmchoice-default 2.0.1" in out
        assert "has changed (the recommendation" in out
    else:
        assert "Cost figure the GPU price: 3.99 is now 0.05" in out
        assert "Revisit conditions now met:" in out and "Cost:" in out


def test_revisit_with_a_lever_answer_and_new_answers(runner: CliRunner, tmp_path: Path) -> None:
    record = tmp_path / "decision.md"
    # closed; lever: transparency
    adr(runner, REPO / "examples" / "answers" / "vendor-first.json", record)
    code, out, _ = revisit(runner, str(record), "--set", "transparency=essential")
    assert code == 1
    assert ("Transparency is now “Essential”: the record said that would make it "
            "Open-source LLM") in out
    assert "Answer to Transparency: “Unimportant” is now “Essential”" in out
    code, out, _ = revisit(runner, str(record), "--answers",
                           str(REPO / "examples" / "answers" / "startup.yaml"))
    assert code == 1 and "it was Closed-source LLM" in out


def _front(text: str) -> tuple[str, str]:
    head, _, body = text[4:].partition("\n---\n")
    return head, body


@pytest.mark.parametrize("case", ["edited", "no-front", "no-data", "not-yaml", "missing",
                                  "huge", "alias-bomb", "wrong-version", "empty"])
def test_hostile_records_are_one_message_and_exit_2(runner: CliRunner, tmp_path: Path,
                                                    write: Write, case: str) -> None:
    record = tmp_path / "decision.md"
    text = adr(runner, REPO / "examples" / "answers" / "startup.yaml", record)
    head, body = _front(text)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    content = {
        "edited": text.replace("budget: minimal", "budget: large"),
        "no-front": body,
        "no-data": "---\nstatus: accepted\n---\n# A decision\n",
        "not-yaml": "---\nllmchoice: [unclosed\n---\n",
        "huge": "---\n" + "x" * (600 * 1024) + "\n---\n",
        "alias-bomb": "---\n" + bomb + "---\n",
        "wrong-version": text.replace("record_version: 1", "record_version: 9"),
        "empty": "",
        "missing": None,
    }[case]
    target = tmp_path / "nope.md" if content is None else write("bad.md", content)
    code, out, err = revisit(runner, str(target))
    assert code == 2, out + err
    assert out == "" and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    if case == "edited":
        assert "changed after it was written" in err


def test_record_text_from_answers_is_escaped(runner: CliRunner, write: Write,
                                             tmp_path: Path) -> None:
    answers = write("a.yaml", (REPO / "examples" / "answers" / "startup.yaml").read_text()
                    + "respondent: '<b>*Eve*</b> --- | x'\n")
    text = adr(runner, answers, tmp_path / "d.md")
    head, body = _front(text)
    assert "&lt;b&gt;\\*Eve\\*&lt;/b&gt;" in body and "<b>" not in body
    code, _, _ = revisit(runner, str(tmp_path / "d.md"))
    assert code == 0
