"""Answers files say who answered and for which rule set: data, checked, never an answer."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from llmchoice.answers.meta import Meta, read_meta, version_warning
from llmchoice.answers.validate import Validator, validate
from llmchoice.cli.app import app
from llmchoice.io.errors import AnswersError, RuleSetError
from llmchoice.ruleset.load import load_ruleset
from llmchoice.ruleset.model import RuleSet
from tests.conftest import MIDDLE

runner = CliRunner()


def test_respondent_and_rule_set_are_read_and_are_not_answers(rs: RuleSet) -> None:
    given = {**MIDDLE, "respondent": "Security lead",
             "rule_set": {"id": rs.meta.id, "version": rs.meta.version}}
    assert read_meta(given) == Meta("Security lead", rs.meta.id, rs.meta.version)
    resolved = validate(rs, given)
    assert "respondent" not in resolved.answers and "rule_set" not in resolved.answers
    assert Validator(rs).answers(given) == resolved.answers


@pytest.mark.parametrize(("extra", "says"), [
    ({"respondent": "a\nb"}, "respondent: expected a name"),
    ({"respondent": "\x1b]0;pwned\x07"}, "respondent: expected a name"),
    ({"respondent": "x" * 81}, "at most 80"),
    ({"respondent": 7}, "respondent: expected a name"),
    ({"rule_set": "default"}, "rule_set: expected the rule set's id and version"),
    ({"rule_set": {"id": "default"}}, "rule_set: expected"),
    ({"rule_set": {"id": "d", "version": "1", "extra": 1}}, "rule_set: expected"),
])
def test_bad_metadata_is_a_problem_listed_with_the_others(rs: RuleSet, extra: dict[str, object],
                                                          says: str) -> None:
    given = {**MIDDLE, "budget": "lots", **extra}
    with pytest.raises(AnswersError) as err:
        validate(rs, given)
    messages = [p.message for p in err.value.problems]
    assert any(says in m for m in messages) and any("budget" in m for m in messages)
    with pytest.raises(AnswersError):  # the fast path checks it too (batch)
        Validator(rs).answers({**MIDDLE, **extra})


def test_version_warning_names_both_versions_only_when_they_differ() -> None:
    assert version_warning(Meta(None, "default", "2.0.0"), "default", "2.0.0", source="a") is None
    assert version_warning(Meta(), "default", "2.0.0", source="a") is None
    line = version_warning(Meta(None, "default", "1.0.0"), "default", "2.0.0", source="a.yaml")
    assert line is not None
    assert "a.yaml" in line and "1.0.0" in line and "2.0.0" in line


def test_recommend_warns_when_answers_were_written_for_another_version(
        tmp_path: Path, rs: RuleSet) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(yaml.safe_dump({**MIDDLE, "rule_set": {"id": rs.meta.id,
                                                         "version": "0.9.0"}}))
    result = runner.invoke(app, ["recommend", str(path), "--format", "json"])
    assert result.exit_code == 0
    assert "written for rule set" in result.stderr and "0.9.0" in result.stderr
    same = tmp_path / "b.yaml"
    same.write_text(yaml.safe_dump({**MIDDLE, "rule_set": {"id": rs.meta.id,
                                                         "version": rs.meta.version}}))
    result = runner.invoke(app, ["recommend", str(same), "--format", "json"])
    assert result.exit_code == 0 and "written for" not in result.stderr


def test_the_template_records_the_rule_set_as_data(tmp_path: Path, rs: RuleSet) -> None:
    result = runner.invoke(app, ["template"])
    data = yaml.safe_load(result.stdout)
    assert data["rule_set"] == {"id": rs.meta.id, "version": rs.meta.version}
    path = tmp_path / "t.yaml"
    path.write_text(result.stdout)
    assert runner.invoke(app, ["recommend", str(path)]).exit_code == 0


def test_a_rule_set_may_not_ask_a_question_called_respondent(tmp_path: Path) -> None:
    text = (Path(__file__).parent.parent / "rules" / "default.yaml").read_text()
    bad = tmp_path / "r.yaml"
    bad.write_text(text.replace("- id: budget\n", "- id: respondent\n", 1))
    with pytest.raises(RuleSetError) as err:
        load_ruleset(str(bad))
    assert any("reserved for answers files" in p.message for p in err.value.problems)


def test_the_answers_schema_accepts_the_metadata(rs: RuleSet) -> None:
    import jsonschema

    from llmchoice.ruleset.schema import answers_schema

    schema = answers_schema(rs)
    jsonschema.validate({**MIDDLE, "respondent": "CFO",
                         "rule_set": {"id": "x", "version": "1"}}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**MIDDLE, "rule_set": {"id": "x"}}, schema)


def test_the_answers_schema_accepts_not_sure_and_not_asked_for_every_question(
        rs: RuleSet) -> None:
    import jsonschema

    from llmchoice.ruleset.schema import answers_schema

    schema = answers_schema(rs)
    for q in rs.questions:
        for left_open in ("unsure", "not_asked"):
            jsonschema.validate({**MIDDLE, q.id: left_open}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**MIDDLE, "monthly_tokens": "lots"}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**MIDDLE, "monthly_tokens": -1}, schema)


@pytest.mark.parametrize("word", ["unsure", "not_asked"])
def test_a_rule_set_may_not_offer_a_choice_that_means_left_open(tmp_path: Path, word: str) -> None:
    text = (Path(__file__).parent.parent / "rules" / "default.yaml").read_text()
    bad = tmp_path / "r.yaml"
    bad.write_text(text.replace("value: minimal", f"value: {word}", 1))
    with pytest.raises(RuleSetError) as err:
        load_ruleset(str(bad))
    assert any(f"{word!r} cannot be a choice" in p.message for p in err.value.problems)
