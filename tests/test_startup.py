"""Start-up: a command imports only what it needs (checked with ``python -X importtime``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ANSWERS = {
    "budget": "minimal", "transparency": "essential", "customization": "deep",
    "support": "community", "expertise": "some", "performance": "good_enough",
    "quality": "standard", "lock_in": "avoid", "domain": "research", "control": "critical",
    "time_to_market": "flexible",
}


def imported(args: list[str], stdin: bytes | None = None) -> set[str]:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "llmchoice", *args],
                          input=stdin, capture_output=True, check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    names = set()
    for line in proc.stderr.decode().splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


def test_recommend_json_imports_no_terminal_quiz_or_other_renderer(tmp_path: Path) -> None:
    f = tmp_path / "a.json"
    f.write_text(json.dumps(ANSWERS), encoding="utf-8")
    names = imported(["recommend", str(f), "--format", "json"])
    assert "llmchoice.report.json_report" in names
    for unwanted in ("questionary", "prompt_toolkit", "rich", "llmchoice.report.terminal",
                     "llmchoice.report.markdown", "llmchoice.decide.compiled",
                     "llmchoice.batch.stream",
                     "csv"):
        assert unwanted not in names, unwanted
    # every question answered, no --partial or --target: no reach (3 ms of modules), no
    # overlay merge (the default rule set extends nothing), no random module (0.4 ms; a
    # warm start, as the first run writes the rule-set cache with tempfile, which needs it)
    names = imported(["recommend", str(f), "--format", "json"])
    for unwanted in ("llmchoice.decide.partial", "llmchoice.decide.reach",
                     "llmchoice.decide.reach_paths", "llmchoice.decide.reach_steps",
                     "llmchoice.decide.target", "llmchoice.decide.tables",
                     "llmchoice.ruleset.overlay", "random", "llmchoice.report.reach_view",
                     # no --output: no atomic writer; ASCII names: no Unicode database;
                     # a file without a byte order mark: no utf-8-sig codec
                     "llmchoice.io.atomic", "unicodedata", "encodings.utf_8_sig"):
        assert unwanted not in names, unwanted
    # typer 0.29 coerces every option through pydantic: ~60 ms more at every start
    assert "pydantic" not in names, "a typer that imports pydantic at start-up (see pyproject)"
    if "_sha256" in names:  # the rule set's sha256 without OpenSSL's hashlib (2-3 ms)
        assert "hashlib" not in names


def test_batch_imports_no_renderer_rich_or_quiz() -> None:
    names = imported(["batch", "-"], stdin=(json.dumps(ANSWERS) + "\n").encode())
    assert {"llmchoice.batch.stream", "llmchoice.decide.compiled"} <= names
    for unwanted in ("questionary", "rich", "llmchoice.report.terminal",
                     "llmchoice.report.markdown", "llmchoice.report.json_report"):
        assert unwanted not in names, unwanted


def test_short_commands_run_with_the_collector_paused_long_ones_keep_it() -> None:
    from llmchoice.cli import pauses_gc

    for argv in (["recommend", "a.json"], ["questions"], ["template"], [], ["--help"],
                 ["--version"]):
        assert pauses_gc(argv), argv
    for argv in (["batch", "-"], ["rules", "analyze"], ["quiz"], ["team", "a", "b"],
                 ["cost"], ["form"]):
        assert not pauses_gc(argv), argv
    # the script's entry point sets it before the command runs
    code = ("import gc, sys; import llmchoice.cli.app as a; "
            "a.main = lambda: print(gc.isenabled()); "
            "from llmchoice.cli import main; sys.argv = ['llmchoice', *sys.argv[1:]]; main()")
    for argv, enabled in ((["recommend"], "False"), (["batch"], "True")):
        proc = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True,
                              text=True, check=True)
        assert proc.stdout.strip() == enabled, argv


def test_short_commands_freeze_their_objects_when_they_end(tmp_path: Path) -> None:
    """The interpreter's last collections skip what a short command made (12-15 ms); the
    exit handlers still run after it, with the command's exit code and its output."""
    f = tmp_path / "a.json"
    f.write_text(json.dumps(ANSWERS), encoding="utf-8")
    code = ("import atexit, gc, sys; "
            "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 1000)); "
            "from llmchoice.cli import main; sys.argv = ['llmchoice', *sys.argv[1:]]; main()")
    for argv, frozen, exit_code in ((["recommend", str(f), "--format", "json"], "True", 0),
                                    (["recommend", str(tmp_path / "none.json")], "True", 2),
                                    (["batch", str(f)], "False", 0)):
        proc = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True,
                              text=True, check=False, timeout=120)
        assert proc.returncode == exit_code, proc.stderr
        assert proc.stdout.rstrip().endswith(f"frozen {frozen}"), argv
    report = subprocess.run([sys.executable, "-c", code, "recommend", str(f), "--format",
                             "json"], capture_output=True, text=True, check=True).stdout
    assert json.loads(report.rsplit("frozen", 1)[0])["recommendation"]


@pytest.mark.parametrize("fmt", ["markdown", "html", "terminal"])
def test_report_formats_import_only_what_they_draw(tmp_path: Path, fmt: str) -> None:
    f = tmp_path / "a.json"
    f.write_text(json.dumps(ANSWERS), encoding="utf-8")
    names = imported(["recommend", str(f), "--format", fmt])
    assert f"llmchoice.report.{fmt}" in names
    # a warm start (the rule set cached by the first run) reads JSON answers without PyYAML
    assert "yaml" not in imported(["recommend", str(f), "--format", fmt])
    assert "hashlib" not in names  # the sha256 of rule set and costs from _sha256
    # the terminal report is laid out by report/boxes.py: rich's console, table (which
    # pulls fractions and decimal) and panel took about 60 ms of its start-up
    if fmt == "terminal":
        assert "llmchoice.report.boxes" in names
    assert not {n for n in names if n == "rich" or n.startswith("rich.")}
    assert not {"fractions", "decimal"} & names
    # answers without a volume: no cost model (report.costview, cost.estimate: 2 ms)
    assert not names & {"llmchoice.report.costview", "llmchoice.cost.estimate",
                        "llmchoice.cost.assumptions"}


def test_terminal_report_shows_emoji_codes_in_data_as_written(tmp_path: Path) -> None:
    rules = tmp_path / "r.yaml"
    text = (Path(__file__).parent.parent / "rules" / "default.yaml").read_text(encoding="utf-8")
    rules.write_text(text.replace("    label: Open-source LLM", '    label: "Open :smile: LLM"', 1),
                     encoding="utf-8")
    f = tmp_path / "a.json"
    f.write_text(json.dumps(ANSWERS), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "llmchoice", "recommend", str(f), "--rules",
                           str(rules), "--format", "terminal"], capture_output=True, text=True,
                          check=True, timeout=120)
    from rich._emoji_codes import EMOJI

    assert ":smile:" in proc.stdout and EMOJI["smile"] not in proc.stdout


def test_a_reach_or_an_overlay_still_imports_what_it_needs(tmp_path: Path) -> None:
    f = tmp_path / "a.json"
    f.write_text(json.dumps(ANSWERS), encoding="utf-8")
    names = imported(["recommend", str(f), "--format", "json", "--target", "closed"])
    assert {"llmchoice.decide.partial", "llmchoice.decide.target"} <= names
    over = tmp_path / "over.yaml"
    over.write_text("extends: default\nruleset: {id: mine, version: '1', title: Mine, "
                    "source: here}\n", encoding="utf-8")
    names = imported(["recommend", str(f), "--format", "json", "--rules", str(over)])
    assert "llmchoice.ruleset.overlay" in names
