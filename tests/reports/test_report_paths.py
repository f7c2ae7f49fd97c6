"""A shared report names its rule set by id, version and sha256, never by an absolute path:
the shipped rule set as shipped, a file under the current folder relative to it, any other
file by its name alone."""

from __future__ import annotations

import shutil
from html import unescape
from pathlib import Path

import pytest
from _reports_support import cli

from llmchoice.report.fit import local_path, shown_path
from llmchoice.ruleset.load import default_rules_path, load_ruleset

FORMATS = ("terminal", "markdown", "html")


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_shipped_rule_set_is_named_without_the_folder_it_lives_in(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("recommend", "--defaults", "--format", fmt, "--explain")
    assert result.exit_code == 0, result.stderr
    shipped = str(default_rules_path())
    assert shipped not in result.stdout
    assert str(default_rules_path().parent) not in result.stdout
    out = unescape(result.stdout)
    assert "llmchoice's shipped rules/default.yaml" in out
    assert f"llmchoice-default {load_ruleset(None).meta.version}" in out
    assert load_ruleset(None).sha256[:12] in out


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_users_own_file_elsewhere_is_named_by_its_name_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    private = tmp_path / "home" / "alice" / "secret-project"
    private.mkdir(parents=True)
    mine = private / "team-rules.yaml"
    shutil.copyfile(default_rules_path(), mine)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = cli("recommend", "--defaults", "--rules", str(mine), "--format", fmt, "--explain")
    assert result.exit_code == 0, result.stderr
    assert "alice" not in result.stdout and "secret-project" not in result.stdout
    assert "team-rules.yaml" in result.stdout


def test_a_file_under_the_current_folder_is_named_relative_to_it(tmp_path: Path) -> None:
    (tmp_path / "policy").mkdir()
    mine = tmp_path / "policy" / "rules.yaml"
    shutil.copyfile(default_rules_path(), mine)
    assert shown_path(str(mine), cwd=tmp_path) == "policy/rules.yaml"
    assert shown_path("policy/rules.yaml", cwd=tmp_path) == "policy/rules.yaml"
    assert shown_path(str(mine), cwd=tmp_path / "policy" / "..") == "policy/rules.yaml"
    assert shown_path(str(default_rules_path()), cwd=tmp_path) == \
        "llmchoice's shipped rules/default.yaml"
    assert shown_path("<stdin>") == "<stdin>"
    # the author's own terminal (rules analyze, diff) keeps a path it can open
    assert local_path(str(mine), cwd=tmp_path) == "policy/rules.yaml"
    assert local_path(str(mine), cwd=tmp_path / "policy" / "x") == str(mine)
