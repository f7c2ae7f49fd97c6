"""Read YAML and JSON as plain data, safely, remembering where every value stood.

PyYAML's own loaders build objects recursively and accept YAML 1.1 quirks
(``no`` is false, ``on`` is true). This module walks the parser's *events*
instead, iteratively, so that

* only the standard tags are accepted (``!!python/...`` and every other tag is
  refused, nothing is ever constructed from a tag);
* scalars resolve by the YAML 1.2 core schema (``no``, ``on`` and ``yes`` stay
  text), which also makes every JSON document read the same as with ``json``
  (:mod:`llmchoice.io.yamlscalars`);
* duplicate keys and merge keys (``<<``) are refused instead of last-one-wins;
* nesting depth and the size after alias expansion are bounded *while*
  reading, so an alias bomb stops at the limit instead of exhausting memory;
* every value's position is kept, so validators can say ``file:line:column``.

The result is a :class:`Document`: the data (dicts, lists, str, int, float,
bool, None) and a table from each value's path to its position.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import field
from pathlib import Path
from typing import IO, Any

from llmchoice.frozen import frozen, slotted
from llmchoice.io import jsonevents
from llmchoice.io.errors import InputError, Location
from llmchoice.io.jsonstrict import check_json, is_json_name
from llmchoice.io.source import DEFAULT_MAX_BYTES
from llmchoice.io.source import check_characters as check_characters  # re-exported
from llmchoice.io.source import decode as decode
from llmchoice.io.source import looks_utf16 as looks_utf16
from llmchoice.io.source import read_source as read_source
from llmchoice.io.yamlscalars import ALLOWED_TAGS, error_at, resolve_scalar

Path_ = tuple[str | int, ...]

MiB = 1024 * 1024


@frozen
class Limits:
    """Bounds on what one document may hold. The defaults suit rule sets and answers."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_depth: int = 64
    max_nodes: int = 250_000


DEFAULT_LIMITS = Limits()

@slotted
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


@slotted
class _Frame:
    obj: dict[str, object] | list[object]
    path: Path_
    anchor: str | None
    size: int = 1
    key: str | None = None
    key_mark: Any = None


def _yaml() -> Any:
    """PyYAML, imported only when a text is not plain JSON (it costs 8-13 ms a start)."""
    # lazy: PyYAML only for text that is not plain JSON (answers files, uncached rule sets)
    import yaml

    return yaml


def _events(text: str) -> Iterator[Any]:
    yaml = _yaml()
    found: Iterator[Any] = yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return found


class _Builder:
    """Builds one document's data from the parser's events, within the limits, keeping
    where each value stood."""

    def __init__(self, source: str, limits: Limits) -> None:
        self.source = source
        self.limits = limits
        self.doc = Document(data=None, source=source)
        self.anchors: dict[str, tuple[object, int]] = {}
        self.stack: list[_Frame] = []
        self.total = 0
        self.documents = 0

    def feed(self, event: Any) -> None:
        name = type(event).__name__
        if name == "DocumentStartEvent":
            self.documents += 1
            if self.documents > 1:
                raise error_at(self.source, event.start_mark,
                           "a second YAML document ('---'); expected exactly one")
            return
        if name in ("StreamStartEvent", "StreamEndEvent", "DocumentEndEvent"):
            return
        mark = event.start_mark
        stack = self.stack
        is_key = bool(stack) and isinstance(stack[-1].obj, dict) and stack[-1].key is None
        if name == "ScalarEvent":
            self._scalar(event, mark, is_key)
        elif name == "AliasEvent":
            self._alias(event, mark, is_key)
        elif name in ("MappingStartEvent", "SequenceStartEvent"):
            self._start(event, "map" if name == "MappingStartEvent" else "seq", mark, is_key)
        elif name in ("MappingEndEvent", "SequenceEndEvent"):
            frame = stack.pop()
            if frame.anchor:
                self.anchors[frame.anchor] = (frame.obj, frame.size)
            self._attach(frame.obj, frame.size, mark, True)

    def _scalar(self, event: Any, mark: Any, is_key: bool) -> None:
        if is_key:
            if event.tag is not None and ALLOWED_TAGS.get(event.tag) not in ("str",):
                raise error_at(self.source, mark, "a mapping key must be plain text")
            if event.value == "<<" and event.implicit[0]:
                raise error_at(self.source, mark,
                           "merge keys ('<<') are not supported; write the keys out")
            value: object = event.value
        else:
            value = resolve_scalar(event, self.source)
            self.doc.marks[self._child_path()] = (mark.line + 1, mark.column + 1)
        self._count(1, mark)
        if event.anchor:
            self.anchors[event.anchor] = (value, 1)
        self._attach(value, 1, mark, False)

    def _alias(self, event: Any, mark: Any, is_key: bool) -> None:
        if event.anchor not in self.anchors:
            raise error_at(self.source, mark, f"unknown alias *{event.anchor}")
        value, size = self.anchors[event.anchor]
        if is_key and not isinstance(value, str):
            raise error_at(self.source, mark, "a mapping key must be plain text")
        self._count(size, mark)
        if not is_key:
            self.doc.marks[self._child_path()] = (mark.line + 1, mark.column + 1)
        self._attach(value, size, mark, isinstance(value, (dict, list)))

    def _start(self, event: Any, want: str, mark: Any, is_key: bool) -> None:
        if is_key:
            raise error_at(self.source, mark,
                       "a mapping key must be plain text, not a list or mapping")
        if event.tag is not None and ALLOWED_TAGS.get(event.tag) != want:
            raise error_at(self.source, mark,
                       f"the tag {event.tag!s} is not allowed here; these files hold "
                       "plain data only (text, numbers, true/false, lists and mappings)")
        if len(self.stack) >= self.limits.max_depth:
            raise error_at(self.source, mark,
                       f"nested more than {self.limits.max_depth} levels deep; "
                       "refusing to go on")
        path = self._child_path()
        self.doc.marks[path] = (mark.line + 1, mark.column + 1)
        self._count(1, mark)
        obj: dict[str, object] | list[object] = {} if want == "map" else []
        self.stack.append(_Frame(obj=obj, path=path, anchor=event.anchor))

    def _attach(self, value: object, size: int, mark: Any, is_collection: bool) -> None:
        if not self.stack:
            self.doc.data = value
            return
        top = self.stack[-1]
        if isinstance(top.obj, list):
            top.obj.append(value)
            top.size += size
            return
        if top.key is None:
            if is_collection or not isinstance(value, str):
                raise error_at(self.source, mark,
                           "a mapping key must be plain text, not a list or mapping")
            if value in top.obj:
                raise error_at(self.source, mark,
                           f"duplicate key {value!r}: each key may appear once in a mapping")
            top.key = value
            top.key_mark = mark
            return
        key = top.key
        top.obj[key] = value
        top.size += size
        self.doc.key_marks[(*top.path, key)] = (top.key_mark.line + 1, top.key_mark.column + 1)
        top.key = None

    def _child_path(self) -> Path_:
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.obj, list):
            return (*top.path, len(top.obj))
        assert top.key is not None
        return (*top.path, top.key)

    def _count(self, size: int, mark: Any) -> None:
        self.total += size
        if self.total > self.limits.max_nodes:
            raise error_at(self.source, mark,
                       f"more than {self.limits.max_nodes:,} values (after expanding aliases); "
                       "refusing to go on (an alias bomb?)")


def parse(text: str, source: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Parse one YAML (or JSON) document into plain data with positions.

    An empty document gives ``data=None``. Every problem is an
    :class:`InputError` naming ``source:line:column``.
    """
    check_characters(text, source)
    doc = _parse_json(text, source, limits)
    if doc is not None:
        return doc
    yaml = _yaml()
    builder = _Builder(source, limits)
    try:
        for event in _events(text):
            builder.feed(event)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        detail = f"{problem} ({context})" if context else str(problem)
        raise error_at(source, mark, f"not valid YAML/JSON: {detail}") from None
    except RecursionError:  # pragma: no cover - the depth limit comes first
        raise error_at(source, None, "nested too deeply") from None
    if is_json_name(source):  # a file named .json must be strict JSON, not YAML
        check_json(text, source)
    return builder.doc


def _parse_json(text: str, source: str, limits: Limits) -> Document | None:
    """Plain JSON as the same document without PyYAML: the same builder and checks fed
    with :mod:`llmchoice.io.jsonevents`'s events; None for anything else and for any
    problem, which the YAML parser then reads (or reports) itself."""
    builder = _Builder(source, limits)
    try:
        for event in jsonevents.events(text):
            builder.feed(event)
    except (jsonevents.NotPlain, InputError):
        return None
    return builder.doc


def load(name: str | Path, *, what: str, limits: Limits = DEFAULT_LIMITS,
         stdin: IO[bytes] | None = None) -> Document:
    """Read and parse a file (or ``-`` for standard input)."""
    text, display = read_source(name, what=what, max_bytes=limits.max_bytes, stdin=stdin)
    return parse(text, display, limits)
