"""``llmchoice quiz`` on the command line: CliRunner for what fails before any question,
and a real pseudo-terminal (pexpect) for the quiz itself, keystroke by keystroke."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest
from typer.testing import CliRunner

from llmchoice.cli.app import app

from .quizkit import QUIZ_RULES

ROOT = Path(__file__).resolve().parent.parent
UP, DOWN, ENTER, ESC, CTRL_C = "\x1b[A", "\x1b[B", "\r", "\x1b", "\x03"


def invoke(args: list[str]):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["quiz", *args])


# ----------------------------------------------------------------------- before any question


def test_without_a_terminal_it_exits_2_and_shows_the_non_interactive_way() -> None:
    result = invoke([])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "standard input is not a terminal" in result.stderr
    assert "llmchoice recommend answers.yaml" in result.stderr
    assert "--answers" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_terminal_in_a_real_subprocess() -> None:
    proc = subprocess.run([sys.executable, "-m", "llmchoice", "quiz"], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, cwd=ROOT, timeout=60,
                          env={**os.environ, "LLMCHOICE_RULES": ""})
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "llmchoice recommend" in proc.stderr and "Traceback" not in proc.stderr


def test_save_refuses_an_existing_file_before_asking_anything(tmp_path: Path) -> None:
    target = tmp_path / "answers.yaml"
    target.write_text("budget: large\n", encoding="utf-8")
    result = invoke(["--save", str(target)])
    assert result.exit_code == 2
    assert f"--save {target}: already exists; add --force" in result.stderr
    assert "terminal" not in result.stderr  # refused before the terminal question
    assert target.read_text(encoding="utf-8") == "budget: large\n"


def test_output_refuses_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("old\n", encoding="utf-8")
    result = invoke(["--output", str(target)])
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    assert target.read_text(encoding="utf-8") == "old\n"


def test_save_and_output_cannot_be_the_same_file(tmp_path: Path) -> None:
    result = invoke(["--save", str(tmp_path / "x.json"), "--output", str(tmp_path / "x.json")])
    assert result.exit_code == 2
    assert "name the same file" in result.stderr


def test_unknown_ask_id_is_refused_with_a_suggestion() -> None:
    result = invoke(["--ask", "budgte"])
    assert result.exit_code == 2
    assert "--ask 'budgte': unknown question" in result.stderr
    assert "did you mean 'budget'" in result.stderr.lower()


def test_answers_file_problems_are_listed_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "partial.yaml"
    path.write_text("budget: minimal\nsupport: nobody\n", encoding="utf-8")
    result = invoke(["--answers", str(path)])
    assert result.exit_code == 2
    assert f"{path}:2:10: support: the text 'nobody' is not allowed" in result.stderr
    assert "missing answer" not in result.stderr  # a partial file is fine for the quiz


def test_answers_from_standard_input_is_refused() -> None:
    result = invoke(["--answers", "-"])
    assert result.exit_code == 2
    assert "--answers -" in result.stderr


def test_bad_format_is_refused() -> None:
    result = invoke(["--format", "pdf"])
    assert result.exit_code == 2
    assert "--format 'pdf'" in result.stderr


def test_help_lists_the_options() -> None:
    result = CliRunner().invoke(app, ["quiz", "--help"])
    assert result.exit_code == 0
    for option in ("--answers", "--ask", "--save", "--rules", "--format", "--output",
                   "--force"):
        assert option in result.stdout


# ----------------------------------------------------------------------- in a pseudo-terminal


_SGR = r"(?:\x1b\[[0-9;?]*[A-Za-z])*"


def _drawn(text: str) -> re.Pattern[str]:
    return re.compile(_SGR.join(re.escape(c) for c in text))


class Quiz:
    """``python -m llmchoice quiz`` in an 80x30 pseudo-terminal."""

    started: list[Quiz] = []

    def __init__(self, args: list[str], cwd: Path, *, no_color: bool = True) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "LLMCHOICE_RULES")}
        env.update({"TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1",
                    "COLUMNS": "80", "LINES": "30"})
        if no_color:
            env["NO_COLOR"] = "1"
        self.transcript = io.StringIO()
        self.child = pexpect.spawn(sys.executable, ["-m", "llmchoice", "quiz", *args],
                                   cwd=str(cwd), env=env, dimensions=(30, 80),
                                   encoding="utf-8", timeout=30)
        self.child.logfile_read = self.transcript
        Quiz.started.append(self)

    def at(self, text: str, keys: str) -> None:
        """Wait until ``text`` is drawn (style changes may sit between its characters),
        then type ``keys``."""
        self.child.expect(_drawn(text))
        self.child.send(keys)

    def finish(self) -> int:
        self.child.expect(pexpect.EOF)
        self.child.close()
        assert self.child.exitstatus is not None
        return self.child.exitstatus

    def text(self) -> str:
        return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", self.transcript.getvalue())


@pytest.fixture(autouse=True)
def _stop_children() -> Iterator[None]:
    """A failed expectation must not leave a quiz running."""
    yield
    for quiz in Quiz.started:
        if quiz.child.isalive():
            quiz.child.terminate(force=True)
    Quiz.started.clear()


@pytest.mark.slow
def test_a_whole_quiz_with_back_and_change_then_the_saved_file_replays(tmp_path: Path) -> None:
    saved, report = tmp_path / "answers.yaml", tmp_path / "report.json"
    quiz = Quiz(["--fixed", "--save", str(saved), "--output", str(report)], tmp_path)
    quiz.at("[1/13] What budget", UP + ENTER)             # minimal
    quiz.at("[2/13] How important", UP + ENTER)           # essential
    quiz.at("[3/13] How much do you need", ESC)           # Back...
    quiz.at("[2/13] How important", ESC)                  # ...and back again:
    quiz.at("[1/13] What budget", DOWN + DOWN + ENTER)    # minimal preselected -> large
    quiz.at("[2/13] How important", ENTER)                # essential, as before
    for n in range(3, 12):
        quiz.at(f"[{n}/13]", ENTER)                       # the defaults
    quiz.at("[12/13] Where may your data go?", DOWN + DOWN + ENTER)  # -> unrestricted
    quiz.at("[13/13] About how many tokens", "3O" + ENTER)  # a typo: refused inline
    quiz.at("! expected a number", "\x7f0" + ENTER)         # fixed: 30
    quiz.at("Is this right?", DOWN + ENTER)               # Change an answer
    quiz.at("Change which answer?", DOWN + ENTER)         # Transparency
    quiz.at("[1/1] How important", DOWN + ENTER)          # essential -> preferred
    quiz.at("Is this right?", ENTER)                      # Confirm
    assert quiz.finish() == 0

    text = quiz.text()
    assert "13 questions (2 optional). You can review" in text
    assert "✔ Budget: Large: cost matters less than results" in text
    assert "✔ Transparency: Preferred" in text
    assert "Traceback" not in text
    assert f"Saved your answers to {saved}" in text
    saved_text = saved.read_text(encoding="utf-8")
    for line in ("budget: large", "transparency: preferred", "data: unrestricted",
                 "monthly_tokens: 30"):
        assert line in saved_text.splitlines()

    replay = subprocess.run([sys.executable, "-m", "llmchoice", "recommend", str(saved),
                             "--format", "json"], capture_output=True, text=True, cwd=tmp_path,
                            timeout=60, env={**os.environ, "LLMCHOICE_RULES": ""})
    assert replay.returncode == 0, replay.stderr
    assert json.loads(replay.stdout) == json.loads(report.read_text(encoding="utf-8"))
    assert json.loads(replay.stdout)["answers"]["budget"] == "large"


@pytest.mark.slow
def test_ctrl_c_exits_130_and_writes_nothing(tmp_path: Path) -> None:
    saved, report = tmp_path / "answers.yaml", tmp_path / "report.md"
    quiz = Quiz(["--fixed", "--save", str(saved), "--output", str(report)], tmp_path)
    quiz.at("[1/13]", ENTER)
    quiz.at("[2/13]", CTRL_C)
    assert quiz.finish() == 130
    assert "Aborted" in quiz.text()
    assert "Traceback" not in quiz.text()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_ctrl_c_at_the_review_writes_nothing_either(tmp_path: Path) -> None:
    saved = tmp_path / "answers.yaml"
    prefill = tmp_path / "in.yaml"
    prefill.write_text("hosting: false\nbudget: low\n", encoding="utf-8")
    quiz = Quiz(["--fixed", "--rules", str(QUIZ_RULES), "--answers", str(prefill),
                 "--save", str(saved)], tmp_path)
    quiz.at("[1/1] What do you need?", ENTER)  # the one question the file leaves open
    quiz.at("Is this right?", CTRL_C)
    assert quiz.finish() == 130
    assert not saved.exists()


@pytest.mark.slow
def test_prefill_and_ask_with_a_test_rule_set_and_no_color(tmp_path: Path) -> None:
    """--answers asks only what is open, --ask re-asks; rule-set text stays data; NO_COLOR
    leaves only bold and reverse video."""
    prefill = tmp_path / "in.yaml"
    prefill.write_text("hosting: true\ngpus: 2\ngpu_kind: small\nbudget: low\n",
                       encoding="utf-8")
    quiz = Quiz(["--fixed", "--rules", str(QUIZ_RULES), "--answers", str(prefill),
                 "--ask", "budget", "--format", "markdown"], tmp_path)
    quiz.at("[1/2] What do you need?", " " + ENTER)   # tick Chat
    quiz.at("[2/2] What is the budget?", DOWN + ENTER)  # low (from the file) -> high
    quiz.at("Is this right?", ENTER)
    assert quiz.finish() == 0
    text = quiz.text()
    assert "4 answers from" in text
    assert "Quiz test rules [bold]not markup[/bold]" in text  # printed, not interpreted
    assert "High [red]or more[/red]" in text
    assert "# " in text  # the Markdown report follows
    sgr = set(re.findall(r"\x1b\[([0-9;]*)m", quiz.transcript.getvalue()))
    assert sgr <= {"0", "0;1", "0;7", "1", "7", "0;1;7", ""}, sgr
