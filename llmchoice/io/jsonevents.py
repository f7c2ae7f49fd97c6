"""Parser events for plain JSON text, so that a JSON file is read without PyYAML.

Importing PyYAML costs every start-up 8-13 ms, and most answers files are JSON.
:func:`events` turns JSON text into the same events, with the same positions, that
PyYAML's parser gives for it; :mod:`llmchoice.io.yamlio` feeds them to the same
builder, so every check (duplicate keys, depth, size, scalars by the core schema) is
the one YAML gets. Only text that YAML reads exactly as JSON does takes this way:
anything else raises :class:`NotPlain` (at once or part way), and the caller parses
the text as YAML, which gives the same result or the one error message. Not plain:
text that does not start with ``{`` or ``[``, that is not valid JSON, that holds a tab,
a lone carriage return, U+0085, U+2028, U+2029 or U+FEFF (YAML's line breaks and
spaces differ from JSON's there), a ``\\/`` escape or a ``\\u`` escape of half a
surrogate pair (YAML refuses both), a key whose ``:`` is on
another line or more than 1,000 characters on (YAML's simple-key rule), or
``NaN``/``Infinity``. ``tests/test_jsonevents.py`` compares both ways on generated
documents.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator, Iterator
from json import decoder

# the JSON decoder's own string scanner (C): (text, index after the quote, strict)
scanstring: Callable[[str, int, bool], tuple[str, int]] = decoder.scanstring  # type: ignore[attr-defined]

_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_WORDS = ("true", "false", "null")
_SPACE = re.compile(r"[ \n\r]*")
_NOT_PLAIN = re.compile("[\t\x85\u2028\u2029\ufeff]|\r(?!\n)")
_ESCAPES = re.compile(r"\\(?:/|u[dD][89a-fA-F])")  # YAML: no "\/", no surrogate halves
_DELIMITERS = frozenset(" \n\r,]}")
_KEY_REACH = 1000  # libyaml drops a simple key 1,024 characters on


class NotPlain(Exception):  # noqa: N818 - not an error: "parse this as YAML"
    """The text is not plain JSON that reads the same as YAML."""


class Mark:
    """A 0-based line and column, as PyYAML's marks."""

    __slots__ = ("column", "line")

    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column


class _Event:
    __slots__ = ("anchor", "implicit", "start_mark", "tag", "value")

    def __init__(self, mark: Mark, value: str = "", implicit: tuple[bool, bool] = (False, True)
                 ) -> None:
        self.start_mark = mark
        self.value = value
        self.implicit = implicit
        self.tag = None
        self.anchor = None


# the builder tells events apart by their class names, which are PyYAML's
class StreamStartEvent(_Event):
    __slots__ = ()


class StreamEndEvent(_Event):
    __slots__ = ()


class DocumentStartEvent(_Event):
    __slots__ = ()


class DocumentEndEvent(_Event):
    __slots__ = ()


class MappingStartEvent(_Event):
    __slots__ = ()


class MappingEndEvent(_Event):
    __slots__ = ()


class SequenceStartEvent(_Event):
    __slots__ = ()


class SequenceEndEvent(_Event):
    __slots__ = ()


class ScalarEvent(_Event):
    __slots__ = ()


_PLAIN = (True, False)  # implicit for a plain scalar (resolved by the core schema)
_QUOTED = (False, True)


def events(text: str) -> Iterator[_Event]:
    """The events of ``text``; raises :class:`NotPlain`, possibly part way through."""
    start = _SPACE.match(text, 0).end()  # type: ignore[union-attr]
    if text[start:start + 1] not in ("{", "[") or _NOT_PLAIN.search(text):
        raise NotPlain
    return _Scanner(text).run(0)


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.line = 0
        self.line_start = 0

    def mark(self, i: int) -> Mark:
        return Mark(self.line, i - self.line_start)

    def skip(self, i: int) -> int:
        """Past JSON white space, counting lines."""
        end = _SPACE.match(self.text, i).end()  # type: ignore[union-attr]
        breaks = self.text.count("\n", i, end)
        if breaks:
            self.line += breaks
            self.line_start = self.text.rindex("\n", i, end) + 1
        return end

    def string(self, i: int) -> tuple[str, int]:
        try:
            value, end = scanstring(self.text, i + 1, True)
        except ValueError:
            raise NotPlain from None
        if "\\" in self.text[i:end] and _ESCAPES.search(self.text, i, end):
            raise NotPlain
        return value, end

    def scalar(self, i: int) -> tuple[_Event, int]:
        text = self.text
        if text[i] == '"':
            value, end = self.string(i)
            return ScalarEvent(self.mark(i), value, _QUOTED), end
        found = _NUMBER.match(text, i)
        if found is not None:
            end = found.end()
        else:
            end = next((i + len(w) for w in _WORDS if text.startswith(w, i)), i)
        if end == i or (end < len(text) and text[end] not in _DELIMITERS):
            raise NotPlain
        return ScalarEvent(self.mark(i), text[i:end], _PLAIN), end

    def run(self, i: int) -> Iterator[_Event]:  # noqa: C901 - one loop over the grammar
        """Long: one loop over JSON's grammar with an explicit stack (no recursion)."""
        text, n = self.text, len(self.text)
        yield StreamStartEvent(self.mark(0))
        yield DocumentStartEvent(self.mark(i))
        stack: list[str] = []  # "{" or "[" for each open collection
        expect_value = True
        while True:
            i = self.skip(i)
            if not expect_value and not stack:
                if i != n:
                    raise NotPlain
                yield DocumentEndEvent(self.mark(i))
                yield StreamEndEvent(self.mark(i))
                return
            if i >= n:
                raise NotPlain
            ch = text[i]
            if expect_value:
                if ch == "{" or ch == "[":
                    stack.append(ch)
                    yield (MappingStartEvent if ch == "{" else SequenceStartEvent)(self.mark(i))
                    i = self.skip(i + 1)
                    close = "}" if ch == "{" else "]"
                    if text[i:i + 1] == close:
                        stack.pop()
                        yield (MappingEndEvent if ch == "{" else SequenceEndEvent)(self.mark(i))
                        i += 1
                        expect_value = False
                    elif ch == "{":
                        i = yield from self.key(i)
                    continue
                event, i = self.scalar(i)
                yield event
                expect_value = False
                continue
            if ch == ",":
                i = self.skip(i + 1)
                if stack[-1] == "{":
                    i = yield from self.key(i)
                expect_value = True
            elif ch == ("}" if stack[-1] == "{" else "]"):
                kind = stack.pop()
                yield (MappingEndEvent if kind == "{" else SequenceEndEvent)(self.mark(i))
                i += 1
            else:
                raise NotPlain

    def key(self, i: int) -> Generator[_Event, None, int]:
        """A key and its ``:``; returns the index after the ``:``."""
        if self.text[i:i + 1] != '"':
            raise NotPlain
        line = self.line
        value, end = self.string(i)
        yield ScalarEvent(self.mark(i), value, _QUOTED)
        colon = self.skip(end)
        if self.text[colon:colon + 1] != ":" or self.line != line or colon - i > _KEY_REACH:
            raise NotPlain
        return colon + 1
