"""``llmchoice cost`` through the real command line: overrides, formats, output and every
error path (exit 2, one message on stderr, no traceback)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from llmchoice.cli.app import app

ONE_LARGE_REPLICA = 4 * 3.99 * 730 * 1.15 + 6000  # 19,398.42 (see test_cost.py)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["cost", *args])
    return result.exit_code, result.stdout, result.stderr


def run_json(*args: str) -> dict[str, Any]:
    code, out, err = run(*args, "--format", "json")
    assert code == 0, err
    assert err == ""
    data = json.loads(out, parse_constant=lambda c: pytest.fail(f"not JSON: {c}"))
    assert isinstance(data, dict)
    return data


def assumption(data: dict[str, Any], aid: str) -> dict[str, Any]:
    table = data["assumptions"]
    assert isinstance(table, dict)
    entry = table[aid]
    assert isinstance(entry, dict)
    return entry


# --------------------------------------------------------------------------- the estimate


def test_json_for_1000_million_tokens_with_shipped_defaults() -> None:
    data = run_json("--monthly-tokens", "1000")
    assert data["api_monthly_usd"] == 4750.0
    assert data["self_host_monthly_usd"] == round(ONE_LARGE_REPLICA, 2)
    assert data["break_even_monthly_tokens"] == round(ONE_LARGE_REPLICA / 4.75, 3)
    assert data["cheaper"] == "api"
    assert data["most_sensitive"] == "self_host.utilisation"
    gpu = assumption(data, "gpu.hourly_usd")
    assert gpu["value"] == 3.99 and gpu["as_of"] == "2026-09"
    assert "tgarg01/silybench-data" in str(gpu["source"])


def test_json_is_deterministic_bytes() -> None:
    a = run("-n", "12345.5", "--format", "json", "--utilisation", "0.3")
    b = run("-n", "12345.5", "--format", "json", "--utilisation", "0.3")
    assert a == b and a[0] == 0


def test_markdown_is_the_default_off_a_terminal_and_explains_itself() -> None:
    code, out, err = run("-n", "1000")
    assert code == 0 and err == ""
    assert out.startswith("# Cost estimate for 1,000 million tokens a month\n")
    assert ("Below about 4,100 million tokens a month (about 4.1 billion) the API is cheaper; "
            "above it, self-hosting the large open model is.") in out
    assert "| **Closed API, frontier model (GPT-5 list price)** | 4,750.00 |" in out
    assert "| gpu.hourly\\_usd | 3.99 | USD per GPU-hour" in out
    assert "## What moves the break-even (large model), one assumption at a time" in out


def test_terminal_format_lists_options_break_even_sensitivity_and_sources() -> None:
    code, out, err = run("-n", "100000", "--format", "terminal")
    assert code == 0 and err == ""
    assert "Cost estimate for 100,000 million tokens a month" in out
    assert "36 GPUs (9 replicas of 4)" in out
    assert "self-hosting is cheaper" in out
    assert "simonw/llm-prices" in out and "LambdaLabsML/vllm-benchmark" in out
    assert "\x1b[" not in out  # no colour when not on a terminal


# --------------------------------------------------------------------------- overrides


def test_each_flag_overrides_its_assumption_and_says_so() -> None:
    data = run_json("-n", "1000", "--gpu-hourly-usd", "2.69")
    # 4 x 2.69 x 730 = 7,854.80; x 1.15 = 9,033.02; + 6,000 = 15,033.02
    assert data["self_host_monthly_usd"] == 15033.02
    gpu = assumption(data, "gpu.hourly_usd")
    assert gpu["value"] == 2.69
    assert gpu["overridden_by"] == "--gpu-hourly-usd"
    assert gpu["source"] == "your figure (--gpu-hourly-usd)" and gpu["as_of"] is None

    data = run_json("-n", "1000", "--input-share", "0.5")
    assert data["api_monthly_usd"] == 5625.0  # 1000 x (0.5 x 1.25 + 0.5 x 10)

    data = run_json("-n", "1000", "--api-input-usd", "3", "--api-output-usd", "15")
    # Claude Sonnet 4.5 prices: blended 7.8; break-even 19,398.42 / 7.8 = 2,486.98
    assert data["api_monthly_usd"] == 7800.0
    assert data["break_even_monthly_tokens"] == round(ONE_LARGE_REPLICA / 7.8, 3)

    data = run_json("-n", "1000", "--staff-usd-month", "0")
    assert data["self_host_monthly_usd"] == round(ONE_LARGE_REPLICA - 6000, 2)

    data = run_json("-n", "100000", "--utilisation", "0.25")
    large = next(o for o in data["options"] if o["id"] == "self_host_large")
    # capacity halves to 5,819.38 million a replica: 100,000 needs 18 replicas, 72 GPUs
    assert (large["replicas"], large["gpus"]) == (18, 72)


def test_throughput_overrides_the_chosen_model_class_only() -> None:
    data = run_json("-n", "100000", "--model-class", "small", "--throughput", "3400")
    assert data["model_class"] == "small"
    assert assumption(data, "self_host.small.throughput")["value"] == 3400
    assert assumption(data, "self_host.large.throughput")["value"] == 3543
    small = next(o for o in data["options"] if o["id"] == "self_host_small")
    # 3,400 x 3,600 x 730 x 0.5 / 0.4 / 1e6 = 11,169 million a replica: 100,000 needs 9
    assert small["gpus"] == 9


def test_assumptions_file_overrides_and_flags_win_over_it(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text("assumptions:\n  gpu.hourly_usd: 2.69\n  self_host.overhead_share: 0.3\n",
                    encoding="utf-8")
    data = run_json("-n", "1000", "--assumptions", str(mine))
    assert data["self_host_monthly_usd"] == round(4 * 2.69 * 730 * 1.3 + 6000, 2)  # 16,211.24
    assert assumption(data, "gpu.hourly_usd")["overridden_by"] == f"{mine}:2"
    files = data["costs_file"]
    assert isinstance(files, dict) and files["overrides_file"] == str(mine)

    data = run_json("-n", "1000", "--assumptions", str(mine), "--gpu-hourly-usd", "3.99")
    assert data["self_host_monthly_usd"] == round(4 * 3.99 * 730 * 1.3 + 6000, 2)
    assert assumption(data, "gpu.hourly_usd")["overridden_by"] == "--gpu-hourly-usd"


def test_a_json_assumptions_file_works_too(tmp_path: Path) -> None:
    mine = tmp_path / "mine.json"
    mine.write_text('{"assumptions": {"self_host.staff_usd_month": 500}}', encoding="utf-8")
    data = run_json("-n", "1000", "--assumptions", str(mine))
    assert data["break_even_monthly_tokens"] == round((ONE_LARGE_REPLICA - 5500) / 4.75, 3)


def test_labels_from_a_file_are_data_not_markup(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text('options:\n  frontier_api: "[bold red]Boom[/] | x \\e[31m"\n',
                    encoding="utf-8")
    code, out, err = run("-n", "10", "--assumptions", str(mine), "--format", "terminal")
    assert code == 0, err
    assert "[bold red]Boom[/]" in out
    assert "\x1b" not in out and "\\x1b[31m" in out
    code, out, err = run("-n", "10", "--assumptions", str(mine), "--format", "markdown")
    assert "\\[bold red\\]Boom\\[/\\] \\| x \\\\x1b\\[31m" in out


# --------------------------------------------------------------------------- output files


def test_output_is_written_atomically_and_not_over_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "cost.json"
    code, out, err = run("-n", "1000", "--output", str(target))
    assert code == 0 and out == "" and f"Wrote {target}" in err
    written = target.read_text(encoding="utf-8")
    assert json.loads(written)["api_monthly_usd"] == 4750.0  # format from the extension
    assert written == run("-n", "1000", "--format", "json")[1]

    code, out, err = run("-n", "10", "--output", str(target))
    assert code == 2 and out == ""
    assert err == f"--output {target}: already exists; add --force to overwrite it\n"
    assert target.read_text(encoding="utf-8") == written

    code, _, err = run("-n", "10", "--output", str(target), "--force")
    assert code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["monthly_tokens"] == 10.0


# --------------------------------------------------------------------------- errors


def _bad_file(tmp_path: Path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


ERRORS = [
    (["-n", "0"], "--monthly-tokens: expected millions of tokens a month, at least 0.001 (a "
                  "thousand tokens) and at most 1,000,000,000 (10^15 tokens), found 0"),
    (["-n", "1e-300"], "found 1e-300"),
    (["-n", "-5"], "found -5"),
    (["-n", "nan"], "found NaN"),
    (["-n", "inf"], "found inf"),
    (["-n", "1e12"], "at most 1,000,000,000"),
    (["-n", "10", "--input-share", "1"], "--input-share (the input share): expected a number "
                                         "at least 0 and at most 0.99, found 1"),
    (["-n", "10", "--input-share", "-0.1"], "found -0.1"),
    (["-n", "10", "--utilisation", "0"], "--utilisation (the utilisation): expected a number "
                                         "at least 0.01 and at most 1, found 0"),
    (["-n", "10", "--utilisation", "1e-300"], "found 1e-300"),
    (["-n", "10", "--throughput", "1e-300"], "expected a number at least 1 and at most "
                                             "10,000,000, found 1e-300"),
    (["-n", "10", "--utilization", "1.5"], "found 1.5"),
    (["-n", "10", "--gpu-hourly-usd", "-1"], "--gpu-hourly-usd (the GPU price)"),
    (["-n", "10", "--gpu-hourly-usd", "1e9"], "at most 1,000, found 1,000,000,000"),
    (["-n", "10", "--throughput", "0"], "--throughput (the large model's throughput)"),
    (["-n", "10", "--throughput", "inf"], "found infinity"),
    (["-n", "10", "--staff-usd-month", "-1"], "at least 0 and at most 10,000,000, found -1"),
    (["-n", "10", "--api-input-usd", "nan"], "found NaN (not a number)"),
    (["-n", "10", "--api-output-usd", "0"], "--api-output-usd (the frontier API's output "
                                            "price): expected a number more than 0"),
    (["-n", "10", "--model-class", "medium"], "--model-class 'medium': expected small or large"),
    (["-n", "10", "--format", "html"], "--format 'html': expected one of terminal, markdown, "
                                       "json"),
    (["-n", "10", "--assumptions", "/nonexistent/costs.yaml"], "no such file"),
]


@pytest.mark.parametrize(("args", "message"), ERRORS)
def test_bad_values_exit_2_with_one_clear_message(args: list[str], message: str) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert out == ""
    assert message in err
    assert err.count("\n") == 1, err  # one message, one line
    assert "Traceback" not in err


@pytest.mark.parametrize(("name", "text", "message"), [
    ("bad.yaml", "assumptions:\n  gpu.hourly_usd: -2\n",
     "bad.yaml:2:19: assumptions.gpu.hourly_usd (the GPU price): expected a number more than 0"),
    ("typo.yaml", "assumptions:\n  self_host.utilisaton: 0.3\n",
     "(did you mean 'self_host.utilisation'?)"),
    ("evil.yaml", "assumptions: !!python/object/apply:os.system ['echo hi']\n",
     "evil.yaml:1:14: the tag tag:yaml.org,2002:python/object/apply:os.system is not allowed"),
    ("broken.yaml", "assumptions: [1, 2\n", "not valid YAML/JSON"),
    ("dup.yaml", "assumptions:\n  gpu.hourly_usd: 2\n  gpu.hourly_usd: 3\n", "duplicate key"),
    ("bin.yaml", b"\x00\x01\x02", "this looks like binary data"),
    ("latin1.yaml", "assumptions:\n  gpu.hourly_usd: 2 # caf\xe9\n".encode("latin-1"),
     "not UTF-8 text"),
    ("empty.yaml", "", "is empty"),
    ("list.yaml", "- 1\n", "expected a mapping with 'assumptions'"),
    ("deep.yaml", "assumptions: " + "[" * 40 + "]" * 40 + "\n", "levels deep"),
])
def test_bad_assumptions_files_exit_2_without_traceback(
        tmp_path: Path, name: str, text: str | bytes, message: str) -> None:
    code, out, err = run("-n", "10", "--assumptions", _bad_file(tmp_path, name, text))
    assert code == 2 and out == ""
    assert message in err
    assert "Traceback" not in err


def test_a_file_with_several_problems_lists_them_all_in_one_block(tmp_path: Path) -> None:
    path = _bad_file(tmp_path, "many.yaml",
                     "assumptions:\n  gpu.hourly_usd: -2\n  self_host.utilisation: .nan\n"
                     "  self_host.large.gpus_per_replica: 2.5\n")
    code, out, err = run("-n", "10", "--assumptions", path)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines[0] == f"{path}: 3 problems in the cost assumptions file"
    assert [line.split(": ")[0] for line in lines[1:]] == [
        f"  {path}:2:19", f"  {path}:3:26", f"  {path}:4:37"]


def test_missing_monthly_tokens_is_a_usage_error() -> None:
    code, out, err = run()
    assert code == 2 and out == ""
    assert "Missing option '--monthly-tokens'" in err


def test_help_teaches_units_and_what_each_flag_overrides() -> None:
    result = CliRunner().invoke(app, ["cost", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    for words in ("millions of tokens a month", "USD per GPU-hour", "USD per million input tokens",
                  "USD per million output tokens", "Output tokens per second",
                  "0.01 to 1", "USD a month", "Flags win over the file", "never a quote"):
        assert words in text, words


# --------------------------------------------------------------------------- real processes


def test_python_dash_m_runs_the_cost_command() -> None:
    proc = subprocess.run([sys.executable, "-m", "llmchoice", "cost", "-n", "10000", "-f", "json"],
                          capture_output=True, text=True, check=False, timeout=60)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["cheaper"] == "self_host"
    bad = subprocess.run([sys.executable, "-m", "llmchoice", "cost", "-n", "-1"],
                         capture_output=True, text=True, check=False, timeout=60)
    assert bad.returncode == 2 and bad.stdout == "" and "Traceback" not in bad.stderr


@pytest.mark.slow
def test_built_wheel_ships_costs_yaml_and_finds_it_from_anywhere(tmp_path: Path,
                                                                 built_wheel: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    wheel = built_wheel
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        assert "llmchoice/_rules/costs.yaml" in names
        shipped = zf.read("llmchoice/_rules/costs.yaml").decode("utf-8")
    assert shipped == (root / "rules" / "costs.yaml").read_text(encoding="utf-8")
    target = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(target)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    probe = ("import llmchoice.cost.assumptions as c, llmchoice.cost.estimate as k;"
             "print(c.default_costs_path()); print(k.estimate(10).api_monthly_usd)")
    proc = subprocess.run([sys.executable, "-c", probe], cwd=elsewhere, env=env,
                          capture_output=True, text=True, check=False, timeout=60)
    assert proc.returncode == 0, proc.stderr
    path, api = proc.stdout.splitlines()
    assert Path(path) == target / "llmchoice" / "_rules" / "costs.yaml"
    assert float(api) == 47.5


def test_an_html_output_name_is_refused_not_filled_with_markdown(tmp_path: Path) -> None:
    code, out, err = run("-n", "100", "--output", str(tmp_path / "c.html"))
    assert code == 2 and "this command has no HTML format" in err
    assert list(tmp_path.iterdir()) == []


def test_the_reports_cost_command_is_one_cost_accepts() -> None:
    """monthly_tokens: 0 used to suggest `cost --monthly-tokens 0`, which cost refuses."""
    runner = CliRunner()
    for volume in ("0", "0.0005", "20"):
        report = runner.invoke(app, ["recommend", "--defaults", "--set",
                                     f"monthly_tokens={volume}", "--format", "markdown"])
        assert report.exit_code == 0, report.stderr
        found = re.search(r"llmchoice cost --monthly-tokens ([0-9.e+-]+)\.", report.stdout)
        assert found is not None
        assert run("--monthly-tokens", found.group(1))[0] == 0
