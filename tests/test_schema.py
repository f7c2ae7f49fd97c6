"""`llmchoice rules schema` and `llmchoice schema answers`: JSON Schemas editors can use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from llmchoice.io import yamlio
from llmchoice.ruleset.load import load_ruleset

from ._ruletools import ACME, DEFAULT, ROOT, SMALL, TYPES, run, write


def _schema(*args: object) -> Draft202012Validator:
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _data(path: Path) -> object:
    return yamlio.load(path, what="test").data


def _errors(validator: Draft202012Validator, data: object) -> list[str]:
    return sorted(f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data))


@pytest.mark.parametrize("path", [DEFAULT, ACME, *sorted((ROOT / "examples").glob("*.yaml"))],
                         ids=lambda p: p.name)
def test_shipped_rule_sets_match_the_rule_set_schema(path: Path) -> None:
    assert _errors(_schema("rules", "schema"), _data(path)) == []


def test_rule_set_schema_catches_mistakes_an_editor_should_flag(tmp_path: Path) -> None:
    validator = _schema("rules", "schema")
    good = _data(write(tmp_path, "small.yaml", SMALL))
    assert _errors(validator, good) == []
    bad = json.loads(json.dumps(good))
    bad["rules"][0]["pionts"] = {"open": 1}
    bad["questions"][0]["type"] = "dropdown"
    bad["tradeoffs"]["t.cost"]["side"] = "left"
    del bad["decision"]
    errors = _errors(validator, bad)
    assert any("'pionts' was unexpected" in e for e in errors)
    assert any("'dropdown' is not one of" in e for e in errors)
    assert any("'left' is not one of" in e for e in errors)
    assert any("'decision' is a required property" in e for e in errors)
    overlay_only = dict(good, remove_rules=["cheap"])
    assert any("'extends' is a dependency of 'remove_rules'" in e
               for e in _errors(validator, overlay_only))
    # an overlay needs only extends and its own ruleset id; a rule patch only an id
    patch = {"extends": "default", "ruleset": {"id": "p"}, "rules": [{"id": "budget-large",
                                                                      "points": {"open": None}}]}
    assert _errors(validator, patch) == []
    assert any("'id' is a required property" in e
               for e in _errors(validator, {"extends": "default", "ruleset": {}}))


def test_answers_schema_accepts_templates_and_test_answers() -> None:
    validator = _schema("schema", "answers")
    template = run("template")
    assert template.exit_code == 0
    answers = yamlio.parse(template.stdout, "template").data
    assert _errors(validator, answers) == []
    for test in load_ruleset().tests:
        assert _errors(validator, test.answers) == [], test.name
    for example in sorted((ROOT / "examples" / "answers").iterdir()):
        assert _errors(validator, _data(example)) == [], example.name
    assert _errors(validator, {**answers, "data": None, "monthly_tokens": 2_000}) == []
    bad = {**answers, "budget": "huge", "colour": "red", "monthly_tokens": -1}
    del bad["domain"]
    errors = _errors(validator, bad)
    assert any("'huge' is not one of ['minimal', 'moderate', 'large']" in e for e in errors)
    assert any("'colour' was unexpected" in e for e in errors)
    assert any("-1 is less than the minimum of 0" in e for e in errors)
    assert any("'domain' is a required property" in e for e in errors)


def test_answers_schema_follows_the_chosen_rule_set(tmp_path: Path) -> None:
    validator = _schema("schema", "answers", "--rules", ACME)
    props = validator.schema["properties"]
    assert props["vendor_contract"]["type"] == ["boolean", "null"]
    assert "vendor_contract" not in validator.schema["required"]
    template = run("template", "--rules", ACME)
    assert _errors(validator, yamlio.parse(template.stdout, "t").data) == []
    assert _errors(validator, {**yamlio.parse(template.stdout, "t").data,  # type: ignore[dict-item]
                               "vendor_contract": "maybe"}) != []




def test_every_question_type_template_is_valid_for_the_schema_and_the_loader(
        tmp_path: Path) -> None:
    rules = write(tmp_path, "types.yaml", TYPES)
    validator = _schema("schema", "answers", "--rules", rules)
    template = run("template", "--rules", rules, "--schema", "answers.schema.json")
    assert template.exit_code == 0
    assert template.stdout.splitlines()[0] == \
        "# yaml-language-server: $schema=answers.schema.json"
    assert 'flag: "true"' in template.stdout  # quoted, or YAML would read a boolean
    assert "tools: [git]" in template.stdout
    assert "seats: 1" in template.stdout
    assert "# Asked only when tools includes any of [git]; otherwise it is ignored." \
        in template.stdout
    data = yamlio.parse(template.stdout, "t").data
    assert _errors(validator, data) == []
    answers = tmp_path / "answers.yaml"
    answers.write_text(template.stdout, encoding="utf-8")
    result = run("recommend", answers, "--rules", rules, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["answers"] == {
        "flag": "true", "tools": ["git"], "seats": 1, "gpu": False, "follow": "x"}


def test_schema_output_file(tmp_path: Path) -> None:
    target = tmp_path / "rules.schema.json"
    result = run("rules", "schema", "--output", target)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["title"] == "llmchoice rule set"
    again = run("rules", "schema", "--output", target)
    assert again.exit_code == 2
    assert run("schema", "answers", "--output", target, "--force").exit_code == 0
    assert "llmchoice answers" in json.loads(target.read_text(encoding="utf-8"))["title"]
