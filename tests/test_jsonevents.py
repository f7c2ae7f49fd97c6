"""JSON read without PyYAML gives the document YAML gives: the same data, the same
positions, the same error; whatever it does not read exactly goes to YAML."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from llmchoice.io import jsonevents, yamlio
from llmchoice.io.errors import InputError


def via_yaml(text: str) -> yamlio.Document | str:
    """The document from PyYAML's events (or the error message)."""
    builder = yamlio._Builder("f.json", yamlio.DEFAULT_LIMITS)
    try:
        yamlio.check_characters(text, "f.json")
        for event in yamlio._events(text):
            builder.feed(event)
    except (yaml.YAMLError, InputError) as exc:
        return f"error: {type(exc).__name__}"
    return builder.doc


def via_json(text: str) -> yamlio.Document | None:
    """The document the JSON way, None where it steps aside (or parse refuses the text
    before either way: control characters)."""
    try:
        yamlio.check_characters(text, "f.json")
    except InputError:
        return None
    return yamlio._parse_json(text, "f.json", yamlio.DEFAULT_LIMITS)


def same(text: str) -> bool:
    """True if the JSON way read ``text`` (False if it left it to YAML), and then exactly
    as YAML did."""
    fast, slow = via_json(text), via_yaml(text)
    if fast is None:
        return False
    assert isinstance(slow, yamlio.Document), (text, slow)
    assert repr(fast.data) == repr(slow.data), text
    assert fast.marks == slow.marks, text
    assert fast.key_marks == slow.key_marks, text
    return True


scalars = (st.none() | st.booleans() | st.integers(-10**30, 10**30)
           | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=20)
layouts = st.sampled_from([
    {}, {"indent": 2}, {"indent": 0}, {"separators": (",", ":")},
    {"indent": 4, "separators": (", ", ": ")}, {"ensure_ascii": False},
    {"ensure_ascii": False, "indent": 1},
])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(values, max_size=4), st.dictionaries(st.text(max_size=8), values,
                                                              max_size=5)), layouts,
       st.sampled_from(["", " ", "\n", "  \n\n"]), st.booleans())
def test_generated_json_reads_as_yaml_reads_it(data: Any, layout: dict[str, Any], pad: str,
                                               crlf: bool) -> None:
    text = pad + json.dumps(data, **layout) + pad
    if crlf:
        text = text.replace("\n", "\r\n")
    same(text)
    # and whichever way it went, parse() gives YAML's document
    slow = via_yaml(text)
    if isinstance(slow, yamlio.Document):
        doc = yamlio.parse(text, "f.json")
        assert (doc.data, doc.marks, doc.key_marks) == (slow.data, slow.marks, slow.key_marks)


def test_plain_answers_files_take_the_json_way() -> None:
    for text in ['{"budget": "minimal", "team_size": 12, "ok": true, "x": null}',
                 '{\n  "a": [1, 2.5, -0, 1e400, -3E-2],\n  "b": {"c": []}, "d": {}\n}\n',
                 '[{"a":1},{"b":[[]]}]', '\n\n  {"é": "naïve ☃", "": ""}',
                 '{"\\u00e9": "caf\\u00e9 \\n\\t\\"\\\\"}',
                 '{"a": 1}\r\n']:
        assert same(text), text


@pytest.mark.parametrize("text", [
    '{"a": 1,}', '{"a" 1}', '[1 2]', '{"a": 1} x', '{"a": NaN}', '[Infinity]',
    '{"a":\t1}', '{"a": "\\/"}', '{"a": "\\ud83d\\ude00"}', '{"a"\n: 1}', '{"a": 1}\r{"b": 2}',
    '{"a": "x\u2028y"}', '"text"', '3', '# comment\n{}', '{a: 1}', "{'a': 1}",
    '{"' + "k" * 1200 + '": 1}',
])
def test_what_is_not_plain_json_goes_to_yaml(text: str) -> None:
    assert via_json(text) is None
    slow = via_yaml(text)
    try:
        doc = yamlio.parse(text, "f.yaml")
    except InputError:
        assert isinstance(slow, str)
    else:
        assert isinstance(slow, yamlio.Document) and doc.data == slow.data
    # named .json, what YAML reads but JSON does not is refused (a .json file is strict JSON)
    try:
        strict = yamlio.parse(text, "f.json")
    except InputError as exc:
        assert isinstance(slow, str) or "JSON" in exc.message
    else:
        assert isinstance(slow, yamlio.Document) and strict.data == slow.data


@pytest.mark.parametrize("text", [
    '{"a": 1, "a": 2}', "[" * 70 + "]" * 70, '{"n": 1' + "0" * 5000 + "}",
])
def test_errors_are_yaml_errors(text: str) -> None:
    """A check of the builder fails: the JSON way steps aside, YAML's message is given."""
    assert via_json(text) is None
    with pytest.raises(InputError) as fast:
        yamlio.parse(text, "f.json")
    builder = yamlio._Builder("f.json", yamlio.DEFAULT_LIMITS)
    with pytest.raises(InputError) as slow:
        for event in yamlio._events(text):
            builder.feed(event)
    assert fast.value.message == slow.value.message


def test_events_refuse_yaml_at_once() -> None:
    with pytest.raises(jsonevents.NotPlain):
        jsonevents.events("a: 1\n")


def test_a_json_answers_file_does_not_import_pyyaml(tmp_path: Any) -> None:
    f = tmp_path / "a.json"
    f.write_text('{"budget": "minimal"}', encoding="utf-8")
    code = ("import sys; from llmchoice.answers.validate import read_answers; "
            f"d = read_answers({str(f)!r}); print(d.data, 'yaml' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "{'budget': 'minimal'} False"
