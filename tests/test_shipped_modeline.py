"""Every editor modeline in a shipped example points at a schema the repository ships,
and that schema is what ``llmchoice rules schema`` prints today (issue 13, item 14: the
acme overlay pointed at a file that was not there)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from llmchoice.cli.app import app
from llmchoice.io import yamlio

REPO = Path(__file__).resolve().parent.parent
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.MULTILINE)
REGENERATE = "llmchoice rules schema --output examples/llmchoice-rules.schema.json --force"


def _modelines() -> list[tuple[Path, Path]]:
    found = []
    for path in sorted((REPO / "examples").rglob("*.y*ml")):
        for target in MODELINE.findall(path.read_text(encoding="utf-8")):
            found.append((path, (path.parent / target).resolve()))
    return found


def test_every_modeline_points_at_a_shipped_schema_that_accepts_the_file() -> None:
    assert _modelines(), "the acme overlay has a modeline"
    for path, schema_path in _modelines():
        assert schema_path.is_file(), f"{path.name}: its modeline names {schema_path.name}"
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        validator = Draft202012Validator(schema)
        errors = [e.message for e in validator.iter_errors(yamlio.load(path, what="t").data)]
        assert errors == [], path.name


def test_the_shipped_rule_set_schema_is_current() -> None:
    result = CliRunner().invoke(app, ["rules", "schema"])
    assert result.exit_code == 0
    shipped = (REPO / "examples/llmchoice-rules.schema.json").read_text(encoding="utf-8")
    assert shipped == result.stdout, f"the rule-set format changed: run '{REGENERATE}'"
