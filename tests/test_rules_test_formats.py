"""``rules test --format json|junit`` and ``--run PATTERN`` (issue 13, item 14): results a
CI system reads, and running only some tests."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from typer.testing import CliRunner

from llmchoice.cli.app import app
from llmchoice.ruleset.load import load_ruleset

FAILING = """\
extends: default
ruleset: {id: failing-set, version: 1.0.0}
tests:
  - name: a <wrong> & "quoted" expectation
    answers:
      budget: minimal
      transparency: essential
      customization: deep
      support: community
      expertise: strong
      performance: good_enough
      quality: standard
      lock_in: avoid
      domain: research
      control: critical
      time_to_market: flexible
    expect: {recommendation: closed}
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["rules", "test", *args])
    return result.exit_code, result.stdout, result.stderr


def _failing(tmp_path: Path) -> str:
    path = tmp_path / "failing.yaml"
    path.write_text(FAILING, encoding="utf-8")
    return str(path)


def test_json_lists_every_test_with_its_place() -> None:
    code, out, err = run("--format", "json")
    assert code == 0, err
    data = json.loads(out)
    n = len(load_ruleset().tests)
    assert (data["passed"], data["failed"], len(data["tests"])) == (n, 0, n)
    assert data["ruleset"]["id"] == "llmchoice-default"
    first = data["tests"][0]
    assert first["name"] == "solo researcher on a shoestring" and first["passed"] is True
    assert re.search(r"default\.yaml:\d+:\d+$", first["location"])
    assert data["coverage"]["share"] == 1.0 and data["coverage"]["uncovered"] == []


def test_json_and_junit_report_a_failure_and_exit_1(tmp_path: Path) -> None:
    rules = _failing(tmp_path)
    code, out, _ = run(rules, "--format", "json")
    assert code == 1
    failed = [t for t in json.loads(out)["tests"] if not t["passed"]]
    assert [t["name"] for t in failed] == ['a <wrong> & "quoted" expectation']
    assert failed[0]["problems"][0].startswith("expected recommendation closed, got open")
    code, out, _ = run(rules, "--format", "junit")
    assert code == 1
    root = ET.fromstring(out.split("\n", 1)[1])  # after the XML declaration
    suite = root.find("testsuite")
    assert suite is not None
    assert suite.get("name") == "failing-set 1.0.0"
    cases = suite.findall("testcase")
    assert suite.get("failures") == "1" and suite.get("tests") == str(len(cases))
    bad = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name") for c in bad] == ['a <wrong> & "quoted" expectation']
    failure = bad[0].find("failure")
    assert failure is not None
    assert (failure.get("message") or "").startswith("expected recommendation closed")
    assert bad[0].get("file", "").endswith("failing.yaml") and bad[0].get("line") == "4"


def test_junit_counts_a_coverage_threshold_as_a_test() -> None:
    code, out, _ = run("--format", "junit", "--run", "bank", "--threshold", "90%")
    assert code == 1  # three tests cannot fire 90% of the rules
    suite = ET.fromstring(out.split("\n", 1)[1]).find("testsuite")
    assert suite is not None
    coverage = [c for c in suite.findall("testcase") if c.get("name") == "coverage >= 90%"]
    assert len(coverage) == 1 and coverage[0].find("failure") is not None


def test_run_selects_tests_by_pattern() -> None:
    code, out, _ = run("--run", "BANK|insurer", "-v")
    assert code == 0
    names = [line.removeprefix("PASSED ") for line in out.splitlines()
             if line.startswith("PASSED ")]
    assert names and all("bank" in n or "insurer" in n for n in names)
    assert out.splitlines()[-1] == f"{len(names)} passed, 0 failed"


def test_run_that_matches_nothing_or_is_not_a_pattern_is_refused() -> None:
    code, out, err = run("--run", "no such team")
    assert (code, out) == (2, "")
    assert err.startswith("--run 'no such team': no test name matches; the tests are "
                          "'solo researcher on a shoestring',")
    code, _, err = run("--run", "(")
    assert code == 2 and err.startswith("--run '(': not a regular expression")


def test_bad_format_and_slack_with_junit_are_refused() -> None:
    code, _, err = run("--format", "xml")
    assert code == 2 and err == "--format 'xml': expected text, json or junit\n"
    code, _, err = run("--format", "junit", "--slack")
    assert code == 2 and "--slack has no JUnit form" in err
