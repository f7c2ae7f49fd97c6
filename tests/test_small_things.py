"""Small things a newcomer trips over (issue 13, items 8 and 13), each as the user meets it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
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


# ------------------------------------------------------------------ item 12: the template


def _block(text: str, qid: str) -> list[str]:
    """The comment block and answer line of one question in a template."""
    blocks = text.split("\n\n")
    return next(b for b in blocks if f"\n{qid}:" in b or f"\n# {qid}:" in b).splitlines()


def test_template_help_reads_as_one_paragraph() -> None:
    code, out, _ = invoke("template")
    assert code == 0
    assert out.startswith("# Answers for llmchoice")
    assert "\nrule_set:\n  id: llmchoice-default\n" in out  # main's rule_set block stays
    budget = _block(out, "budget")
    assert budget[0] == "# What budget does the team have for running and paying for LLMs?"
    help_lines = budget[1:budget.index("# Choices:")]
    assert len(help_lines) >= 2 and all(line.startswith("#   ") for line in help_lines)
    assert "Open-source models can be used" in " ".join(help_lines)  # not split at "Open-"
    # a wrapped choice label stays under its label, not at the comment's left edge
    moderate = budget.index(next(line for line in budget if "moderate:" in line))
    assert budget[moderate + 1].startswith("#" + " " * 12) and "questioned" in budget[moderate + 1]
    assert all(len(line) <= 78 for line in out.splitlines())


def test_template_does_not_suggest_zero_tokens(tmp_path: Path) -> None:
    _, out, _ = invoke("template")
    assert "monthly_tokens: 0" not in out
    tokens = _block(out, "monthly_tokens")
    assert tokens[-1] == "# monthly_tokens:"
    assert "write your number" in tokens[-2]
    # uncommented and left blank, it is simply not answered
    answers = tmp_path / "a.yaml"
    answers.write_text(out.replace("# monthly_tokens:", "monthly_tokens:"), encoding="utf-8")
    code, report, err = invoke("recommend", str(answers), "--format", "json")
    assert code == 0, err
    assert "monthly_tokens" not in json.loads(report)["answers"]


# ------------------------------------------------------------------ item 13: questions


def test_questions_into_a_pipe_is_a_markdown_list_not_a_box() -> None:
    code, out, _ = invoke("questions")
    assert code == 0
    assert not any(c in out for c in "┏━┃│└")
    lines = out.splitlines()
    assert lines[0] == "# Questions of llmchoice-default 2.0.0"
    assert all(len(line) <= 80 for line in lines)
    items = " ".join(out.split("\n  ")).splitlines()  # each item back on one line
    assert "- **budget**: What budget does the team have for running and paying for LLMs? " \
           "Allowed: one of minimal, moderate, large. Default: `moderate`." in items
    assert any(line.startswith("- **data**:") and "(optional)" in line for line in items)


def test_questions_format_markdown_and_terminal_are_accepted() -> None:
    code, out, _ = invoke("questions", "--format", "markdown")
    assert code == 0 and out.startswith("# Questions of")
    code, out, _ = invoke("questions", "--format", "terminal")
    assert code == 0 and "┃ id" in out
    code, _, err = invoke("questions", "--format", "html")
    assert code == 2 and err == "--format 'html': expected one of terminal, markdown, json\n"


# ------------------------------------------------------------------ item 13: strict .json


@pytest.mark.parametrize(("text", "why"), [
    ('{"budget": "large",}', "1:20: not valid JSON: a trailing comma before the closing brace"),
    ('{"budget": ["x",]}', "a trailing comma before the closing bracket"),
    ("{'budget': 'large'}", "single quotes; JSON strings take double quotes"),
    ('# note\n{"budget": "large"}', "1:1: not valid JSON: a comment; JSON has none"),
    ("budget: large", "not valid JSON: expecting value"),
])
def test_a_json_answers_file_must_be_strict_json(tmp_path: Path, text: str, why: str) -> None:
    path = tmp_path / "answers.json"
    path.write_text(text + "\n", encoding="utf-8")
    code, out, err = invoke("recommend", str(path), "--defaults")
    assert (code, out) == (2, "")
    assert err.startswith(f"{path}:") and why in err
    assert err.rstrip().endswith("a .json file must be strict JSON (name it .yaml to write YAML)")
    assert len(err.splitlines()) == 1


def test_the_same_text_as_yaml_and_strict_json_still_read(tmp_path: Path) -> None:
    yaml_file = tmp_path / "answers.yaml"
    yaml_file.write_text('{"budget": "large",}\n', encoding="utf-8")  # YAML allows it
    assert invoke("recommend", str(yaml_file), "--defaults")[0] == 0
    json_file = tmp_path / "answers.json"
    json_file.write_text('{"budget": "large"}\n', encoding="utf-8")
    assert invoke("recommend", str(json_file), "--defaults")[0] == 0
    assert invoke("recommend", str(REPO / "examples/answers/vendor-first.json"))[0] == 0


def test_a_json_cost_file_must_be_strict_json(tmp_path: Path) -> None:
    path = tmp_path / "costs.json"
    path.write_text('{"assumptions": {"gpu.hourly_usd": 2.5,}}\n', encoding="utf-8")
    code, _, err = invoke("cost", "-n", "100", "--assumptions", str(path))
    assert code == 2 and "a trailing comma before the closing brace" in err


# ------------------------------------------------------------------ item 13: wording


def test_one_of_two_bad_lines_reads_as_english(tmp_path: Path) -> None:
    good = ",".join(f"{k}" for k in ("budget",))
    src = tmp_path / "teams.csv"
    src.write_text(f"{good}\nlarge\nhuge\n", encoding="utf-8")
    code, _, err = invoke("batch", str(src), "--defaults")
    assert code == 2
    assert err.splitlines()[-1] == (f"{src}: 1 of 2 answer sets was bad (line 3); "
                                    "the other one was scored")


def test_an_unknown_cite_is_named_without_the_text(tmp_path: Path) -> None:
    over = tmp_path / "over.yaml"
    over.write_text("extends: default\nruleset: {id: acme, version: 1.0.0}\nrules:\n"
                    "  - id: support-dedicated\n    cites: [closed.higher-cost, 3]\n",
                    encoding="utf-8")
    code, _, err = invoke("rules", "validate", str(over))
    assert code == 2
    assert ":5:13: rule 'support-dedicated' cites an unknown trade-off 'closed.higher-cost' " \
           "(did you mean 'closed.higher-costs'?)" in err
    assert ":5:33: rule 'support-dedicated' cites the number 3; expected a trade-off id" in err
    assert "the text" not in err


# ------------------------------------------------------------------ item 13: batch


def test_batch_rows_carry_the_rule_sets_scenario_id(tmp_path: Path) -> None:
    research = '{"domain": "research", "budget": "minimal"}\n'
    code, out, err = invoke("batch", "-", "--defaults", stdin=research)
    assert code == 0, err
    assert json.loads(out)["scenario"] == "future.niche-domination"
    code, out, err = invoke("batch", "-", "--defaults", "--format", "csv", stdin=research)
    assert code == 0, err
    assert out.splitlines()[1].split(",")[-2] == "future.niche-domination"


def test_a_bad_csv_header_writes_no_output_header() -> None:
    code, out, err = invoke("batch", "-", stdin="budgt\nlarge\n")
    assert (code, out) == (2, "")
    assert "unknown question 'budgt' (did you mean 'budget'?)" in err


def _first_row_before_more_input(*flags: str, stdout_tty: bool = False) -> str | None:
    """Start a batch on a pipe, send one line and keep the pipe open: the row it prints
    before more input comes (None when it waits for more), then end the run."""
    import os
    import pty
    import select
    import subprocess
    import sys

    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("LLMCHOICE_RULES", None)
    if stdout_tty:
        reader, writer_fd = pty.openpty()
    else:
        reader, writer_fd = os.pipe()
    proc = subprocess.Popen([sys.executable, "-m", "llmchoice", "batch", "-", "--defaults",
                             *flags], stdin=subprocess.PIPE, stdout=writer_fd,
                            stderr=subprocess.DEVNULL, env=env)
    os.close(writer_fd)
    try:
        assert proc.stdin is not None
        proc.stdin.write(b'{"budget": "large"}\n')
        proc.stdin.flush()
        ready, _, _ = select.select([reader], [], [], 30)  # a guard against a hang only
        return os.read(reader, 4096).decode() if ready else None
    finally:
        proc.stdin.close()  # type: ignore[union-attr]
        proc.wait(timeout=60)
        os.close(reader)


def test_line_buffered_rows_reach_a_watched_pipe_at_once() -> None:
    row = _first_row_before_more_input("--line-buffered")
    assert row is not None and row.startswith('{"line":1,"recommendation":')


def test_rows_reach_a_terminal_at_once() -> None:
    row = _first_row_before_more_input(stdout_tty=True)
    assert row is not None and '"line":1' in row


# ------------------------------------------------------------------ item 13: ignored answers

QUIZ_RULES = str(REPO / "tests/data/quiz-rules.yaml")


def test_an_answer_to_a_question_that_does_not_apply_is_named_not_dropped() -> None:
    code, out, err = invoke("recommend", "--rules", QUIZ_RULES, "--set", "hosting=false",
                            "--set", "gpus=16", "--set", "budget=low", "--format", "json",
                            stdin="")
    assert code == 0, err
    assert err == ("--set gpus=16: note: the answer to gpus was ignored: the question "
                   "applies only when hosting is yes\n")
    assert json.loads(out)["not_applicable"] == ["gpus"]


def test_an_ignored_answer_in_a_file_is_named_at_its_line(tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("hosting: false\ngpus: 16\nbudget: low\n", encoding="utf-8")
    code, _, err = invoke("recommend", str(answers), "--rules", QUIZ_RULES)
    assert code == 0
    assert err == (f"{answers}:2:7: note: the answer to gpus (16) was ignored: the question "
                   "applies only when hosting is yes\n")
    answers.write_text("hosting: true\ngpus: 16\ngpu_kind: big\nbudget: low\n",
                       encoding="utf-8")
    code, _, err = invoke("recommend", str(answers), "--rules", QUIZ_RULES)
    assert (code, err) == (0, "")


# ------------------------------------------------------------------ item 13: rules validate


def test_a_question_that_only_gates_a_used_question_is_not_unused() -> None:
    code, out, err = invoke("rules", "validate", QUIZ_RULES)
    assert code == 0, err
    assert "'gpus'" not in out  # it decides whether gpu_kind (used by big-gpus) is asked
    assert "never-asked" not in out  # gpu_kind is asked for 1 GPU or more
    assert "never-fires" not in out  # so big-gpus can fire
    assert "question 'needs': no rule's condition uses it" in out  # truly unused
    assert out.rstrip().endswith("; 1 warning")
