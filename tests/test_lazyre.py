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


def test_name_checks_without_the_unicode_database_agree_with_it() -> None:
    """is_printable_name and the answers' one-line check take a fast path for ASCII or
    printable text; both agree with the Unicode categories on every character."""
    import unicodedata

    from llmchoice.answers.meta import _one_line

    for ch in CHARS:
        text = f"a{ch}b"
        assert textsafe.is_printable_name(text) == all(
            unicodedata.category(c)[0] in "LN" or c in "-_." for c in text), hex(ord(ch))
        assert _one_line(text) == (not any(unicodedata.category(c)[0] == "C"
                                           for c in text)), hex(ord(ch))


def test_utf8_decoding_drops_one_byte_order_mark_as_utf8_sig_does() -> None:
    for raw in (b"\xef\xbb\xbfa: 1\n", b"\xef\xbb\xbf\xef\xbb\xbfa", b"a: \xc3\xa9", b""):
        assert source.decode(raw, "f") == raw.decode("utf-8-sig")
    # a bad byte is named with its offset in the file, byte order mark included
    for raw, found in ((b"\xef\xbb", "byte 0xef at offset 0"),
                       (b"\xef\xbb\xbfab\xff", "byte 0xff at offset 5"),
                       (b"ab\xc3", "byte 0xc3 at offset 2")):
        with pytest.raises(InputError, match=found):
            source.decode(raw, "f")
