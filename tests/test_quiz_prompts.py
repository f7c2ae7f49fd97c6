"""The questionary asker, driven through prompt_toolkit's pipe input (no terminal).

Keys are sent into the pipe just before each prompt starts (``PipedAsker._run``),
one chunk per prompt, the way questionary's own tests drive it.
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.input.base import PipeInput
from prompt_toolkit.output import DummyOutput
from prompt_toolkit.output.vt100 import Vt100_Output

from llmchoice.quiz.flow import Action, Nav, Review, ReviewLine, Step, run
from llmchoice.quiz.prompts import QuestionaryAsker
from llmchoice.ruleset.load import load_ruleset

from .quizkit import DEFAULT_ANSWERS, default_rules, quiz_rules

UP, DOWN, LEFT, ENTER, ESC, SPACE = "\x1b[A", "\x1b[B", "\x1b[D", "\r", "\x1b", " "
CTRL_C, CTRL_D = "\x03", "\x04"

RS = default_rules()
QRS = quiz_rules()


class PipedAsker(QuestionaryAsker):
    def __init__(self, pipe: PipeInput, keys: list[str], *, output: object = None) -> None:
        super().__init__(pt_input=pipe, pt_output=output or DummyOutput(), ui=io.StringIO(),
                         color=False)
        self.pipe = pipe
        self.keys = list(keys)

    def _run(self, question: object) -> object:
        assert self.keys, "a prompt started with no keys left to send"
        keys = self.keys.pop(0)
        if keys:
            self.pipe.send_text(keys)
        return super()._run(question)

    def log(self) -> str:
        assert isinstance(self.ui, io.StringIO)
        return self.ui.getvalue()

    def lines(self) -> list[str]:
        """The log's lines without the blank line that precedes the first answer."""
        log = self.log()
        assert not log or log.startswith("\n")
        return log[1:].splitlines()


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    with create_pipe_input() as p:
        yield p


def step(rs, qid: str, current=None, *, back: bool = True, **kw) -> Step:  # type: ignore[no-untyped-def]
    return Step(rs.question(qid), 2, 13, current, False, back, **kw)


def test_enter_takes_the_preselected_answer_and_logs_one_line(pipe: PipeInput) -> None:
    asker = PipedAsker(pipe, [ENTER])
    assert asker.question(step(RS, "budget", "moderate")) == "moderate"
    assert asker.log() == (
        "\n✔ Budget: Moderate: a real line in the budget, but every cost is questioned\n")


def test_arrows_move_to_another_choice(pipe: PipeInput) -> None:
    asker = PipedAsker(pipe, [DOWN + ENTER, UP + ENTER])
    assert asker.question(step(RS, "budget", "moderate")) == "large"
    assert asker.question(step(RS, "support", "community")) == "dedicated"


def test_back_is_a_choice_at_the_end_of_the_list_and_a_key(pipe: PipeInput) -> None:
    # Up from the first choice wraps to the last one: Back when going back is possible,
    # else "Not sure", offered on every question (budget is required).
    asker = PipedAsker(pipe, [UP + ENTER, UP + ENTER, ESC, LEFT, UP + UP + ENTER])
    assert asker.question(step(RS, "budget", "minimal", back=True)) is Nav.BACK
    assert asker.question(step(RS, "budget", "minimal", back=False)) is Nav.SKIP
    assert asker.question(step(RS, "budget", "minimal", back=True)) is Nav.BACK
    assert asker.question(step(RS, "budget", "minimal", back=True)) is Nav.BACK
    assert asker.question(step(RS, "budget", "minimal", back=True)) is Nav.SKIP
    # Going back leaves no summary line; answering does.
    assert asker.lines() == ["✔ Budget: not sure", "✔ Budget: not sure"]


def test_optional_questions_open_on_their_first_choice_not_on_not_sure(
        pipe: PipeInput) -> None:
    """A quick Enter must not skip the optional question that may decide the most: the
    cursor opens on its first real choice, and on "Not sure" only when that was the
    answer before."""
    asker = PipedAsker(pipe, [ENTER, ENTER, UP + ENTER])
    assert asker.question(step(RS, "data")) == "on_premises"
    again = dataclasses.replace(step(RS, "data"), skipped=True)
    assert asker.question(again) is Nav.SKIP
    # from "not sure", up skips the blank separator line to the last choice
    assert asker.question(again) == "unrestricted"
    assert asker.lines() == [
        "✔ Data location: It must stay on our own infrastructure (or air-gapped)",
        "✔ Data location: not sure", "✔ Data location: No special restrictions"]


def test_confirm_questions_are_a_yes_no_list(pipe: PipeInput) -> None:
    asker = PipedAsker(pipe, [ENTER, UP + ENTER])
    assert asker.question(step(QRS, "hosting", False)) is False
    assert asker.question(step(QRS, "hosting", False)) is True
    assert asker.lines() == ["✔ Hosting: no", "✔ Hosting: yes"]


def test_multi_choice_ticks_with_space_and_not_sure_must_stand_alone(pipe: PipeInput) -> None:
    # Tick "Not sure" and "Code": refused with a message, the prompt stays; untick "Not
    # sure" and Enter is accepted.
    keys = DOWN + DOWN + SPACE + UP + SPACE + ENTER + DOWN + SPACE + ENTER
    asker = PipedAsker(pipe, [keys, DOWN + DOWN + SPACE + ENTER])
    assert asker.question(step(QRS, "needs")) == ["code"]
    assert asker.question(step(QRS, "needs")) is Nav.SKIP
    assert asker.lines() == ["✔ Needs: Code", "✔ Needs: not sure"]


def test_number_questions_return_the_text_for_the_questionnaire_to_check(
        pipe: PipeInput) -> None:
    asker = PipedAsker(pipe, ["12abc" + ENTER, ENTER, ENTER, ENTER, "\x7f\x7f" + "5" + ENTER])
    assert asker.question(step(RS, "monthly_tokens")) == "12abc"
    assert asker.question(step(RS, "monthly_tokens")) is Nav.SKIP  # empty: not sure
    assert asker.question(step(RS, "monthly_tokens", 250)) == "250"  # preselected
    assert asker.question(step(RS, "monthly_tokens", 250, error="x", typed="abc")) == "abc"
    assert asker.question(step(RS, "monthly_tokens", 250)) == "25"  # edited: 250 -> 2 -> 25
    # Only answers coerce accepts are logged.
    assert asker.lines() == [
        "✔ Monthly tokens: not sure",
        "✔ Monthly tokens: 250 million tokens per month",
        "✔ Monthly tokens: 25 million tokens per month",
    ]


def test_esc_goes_back_from_a_number_question(pipe: PipeInput) -> None:
    asker = PipedAsker(pipe, ["12" + ESC])
    assert asker.question(step(RS, "monthly_tokens")) is Nav.BACK


@pytest.mark.parametrize(("qid", "key", "error"), [
    ("budget", CTRL_C, KeyboardInterrupt),
    ("budget", CTRL_D, EOFError),
    ("monthly_tokens", CTRL_C, KeyboardInterrupt),
    ("monthly_tokens", CTRL_D, EOFError),
])
def test_ctrl_c_and_ctrl_d_abort(pipe: PipeInput, qid: str, key: str,
                                 error: type[BaseException]) -> None:
    asker = PipedAsker(pipe, [key])
    with pytest.raises(error):
        asker.question(step(RS, qid))
    assert asker.log() == ""


def test_end_of_input_aborts_with_eoferror(pipe: PipeInput) -> None:
    asker = PipedAsker(pipe, [""])
    pipe.close()
    with pytest.raises(EOFError):
        asker.question(step(RS, "budget"))


def _review(rs) -> Review:  # type: ignore[no-untyped-def]
    return Review(tuple(ReviewLine(rs.question(k), v) for k, v in
                        [("hosting", False), ("needs", None), ("budget", "high")]))


def test_review_shows_a_table_then_confirm(pipe: PipeInput) -> None:
    asker = PipedAsker(pipe, [ENTER])
    assert asker.review(_review(QRS)).action is Action.CONFIRM
    log = asker.log()
    assert "Your answers" in log
    rows = [line.split() for line in log.splitlines() if line[:3].strip().isdigit()]
    assert rows == [["1", "Hosting", "no"], ["2", "Needs", "not", "sure"],
                    ["3", "Budget", "High", "[red]or", "more[/red]"]]
    assert log.rstrip().endswith("Confirmed")


def test_review_change_picks_the_answer_and_esc_returns_to_the_review(
        pipe: PipeInput) -> None:
    asker = PipedAsker(pipe, [DOWN + ENTER, ESC, DOWN + ENTER, DOWN + DOWN + ENTER])
    decision = asker.review(_review(QRS))
    assert (decision.action, decision.question) == (Action.CHANGE, "budget")
    assert asker.log().count("Your answers") == 2  # shown again after Esc


def test_review_start_over(pipe: PipeInput) -> None:
    asker = PipedAsker(pipe, [DOWN + DOWN + ENTER])
    assert asker.review(_review(QRS)).action is Action.START_OVER


def test_a_whole_quiz_through_the_pipe(pipe: PipeInput) -> None:
    """The questionnaire with the real asker: Back, a refused number, a change."""
    keys = [
        UP + ENTER,            # hosting: yes
        "abc" + ENTER,         # gpus: refused by coerce, asked again...
        ESC,                   # ...then Back to hosting
        ENTER,                 # hosting: yes (preselected)
        "4" + ENTER,           # gpus: the refused text is gone, the prompt is empty again
        DOWN + ENTER,          # gpu_kind: big
        ENTER,                 # needs: nothing ticked
        ENTER,                 # budget: low
        DOWN + ENTER,          # review: Change an answer
        ENTER,                 # ... hosting
        DOWN + ENTER,          # hosting: no -> gpus and gpu_kind no longer apply
        ENTER,                 # review: confirm
    ]
    asker = PipedAsker(pipe, keys)
    resolved = run(QRS, asker)
    assert resolved.answers == {"hosting": False, "needs": (), "budget": "low"}
    assert not asker.keys
    log = asker.log()
    assert log.count("Your answers") == 2
    assert "✔ Gpus: 4 GPUs" in log and "✔ Gpu kind: Big cards" in log


def _screen_output() -> tuple[io.StringIO, Vt100_Output]:
    buf = io.StringIO()
    return buf, Vt100_Output(buf, lambda: Size(rows=30, columns=80), term="xterm",
                             enable_cpr=False)


def _plain(raw: str) -> str:
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", raw).replace("\r", "")


def test_the_prompt_shows_progress_prompt_help_error_and_keys(pipe: PipeInput) -> None:
    buf, out = _screen_output()
    asker = PipedAsker(pipe, [ENTER], output=out)
    asker.question(Step(RS.question("monthly_tokens"), 3, 13, None, False, True,
                        error="expected a number, found the text 'abc'", typed="abc"))
    screen = _plain(buf.getvalue())
    assert "[3/13] About how many tokens a month will you process, in millions?" in screen
    assert "  Optional. Input and output together." in screen
    assert "  ! expected a number, found the text 'abc'" in screen
    words = " ".join(screen.split())  # as read, whatever the line breaks
    assert ("Million tokens per month, from 0 to 100000000. "
            "(Enter to accept, empty = not sure, Esc back)") in words
    assert "  › abc" in screen
    assert all(len(line) <= 80 for line in screen.splitlines())


def test_rule_set_text_is_cleaned_before_it_reaches_the_terminal(pipe: PipeInput) -> None:
    buf, out = _screen_output()
    asker = PipedAsker(pipe, [ENTER], output=out)
    asker.question(step(QRS, "hosting", False))
    raw = buf.getvalue()
    assert "\x1b[31m" not in raw  # the rule set's escape sequence never reaches the terminal
    assert "\\x1b[31mNot red\\x1b[0m" in _plain(raw)  # shown as visible text instead


def test_long_labels_are_cut_to_the_width_and_shown_whole_under_the_list(
        pipe: PipeInput, tmp_path: Path) -> None:
    text = Path(quiz_rules().source).read_text(encoding="utf-8")
    long = "Low, " + "really " * 15 + "low"
    path = tmp_path / "long.yaml"
    path.write_text(text.replace("label: Low}", f"label: '{long}'}}"), encoding="utf-8")
    rs = load_ruleset(path)
    buf, out = _screen_output()
    asker = PipedAsker(pipe, [ENTER], output=out)
    assert asker.question(step(rs, "budget", "low")) == "low"
    screen = _plain(buf.getvalue())
    assert all(len(line) <= 80 for line in screen.splitlines())
    assert re.search(r"» Low, really[a-z ]*…\n", screen)
    assert "Description: Low, really" in screen


def test_default_rules_fit_in_80_columns(pipe: PipeInput) -> None:
    """Every question of the default rule set draws within 80 columns."""
    for q in RS.questions:
        buf, out = _screen_output()
        key = "1" + ENTER if q.type == "number" else ENTER
        asker = PipedAsker(pipe, [key], output=out)
        asker.question(Step(q, 13, 13, q.default, False, True))  # type: ignore[arg-type]
        screen = _plain(buf.getvalue())
        assert f"[13/13] {q.prompt[:30]}" in screen
        assert all(len(line) <= 80 for line in screen.splitlines()), q.id


def test_default_answers_cover_the_default_questions() -> None:
    assert [q.id for q in RS.questions if q.required] == list(DEFAULT_ANSWERS)
