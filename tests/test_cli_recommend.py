"""`llmchoice recommend` through the real CLI: inputs, formats, output files, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from llmchoice.cli.app import app

from .conftest import CLOSED_TEAM, MIDDLE, OPEN_TEAM, to_yaml

Write = Callable[[str, str | bytes], Path]


def run(runner: CliRunner, *args: str, stdin: str | bytes | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=stdin)


def test_file_to_json_report_matches_the_contract(runner: CliRunner, write: Write) -> None:
    path = write("a.yaml", to_yaml(CLOSED_TEAM))
    result = run(runner, "recommend", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    for key in ("recommendation", "scores", "confidence", "answers", "contributions", "what_if",
                "excluded", "scenario", "ruleset"):
        assert key in report
    assert report["recommendation"] == "closed"
    assert set(report["scores"]) == {"open", "closed", "hybrid"}
    assert 0 <= report["confidence"] <= 1
    assert report["answers"] == CLOSED_TEAM
    c = report["contributions"][0]
    assert set(c) >= {"rule", "outcome", "points", "because", "cites"} and c["cites"]
    assert set(report["ruleset"]) >= {"id", "version", "sha256"}
    assert len(report["ruleset"]["sha256"]) == 64
    assert report["scenario"] == "niche-domination"
    assert result.stderr == ""


def test_json_is_byte_identical_for_identical_input(runner: CliRunner, write: Write) -> None:
    path = write("a.yaml", to_yaml(MIDDLE))
    outs = {run(runner, "recommend", str(path), "-f", "json").stdout for _ in range(3)}
    assert len(outs) == 1


def test_json_answers_file_and_stdin(runner: CliRunner, write: Write) -> None:
    path = write("a.json", json.dumps(OPEN_TEAM))
    by_file = run(runner, "recommend", str(path), "-f", "json")
    by_dash = run(runner, "recommend", "-", "-f", "json", stdin=json.dumps(OPEN_TEAM))
    piped = run(runner, "recommend", "-f", "json", stdin=to_yaml(OPEN_TEAM))
    assert by_file.exit_code == by_dash.exit_code == piped.exit_code == 0
    assert json.loads(by_file.stdout)["recommendation"] == "open"
    assert by_file.stdout == by_dash.stdout == piped.stdout


def test_set_wins_over_file_and_defaults_fill_the_rest(runner: CliRunner, write: Write) -> None:
    path = write("a.yaml", "budget: minimal\n")
    result = run(runner, "recommend", str(path), "--defaults", "--set", "budget=large",
                 "-s", "data=on_premises", "-f", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["answers"]["budget"] == "large"
    assert report["excluded"][0]["outcome"] == "closed"


def test_missing_answers_are_listed_with_allowed_values(runner: CliRunner, write: Write) -> None:
    path = write("a.yaml", "budget: minimal\ntransparency: maybe\n")
    result = run(runner, "recommend", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    err = result.stderr
    assert err.startswith(f"{path}: 10 problems with the answers\n")
    assert f"{path}:2:15: transparency: the text 'maybe' is not allowed; expected one of " \
           "essential, preferred, unimportant" in err
    assert "missing answer to 'time_to_market'; expected one of urgent, normal, flexible " \
           "(or use --defaults)" in err
    assert "Traceback" not in err


def test_no_answers_at_all_explains_what_to_do(runner: CliRunner) -> None:
    result = run(runner, "recommend", stdin="")
    assert result.exit_code == 2
    assert "is empty" in result.stderr or "no answers given" in result.stderr


@pytest.mark.parametrize(("content", "expected"), [
    ("- budget\n- minimal\n", "expected a mapping of question id to answer"),
    ("budget: [minimal\n", "not valid YAML/JSON"),
    ("budget: !!python/object/apply:os.system [ls]\n", "not allowed"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "binary data"),
    ("budget: minimal\nbudget: large\n", "duplicate key 'budget'"),
])
def test_bad_files_exit_2_with_one_message(runner: CliRunner, write: Write,
                                           content: str | bytes, expected: str) -> None:
    path = write("bad.yaml", content)
    result = run(runner, "recommend", str(path))
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_unknown_format_and_bad_set(runner: CliRunner, write: Write) -> None:
    path = write("a.yaml", to_yaml(MIDDLE))
    bad_fmt = run(runner, "recommend", str(path), "--format", "pdf")
    assert bad_fmt.exit_code == 2 and "--format 'pdf': expected one of" in bad_fmt.stderr
    bad_set = run(runner, "recommend", str(path), "--set", "budget")
    assert bad_set.exit_code == 2 and "expected ID=VALUE" in bad_set.stderr


def test_output_is_written_atomically_and_never_overwritten(runner: CliRunner, write: Write,
                                                            tmp_path: Path) -> None:
    path = write("a.yaml", to_yaml(OPEN_TEAM))
    out = tmp_path / "report.json"
    first = run(runner, "recommend", str(path), "-o", str(out))
    assert first.exit_code == 0 and first.stdout == ""
    assert json.loads(out.read_text())["recommendation"] == "open"  # format from extension
    again = run(runner, "recommend", str(path), "-o", str(out))
    assert again.exit_code == 2 and "already exists; add --force" in again.stderr
    forced = run(runner, "recommend", str(path), "-o", str(out), "--force", "-f", "markdown")
    assert forced.exit_code == 0
    # OPEN_TEAM must be able to inspect the model: a constraint forces open
    assert out.read_text().startswith("# Forced: Open-source LLM")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "report.json"]


def test_output_into_missing_folder_writes_nothing(runner: CliRunner, write: Write,
                                                   tmp_path: Path) -> None:
    path = write("a.yaml", to_yaml(OPEN_TEAM))
    result = run(runner, "recommend", str(path), "-o", str(tmp_path / "nope" / "r.md"))
    assert result.exit_code == 2 and "does not exist" in result.stderr
    assert not (tmp_path / "nope").exists()


def test_bad_answers_leave_no_output_file(runner: CliRunner, write: Write,
                                          tmp_path: Path) -> None:
    path = write("a.yaml", "budget: huge\n")
    result = run(runner, "recommend", str(path), "-o", str(tmp_path / "r.md"))
    assert result.exit_code == 2
    assert not (tmp_path / "r.md").exists()


def test_markdown_report_explains_with_citations(runner: CliRunner, write: Write) -> None:
    path = write("a.yaml", to_yaml({**MIDDLE, "data": "on_premises"}))
    result = run(runner, "recommend", str(path), "-f", "markdown")
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("# Forced: ")  # data on premises leaves open alone
    assert "## Ruled out first" in text and "Closed-source LLM" in text
    # trade-offs by title; their ids stay in --explain and JSON
    assert "Democratized Access" in text and "(open." not in text and "(closed." not in text
    assert "## What would change it" in text


def test_terminal_report_without_colour_when_not_a_tty(runner: CliRunner, write: Write) -> None:
    path = write("a.yaml", to_yaml(CLOSED_TEAM))
    result = run(runner, "recommend", str(path), "-f", "terminal")
    assert result.exit_code == 0
    assert "\x1b[" not in result.stdout
    assert "Recommendation" in result.stdout and "Closed-source LLM" in result.stdout
    assert "Reliable Support" in result.stdout


def test_custom_rule_set_errors_exit_2(runner: CliRunner, write: Write) -> None:
    rules = write("r.yaml", "ruleset: {}\n")
    path = write("a.yaml", to_yaml(MIDDLE))
    result = run(runner, "recommend", str(path), "--rules", str(rules))
    assert result.exit_code == 2
    assert f"{rules}: " in result.stderr and "missing key 'id'" in result.stderr


def test_questions_and_template_round_trip(runner: CliRunner, tmp_path: Path) -> None:
    listed = run(runner, "questions", "--format", "json")
    assert [q["id"] for q in json.loads(listed.stdout)][:2] == ["budget", "transparency"]
    template = run(runner, "template")
    assert template.exit_code == 0
    path = tmp_path / "t.yaml"
    path.write_text(template.stdout)
    report = run(runner, "recommend", str(path), "-f", "json")
    assert report.exit_code == 0, report.stderr
    assert json.loads(report.stdout)["answers"]["budget"] == "moderate"


def test_help_teaches(runner: CliRunner) -> None:
    top = run(runner, "--help")
    assert top.exit_code == 0 and "llmchoice recommend answers.yaml" in top.stdout
    rec = run(runner, "recommend", "--help")
    assert "--set" in rec.stdout and "--defaults" in rec.stdout and "Examples" in rec.stdout


def test_python_dash_m_works_in_a_real_process(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(to_yaml(OPEN_TEAM))
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("LLMCHOICE_RULES", None)
    proc = subprocess.run([sys.executable, "-m", "llmchoice", "recommend", str(path), "-f",
                           "json"], capture_output=True, text=True, cwd=tmp_path, env=env,
                          timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["recommendation"] == "open"
    bad = subprocess.run([sys.executable, "-m", "llmchoice", "recommend", str(tmp_path / "x")],
                         capture_output=True, text=True, env=env, timeout=60, check=False)
    assert bad.returncode == 2 and "no such file" in bad.stderr and "Traceback" not in bad.stderr


def test_closed_stdout_exits_quietly(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(to_yaml(MIDDLE))
    proc = subprocess.run(
        f'"{sys.executable}" -m llmchoice recommend "{path}" -f markdown | head -c 1',
        shell=True, capture_output=True, text=True, timeout=60, check=False)
    assert "Traceback" not in proc.stderr and "Error" not in proc.stderr


def test_wheel_ships_the_rule_set(built_wheel: Path) -> None:
    import zipfile

    names = zipfile.ZipFile(built_wheel).namelist()
    assert "llmchoice/_rules/default.yaml" in names


def test_monthly_tokens_brings_the_cost_estimate_into_the_report(runner: CliRunner,
                                                                 write: Write) -> None:
    path = write("a.yaml", to_yaml({**MIDDLE, "monthly_tokens": 40}))
    report = json.loads(run(runner, "recommend", str(path), "-f", "json").stdout)
    cost = report["cost"]
    assert cost["monthly_tokens"] == 40
    assert cost["api_monthly_usd"] == 190.0  # 40 M x (0.6 x 1.25 + 0.4 x 10) USD per M
    assert cost["self_host_monthly_usd"] > cost["api_monthly_usd"]
    assert cost["break_even_monthly_tokens"] > 1000
    assert all({"value", "unit", "source", "as_of"} <= set(a) for a in cost["assumptions"].values())
    markdown = run(runner, "recommend", str(path), "-f", "markdown").stdout
    assert "## Cost at your volume" in markdown
    assert "llmchoice cost --monthly-tokens 40" in markdown
    without = json.loads(run(runner, "recommend", str(write("b.yaml", to_yaml(MIDDLE))),
                             "-f", "json").stdout)
    assert "cost" not in without


@pytest.mark.parametrize("tokens", ["0", "0.0001", "100000000"])
def test_every_allowed_volume_gives_a_report(runner: CliRunner, tokens: str) -> None:
    result = run(runner, "recommend", "--defaults", "--set", f"monthly_tokens={tokens}",
                 "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["cost"]["monthly_tokens"] == float(tokens)


@pytest.mark.parametrize(("target", "expected"), [
    ("a" * 300 + ".md", "File name too long"),
    ("newdir/", "names a folder"),
    ("", "the name is empty"),
])
def test_output_names_that_cannot_be_files(runner: CliRunner, tmp_path: Path, target: str,
                                           expected: str) -> None:
    result = run(runner, "recommend", "--defaults", "-o", f"{tmp_path}/{target}" if target
                 else "")
    assert result.exit_code == 2
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_output_never_replaces_what_is_not_a_regular_file(runner: CliRunner,
                                                          tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "elsewhere.md")
    for target, kind in ((fifo, "not a regular file"), (link, "a symbolic link")):
        result = run(runner, "recommend", "--defaults", "-o", str(target), "--force")
        assert result.exit_code == 2 and kind in result.stderr
    assert fifo.exists() and not fifo.is_file() and link.is_symlink()
    assert not (tmp_path / "elsewhere.md").exists()


def test_output_dash_is_standard_output_and_files_get_ordinary_permissions(
        runner: CliRunner, tmp_path: Path) -> None:
    dash = run(runner, "recommend", "--defaults", "-o", "-", "-f", "json")
    assert dash.exit_code == 0 and json.loads(dash.stdout)["recommendation"]
    old = os.umask(0o022)
    try:
        out = tmp_path / "r.md"
        assert run(runner, "recommend", "--defaults", "-o", str(out)).exit_code == 0
        assert out.stat().st_mode & 0o777 == 0o644
        out.chmod(0o640)
        assert run(runner, "recommend", "--defaults", "-o", str(out), "--force").exit_code == 0
        assert out.stat().st_mode & 0o777 == 0o640  # replacing keeps the file's mode
    finally:
        os.umask(old)


def test_empty_rules_option_is_refused(runner: CliRunner) -> None:
    result = run(runner, "recommend", "--defaults", "--rules", "")
    assert result.exit_code == 2 and "--rules: the name is empty" in result.stderr


def test_the_cost_estimate_is_computed_in_the_core_from_the_answered_volume(
        tmp_path: Path) -> None:
    from llmchoice.cost.assumptions import load_assumptions, with_overrides
    from llmchoice.cost.estimate import Estimate
    from llmchoice.cost.for_answers import estimate_for, with_cost
    from llmchoice.decide.engine import evaluate
    from llmchoice.ruleset.load import load_ruleset

    from ._ruletools import SMALL

    rs = load_ruleset("default")
    answers = {**MIDDLE, "monthly_tokens": 40}
    result = with_cost(evaluate(rs, answers), rs)
    assert isinstance(result.cost, Estimate)
    assert result.cost.monthly_tokens == 40 and result.cost.api_monthly_usd == 190.0
    # the loaded assumptions are the ones used: a dearer frontier API costs more
    dear = with_overrides(load_assumptions(), {"api.frontier.output_usd": 20})
    assert estimate_for(rs, answers, assumptions=dear).api_monthly_usd > 190.0  # type: ignore[union-attr]
    # no volume answered, or a rule set without the volume question: no estimate
    assert with_cost(evaluate(rs, MIDDLE), rs).cost is None
    (tmp_path / "small.yaml").write_text(SMALL, encoding="utf-8")
    small = load_ruleset(tmp_path / "small.yaml")
    assert estimate_for(small, {"budget": "low", "colour": "red", "monthly_tokens": 40}) is None
