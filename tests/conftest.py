"""Shared fixtures: the default rule set, sample answers, a CLI runner, file helpers."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from llmchoice.ruleset.load import load_ruleset
from llmchoice.ruleset.model import RuleSet

REPO = Path(__file__).resolve().parent.parent

# A team in the middle of every question: the defaults of the default rule set.
MIDDLE = {
    "budget": "moderate", "transparency": "preferred", "customization": "moderate",
    "support": "community", "expertise": "some", "performance": "good_enough",
    "quality": "standard", "lock_in": "tolerate", "domain": "general", "control": "moderate",
    "time_to_market": "normal",
}
OPEN_TEAM = {
    "budget": "minimal", "transparency": "essential", "customization": "deep",
    "support": "community", "expertise": "strong", "performance": "good_enough",
    "quality": "standard", "lock_in": "avoid", "domain": "research", "control": "critical",
    "time_to_market": "flexible",
}
CLOSED_TEAM = {
    "budget": "large", "transparency": "unimportant", "customization": "none",
    "support": "dedicated", "expertise": "none", "performance": "cutting_edge",
    "quality": "strict", "lock_in": "tolerate", "domain": "specialized_industry",
    "control": "low", "time_to_market": "urgent",
}


# The slowest property tests (marked ``slow``) take their number of examples from these
# hypothesis profiles: few in an ordinary run (CI's), the full number with ``--full``
# (docs/testing.md). Other property tests set their own number.
settings.register_profile("ci", max_examples=25, deadline=None)
settings.register_profile("full", max_examples=300, deadline=None)
CI_EXAMPLES, FULL_EXAMPLES = 25, 300


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--full", action="store_true", default=False,
                     help="the full run: slow property tests with all their examples, and "
                          "the checks over the whole answer space (minutes)")


def pytest_configure(config: pytest.Config) -> None:
    settings.load_profile("full" if config.getoption("--full") else "ci")
    # parsed rule sets are cached in a folder of this run, never the user's ~/.cache
    # (set before any test, so that the commands the tests start inherit it)
    os.environ["LLMCHOICE_CACHE_DIR"] = tempfile.mkdtemp(prefix="llmchoice-test-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = os.environ.get("LLMCHOICE_CACHE_DIR", "")
    if Path(folder).name.startswith("llmchoice-test-cache-"):
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def full_run(request: pytest.FixtureRequest) -> bool:
    """Whether this is the full run (``pytest --full``)."""
    return bool(request.config.getoption("--full"))


@pytest.fixture(autouse=True)
def _stable_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No colour, a fixed width, and no rule set picked up from the caller's environment."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("LLMCHOICE_RULES", raising=False)


@pytest.fixture(scope="session")
def rs() -> RuleSet:
    return load_ruleset(None) if "LLMCHOICE_RULES" not in os.environ else load_ruleset("default")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    """Write a file under tmp_path and return its path."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write


def to_yaml(answers: dict[str, object]) -> str:
    return "".join(f"{k}: {v}\n" for k, v in answers.items())
