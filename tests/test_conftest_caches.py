"""The test process's own shortcuts (tests/conftest.py, docs/testing.md "What the ordinary
run costs") change only how often work is done, never what a test sees: a rule set loaded
again after its file changed is the new one, a rule set that fails is never kept, a test's
own ``build`` call always builds, and every CLI invoke starts from the root's own commands."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from llmchoice.cli.app import app
from llmchoice.io import yamlio
from llmchoice.io.errors import LLMChoiceError
from llmchoice.ruleset.load import build, load_ruleset

QUIZ_RULES = Path(__file__).resolve().parent / "data" / "quiz-rules.yaml"


def test_a_rule_set_loaded_again_after_its_file_changed_is_the_new_one(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    text = QUIZ_RULES.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    first = load_ruleset(path)
    assert load_ruleset(path) is first  # the same text and name: built once
    path.write_text(text.replace("version: 0.1.0", "version: 0.2.0"), encoding="utf-8")
    changed = load_ruleset(path)
    assert changed.meta.version == "0.2.0" and first.meta.version == "0.1.0"
    assert changed.sha256 != first.sha256


def test_a_rule_set_that_fails_is_never_kept(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    good = QUIZ_RULES.read_text(encoding="utf-8")
    bad = good.replace("outcomes:", "outcomes_typo:", 1)
    for _ in range(2):  # a second load fails the same way: nothing was kept
        path.write_text(bad, encoding="utf-8")
        with pytest.raises(LLMChoiceError):
            load_ruleset(path)
    path.write_text(good, encoding="utf-8")
    assert load_ruleset(path).meta.id == "quiz-test"


def test_a_tests_own_build_call_always_builds() -> None:
    """Tests build random rule sets with a made-up hash: each is built from its own text."""
    text = QUIZ_RULES.read_text(encoding="utf-8")
    one = build(yamlio.parse(text, "random.yaml"), sha256="0" * 64)
    two = build(yamlio.parse(text.replace("version: 0.1.0", "version: 9"), "random.yaml"),
                sha256="0" * 64)
    assert (one.meta.version, two.meta.version) == ("0.1.0", "9")


def test_each_invoke_starts_from_the_roots_own_commands() -> None:
    """A lazy command run by one invoke is not kept in the root for the next: its --help
    lists it from the table of short help, as a fresh process does."""
    runner = CliRunner()
    before = runner.invoke(app, ["--help"])
    assert runner.invoke(app, ["rules", "--help"]).exit_code == 0  # loads `rules`
    after = runner.invoke(app, ["--help"])
    assert after.exit_code == 0 and after.stdout == before.stdout
    assert runner.invoke(app, ["rules", "show", "--rules", str(QUIZ_RULES)]).exit_code == 0
