"""A number that decides is a revisit condition like any answer (CTO review, session 18b):
the decision record lists the monthly volume's range that would flip the verdict, and
``llmchoice revisit`` with any volume in that range reports the condition met."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from llmchoice.api import load_rules, recommend
from llmchoice.cli.app import app
from llmchoice.record.levers import RECOMMENDATION, levers

# a SaaS with a premium frontier tier and a big free tier: a managed hybrid at 3,000
SAAS = {"budget": "moderate", "transparency": "unimportant", "customization": "moderate",
        "support": "community", "expertise": "some", "performance": "cutting_edge",
        "quality": "standard", "lock_in": "avoid", "domain": "general", "control": "low",
        "time_to_market": "flexible", "data": "unrestricted", "monthly_tokens": 3000}


def test_the_volume_that_flips_the_verdict_is_a_lever() -> None:
    rs = load_rules()
    r = recommend(rs, SAAS)
    assert r.recommendation == "hybrid"
    [lv] = [lv for lv in levers(rs, r) if lv.question == "monthly_tokens"]
    assert (lv.at_least, lv.below, lv.recommendation, lv.effect) == \
        (4000.0, None, "open", RECOMMENDATION)
    assert lv.path == "open.hosted-api" and lv.close


def test_a_volume_below_every_cut_is_no_lever_when_nothing_changes() -> None:
    rs = load_rules()
    r = recommend(rs, {**SAAS, "performance": "good_enough"})
    assert not [lv for lv in levers(rs, r) if lv.question == "monthly_tokens"
                and lv.effect == RECOMMENDATION]


def _record(tmp_path: Path, runner: CliRunner) -> Path:
    out = tmp_path / "rec.md"
    args = ["recommend", "--format", "adr", "--output", str(out)]
    for k, v in SAAS.items():
        args += ["--set", f"{k}={v}"]
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.output
    return out


@pytest.mark.parametrize(("volume", "met"), [(5000, True), (4000, True), (90000, True),
                                             (3999, False), (100, False)])
def test_revisit_meets_the_volume_condition_anywhere_in_its_range(
        tmp_path: Path, volume: int, met: bool) -> None:
    runner = CliRunner()
    rec = _record(tmp_path, runner)
    text = rec.read_text(encoding="utf-8")
    assert ("Monthly tokens, now 3,000 million tokens per month (a fact: revisit when it "
            "changes): 4,000 million tokens per month or more would make it Open-source LLM"
            ) in text
    assert "at_least: 4000" in text
    done = runner.invoke(app, ["revisit", str(rec), "--set", f"monthly_tokens={volume}"])
    said = ("Monthly tokens is now" in done.output and
            "the record said that would make it Open-source LLM" in done.output)
    assert said is met, done.output
