"""`rules analyze` and `rules diff` show how far they are on a terminal, and only there."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pexpect

from llmchoice.authoring.analysis import analyze, diff
from llmchoice.cli.progress import Progress
from llmchoice.ruleset.load import load_ruleset

from ._ruletools import SMALL, run, write


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_line_is_rewritten_once_per_percent_and_wiped() -> None:
    out = Terminal()
    progress = Progress("Scoring", out)
    for done in (0, 1, 2, 50, 51, 100):
        progress(done, 100)
    progress(100, 100)  # the same percent again: nothing new
    assert out.getvalue() == "\rScoring   0%\rScoring   1%\rScoring   2%\rScoring  50%" \
                             "\rScoring  51%\rScoring 100%"
    progress.done()
    assert out.getvalue().endswith("\r" + " " * len("Scoring 100%") + "\r")


def test_nothing_is_written_when_standard_error_is_not_a_terminal() -> None:
    out = io.StringIO()
    progress = Progress("Scoring", out)
    progress(5, 10)
    progress.done()
    assert out.getvalue() == ""


def test_a_terminal_that_goes_away_stops_the_line_not_the_work() -> None:
    out = Terminal()
    progress = Progress("Scoring", out)
    out.close()
    progress(1, 2)  # a closed stream: no error
    assert not progress.enabled


def test_analyze_and_diff_report_their_progress_up_to_the_whole() -> None:
    rs = load_ruleset()
    seen: list[tuple[int, int]] = []
    analyze(rs, samples=100, progress=lambda done, total: seen.append((done, total)))
    assert seen[0][0] == 0 and len(seen) > 10
    shares = [done / total for done, total in seen]
    assert shares == sorted(shares) and shares[-1] <= 1
    assert seen[-1][1] == 52_488 + 15 * 100
    seen.clear()
    diff(rs, rs, samples=100, progress=lambda done, total: seen.append((done, total)))
    shares = [done / total for done, total in seen]
    assert len(seen) > 10 and shares == sorted(shares) and shares[-1] <= 1


def test_pipes_and_captured_output_get_no_progress(tmp_path: Path) -> None:
    rules = write(tmp_path, "small.yaml", SMALL)
    result = run("rules", "diff", rules, rules)
    assert result.exit_code == 0 and result.stderr == ""
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "llmchoice", "rules", "analyze", str(rules),
                           "--format", "json"], capture_output=True, text=True, env=env,
                          timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.startswith("Scored ") and "%" not in proc.stderr
    json.loads(proc.stdout)


def test_a_real_terminal_sees_the_progress_then_a_clean_result(tmp_path: Path) -> None:
    rules = write(tmp_path, "small.yaml", SMALL)
    child = pexpect.spawn(sys.executable, ["-m", "llmchoice", "rules", "analyze", str(rules)],
                          env={**os.environ, "NO_COLOR": "1"}, encoding="utf-8", timeout=60)
    child.expect(pexpect.EOF)
    child.close()
    text = child.before
    assert child.exitstatus == 0, text
    assert "\rScoring answer profiles   0%" in text
    progress_end = text.rindex("\r" + " " * len("Scoring answer profiles 100%") + "\r")
    assert text.index("Rule set small") > progress_end  # the result after the wiped line
