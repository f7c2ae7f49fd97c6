"""`llmchoice rules schema` and `llmchoice schema answers`: JSON Schemas editors can use."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from llmchoice.io import yamlio
from llmchoice.io.errors import RuleSetError
from llmchoice.ruleset import keys
from llmchoice.ruleset.conditions import ALL_OPS
from llmchoice.ruleset.keys import Table
from llmchoice.ruleset.load import build, load_ruleset
from llmchoice.ruleset.schema import ruleset_schema

from ._ruletools import ACME, DEFAULT, ROOT, SMALL, TYPES, run, write

DEFAULT_V1 = ROOT / "tests" / "data" / "default_v1.yaml"  # the shipped set before 2.0.0
DEFAULT_V2 = DEFAULT  # the format of issue 12


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


@pytest.mark.parametrize("path", [DEFAULT, ACME, *sorted((ROOT / "examples").glob("*.yaml")),
                                  DEFAULT_V1], ids=lambda p: p.name)
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
    patch = {"extends": "default", "ruleset": {"id": "p"}, "rules": [{"id": "support-dedicated",
                                                                      "points": {"closed": None}}]}
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
    assert any("'huge' is not one of ['minimal', 'moderate', 'large', 'unsure'" in e
               for e in errors)
    assert any("'colour' was unexpected" in e for e in errors)
    assert any("-1 is less than the minimum of 0" in e for e in errors)
    assert any("'domain' is a required property" in e for e in errors)


def test_answers_schema_follows_the_chosen_rule_set(tmp_path: Path) -> None:
    validator = _schema("schema", "answers", "--rules", ACME)
    props = validator.schema["properties"]
    assert props["vendor_contract"]["type"] == ["boolean", "null", "string"]  # or unsure
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


# --------------------------------------------------------------------------- one key table


def _table_paths() -> list[tuple[Table, tuple[str | int, ...]]]:
    """Where each section's table applies in the new default rule set (every section used)."""
    data = _data(DEFAULT_V2)
    assert isinstance(data, dict)
    first_outcome = next(iter(data["outcomes"]))
    first_tradeoff = next(iter(data["tradeoffs"]))
    first_path = next(iter(data["paths"]))
    beyond = next(i for i, r in enumerate(data["rules"]) if "beyond_article" in r)
    return [(keys.TOP, ()), (keys.META, ("ruleset",)), (keys.OUTCOME, ("outcomes", first_outcome)),
            (keys.TRADEOFF, ("tradeoffs", first_tradeoff)), (keys.QUESTION, ("questions", 0)),
            (keys.CHOICE, ("questions", 0, "choices", 0)),
            (keys.MONOTONE, ("questions", 0, "monotone")), (keys.RULE, ("rules", 0)),
            (keys.BEYOND_ARTICLE, ("rules", beyond, "beyond_article")),
            (keys.PATH, ("paths", first_path)), (keys.PATH_RULE, ("path_rules", 0)),
            (keys.BUDGET_BANDS, ("budget_bands",)),
            (keys.DECISION, ("decision",)), (keys.MIXED, ("decision", "mixed")),
            (keys.SCENARIO, ("scenarios", 0)), (keys.NEXT_STEP, ("next_steps", 0)),
            (keys.TEST_CASE, ("tests", 0)), (keys.EXPECT, ("tests", 0, "expect"))]


def test_every_table_applies_somewhere_in_the_default_rule_set() -> None:
    assert {t.name for t, _ in _table_paths()} == {t.name for t in keys.TABLES}


@pytest.mark.parametrize(("table", "path"), _table_paths(), ids=lambda v: getattr(v, "name", ""))
def test_the_loader_accepts_exactly_the_keys_of_the_table(
        table: Table, path: tuple[str | int, ...]) -> None:
    data = _data(DEFAULT_V2)
    target: Any = data
    for step in path:
        target = target[step]
    target["zz_unknown"] = 1
    with pytest.raises(RuleSetError) as exc:
        build(yamlio.parse(json.dumps(data), "x.yaml"))
    [message] = [p.message for p in exc.value.problems]
    assert "unknown key 'zz_unknown'" in message
    accepted = message.split("expected one of ", 1)[1].split(", ")
    assert sorted(accepted) == sorted([*table.required, *table.optional])
    # and leaving out a required key is named
    if not table.required:
        return
    for key in table.required:
        del target[key]
    del target["zz_unknown"]
    with pytest.raises(RuleSetError) as exc:
        build(yamlio.parse(json.dumps(data), "x.yaml"))
    messages = " | ".join(p.message for p in exc.value.problems)
    for key in table.required:
        assert f"missing key {key!r}" in messages


def test_the_schema_has_exactly_the_keys_of_every_table() -> None:
    schema = ruleset_schema()
    assert set(schema["properties"]) == set(keys.TOP.names)
    for table in keys.TABLES:
        if table is keys.TOP:
            continue
        d = schema["$defs"][table.name]
        assert d["additionalProperties"] is False, table.name
        assert set(d["properties"]) == set(table.names), table.name
        expected = table.patch_required if table.patchable else table.required
        assert d.get("required", []) == list(expected), table.name
    assert set(schema["$defs"]["operators"]["properties"]) == set(ALL_OPS)
    complete = schema["else"]
    assert complete["required"] == list(keys.TOP.required)
    props = complete["properties"]
    assert props["ruleset"]["required"] == list(keys.META.required)
    assert props["outcomes"]["additionalProperties"]["required"] == list(keys.OUTCOME.required)
    assert props["tradeoffs"]["additionalProperties"]["required"] == list(keys.TRADEOFF.required)
    assert props["questions"]["items"]["required"] == list(keys.QUESTION.required)
    assert props["rules"]["items"]["required"] == list(keys.RULE.required)
    assert props["decision"]["required"] == list(keys.DECISION.required)
    assert props["decision"]["properties"]["mixed"]["required"] == list(keys.MIXED.required)
    assert props["questions"]["items"]["properties"]["monotone"]["required"] == \
        list(keys.MONOTONE.required)
    assert props["rules"]["items"]["properties"]["beyond_article"]["required"] == \
        list(keys.BEYOND_ARTICLE.required)
    assert props["paths"]["additionalProperties"]["required"] == list(keys.PATH.required)


def test_decision_confidence_is_an_unknown_key(tmp_path: Path) -> None:
    text = DEFAULT.read_text(encoding="utf-8").replace("  method: weighted_sum",
                                                      "  method: weighted_sum\n  confidence: 1")
    result = run("rules", "validate", write(tmp_path, "c.yaml", text))
    assert result.exit_code == 2
    assert "decision: unknown key 'confidence'" in result.stderr
    assert _errors(_schema("rules", "schema"), yamlio.parse(text, "c.yaml").data) != []


def test_an_overlay_may_patch_part_of_the_mixed_bonus(tmp_path: Path) -> None:
    patch = {"extends": "default", "ruleset": {"id": "p", "version": "1"},
             "decision": {"mixed": {"weight": 2}}}
    assert _errors(_schema("rules", "schema"), patch) == []
    rs = load_ruleset(write(tmp_path, "p.yaml", json.dumps(patch)))
    assert rs.decision.mixed is not None and rs.decision.mixed.weight == 2
