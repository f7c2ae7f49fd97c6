"""Small things a newcomer trips over (issue 13, items 8 and 13), each as the user meets it."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from llmchoice.cli.app import app

REPO = Path(__file__).resolve().parent.parent


def invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result.exit_code, result.stdout, result.stderr


# ------------------------------------------------------------------ item 8: empty stdin


def test_empty_stdin_with_set_says_the_input_was_empty() -> None:
    code, out, err = invoke("recommend", "--set", "budget=large", stdin="")
    assert (code, out) == (2, "")
    assert err.startswith("<stdin>: is empty; expected an answers file.")
    assert "10 questions unanswered" in err and "--defaults" in err
    assert "problems with the answers" not in err
    assert len(err.splitlines()) == 1


def test_empty_stdin_with_a_bad_set_still_names_the_bad_value() -> None:
    code, _, err = invoke("recommend", "--set", "budget=huge", stdin="")
    assert code == 2
    assert err.startswith("<stdin>: is empty")
    assert "--set: budget: the text 'huge' is not allowed" in err


def test_empty_stdin_with_defaults_still_scores() -> None:
    code, out, err = invoke("recommend", "--defaults", "--set", "budget=large",
                            "--format", "json", stdin="")
    assert code == 0, err
    assert json.loads(out)["answers"]["budget"] == "large"
