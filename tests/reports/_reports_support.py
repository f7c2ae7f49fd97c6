"""Shared by the report tests: answer sets, a rule set copied into a clean folder, the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from llmchoice.cli.app import app
from llmchoice.ruleset.load import default_rules_path

GOLDEN = Path(__file__).parent / "golden"

# One answer set per outcome. The open one has a hard constraint (closed is ruled out),
# the closed one leaves the optional questions unanswered, the hybrid one gives the
# middle answer wherever there is one and needs the most capable models: both sides
# are needed (open 9, closed 10), so the mixed bonus (1.4 x 9) makes it a hybrid, with
# what-ifs and weight changes that flip it.
ANSWER_SETS: dict[str, dict[str, object]] = {
    "open-air-gapped": {
        "budget": "large", "transparency": "essential", "customization": "moderate",
        "support": "dedicated", "expertise": "strong", "performance": "cutting_edge",
        "quality": "strict", "lock_in": "avoid", "domain": "specialized_industry",
        "control": "critical", "time_to_market": "normal", "data": "on_premises",
    },
    "closed-bank": {
        "budget": "large", "transparency": "unimportant", "customization": "none",
        "support": "dedicated", "expertise": "none", "performance": "cutting_edge",
        "quality": "strict", "lock_in": "tolerate", "domain": "specialized_industry",
        "control": "low", "time_to_market": "urgent",
    },
    "hybrid-middle": {
        "budget": "moderate", "transparency": "preferred", "customization": "moderate",
        "support": "community", "expertise": "some", "performance": "cutting_edge",
        "quality": "standard", "lock_in": "tolerate", "domain": "general",
        "control": "moderate", "time_to_market": "normal",
    },
}
EXPECTED = {"open-air-gapped": "open", "closed-bank": "closed", "hybrid-middle": "hybrid"}
EXPECTED_PATH = {"open-air-gapped": "open.self-hosted", "closed-bank": "closed.vendor-api",
                 "hybrid-middle": "hybrid.managed"}

# More golden cases, one per kind of advice (issue 12): (answers, extra arguments, outcome,
# path). ``--defaults`` fills what a partial answer set leaves out.
DEFAULTS = ["--defaults"]
ADVICE_CASES: dict[str, tuple[dict[str, object], list[str], str, str]] = {
    # data on premises forces open and rules out every hosted path: no API is priced
    "on-premises": ({"data": "on_premises", "expertise": "strong", "monthly_tokens": 500},
                    DEFAULTS, "open", "open.self-hosted"),
    # open 7, closed 7: the tie-break order picks open
    "tie": ({"customization": "none", "expertise": "none"}, DEFAULTS, "open",
            "open.hosted-api"),
    # every default: open leads hybrid by 0.6 points, less than any answer moves
    "too-close": ({}, DEFAULTS, "open", "open.hosted-api"),
    # both sides needed, no GPUs: a managed hybrid, with a volume to price
    "hybrid-managed": ({
        "budget": "moderate", "transparency": "unimportant", "customization": "moderate",
        "support": "community", "expertise": "some", "performance": "cutting_edge",
        "quality": "standard", "lock_in": "avoid", "domain": "general", "control": "low",
        "time_to_market": "normal", "data": "unrestricted", "monthly_tokens": 3000},
        [], "hybrid", "hybrid.managed"),
    # two answers left unsure: performance settles it
    "unsure": ({"budget": "unsure", "performance": "unsure"}, DEFAULTS, "hybrid",
               "hybrid.managed"),
    # a solo developer without ML skills: open weights through a hosted API
    "no-ml-team": ({
        "budget": "minimal", "transparency": "preferred", "customization": "moderate",
        "support": "community", "expertise": "none", "performance": "good_enough",
        "quality": "standard", "lock_in": "avoid", "domain": "general", "control": "low",
        "time_to_market": "flexible", "data": "unrestricted", "monthly_tokens": 2},
        [], "open", "open.hosted-api"),
    # a bank's FAQ bot on regulated data: a closed model in a private deployment
    "regulated-closed": ({
        "budget": "large", "transparency": "unimportant", "customization": "moderate",
        "support": "dedicated", "expertise": "none", "performance": "good_enough",
        "quality": "strict", "lock_in": "tolerate", "domain": "specialized_industry",
        "control": "moderate", "time_to_market": "normal", "data": "regulated",
        "monthly_tokens": 30}, [], "closed", "closed.private-deployment"),
}


def write_answers(folder: Path, name: str, answers: dict[str, object]) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(answers, sort_keys=False), encoding="utf-8")
    return path


def cli(*args: str) -> Any:
    """Run the real command line; the result has ``exit_code``, ``stdout`` and ``stderr``."""
    return CliRunner().invoke(app, list(args), env={"NO_COLOR": "1"})


def recommend_json(*args: str) -> dict[str, Any]:
    result = cli("recommend", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def rules_data() -> dict[str, Any]:
    data = yaml.safe_load(default_rules_path().read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def write_rules(folder: Path, name: str, data: dict[str, Any]) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path
