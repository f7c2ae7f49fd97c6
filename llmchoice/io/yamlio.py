"""Read YAML and JSON as plain data, safely, remembering where every value stood.

PyYAML's own loaders build objects recursively and accept YAML 1.1 quirks
(``no`` is false, ``on`` is true). This module walks the parser's *events*
instead, iteratively, so that

* only the standard tags are accepted (``!!python/...`` and every other tag is
  refused, nothing is ever constructed from a tag);
* scalars resolve by the YAML 1.2 core schema (``no``, ``on`` and ``yes`` stay
  text), which also makes every JSON document read the same as with ``json``;
* duplicate keys and merge keys (``<<``) are refused instead of last-one-wins;
* nesting depth and the size after alias expansion are bounded *while*
  reading, so an alias bomb stops at the limit instead of exhausting memory;
* every value's position is kept, so validators can say ``file:line:column``.

The result is a :class:`Document`: the data (dicts, lists, str, int, float,
bool, None) and a table from each value's path to its position.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import yaml

from llmchoice.io.errors import InputError, Location

Path_ = tuple[str | int, ...]

_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on what one document may hold. The defaults suit rule sets and answers."""

    max_bytes: int = 2 * MiB
    max_depth: int = 64
    max_nodes: int = 250_000


DEFAULT_LIMITS = Limits()

_STD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {
    "!": "str",
    _STD + "str": "str",
    _STD + "int": "int",
    _STD + "float": "float",
    _STD + "bool": "bool",
    _STD + "null": "null",
    _STD + "map": "map",
    _STD + "seq": "seq",
}

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_BOOL_FALSE = re.compile(r"^(?:false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_INT_OCT = re.compile(r"^0o[0-7]+$")
_INT_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_FLOAT_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_FLOAT_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")


@dataclass(slots=True)
class Document:
    """Parsed data and where each part of it came from."""

    data: object
    source: str
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path_, *, key: bool = False) -> Location:
        """The position of the value at ``path`` (or of its key), else of its nearest parent."""
        if key and path in self.key_marks:
            line, col = self.key_marks[path]
            return Location(self.source, line, col)
        probe = tuple(path)
        while True:
            if probe in self.marks:
                line, col = self.marks[probe]
                return Location(self.source, line, col)
            if not probe:
                return Location(self.source)
            probe = probe[:-1]

    def line_of(self, path: Path_) -> int | None:
        return self.locate(path).line


def _err(source: str, mark: Any, message: str) -> InputError:
    if mark is None:
        return InputError(f"{source}: {message}")
    return InputError(f"{source}:{mark.line + 1}:{mark.column + 1}: {message}")


def decode(data: bytes, source: str) -> str:
    """Bytes to text: UTF-8 (a BOM is allowed), no NUL bytes."""
    if b"\x00" in data:
        offset = data.index(b"\x00")
        raise InputError(
            f"{source}: this looks like binary data (a NUL byte at offset {offset}), "
            "expected YAML or JSON text"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{source}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8"
        ) from None


def _a(what: str) -> str:
    return ("an " if what[:1] in "aeiou" else "a ") + what


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


def check_characters(text: str, source: str) -> None:
    """YAML allows no control characters outside escapes; say where the first one is."""
    found = _CONTROL.search(text)
    if found is None:
        return
    before = text[: found.start()]
    line = before.count("\n") + 1
    column = found.start() - (before.rfind("\n") + 1) + 1
    raise InputError(
        f"{source}:{line}:{column}: control character U+{ord(found.group()):04X} is not allowed "
        "in YAML or JSON text (write it as an escape such as \\x1b inside double quotes)"
    )


def read_source(name: str | Path, *, what: str, max_bytes: int = DEFAULT_LIMITS.max_bytes,
                stdin: IO[bytes] | None = None) -> tuple[str, str]:
    """Read a file, or standard input for ``-``, as text. Returns (text, display name).

    ``what`` names the kind of file for messages ("answers file", "rule set").
    Size is checked before reading the whole file, so a huge or endless input
    (``/dev/zero``) is refused after ``max_bytes`` bytes at most.
    """
    if str(name) == "-":
        display = "<stdin>"
        if stdin is None and (sys.stdin is None or sys.stdin.closed):
            raise InputError(f"{display}: standard input is closed; expected {_a(what)}")
        stream = stdin if stdin is not None else sys.stdin.buffer
        if stdin is None and sys.stdin.isatty():
            raise InputError(
                f"{what}: '-' reads standard input, but it is a terminal; "
                "pipe a file in (llmchoice recommend - < answers.yaml) or name the file"
            )
        try:
            raw = stream.read(max_bytes + 1)
        except OSError as exc:
            raise InputError(f"{display}: cannot read {what}: {exc.strerror or exc}") from None
    else:
        path = Path(name)
        display = str(name)
        try:
            if path.is_dir():
                raise InputError(f"{display}: is a folder; expected {_a(what)}")
            size = path.stat().st_size
            if size > max_bytes:
                raise InputError(
                    f"{display}: {size:,} bytes is over the limit of {max_bytes:,} bytes "
                    f"for {_a(what)}"
                )
            with path.open("rb") as fh:
                raw = fh.read(max_bytes + 1)
        except FileNotFoundError:
            raise InputError(f"{display}: no such file ({what})") from None
        except PermissionError:
            raise InputError(f"{display}: permission denied ({what})") from None
        except OSError as exc:
            raise InputError(f"{display}: cannot read {what}: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:
        raise InputError(f"{display}: more than the limit of {max_bytes:,} bytes for {_a(what)}")
    text = decode(raw, display)
    check_characters(text, display)
    if not text.strip():
        raise InputError(f"{display}: is empty; expected {_a(what)}")
    return text, display


def _scalar(event: Any, source: str) -> object:
    value: str = event.value
    tag = event.tag
    plain = event.implicit[0] and tag is None
    if tag is not None:
        kind = _ALLOWED_TAGS.get(tag)
        if kind is None or kind in ("map", "seq"):
            raise _err(source, event.start_mark,
                       f"the tag {tag!s} is not allowed here; these files hold plain data only "
                       "(text, numbers, true/false, lists and mappings)")
        if kind == "str":
            return value
        resolved = _resolve_plain(value, event, source)
        expected = {"int": int, "float": float, "bool": bool, "null": type(None)}[kind]
        if kind == "float" and type(resolved) is int:
            return float(resolved)
        if type(resolved) is not expected:
            raise _err(source, event.start_mark, f"{value!r} is not a valid {kind}")
        return resolved
    if not plain:
        return value
    return _resolve_plain(value, event, source)


def _resolve_plain(value: str, event: Any, source: str) -> object:
    if _NULL.match(value):
        return None
    if _BOOL_TRUE.match(value):
        return True
    if _BOOL_FALSE.match(value):
        return False
    try:
        if _INT.match(value):
            return int(value)
        if _INT_OCT.match(value):
            return int(value[2:], 8)
        if _INT_HEX.match(value):
            return int(value[2:], 16)
    except ValueError:
        raise _err(source, event.start_mark, "this number has too many digits") from None
    if _FLOAT.match(value):
        return float(value)
    if _FLOAT_INF.match(value):
        return -math.inf if value.startswith("-") else math.inf
    if _FLOAT_NAN.match(value):
        return math.nan
    return value


@dataclass(slots=True)
class _Frame:
    obj: dict[str, object] | list[object]
    path: Path_
    anchor: str | None
    size: int = 1
    key: str | None = None
    key_mark: Any = None


def _events(text: str) -> Iterator[Any]:
    return yaml.parse(text, Loader=_Parser)


def parse(text: str, source: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Parse one YAML (or JSON) document into plain data with positions.

    An empty document gives ``data=None``. Every problem is an
    :class:`InputError` naming ``source:line:column``.
    """
    check_characters(text, source)
    doc = Document(data=None, source=source)
    anchors: dict[str, tuple[object, int]] = {}
    stack: list[_Frame] = []
    total = 0
    documents = 0

    def attach(value: object, size: int, mark: Any, is_collection: bool) -> None:
        if not stack:
            doc.data = value
            return
        top = stack[-1]
        if isinstance(top.obj, list):
            top.obj.append(value)
            top.size += size
            return
        if top.key is None:
            if is_collection or not isinstance(value, str):
                raise _err(source, mark, "a mapping key must be plain text, not a list or mapping")
            if value in top.obj:
                raise _err(source, mark,
                           f"duplicate key {value!r}: each key may appear once in a mapping")
            top.key = value
            top.key_mark = mark
            return
        key = top.key
        top.obj[key] = value
        top.size += size
        doc.key_marks[(*top.path, key)] = (top.key_mark.line + 1, top.key_mark.column + 1)
        top.key = None

    def child_path() -> Path_:
        if not stack:
            return ()
        top = stack[-1]
        if isinstance(top.obj, list):
            return (*top.path, len(top.obj))
        assert top.key is not None
        return (*top.path, top.key)

    def count(size: int, mark: Any) -> None:
        nonlocal total
        total += size
        if total > limits.max_nodes:
            raise _err(source, mark,
                       f"more than {limits.max_nodes:,} values (after expanding aliases); "
                       "refusing to go on (an alias bomb?)")

    try:
        for event in _events(text):
            name = type(event).__name__
            if name == "DocumentStartEvent":
                documents += 1
                if documents > 1:
                    raise _err(source, event.start_mark,
                               "a second YAML document ('---'); expected exactly one")
                continue
            if name in ("StreamStartEvent", "StreamEndEvent", "DocumentEndEvent"):
                continue
            mark = event.start_mark
            is_key = bool(stack) and isinstance(stack[-1].obj, dict) and stack[-1].key is None
            if name == "ScalarEvent":
                if is_key:
                    if event.tag is not None and _ALLOWED_TAGS.get(event.tag) not in ("str",):
                        raise _err(source, mark, "a mapping key must be plain text")
                    if event.value == "<<" and event.implicit[0]:
                        raise _err(source, mark,
                                   "merge keys ('<<') are not supported; write the keys out")
                    value: object = event.value
                else:
                    value = _scalar(event, source)
                    doc.marks[child_path()] = (mark.line + 1, mark.column + 1)
                count(1, mark)
                if event.anchor:
                    anchors[event.anchor] = (value, 1)
                attach(value, 1, mark, False)
            elif name == "AliasEvent":
                if event.anchor not in anchors:
                    raise _err(source, mark, f"unknown alias *{event.anchor}")
                value, size = anchors[event.anchor]
                if is_key and not isinstance(value, str):
                    raise _err(source, mark, "a mapping key must be plain text")
                count(size, mark)
                if not is_key:
                    doc.marks[child_path()] = (mark.line + 1, mark.column + 1)
                attach(value, size, mark, isinstance(value, (dict, list)))
            elif name in ("MappingStartEvent", "SequenceStartEvent"):
                if is_key:
                    raise _err(source, mark,
                               "a mapping key must be plain text, not a list or mapping")
                want = "map" if name == "MappingStartEvent" else "seq"
                if event.tag is not None and _ALLOWED_TAGS.get(event.tag) != want:
                    raise _err(source, mark,
                               f"the tag {event.tag!s} is not allowed here; these files hold "
                               "plain data only (text, numbers, true/false, lists and mappings)")
                if len(stack) >= limits.max_depth:
                    raise _err(source, mark,
                               f"nested more than {limits.max_depth} levels deep; "
                               "refusing to go on")
                path = child_path()
                doc.marks[path] = (mark.line + 1, mark.column + 1)
                count(1, mark)
                obj: dict[str, object] | list[object] = {} if want == "map" else []
                stack.append(_Frame(obj=obj, path=path, anchor=event.anchor))
            elif name in ("MappingEndEvent", "SequenceEndEvent"):
                frame = stack.pop()
                if frame.anchor:
                    anchors[frame.anchor] = (frame.obj, frame.size)
                attach(frame.obj, frame.size, mark, True)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        detail = f"{problem} ({context})" if context else str(problem)
        raise _err(source, mark, f"not valid YAML/JSON: {detail}") from None
    except RecursionError:  # pragma: no cover - the depth limit comes first
        raise _err(source, None, "nested too deeply") from None
    return doc


def load(name: str | Path, *, what: str, limits: Limits = DEFAULT_LIMITS,
         stdin: IO[bytes] | None = None) -> Document:
    """Read and parse a file (or ``-`` for standard input)."""
    text, display = read_source(name, what=what, max_bytes=limits.max_bytes, stdin=stdin)
    return parse(text, display, limits)
