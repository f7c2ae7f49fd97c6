"""Shared fixtures: the default rule set, sample answers, a CLI runner, file helpers."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.testing
from hypothesis import settings
from typer.testing import CliRunner

from llmchoice.cli import lazy
from llmchoice.io import doccache
from llmchoice.ruleset import load as ruleset_load
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


# typer's CliRunner builds the whole click command from the app at every invoke (about
# 3 ms for the root, 1-3 ms more for each lazy command it loads: seconds over the ~2,000
# invokes of a run); the real CLI builds it once per process. So the tests build each
# app's command once (per shell-detection setting, which changes its completion options),
# and each lazy command once. Every invoke still starts from the root's own commands, as a
# fresh process does: the lazy ones it added (llmchoice/cli/lazy.py) are dropped again.
_built: dict[tuple[int, str | None], tuple[typer.Typer, Any, dict[str, Any]]] = {}
_typer_get_command = typer.testing._get_command


def _command_once(app: typer.Typer) -> Any:
    key = (id(app), os.environ.get("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION"))
    if key not in _built:
        command = _typer_get_command(app)
        _built[key] = (app, command, dict(getattr(command, "commands", {})))
    _, command, own = _built[key]
    if hasattr(command, "commands"):
        command.commands.clear()
        command.commands.update(own)
    return command


typer.testing._get_command = _command_once  # type: ignore[attr-defined]
lazy.load_command = functools.cache(lazy.load_command)  # type: ignore[method-assign]

# Most commands the tests run in-process load the same few rule sets again and again
# (the shipped one above all), and building one (checking every field and cross
# reference, ~10 ms for the shipped set) is most of a short command's own time. A process
# of the real CLI builds it once. So within this test process, load_ruleset builds each
# rule set once: a later load reads the file(s), hashes them and parses the YAML as
# always, and when the SHA-256 of the text (with every base it extends) and the name it is
# reported under are those of a rule set already built, it returns that one (a RuleSet is
# frozen). A changed file has another hash and is built and checked again; a rule set
# that fails to build is never kept. Only load_ruleset's own call is served so: a test
# calling build itself (often with a made-up hash) always builds.
_build = ruleset_load.build
_built_rulesets: OrderedDict[tuple[str, str], RuleSet] = OrderedDict()


def _build_once(doc: Any, *args: Any, **kw: Any) -> RuleSet:
    sha = kw.get("sha256")
    if args or sha is None or sys._getframe(1).f_code is not ruleset_load.load_ruleset.__code__:
        return _build(doc, *args, **kw)
    key = (sha, doc.source)
    if key in _built_rulesets:
        _built_rulesets.move_to_end(key)
        return _built_rulesets[key]
    built = _build(doc, *args, **kw)
    _built_rulesets[key] = built
    if len(_built_rulesets) > 16:
        _built_rulesets.popitem(last=False)
    return built


ruleset_load.build = _build_once


class _ParsedOnce:
    """What ruleset/load.py sees as ``doccache``: the same, except that a document is
    read from the cache's JSON (~5 ms for the shipped set) once per test process for a
    given SHA-256 of its text and name (documents are never changed once parsed). Only
    load.py's reads go through it; the doccache tests call the module itself."""

    def __init__(self) -> None:
        self._docs: OrderedDict[tuple[str, str], Any] = OrderedDict()

    def __getattr__(self, name: str) -> Any:
        return getattr(doccache, name)

    def parse(self, text: str, source: str, sha256: str) -> Any:
        key = (sha256, source)
        if key in self._docs:
            self._docs.move_to_end(key)
            return self._docs[key]
        doc = self._docs[key] = doccache.parse(text, source, sha256)
        if len(self._docs) > 16:
            self._docs.popitem(last=False)
        return doc


ruleset_load.doccache = _ParsedOnce()  # type: ignore[assignment]


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


# The seeded mutation fuzz loops (marked ``slow``) run the first third of their sequence
# in an ordinary run, all of it in the full run.
FUZZ_SHARE = 3


@pytest.fixture(scope="session")
def fuzz_rounds(full_run: bool) -> Callable[[int], int]:
    """How many of a seeded fuzz loop's ``n`` rounds this run does."""
    return lambda n: n if full_run else max(1, n // FUZZ_SHARE)


@pytest.fixture(autouse=True)
def _stable_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No colour, a fixed width, and no rule set picked up from the caller's environment."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("LLMCHOICE_RULES", raising=False)


@pytest.fixture(scope="session")
def rs() -> RuleSet:
    return load_ruleset(None) if "LLMCHOICE_RULES" not in os.environ else load_ruleset("default")


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built once a run by its build backend (hatchling, as
    ``pip wheel`` and ``python -m build`` call it)."""
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d",
                           str(out)], cwd=REPO, capture_output=True, text=True, timeout=300,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    return next(out.glob("llmchoice-*.whl"))


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
