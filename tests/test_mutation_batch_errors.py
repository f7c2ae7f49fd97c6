"""Batch error rows, checked directly: the reason each kind of bad line gets (with the
column it points at), missing answers named together, and the error row's cells in JSONL
and CSV (ASCII-only when the output cannot carry UTF-8).

Written to kill the mutants ``.ci/mutation.py batch-errors`` found alive (docs/testing.md).
"""

from __future__ import annotations

import io
import json

import pytest

from llmchoice.answers.validate import AnswerProblem
from llmchoice.batch.lines import BadLine, CsvLines, JsonLines, decode_line
from llmchoice.batch.stream import answers_reason
from llmchoice.batch.writers import CsvWriter, JsonlWriter
from llmchoice.decide.compiled import compile_ruleset
from llmchoice.io.errors import AnswersError, Location, Problem
from llmchoice.ruleset.model import RuleSet

LIKE = 'expected a JSON object of question id to answer, like {"budget": "minimal"}; found '


def reason(text: str) -> str:
    with pytest.raises(BadLine) as info:
        JsonLines(("langs",)).parse(text)
    return info.value.reason


@pytest.mark.parametrize(("text", "expected"), [
    ("x", "not valid JSON: expecting a value (column 1)"),
    ("  x", "not valid JSON: expecting a value (column 3)"),
    ('{"a":1} x', "not valid JSON: more after the end of the value (column 8); expected one "
                  "object per line"),
    ('{"a":1,"b":2,"b":3}', "duplicate key 'b': each question may appear once"),
    ("[1]", LIKE + "a list"), ('"s"', LIKE + "a string"), ("true", LIKE + "true"),
    ("null", LIKE + "null"), ("3.5", LIKE + "a number"),
    ('{"a": NaN}', "NaN is not a number JSON allows; expected a finite number"),
    ('{"a": -Infinity}', "-Infinity is not a number JSON allows; expected a finite number"),
    ("[" * 100_000, "not valid JSON: nested too deeply"),
    ('{"langs": {"de": 1}}', "langs: expected an answer (text, a number, true/false or a list "
                             "of texts), found a nested object"),
])
def test_each_bad_json_line_has_its_reason(text: str, expected: str) -> None:
    assert reason(text) == expected


def test_a_huge_integer_is_named_without_pythons_advice() -> None:
    got = reason('{"a": ' + "9" * 5000 + "}")
    assert got == "a number with too many digits (more than 4,300)"
    assert "int_max_str_digits" not in got


def test_leading_json_whitespace_is_fine() -> None:
    for lead in (" ", "\t", " \t", "\r"):  # a carriage return is JSON whitespace too
        assert JsonLines().parse(lead + '{"a": 1}') == {"a": 1}


def test_decode_line_reasons_and_what_it_strips() -> None:
    with pytest.raises(BadLine) as info:
        decode_line(b"ab\x00c\x00\n", 2)
    assert info.value.reason == "binary data (a NUL byte at column 3); expected a line of text"
    with pytest.raises(BadLine) as info:
        decode_line(b"ab\xff\n", 2)
    assert info.value.reason == "not UTF-8 text (byte 0xff at column 3)"
    assert decode_line(b'{"a": 1} \t\r\n', 2) == '{"a": 1}'
    assert decode_line(b'{"a": 1}\x0c\n', 2) == '{"a": 1}\x0c'  # only JSON whitespace goes


def test_csv_cells_must_match_the_header(rs: RuleSet) -> None:
    lines = CsvLines("budget,data", compile_ruleset(rs), "t.csv", 1)
    assert lines.parse(" minimal , ") == {"budget": "minimal"}
    with pytest.raises(BadLine, match="^expected 2 cells, one per column of the header, found 3$"):
        lines.parse("a,b,c")


def missing(qid: str, default: bool) -> AnswerProblem:
    return AnswerProblem(Location("t"), f"missing answer to {qid!r}", qid, "missing", default)


def test_missing_answers_are_named_together_before_other_problems() -> None:
    bad = AnswerProblem(Location("t"), "budget: the text 'x' is not allowed", "budget")
    two = AnswersError("t: 3 problems", (bad, missing("a", False), missing("b", False)))
    assert answers_reason(two) == "missing answers to a, b; budget: the text 'x' is not allowed"
    hinted = AnswersError("t: 2 problems", (missing("a", False), missing("b", True)))
    assert answers_reason(hinted) == "missing answers to a, b (or use --defaults)"
    one = AnswersError("t: 2 problems", (bad, missing("a", True)))
    assert answers_reason(one) == "missing answer to 'a'; budget: the text 'x' is not allowed"
    plain = AnswersError("t: 1 problem", (Problem(Location("t"), "something"),))
    assert answers_reason(plain) == "something"
    assert answers_reason(AnswersError("t: no details")) == "t: no details"


def test_error_rows_in_jsonl_and_csv(rs: RuleSet) -> None:
    crs = compile_ruleset(rs)
    out = io.StringIO()
    writer = JsonlWriter(out, crs, contributions=False, what_if=False)
    writer.error(7, "bad – line")
    writer.flush()
    assert out.getvalue() == '{"line":7,"error":"bad \\u2013 line"}\n'
    assert json.loads(out.getvalue()) == {"line": 7, "error": "bad – line"}
    utf8 = io.StringIO()
    CsvWriter(utf8, crs).error(7, "bad – line")
    empty = "," * (2 + len(rs.outcome_ids) + 2)
    assert utf8.getvalue() == f"7{empty},bad – line\n"
    raw = io.BytesIO()
    latin = io.TextIOWrapper(raw, encoding="latin-1", newline="")
    CsvWriter(latin, crs).error(7, "bad – line")
    latin.flush()
    assert raw.getvalue() == f"7{empty},bad \\u2013 line\n".encode()
