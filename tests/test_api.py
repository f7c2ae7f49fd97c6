"""The documented Python API (issue 13, item 14): docs/api.md's example runs as written,
the module's doctest holds, the package is typed (py.typed) and the wheel ships both."""

from __future__ import annotations

import doctest
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from llmchoice import api

REPO = Path(__file__).resolve().parent.parent
DOC = (REPO / "docs/api.md").read_text(encoding="utf-8")


def _example() -> str:
    blocks = re.findall(r"```python\n(.*?)```", DOC, flags=re.DOTALL)
    assert len(blocks) == 1
    return str(blocks[0])


def test_the_documented_example_runs_as_written() -> None:
    proc = subprocess.run([sys.executable, "-c", _example()], cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("open {'open': ")
    assert re.match(r"open \+\d+: .+ \(open\.[a-z-]+", lines[1])
    assert "answers: 11 problems with the answers" in lines
    assert "  answers: budget: the text 'huge' is not allowed; expected one of minimal, " \
           "moderate, large" in lines
    assert re.match(r"API [\d,]+ USD a month against self-hosting [\d,]+$", lines[-1])


def test_every_function_the_doc_lists_exists_and_is_exported() -> None:
    listed = re.findall(r"^\| `([a-z_]+)\(", DOC, flags=re.MULTILINE)
    assert len(listed) == 8
    for name in listed:
        assert name in api.__all__ and callable(getattr(api, name)), name


def test_the_module_doctest_holds() -> None:
    failures, tried = doctest.testmod(api, verbose=False)
    assert (failures, tried > 0) == (0, True)


def test_api_matches_the_command_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from llmchoice.cli.app import app

    rules = api.load_rules()
    answers = api.read_answers_file(REPO / "examples/answers/insurer.yaml")
    result = api.recommend(rules, answers)
    cli = CliRunner().invoke(app, ["recommend", str(REPO / "examples/answers/insurer.yaml"),
                                   "--format", "json"])
    assert cli.exit_code == 0
    assert api.report(rules, result, "json") == cli.stdout


def test_errors_are_the_projects_own() -> None:
    with pytest.raises(api.RuleSetError):
        api.load_rules(REPO / "tests/data/report-v2.schema.json")
    with pytest.raises(api.UsageError, match="unknown format"):
        api.report(api.load_rules(), api.recommend(api.load_rules(), {}, defaults=True), "pdf")


def test_the_package_is_typed_for_its_users(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    consumer = tmp_path / "consumer.py"
    consumer.write_text("from llmchoice import api\nx: int = api.load_rules()\n",
                        encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                           str(consumer)], cwd=tmp_path, capture_output=True, text=True,
                          timeout=300)
    # the type of load_rules is seen (not "missing library stubs or py.typed marker")
    assert 'expression has type "RuleSet", variable has type "int"' in proc.stdout, proc.stdout


def test_the_wheel_ships_py_typed_and_the_api(built_wheel: Path) -> None:
    names = zipfile.ZipFile(built_wheel).namelist()
    assert "llmchoice/py.typed" in names and "llmchoice/api.py" in names
