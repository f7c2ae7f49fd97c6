"""The safe YAML/JSON reader: plain data, positions, and refusal of everything else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llmchoice.io import yamlio
from llmchoice.io.errors import InputError


def parse(text: str) -> object:
    return yamlio.parse(text, "t.yaml").data


def error_of(text: str) -> str:
    with pytest.raises(InputError) as info:
        yamlio.parse(text, "t.yaml")
    return info.value.message


def test_values_keep_their_line_and_column() -> None:
    doc = yamlio.parse("a: 1\nb:\n  - x\n  - {c: yes}\n", "f.yaml")
    assert doc.data == {"a": 1, "b": ["x", {"c": "yes"}]}
    assert str(doc.locate(("b", 1, "c"))) == "f.yaml:4:9"
    assert str(doc.locate(("b", 1, "c"), key=True)) == "f.yaml:4:6"
    assert str(doc.locate(("b", 0))) == "f.yaml:3:5"


def test_yaml_1_2_scalars_no_and_on_stay_text() -> None:
    assert parse("[no, yes, on, off, true, False, ~, null, 0x1f, 1e3, 2026-09-01]") == [
        "no", "yes", "on", "off", True, False, None, None, 31, 1000.0, "2026-09-01"]


def test_json_reads_as_json_does() -> None:
    text = '{"a": [1, 2.5, "x\\/y", null, true], "b": {"c": "\\u00e9"}}'
    assert parse(text) == json.loads(text)


@pytest.mark.parametrize("text", [
    "!!python/object/apply:os.system ['echo pwned']",
    "a: !!python/name:os.system",
    "a: !custom 1",
    "a: !!binary aGVsbG8=",
    "a: !!set {x}",
])
def test_tags_are_refused_and_nothing_runs(text: str) -> None:
    message = error_of(text)
    assert "t.yaml:1:" in message and "not allowed" in message


def test_duplicate_keys_are_refused_with_their_position() -> None:
    assert error_of("a: 1\nb: 2\na: 3\n") == (
        "t.yaml:3:1: duplicate key 'a': each key may appear once in a mapping")


def test_merge_keys_are_refused() -> None:
    assert "merge keys" in error_of("base: &b {x: 1}\nother:\n  <<: *b\n")


def test_alias_bomb_stops_at_the_limit() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    assert "alias bomb" in error_of("\n".join(lines))


def test_deep_nesting_is_refused_before_it_hurts() -> None:
    assert "nested more than 64 levels deep" in error_of("[" * 100 + "]" * 100)
    block = "".join(f"{' ' * i}k{i}:\n" for i in range(100)) + " " * 100 + "x\n"
    assert "nested more than 64 levels deep" in error_of(block)
    # The parser's own limit comes first for absurd depths; still one clear error.
    assert "nesting depth" in error_of("[" * 5000 + "]" * 5000)


def test_malformed_yaml_names_line_and_column() -> None:
    message = error_of("a: [1, 2\nb: 3\n")
    assert message.startswith("t.yaml:2:") and "not valid YAML/JSON" in message


def test_a_second_document_is_refused() -> None:
    assert "second YAML document" in error_of("a: 1\n---\nb: 2\n")


def test_huge_numbers_are_refused_not_crashing() -> None:
    assert "too many digits" in error_of("a: " + "9" * 6000)


def test_read_source_refuses_binary_non_utf8_empty_and_folders(tmp_path: Path) -> None:
    cases = {
        "nul.yaml": (b"a: 1\x00\x01", "binary data"),
        "latin1.yaml": ("budget: m\xe9dium".encode("latin-1"), "not UTF-8"),
        "empty.yaml": (b"  \n\n", "is empty"),
    }
    for name, (content, expected) in cases.items():
        (tmp_path / name).write_bytes(content)
        with pytest.raises(InputError, match=expected):
            yamlio.read_source(tmp_path / name, what="answers")
    with pytest.raises(InputError, match="is a folder"):
        yamlio.read_source(tmp_path, what="answers")
    with pytest.raises(InputError, match="no such file"):
        yamlio.read_source(tmp_path / "missing.yaml", what="answers")


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfbudget: minimal\n")
    text, _ = yamlio.read_source(path, what="answers")
    assert yamlio.parse(text, "bom.yaml").data == {"budget": "minimal"}


def test_size_limit_is_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: " + b"x" * 5000 + b"\n")
    with pytest.raises(InputError, match="over the limit of 1,000 bytes"):
        yamlio.read_source(path, what="answers", max_bytes=1000)
