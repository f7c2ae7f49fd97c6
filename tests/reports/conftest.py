"""Fixtures of the report tests (tests/reports/)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from llmchoice.ruleset.load import default_rules_path


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A clean folder holding a copy of the default rule set as ``default.yaml``, made the
    current directory, so reports name ``default.yaml`` wherever the checkout lives."""
    shutil.copyfile(default_rules_path(), tmp_path / "default.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("LLMCHOICE_RULES", raising=False)
    yield tmp_path
