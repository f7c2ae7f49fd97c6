"""Regular expressions compiled on first use, and the fast paths that skip them: each
fast path agrees with its regular expression on every character of the Basic
Multilingual Plane and beyond."""

from __future__ import annotations

import re
import sys

import pytest

from llmchoice.io import check, source, textsafe
from llmchoice.io.errors import InputError
from llmchoice.io.lazyre import lazy
from llmchoice.io.yamlio import Document

CHARS = [chr(c) for c in range(0x3000)] + [chr(c) for c in range(0xF000, 0x10000)
                                           if not 0xD800 <= c < 0xE000] + ["\U0001f600"]


def test_lazy_compiles_once_on_first_use() -> None:
    get = lazy("a+b", re.IGNORECASE)
    first = get()
    assert first is get() and first.pattern == "a+b" and first.flags & re.IGNORECASE
    assert get().fullmatch("AAB")


def test_clean_fast_path_agrees_with_the_pattern() -> None:
    unsafe = textsafe._UNSAFE()
    for ch in CHARS:
        text = f"a{ch}b"
        assert textsafe.clean(text) == unsafe.sub(textsafe._escape, text), hex(ord(ch))


def test_name_check_fast_path_agrees_with_the_pattern() -> None:
    control = check._CONTROL_NAME()
    doc = Document(data={"t": "x"}, source="r.yaml")
    for ch in CHARS:
        chk = check.Checker(doc)
        chk.text(("t",), f"a{ch}b", "title", name=True)
        refused = any("not allowed in a name" in p.message for p in chk.problems)
        assert refused == (control.search(f"a{ch}b") is not None), hex(ord(ch))


def test_character_check_fast_path_agrees_with_the_pattern() -> None:
    control = source._CONTROL()
    for ch in CHARS:
        text = f"key: a{ch}b\n\tmore\r\n"
        if control.search(text) is None:
            source.check_characters(text, "f.yaml")
        else:
            with pytest.raises(InputError, match="control character"):
                source.check_characters(text, "f.yaml")
    assert sys.maxunicode > 0xFFFF
