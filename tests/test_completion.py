"""Shell completion is switched on (issue 13, item 14): typer's --install-completion and
--show-completion, and completing commands (the lazily loaded ones too) and options."""

from __future__ import annotations

import os
import subprocess
import sys

from typer.testing import CliRunner

from llmchoice.cli.app import app


def _complete(words: str, cword: int) -> list[str]:
    env = {**os.environ, "_LLMCHOICE_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(cword)}
    env.pop("LLMCHOICE_RULES", None)
    proc = subprocess.run([sys.executable, "-c", "from llmchoice.cli.app import main; main()"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()


def test_help_offers_completion() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert "--install-completion" in result.stdout and "--show-completion" in result.stdout


def test_commands_and_options_complete() -> None:
    assert _complete("llmchoice re", 1) == ["recommend", "revisit"]
    assert _complete("llmchoice rec", 1) == ["recommend"]
    assert _complete("llmchoice ru", 1) == ["rules"]  # a lazily loaded command
    assert _complete("llmchoice rules t", 2) == ["test"]
    assert "--monthly-tokens" in _complete("llmchoice cost --mo", 2)


def test_show_completion_prints_a_script() -> None:
    env = {**os.environ}
    proc = subprocess.run([sys.executable, "-m", "llmchoice", "--show-completion", "bash"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "_LLMCHOICE_COMPLETE=complete_bash" in proc.stdout
