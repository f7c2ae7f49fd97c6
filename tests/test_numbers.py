"""One number reader for every input (issue 13, item 7): the quiz, answers files, --set,
CSV cells, cost flags, --threshold and --samples read ``1,000`` alike, refuse ``1,5`` and
``4__0`` with a hint, take ``50%`` wherever a share is asked, and speak in one style."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from llmchoice.answers.validate import coerce
from llmchoice.cli.app import app
from llmchoice.io.errors import UsageError
from llmchoice.io.numbers import PERCENT, SHARE, NumberError, option_number, parse_number
from llmchoice.quiz.flow import Nav, run
from llmchoice.ruleset.model import RuleSet

from .quizkit import DEFAULT_ANSWERS, ScriptedAsker, default_rules


@pytest.mark.parametrize(("text", "value"), [
    ("1000", 1000), ("1,000", 1000), ("1 000", 1000), ("1_000", 1000), ("1\u202f000", 1000),
    ("1,000,000", 1_000_000), ("1,000.5", 1000.5), ("-3", -3), ("+7", 7), (".5", 0.5),
    ("2.5", 2.5), ("1e6", 1e6), (" 12 ", 12), ("123,456", 123456),
])
def test_accepted_numbers(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(("text", "hint"), [
    ("1,5", "write 1.5 (a point for decimals)"),
    ("12,50", "write 12.50"),
    ("4__0", "between groups of three digits"),
    ("1_00", "between groups of three digits"),
    ("1,0000", "between groups of three digits"),
    ("1,000 000", "one kind per number"),
    ("1.000.000", "a point is the decimal point"),
    ("1.000,5", "separators go only before it"),
    ("inf", "finite"),
    ("nan", "finite"),
    ("1e999", "finite"),
    ("50%", "a percent sign is only for shares"),
    ("", "empty"),
])
def test_refused_numbers_say_why(text: str, hint: str) -> None:
    with pytest.raises(NumberError) as info:
        parse_number(text)
    assert hint in info.value.reason


@pytest.mark.parametrize("text", ["lots", "1,5,0", "0x10", "\u0661\u0662", "--1", "1e", "%"])
def test_not_numbers_at_all(text: str) -> None:
    with pytest.raises(NumberError):
        parse_number(text, percent=SHARE)


def test_percent_reads_as_a_share_or_as_percent() -> None:
    assert parse_number("90%", percent=SHARE) == pytest.approx(0.9)
    assert parse_number("12.5 %", percent=SHARE) == pytest.approx(0.125)
    assert parse_number("90%", percent=PERCENT) == 90


def test_whole_numbers_only_where_asked() -> None:
    assert parse_number("2,000", integer=True) == 2000
    assert parse_number("3e3", integer=True) == 3000
    with pytest.raises(NumberError, match="whole number"):
        parse_number("1.5", integer=True)


def test_option_words() -> None:
    with pytest.raises(UsageError) as info:
        option_number("-n", "1,5")
    assert info.value.message.startswith("-n '1,5': expected a number; a comma before 1 digit")


# ------------------------------------------------------------------ every input, one reader


def test_answers_coerce_uses_the_reader(rs: RuleSet) -> None:
    q = rs.question("monthly_tokens")
    assert coerce(q, "1,000", from_text=True) == (1000, "")
    value, problem = coerce(q, "1,5", from_text=True)
    assert value is None and "write 1.5" in problem
    value, problem = coerce(q, "4__0", from_text=True)
    assert value is None and "groups of three" in problem
    value, problem = coerce(q, "50%", from_text=True)  # millions of tokens: not a share
    assert value is None and "percent sign" in problem


def _invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("text", ["1,5", "4__0"])
def test_set_refuses_ambiguous_numbers(text: str) -> None:
    code, out, err = _invoke("recommend", "--defaults", "--set", f"monthly_tokens={text}",
                             "--format", "json")
    assert (code, out) == (2, "")
    assert "monthly_tokens: expected a number >= 0" in err and repr(text) in err


def test_set_and_file_take_thousands(tmp_path: Path) -> None:
    code, out, err = _invoke("recommend", "--defaults", "--set", "monthly_tokens=1,000",
                             "--format", "json")
    assert code == 0, err
    assert json.loads(out)["answers"]["monthly_tokens"] == 1000
    answers = tmp_path / "a.yaml"
    answers.write_text("monthly_tokens: 2 000\n", encoding="utf-8")
    code, out, err = _invoke("recommend", str(answers), "--defaults", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["answers"]["monthly_tokens"] == 2000


def test_cost_flags_take_thousands_and_percent() -> None:
    code, out, err = _invoke("cost", "-n", "1,000", "--utilisation", "50%",
                             "--input-share", "70%", "--staff-usd-month", "6 000",
                             "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["monthly_tokens"] == 1000
    assert data["assumptions"]["self_host.utilisation"]["value"] == pytest.approx(0.5)
    assert data["assumptions"]["workload.input_share"]["value"] == pytest.approx(0.7)
    assert data["assumptions"]["self_host.staff_usd_month"]["value"] == 6000


@pytest.mark.parametrize(("args", "message"), [
    (("cost", "-n", "1,5"), "--monthly-tokens '1,5': expected a number; a comma before 1 "
                            "digit reads as a decimal comma; write 1.5"),
    (("cost", "-n", "50%"), "--monthly-tokens '50%': expected a number; a percent sign"),
    (("cost", "-n", "100", "--utilisation", "half"), "--utilisation 'half': expected a share "
                                                     "from 0 to 1 (0.5) or a percentage (50%)"),
    (("cost", "-n", "100", "--input-share", "60"), "a share is written 0.6 or 60%"),
    (("rules", "analyze", "--samples", "1.5"), "--samples '1.5': expected a whole number"),
    (("rules", "test", "--threshold", "1,5"), "--threshold '1,5': expected a share"),
    (("rules", "test", "--threshold", "90"), "write 0.9 or 90%"),
])
def test_bad_numbers_on_the_command_line_speak_the_tools_words(args: tuple[str, ...],
                                                                 message: str) -> None:
    code, out, err = _invoke(*args)
    assert code == 2
    assert out == ""
    assert message in err
    assert "Invalid value" not in err and "Usage:" not in err
    assert len(err.strip().splitlines()) == 1


def test_threshold_and_samples_take_the_same_forms() -> None:
    code, _, err = _invoke("rules", "test", "--threshold", "90 %")
    assert code == 0, err
    code, _, err = _invoke("rules", "analyze", "--samples", "0", "--seed", "1,000",
                           "--format", "json")
    assert code == 0, err


def test_cost_file_reads_text_numbers_with_the_same_reader(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text('assumptions:\n  self_host.utilisation: "30%"\n  gpu.hourly_usd: "1,5"\n',
                    encoding="utf-8")
    code, _, err = _invoke("cost", "-n", "100", "--assumptions", str(mine))
    assert code == 2
    assert "gpu.hourly_usd (the GPU price): expected a number, found the text '1,5'; " \
           "a comma before 1 digit" in err
    assert "utilisation" not in err


def test_the_quiz_reads_numbers_the_same_way() -> None:
    asker = ScriptedAsker([*DEFAULT_ANSWERS.values(), Nav.SKIP, "1,5", "4__0", "1 000"])
    resolved = run(default_rules(), asker)
    tokens = [s for s in asker.steps if s.question.id == "monthly_tokens"]
    assert "write 1.5 (a point for decimals)" in tokens[1].error
    assert "groups of three digits" in tokens[2].error
    assert resolved.answers["monthly_tokens"] == 1000
