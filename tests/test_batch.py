"""``llmchoice batch``: JSONL and CSV in and out, stdin, bad lines, summary, --output."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from llmchoice.cli.app import app

REQUIRED = {
    "budget": "minimal", "transparency": "essential", "customization": "deep",
    "support": "community", "expertise": "some", "performance": "good_enough",
    "quality": "standard", "lock_in": "avoid", "domain": "research", "control": "critical",
    "time_to_market": "flexible",
}
BANK = {
    "budget": "large", "transparency": "unimportant", "customization": "none",
    "support": "dedicated", "expertise": "none", "performance": "cutting_edge",
    "quality": "strict", "lock_in": "tolerate", "domain": "specialized_industry",
    "control": "low", "time_to_market": "urgent",
}
AIR_GAPPED = {**BANK, "data": "on_premises", "monthly_tokens": 2500}
MIDDLE = {
    "budget": "moderate", "transparency": "preferred", "customization": "moderate",
    "support": "community", "expertise": "some", "performance": "cutting_edge",
    "quality": "standard", "lock_in": "tolerate", "domain": "general", "control": "moderate",
    "time_to_market": "normal", "monthly_tokens": 20,
}
CORE_KEYS = ("recommendation", "scores", "confidence", "answers", "excluded", "scenario")


def invoke(args: list[str], stdin: str | bytes | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, args, input=stdin)


def jsonl(*rows: dict[str, object]) -> str:
    return "".join(json.dumps(r) + "\n" for r in rows)


def report(tmp_path: Path, answers: dict[str, object], *extra: str) -> dict[str, object]:
    """What ``recommend --format json`` says for these answers."""
    f = tmp_path / f"answers-{abs(hash(json.dumps(answers, sort_keys=True)))}.json"
    f.write_text(json.dumps(answers), encoding="utf-8")
    result = invoke(["recommend", str(f), "--format", "json", *extra])
    assert result.exit_code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def _full_scenario(report: dict[str, object]) -> object:
    """The scenario's id as the rule set writes it (``future.…``), or None."""
    explanation = report["explanation"]
    assert isinstance(explanation, dict)
    scenario = explanation["scenario"]
    return None if scenario is None else scenario["id"]


def rows_of(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


# ------------------------------------------------------------------------- JSONL


def test_jsonl_rows_carry_line_numbers_and_the_reports_core(tmp_path: Path) -> None:
    src = tmp_path / "teams.jsonl"
    src.write_text(jsonl(REQUIRED, BANK) + "   \n" + jsonl(AIR_GAPPED, MIDDLE),
                   encoding="utf-8")
    result = invoke(["batch", str(src)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    rows = rows_of(result.stdout)
    assert [r["line"] for r in rows] == [1, 2, 4, 5]  # blank line 3 has no row
    for row, answers in zip(rows, [REQUIRED, BANK, AIR_GAPPED, MIDDLE], strict=True):
        expected = report(tmp_path, answers)
        assert set(row) == {"line", *CORE_KEYS}
        for key in CORE_KEYS:
            if key == "scenario":  # the rule set's full id, as in the report's explanation
                assert row[key] == _full_scenario(expected), key
            else:
                assert row[key] == expected[key], key
    assert [r["recommendation"] for r in rows] == ["open", "closed", "open", "hybrid"]
    assert rows[2]["excluded"][0]["outcome"] == "closed"  # type: ignore[index]


def test_jsonl_rows_are_compact_json_in_input_order(tmp_path: Path) -> None:
    src = tmp_path / "t.jsonl"
    src.write_text(jsonl(*([REQUIRED, BANK] * 300)), encoding="utf-8")
    result = invoke(["batch", str(src)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 600
    assert [json.loads(x)["line"] for x in lines] == list(range(1, 601))
    assert all(x == json.dumps(json.loads(x), separators=(",", ":")) for x in lines)


def test_contributions_and_what_if_match_the_report(tmp_path: Path) -> None:
    src = tmp_path / "t.jsonl"
    src.write_text(jsonl(BANK, MIDDLE), encoding="utf-8")
    result = invoke(["batch", str(src), "--contributions", "--what-if"])
    assert result.exit_code == 0, result.stderr
    for row, answers in zip(rows_of(result.stdout), [BANK, MIDDLE], strict=True):
        expected = report(tmp_path, answers)
        assert row["contributions"] == expected["contributions"]
        assert row["what_if"] == expected["what_if"]
        assert row["recommendation"] == expected["recommendation"]


def test_defaults_fill_unanswered_questions(tmp_path: Path) -> None:
    src = tmp_path / "t.jsonl"
    src.write_text(jsonl({"budget": "large"}), encoding="utf-8")
    without = invoke(["batch", str(src)])
    assert without.exit_code == 2
    assert "missing answers to transparency, customization" in without.stderr
    assert "(or use --defaults)" in without.stderr
    result = invoke(["batch", str(src), "--defaults"])
    assert result.exit_code == 0, result.stderr
    row = rows_of(result.stdout)[0]
    assert row["answers"]["budget"] == "large"  # type: ignore[index]
    assert row["answers"]["support"] == "community"  # the question's default  # type: ignore[index]
    f = tmp_path / "a.json"
    f.write_text('{"budget": "large"}', encoding="utf-8")
    expected = json.loads(invoke(["recommend", str(f), "--defaults", "--format",
                                  "json"]).stdout)
    assert row["scores"] == expected["scores"]


# ------------------------------------------------------------------------- CSV


def csv_text(columns: list[str], *rows: list[str]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(columns)
    w.writerows(rows)
    return out.getvalue()


def test_csv_in_csv_out_with_cells_read_like_set(tmp_path: Path) -> None:
    cols = [*REQUIRED, "data", "monthly_tokens"]
    src = tmp_path / "teams.csv"
    src.write_text(csv_text(
        cols,
        [*REQUIRED.values(), "", ""],
        [*(f" {v} " for v in BANK.values()), "on_premises", "2,500"],
    ), encoding="utf-8")
    result = invoke(["batch", str(src)])
    assert result.exit_code == 0, result.stderr
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(table[0]) == ["line", "recommendation", "confidence", "score_open",
                              "score_closed", "score_hybrid", "excluded", "scenario", "error"]
    assert [r["line"] for r in table] == ["2", "3"]  # the header is line 1
    # the same answers through --set give the same result
    sets = [f"--set={k}={v}" for k, v in BANK.items()] + ["--set=data=on_premises",
                                                           "--set=monthly_tokens=2,500"]
    expected = json.loads(invoke(["recommend", *sets, "--format", "json"]).stdout)
    second = table[1]
    assert second["recommendation"] == expected["recommendation"] == "open"
    assert float(second["confidence"]) == expected["confidence"]
    for outcome, score in expected["scores"].items():
        assert float(second[f"score_{outcome}"]) == score
    assert second["excluded"] == "closed;hybrid"  # data on premises; no ML staff for a hybrid
    assert second["scenario"] == (_full_scenario(expected) or "")
    first = report(tmp_path, REQUIRED)  # empty optional cells mean "not answered"
    assert table[0]["recommendation"] == first["recommendation"]
    assert table[0]["error"] == ""


def test_csv_header_must_name_questions(tmp_path: Path) -> None:
    src = tmp_path / "t.csv"
    src.write_text("budget,transparancy,budget,\nminimal,essential,minimal,\n",
                   encoding="utf-8")
    out = tmp_path / "out.csv"
    result = invoke(["batch", str(src), "--output", str(out)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{src}:1: the CSV header must name one question per column" in result.stderr
    assert "unknown question 'transparancy' (did you mean 'transparency'?)" in result.stderr
    assert "'budget' appears twice" in result.stderr
    assert "column 4 has no name" in result.stderr
    assert not out.exists()
    assert "Traceback" not in result.stderr


def test_csv_bad_rows_get_error_rows(tmp_path: Path) -> None:
    src = tmp_path / "t.csv"
    src.write_text(csv_text(list(REQUIRED), list(REQUIRED.values()),
                            ["minimal", "essential"],
                            [*list(REQUIRED.values())[:-1], "someday"]) + '"open,quote\n',
                   encoding="utf-8")
    result = invoke(["batch", str(src)])
    assert result.exit_code == 2
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["line"], r["recommendation"] != "") for r in table] == [
        ("2", True), ("3", False), ("4", False), ("5", False)]
    assert table[1]["error"] == "expected 11 cells, one per column of the header, found 2"
    assert "time_to_market: the text 'someday' is not allowed" in table[2]["error"]
    assert table[3]["error"].startswith("not valid CSV")
    assert f"{src}:3: expected 11 cells" in result.stderr
    assert f"{src}:4: time_to_market: the text 'someday' is not allowed" in result.stderr
    assert f"{src}: 3 of 4 answer sets were bad (lines 3, 4, 5); the other one was scored" \
        in result.stderr


def test_format_converts_between_jsonl_and_csv(tmp_path: Path) -> None:
    src = tmp_path / "t.jsonl"
    src.write_text(jsonl(REQUIRED, BANK), encoding="utf-8")
    as_csv = invoke(["batch", str(src), "--format", "csv"])
    assert as_csv.exit_code == 0
    table = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [r["recommendation"] for r in table] == ["open", "closed"]
    back = tmp_path / "t.csv"
    back.write_text(csv_text(list(BANK), list(BANK.values())), encoding="utf-8")
    as_jsonl = invoke(["batch", str(back), "-f", "jsonl"])
    assert as_jsonl.exit_code == 0
    assert rows_of(as_jsonl.stdout)[0]["recommendation"] == "closed"
    out = tmp_path / "res.csv"  # the output's extension chooses the format
    assert invoke(["batch", str(src), "--output", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("line,recommendation,")


def test_csv_only_options_are_refused(tmp_path: Path) -> None:
    src = tmp_path / "t.jsonl"
    src.write_text(jsonl(REQUIRED), encoding="utf-8")
    for args in (["--format", "xml"], ["--format", "csv", "--what-if"],
                 ["--format", "csv", "--contributions"]):
        result = invoke(["batch", str(src), *args])
        assert result.exit_code == 2, args
        assert result.stdout == ""
        assert result.stderr.strip()


# ------------------------------------------------------------------------- stdin and bad lines


def test_stdin_with_dash() -> None:
    result = invoke(["batch", "-"], stdin=jsonl(REQUIRED, MIDDLE))
    assert result.exit_code == 0, result.stderr
    assert [r["recommendation"] for r in rows_of(result.stdout)] == ["open", "hybrid"]


def test_stdin_csv_is_recognised_by_its_header() -> None:
    result = invoke(["batch", "-"], stdin=csv_text(list(BANK), list(BANK.values())))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("line,recommendation,")
    assert "\n2,closed," in result.stdout


BAD_LINES: list[tuple[bytes, str]] = [
    (b"{not json", "not valid JSON"),
    (b"[1, 2]", "expected a JSON object of question id to answer"),
    (b'"budget"', "found a string"),
    (json.dumps({**REQUIRED, "budget": "minimal"}).encode()[:-1] + b', "budget": "large"}',
     "duplicate key 'budget'"),
    (json.dumps(REQUIRED).encode()[:-1] + b', "monthly_tokens": NaN}', "NaN is not a number"),
    (json.dumps(REQUIRED).encode()[:-1] + b', "monthly_tokens": -Infinity}', "-Infinity"),
    (json.dumps({**REQUIRED, "budget": {"amount": 5}}).encode(),
     "budget: expected an answer (text, a number, true/false or a list of texts), found a "
     "nested object"),
    (json.dumps({**REQUIRED, "colour": "red"}).encode(), "unknown question 'colour'"),
    (json.dumps({**REQUIRED, "budget": "cheap"}).encode(),
     "budget: the text 'cheap' is not allowed"),
    (json.dumps({**REQUIRED, "monthly_tokens": 10**400}).encode(),
     "monthly_tokens: expected a finite number, found a 401-digit number"),
    (json.dumps({**REQUIRED, "monthly_tokens": -3}).encode(), "-3 is out of range"),
    (json.dumps(REQUIRED).encode() + b" trailing", "more after the end of the value"),
    (b"\xff\xfe{}", "not UTF-8 text (byte 0xff at column 1)"),
    (b'{"budget": "mini\x00mal"}', "binary data (a NUL byte at column 17)"),
    (b"[" * 300 + b"]" * 300, "expected a JSON object"),
    (b"[" * 30_000 + b"]" * 30_000, "not valid JSON: nested too deeply"),
    (b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "longer than the limit of 65,536"),
    (b'{"budget": "\\u001b[31mred"}', "the text '\\x1b[31mred' is not allowed"),
    (b'{"budget": "\x1b[31mred"}', "not valid JSON: Invalid control character"),
]


def test_bad_lines_are_reported_and_the_rest_is_scored() -> None:
    lines = [json.dumps(REQUIRED).encode()]
    for bad, _ in BAD_LINES:
        lines.append(bad)
    lines.append(json.dumps(BANK).encode())
    data = b"\n".join(lines) + b"\n"
    result = invoke(["batch", "-"], stdin=data)
    assert result.exit_code == 2
    rows = rows_of(result.stdout)
    assert [r["line"] for r in rows] == list(range(1, len(lines) + 1))
    assert rows[0]["recommendation"] == "open"
    assert rows[-1]["recommendation"] == "closed"
    err = result.stderr.splitlines()
    for n, (_, reason) in enumerate(BAD_LINES, start=2):
        row = rows[n - 1]
        assert set(row) == {"line", "error"}, row
        assert reason in str(row["error"]), (n, row["error"], reason)
        assert any(e.startswith(f"<stdin>:{n}: ") and reason in e for e in err), (n, reason)
    assert "\x1b" not in result.stderr  # control characters reach no terminal
    assert err[-1] == (f"<stdin>: {len(BAD_LINES)} of {len(lines)} answer sets were bad "
                       "(lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, ...); the other 2 were scored")
    assert "Traceback" not in result.stderr


def test_a_byte_order_mark_and_crlf_line_ends_are_fine() -> None:
    data = ("\ufeff" + json.dumps(REQUIRED) + "\r\n" + json.dumps(BANK) + "\r\n").encode()
    result = invoke(["batch", "-"], stdin=data)
    assert result.exit_code == 0, result.stderr
    assert [r["recommendation"] for r in rows_of(result.stdout)] == ["open", "closed"]


def test_many_bad_lines_are_listed_up_to_a_limit() -> None:
    result = invoke(["batch", "-"], stdin="{\n" * 150)
    assert result.exit_code == 2
    assert len(rows_of(result.stdout)) == 150  # every bad line has its error row
    err = result.stderr.splitlines()
    assert len([e for e in err if e.startswith("<stdin>:") and ": not valid JSON" in e]) == 100
    assert "more bad lines are not listed here" in result.stderr
    assert err[-1].startswith("<stdin>: 150 of 150 answer sets were bad")
    assert err[-1].endswith("none could be scored")


def test_empty_and_missing_inputs(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    result = invoke(["batch", str(empty)])
    assert result.exit_code == 2
    assert f"{empty}: is empty" in result.stderr
    missing = invoke(["batch", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 2
    assert "no such file" in missing.stderr
    folder = invoke(["batch", str(tmp_path)])
    assert folder.exit_code == 2
    assert "is a folder" in folder.stderr


def test_a_rule_set_error_is_reported_before_any_row(tmp_path: Path) -> None:
    bad = tmp_path / "rules.yaml"
    bad.write_text("ruleset: [\n", encoding="utf-8")
    result = invoke(["batch", "-", "--rules", str(bad)], stdin=jsonl(REQUIRED))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert str(bad) in result.stderr


# ------------------------------------------------------------------------- summary


def test_summary_goes_to_stderr_when_rows_go_to_stdout(tmp_path: Path) -> None:
    src = tmp_path / "t.jsonl"
    src.write_text(jsonl(REQUIRED, REQUIRED, BANK, MIDDLE) + "oops\n", encoding="utf-8")
    result = invoke(["batch", str(src), "--summary"])
    assert result.exit_code == 2
    assert len(rows_of(result.stdout)) == 5
    err = result.stderr
    assert f"Summary of {src}: 4 lines scored, 1 bad" in err
    assert "  open    2   50.0%" in err
    assert "  closed  1   25.0%" in err
    assert "  hybrid  1   25.0%" in err
    assert "█" not in err  # not a terminal: plain text
    assert "Most common deciding answers" in err
    # REQUIRED's largest reasons for open: 3 points each from two answers (research gives
    # 2; essential transparency is a must that excludes and only gives the 1 point of
    # transparency-preferred, so neither is among the largest). BANK's: support=dedicated
    # and performance=cutting_edge, 3 points each for closed. MIDDLE's hybrid has only
    # the mixed-needs bonus, which is not an answer, so it adds none.
    for answer in ("budget=minimal", "customization=deep"):
        assert f"  2  {answer} -> open" in err
    for answer in ("performance=cutting_edge", "support=dedicated"):
        assert f"  1  {answer} -> closed" in err
    assert "domain=research" not in err
    assert "transparency=essential" not in err
    assert err.count(" -> ") == 4  # two from REQUIRED, two from BANK, none from MIDDLE


def test_summary_goes_to_stdout_with_output(tmp_path: Path) -> None:
    src = tmp_path / "t.jsonl"
    src.write_text(jsonl(BANK, BANK, BANK), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = invoke(["batch", str(src), "--summary", "--output", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"Summary of {src}: 3 lines scored, 0 bad\n")
    assert "  closed  3  100.0%" in result.stdout
    assert result.stderr == f"Wrote {out}\n"
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3


def test_summary_draws_bars_on_a_terminal() -> None:
    from llmchoice.batch.stream import Summary
    from llmchoice.report.batch import render_summary

    s = Summary(("open", "closed", "hybrid"))
    s.counts.update({"open": 3, "closed": 1})
    text = render_summary(s, "x", bars=True)
    assert "  open    3   75.0%  " + "█" * 22 + "▌" in text
    assert "  hybrid  0    0.0%\n" in text


# ------------------------------------------------------------------------- --output


def test_output_is_written_whole_and_refuses_to_overwrite(tmp_path: Path) -> None:
    src = tmp_path / "t.jsonl"
    src.write_text(jsonl(REQUIRED, BANK), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = invoke(["batch", str(src), "--output", str(out)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"Wrote {out}\n"
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
    again = invoke(["batch", str(src), "--output", str(out)])
    assert again.exit_code == 2
    assert "already exists; add --force" in again.stderr
    src.write_text(jsonl(MIDDLE), encoding="utf-8")
    forced = invoke(["batch", str(src), "--output", str(out), "--force"])
    assert forced.exit_code == 0
    assert rows_of(out.read_text(encoding="utf-8"))[0]["recommendation"] == "hybrid"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl", "t.jsonl"]


def test_output_with_bad_lines_is_complete_and_exits_2(tmp_path: Path) -> None:
    src = tmp_path / "t.jsonl"
    src.write_text(jsonl(REQUIRED) + "{bad\n" + jsonl(BANK), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = invoke(["batch", str(src), "-o", str(out)])
    assert result.exit_code == 2
    rows = rows_of(out.read_text(encoding="utf-8"))
    assert [r["line"] for r in rows] == [1, 2, 3]
    assert "error" in rows[1]
    assert f"{src}:2: not valid JSON" in result.stderr


def test_nothing_is_written_when_the_input_cannot_be_read(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = invoke(["batch", str(tmp_path / "missing.jsonl"), "--output", str(out)])
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------- real processes


def test_python_m_llmchoice_batch_streams_stdin(tmp_path: Path) -> None:
    data = jsonl(*([REQUIRED, BANK, AIR_GAPPED, MIDDLE] * 1250))
    proc = subprocess.run([sys.executable, "-m", "llmchoice", "batch", "-", "--summary"],
                          input=data.encode(), capture_output=True, check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.decode().splitlines()
    assert len(lines) == 5000
    assert json.loads(lines[-1])["line"] == 5000
    assert b"Summary of <stdin>: 5,000 lines scored, 0 bad" in proc.stderr


def _default_stop_signals() -> None:
    """In the child: the stop signals as a terminal user has them. A parent started in the
    background (a CI runner, `cmd &` in a script) passes SIGINT and SIGQUIT on *ignored*,
    and llmchoice rightly keeps ignoring what its parent ignores; that, not load, is why
    this test used to see exit 0 (the run finished) instead of 130."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(sig, signal.SIG_DFL)


def test_ctrl_c_leaves_no_file_behind(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "llmchoice", "batch", "-", "--output",
                             str(out)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, preexec_fn=_default_stop_signals)
    assert proc.stdin is not None
    proc.stdin.write(jsonl(*([REQUIRED] * 2000)).encode())
    proc.stdin.flush()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until it is streaming into its temp file
        if any(p.name.startswith(".out.jsonl.") for p in tmp_path.iterdir()):
            break
        time.sleep(0.05)
    else:  # pragma: no cover - a very slow machine
        proc.kill()
        pytest.fail("batch never opened its temporary output file")
    proc.send_signal(signal.SIGINT)
    # Standard input stays open until the process has ended: the run cannot finish on
    # its own, so only the signal can end it (closing it first raced the signal).
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:  # pragma: no cover - the signal was lost
        proc.kill()
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert b"Aborted" in err
    assert b"Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_many_random_answer_sets_match_the_engine_row_by_row() -> None:
    """Every row (JSONL and CSV) says what the engine and the JSON report say."""
    import random

    from llmchoice.answers.validate import validate
    from llmchoice.decide.engine import evaluate
    from llmchoice.report.json_report import to_dict
    from llmchoice.ruleset.load import load_ruleset

    rs = load_ruleset()
    rng = random.Random(2024)
    sets = []
    for _ in range(400):
        answers: dict[str, object] = {}
        for q in rs.questions:
            if q.type == "choice" and (q.required or rng.random() < 0.5):
                answers[q.id] = rng.choice(q.values)
            elif q.type == "number" and rng.random() < 0.5:
                answers[q.id] = rng.choice([0, 49.5, 50, 999, 1000, 2500.25, 10**6])
        keys = list(answers)
        rng.shuffle(keys)  # any key order
        sets.append({k: answers[k] for k in keys})
    as_jsonl = invoke(["batch", "-"], stdin=jsonl(*sets))
    as_csv = invoke(["batch", "-", "--format", "csv"], stdin=jsonl(*sets))
    assert as_jsonl.exit_code == as_csv.exit_code == 0
    table = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    for row, line, answers in zip(rows_of(as_jsonl.stdout), table, sets, strict=True):
        result = evaluate(rs, validate(rs, answers).answers)
        expected = {**to_dict(result, rs), "scenario": result.scenario}  # the full id
        assert {k: row[k] for k in CORE_KEYS} == {k: expected[k] for k in CORE_KEYS}
        assert line["scenario"] == (result.scenario or "")
        assert list(row["answers"]) == [q.id for q in rs.questions  # type: ignore[arg-type]
                                        if q.id in answers]
        assert line["recommendation"] == expected["recommendation"]
        assert float(line["confidence"]) == expected["confidence"]
        assert line["excluded"] == ";".join(e["outcome"]  # type: ignore[index]
                                            for e in expected["excluded"])  # type: ignore[attr-defined]


TAGS_RULES = """\
ruleset: {id: tags, version: "1", title: Tags, source: test}
outcomes:
  open: {label: Open, summary: o}
  closed: {label: Closed, summary: c}
tradeoffs:
  t.one: {side: both, kind: consideration, title: One, text: One.}
questions:
  - id: tags
    prompt: Which?
    type: multi
    choices: [{value: a, label: A}, {value: b, label: B}, {value: c, label: C}]
  - id: gpu
    prompt: GPUs?
    type: confirm
    required: false
rules:
  - {id: has-a, when: {tags: {contains_any: [a]}}, points: {open: 2}, because: A., cites: [t.one]}
  - {id: just-b, when: {tags: [b]}, points: {closed: 3}, because: B., cites: [t.one]}
  - {id: gpu, when: {gpu: true}, points: {open: 1.5}, because: G., cites: [t.one]}
decision: {tie_break: [closed, open]}
"""


def test_multi_choice_and_yes_no_answers_in_jsonl_and_csv(tmp_path: Path) -> None:
    rules = tmp_path / "tags.yaml"
    rules.write_text(TAGS_RULES, encoding="utf-8")
    src = tmp_path / "t.jsonl"
    src.write_text(jsonl({"tags": ["b", "a"], "gpu": True}, {"tags": ["b"]}, {"tags": []},
                         {"tags": {}}, {"tags": [{"a": 1}]}, {"tags": ["a", "z"]},
                         {"tags": ["a"], "gpu": "maybe"}), encoding="utf-8")
    result = invoke(["batch", str(src), "--rules", str(rules)])
    assert result.exit_code == 2
    rows = rows_of(result.stdout)
    assert rows[0]["answers"] == {"tags": ["a", "b"], "gpu": True}  # canonical order
    assert rows[0]["scores"] == {"open": 3.5, "closed": 0.0}
    assert rows[1]["recommendation"] == "closed"
    assert rows[2]["recommendation"] == "closed"  # a tie, broken by tie_break
    assert rows[2]["answers"] == {"tags": []}
    assert "tags: expected an answer" in rows[3]["error"]  # {} is not an empty list
    assert "found a nested object" in rows[3]["error"]
    assert "found a nested object" in rows[4]["error"]
    assert "the text 'z' is not allowed" in rows[5]["error"]
    assert "gpu: expected true or false" in rows[6]["error"]
    table = tmp_path / "t.csv"
    table.write_text('tags,gpu\n"b, a",yes\nb,\n,no\n', encoding="utf-8")
    result = invoke(["batch", str(table), "--rules", str(rules), "--format", "jsonl"])
    assert result.exit_code == 2
    rows = rows_of(result.stdout)
    assert rows[0]["answers"] == {"tags": ["a", "b"], "gpu": True}  # cells read like --set
    assert rows[1]["answers"] == {"tags": ["b"]}  # an empty cell: not answered
    assert rows[2] == {"line": 4, "error": "missing answer to 'tags'; expected a list of "
                                           "any of a, b, c"}
