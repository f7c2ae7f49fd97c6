"""Overlays (`extends:`): patch, add and remove without copying the base rule set."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings

from llmchoice.io.errors import LLMChoiceError
from llmchoice.ruleset.load import load_ruleset

from ._ruletools import ACME, DEFAULT, SMALL, pos, run, write

# The default: closed 7 (dedicated 3, strict 2, no customization 1, low control 1), open 4
# (avoid lock-in 2, preferred 1, good enough 1), hybrid 5.6: closed by 1.4. Acme: the
# platform team gives open 2 and dedicated support weighs 2, so open 6, closed 6, hybrid
# 8.4. (The old team of middle answers no longer splits: middle answers give no points.)
TEAM = {"budget": "moderate", "transparency": "preferred", "customization": "none",
        "support": "dedicated", "expertise": "some", "performance": "good_enough",
        "quality": "strict", "lock_in": "avoid", "domain": "general", "control": "low",
        "time_to_market": "normal"}


def _recommend(rules: object, answers: dict[str, str], tmp_path: Path) -> dict[str, object]:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    result = run("recommend", path, "--rules", rules, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_acme_example_is_valid_and_its_tests_pass() -> None:
    validate = run("rules", "validate", ACME)
    assert validate.exit_code == 0, validate.stderr
    assert f"valid rule set acme-llm-policy 1.0.0 (extends {DEFAULT})" in validate.stdout
    assert validate.stdout.strip().endswith("0 warnings")
    tested = run("rules", "test", ACME, "--coverage", "--threshold", "100%")
    assert tested.exit_code == 0, tested.stdout
    # the default's 60 tests, less the 7 Acme removes, and Acme's 5
    assert tested.stdout.splitlines()[-1] == "58 passed, 0 failed"


def test_acme_overlay_changes_a_winner(tmp_path: Path) -> None:
    before = _recommend("default", TEAM, tmp_path)
    after = _recommend(ACME, TEAM, tmp_path)
    assert before["recommendation"] == "closed"
    assert before["scores"] == {"open": 4.0, "closed": 7.0, "hybrid": 5.6}
    assert after["recommendation"] == "hybrid"
    assert after["scores"] == {"open": 6.0, "closed": 6.0, "hybrid": 8.4}
    assert after["ruleset"]["id"] == "acme-llm-policy"  # type: ignore[index]
    assert after["ruleset"]["sha256"] != before["ruleset"]["sha256"]  # type: ignore[index]
    fired = {c["rule"] for c in after["contributions"]}  # type: ignore[attr-defined]
    assert "acme-platform-team" in fired
    points = {c["rule"]: c["points"] for c in after["contributions"]}  # type: ignore[attr-defined]
    assert points["support-dedicated"] == 2.0  # patched from 3


def test_overlay_from_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(TEAM), encoding="utf-8")
    result = run("recommend", path, "--format", "json", env={"LLMCHOICE_RULES": str(ACME)})
    assert result.exit_code == 0
    assert json.loads(result.stdout)["recommendation"] == "hybrid"


def test_merge_semantics(tmp_path: Path) -> None:
    base = write(tmp_path, "base.yaml", SMALL)
    over = write(tmp_path, "over.yaml", """
        extends: base.yaml
        ruleset: {id: over, version: 2.0.0}
        outcomes:
          open: {label: Open weights}
        rules:
          - id: rich
            points: {hybrid: null, open: 1}
            when: {colour: blue}
            cites: [t.cost]
          - id: new-one
            when: {budget: low}
            points: {hybrid: 1}
            because: New.
            cites: [t.speed]
        tests:
          - name: overlay test
            answers: {budget: high, colour: blue}
            expect: {recommendation: closed, fired: [rich]}
        """)
    rs = load_ruleset(over)
    rules = {r.id: r for r in rs.rules}
    assert [r.id for r in rs.rules] == ["cheap", "rich", "new-one"]
    # points merge key by key, null removes; when and lists replace whole
    assert dict(rules["rich"].points) == {"closed": 2.0, "open": 1.0}
    assert rules["rich"].when.describe() == "colour is blue"
    assert rules["rich"].cites == ("t.cost",)
    assert rules["rich"].because == "High budget."  # kept from the base
    assert rs.outcome("open").label == "Open weights"
    assert rs.outcome("open").summary == "o"
    assert rs.meta.title == "Small"  # kept from the base
    assert [t.name for t in rs.tests] == ["low budget is open", "high budget is closed",
                                         "overlay test"]
    # positions: the patched rule and new things are in the overlay, the rest in the base
    assert str(rs.locate(("rules", 1))) == f"{over}:{pos(over, '- id: rich', 'id')}"
    assert str(rs.locate(("rules", 1, "because"))) == f"{base}:{pos(base, 'High budget.')}"
    assert str(rs.locate(("rules", 0))) == f"{base}:{pos(base, '- id: cheap', 'id')}"
    assert str(rs.locate(("tests", 2))) == f"{over}:{pos(over, '- name: overlay', 'name')}"


def test_mixed_bonus_can_be_switched_off(tmp_path: Path) -> None:
    name = ("product company building its own layers on an open base is too close to call "
            "between hybrid and closed")
    over = write(tmp_path, "over.yaml", f"""
        extends: default
        ruleset: {{id: no-mixed, version: 1.0.0}}
        decision: {{mixed: null}}
        remove_tests: [{name}]
        """)
    # the flow list above splits names at commas: the names must not contain any
    rs = load_ruleset(over)
    assert rs.decision.mixed is None
    assert rs.decision.tie_break == ("hybrid", "open", "closed")


def test_chained_overlays(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the examples folder is outside tmp_path: extends may read it once it is allowed
    monkeypatch.setenv("LLMCHOICE_EXTENDS_PATH", str(Path(ACME).parent))
    write(tmp_path, "first.yaml", f"""
        extends: {ACME}
        ruleset: {{id: acme-team, version: 1.0.0}}
        rules:
          - id: acme-platform-team
            points: {{open: 3}}
        """)
    second = write(tmp_path, "second.yaml", """
        extends: first.yaml
        ruleset: {id: acme-team-b, version: 1.0.0}
        """)
    result = run("rules", "validate", second)
    assert result.exit_code == 0, result.stderr
    assert f"(extends {tmp_path / 'first.yaml'} -> {ACME} -> {DEFAULT})" in \
        " ".join(result.stdout.split())  # (the line wraps at the width)
    rs = load_ruleset(second)
    rule = next(r for r in rs.rules if r.id == "acme-platform-team")
    assert dict(rule.points) == {"open": 3.0}  # the first overlay's patch, seen through the second
    assert rule.when.describe() == "expertise is some"  # the rest still Acme's
    assert rule.because.startswith("Acme's platform team runs open models")


def test_overlay_errors_name_the_overlay_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", """
        extends: default
        ruleset: {id: llmchoice-default, version: 2.0.0}
        remove_rules: [support-comunity, volume-high]
        remove_tests: [nope]
        questions:
          - id: region
            prompt: Region?
            type: choice
            choices: [{value: eu, label: EU}]
          - id: budget
            type: number
        rules:
          - id: budget-minimall
            points: {open: 5}
        """)
    result = run("rules", "validate", path)
    assert result.exit_code == 2
    err = result.stderr
    assert f"{path}: 9 problems in the overlay" in err
    expected = [
        f"{path}:{pos(path, 'support-comunity')}: remove_rules: 'support-comunity' is not a "
        "rule of the base rule set (did you mean 'support-community'?)",
        f"{path}:{pos(path, '[nope]', 'nope')}: remove_tests: 'nope' is not a test of the base "
        "rule set",
        f"{path}:{pos(path, 'volume-high')}: remove_rules: rule 'volume-high' is named by the "
        "inherited test 'huge volume tips a balanced team that wants frontier models …'; "
        "remove that test too (remove_tests)",
        f"{path}:{pos(path, 'volume-high')}: remove_rules: rule 'volume-high' is named by the "
        "inherited test 'a bank that needs only a good-enough model is not moved by v…'; "
        "remove that test too (remove_tests)",
        f"{path}:{pos(path, 'volume-high')}: remove_rules: rule 'volume-high' is named by the "
        "inherited test 'unanswered optional questions are skipped, not guessed'; remove that "
        "test too (remove_tests)",
        f"{path}:{pos(path, 'llmchoice-default')}: ruleset.id: the overlay must have its own id, "
        "not the base's 'llmchoice-default'",
        f"{path}:{pos(path, '- id: region', 'id')}: question 'region': a question an overlay "
        "adds must be optional (required: false) or have a default",
        f"{path}:{pos(path, 'type: number', 'number')}: question 'budget': an overlay cannot "
        "change a question's type (it is 'choice' in the base)",
        f"{path}:{pos(path, 'budget-minimall')}: rule 'budget-minimall' is not in the base rule "
        "set (did you mean 'budget-minimal'?)",
    ]
    for line in expected:
        assert line in err


def test_errors_in_patched_values_and_in_the_base_name_their_own_file(tmp_path: Path) -> None:
    over = write(tmp_path, "over.yaml", """
        extends: default
        ruleset: {id: acme, version: 1.0.0}
        rules:
          - id: support-dedicated
            points: {closed: many}
            cites: [closed.higher-cost]
        """)
    result = run("rules", "validate", over)
    assert result.exit_code == 2
    assert (f"{over}:{pos(over, 'many')}: rule 'support-dedicated' points for 'closed': "
            "expected a finite number, found the text 'many'") in result.stderr
    assert (f"{over}:{pos(over, 'closed.higher-cost')}: rule 'support-dedicated' cites an "
            "unknown trade-off 'closed.higher-cost' (did you mean "
            "'closed.higher-costs'?)") in result.stderr

    base = write(tmp_path, "base.yaml", SMALL.replace("cites: [t.speed]", "cites: [t.sped]"))
    child = write(tmp_path, "child.yaml", "extends: base.yaml\nruleset: {id: child}\n")
    result = run("rules", "validate", child)
    assert result.exit_code == 2
    assert f"{base}:{pos(base, 't.sped')}: rule 'rich' cites an unknown trade-off" in result.stderr


def test_extends_problems(tmp_path: Path) -> None:
    missing = write(tmp_path, "missing.yaml", "extends: nothere.yaml\nruleset: {id: x}\n")
    result = run("rules", "validate", missing)
    assert result.exit_code == 2
    assert (f"{missing}:1:10: extends: {tmp_path / 'nothere.yaml'}: no such file (rule set)"
            in result.stderr)
    write(tmp_path, "a.yaml", "extends: b.yaml\nruleset: {id: a}\n")
    write(tmp_path, "b.yaml", "extends: a.yaml\nruleset: {id: b}\n")
    cycle = run("rules", "validate", tmp_path / "a.yaml")
    assert cycle.exit_code == 2
    assert "extends: the rule sets extend each other in a circle" in cycle.stderr
    wrong = write(tmp_path, "wrong.yaml", "extends: [default]\nruleset: {id: w}\n")
    result = run("rules", "validate", wrong)
    assert result.exit_code == 2
    assert f"{wrong}:1:10: extends: expected 'default' or the path of a rule set file, found " \
           "a list" in result.stderr
    shapes = write(tmp_path, "shapes.yaml", "extends: default\nruleset: {id: s}\n"
                   "remove_rules: cheap\nremove_tests: [3]\nrules: {id: x}\ntests: 1\n")
    result = run("rules", "validate", shapes)
    assert result.exit_code == 2
    for message in ("remove_rules: expected a list of rule ids, found the text 'cheap'",
                    "remove_tests: expected test name, found the number 3",
                    "rules: expected a list, found a mapping",
                    "tests: expected a list, found the number 1"):
        assert message in result.stderr
    assert "Traceback" not in result.stderr
    plain = write(tmp_path, "plain.yaml", SMALL + "remove_rules: [cheap]\n")
    result = run("rules", "validate", plain)
    assert result.exit_code == 2
    assert "unknown key 'remove_rules'" in result.stderr


_keys = st.sampled_from(["extends", "ruleset", "rules", "questions", "tests", "remove_rules",
                         "remove_tests", "decision", "outcomes", "tradeoffs", "id", "points",
                         "when", "budget", "open", "mixed", "required", "type", "name"])
_leaf = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.sampled_from(
    ["default", "budget-large", "budget", "open", "closed", "minimal", "x", ""]))
_data = st.recursive(_leaf, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(_keys, inner, max_size=4)), max_leaves=12)


@pytest.mark.slow
@settings(deadline=None,  # examples: the hypothesis profile (conftest)
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.dictionaries(_keys, _data, max_size=5),
       rules=st.lists(st.dictionaries(_keys, _data, max_size=4), max_size=3))
def test_any_overlay_loads_or_fails_with_a_project_error(
        tmp_path: Path, body: dict[str, object], rules: list[dict[str, object]]) -> None:
    body["extends"] = "default"
    body.setdefault("rules", rules)
    path = tmp_path / "fuzz.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    with contextlib.suppress(LLMChoiceError):
        load_ruleset(path)
