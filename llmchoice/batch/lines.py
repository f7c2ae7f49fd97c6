"""Reading batch input: lines of bytes with a length limit, decoded, parsed as JSONL or CSV.

Each problem with one line is a :class:`BadLine` (the run reports it and goes on);
a problem with the whole input (a bad CSV header) is an
:class:`~llmchoice.io.errors.InputError`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from typing import IO

from llmchoice.decide.compiled import CompiledRuleSet
from llmchoice.io.check import did_you_mean
from llmchoice.io.errors import InputError
from llmchoice.io.textsafe import clean_line, clip
from llmchoice.io.yamlio import looks_utf16

MAX_LINE_BYTES = 64 * 1024  # a longer line is a bad line (answer sets are a few hundred bytes)
# A too-long line is skipped up to its end; a stream with no line end in this many bytes
# is not line-based text (``/dev/zero``, a disk image) and the run stops there.
MAX_SKIP_BYTES = 16 * 1024 * 1024
EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv"}
WHITESPACE = " \t\r\n"


class BadLine(Exception):  # noqa: N818 - a line to report, not an error of the run
    """One input line that cannot be scored, and why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_lines(stream: IO[bytes], display: str, limit: int = MAX_LINE_BYTES,
               give_up: int = MAX_SKIP_BYTES) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) for every line, line end included; ``None`` for a line longer
    than ``limit`` bytes, of which no more than ``limit`` bytes are ever held. Reading
    starts again after the next line end; with none in ``give_up`` bytes, the input is
    refused (:class:`InputError`) rather than read on for ever."""
    readline = stream.readline
    lineno = 0
    while True:
        try:
            raw = readline(limit + 1)
            if not raw:
                return
            lineno += 1
            if len(raw) > limit and raw[-1:] != b"\n":
                skipped = len(raw)
                while True:  # skip the rest of the line without keeping it
                    rest = readline(limit)
                    skipped += len(rest)
                    if not rest or rest[-1:] == b"\n":
                        break
                    if skipped > give_up:
                        raise InputError(
                            f"{display}:{lineno}: no line end in {give_up:,} bytes; this is "
                            "not JSONL or CSV text (binary data?), so the run stops here")
                yield lineno, None
                continue
        except OSError as exc:
            raise InputError(f"{display}: cannot read line {lineno + 1}: "
                             f"{exc.strerror or exc}") from None
        yield lineno, raw


def csv_records(lines: Iterator[tuple[int, bytes | None]],
                limit: int = MAX_LINE_BYTES) -> Iterator[tuple[int, bytes | None]]:
    """CSV records from lines: a line that ends inside a quoted cell (an odd number of
    ``"``; a doubled ``""`` inside a cell counts two) goes on with the next line, as RFC
    4180 allows, up to ``limit`` bytes per record (longer: ``None``, as a long line, and
    reading starts a new record at the line after)."""
    for lineno, raw in lines:
        if raw is None or raw.count(b'"') % 2 == 0:
            yield lineno, raw
            continue
        parts, size, too_long = [raw], len(raw), False
        for _, more in lines:
            if more is None or size + len(more) > limit:
                too_long = True  # and the next line starts a record again
                break
            parts.append(more)
            size += len(more)
            if more.count(b'"') % 2 == 1:  # the quoted cell closes here
                break
        yield lineno, None if too_long else b"".join(parts)


def decode_line(raw: bytes | None, lineno: int) -> str:
    """A line's text without its line end and trailing whitespace (and without a byte
    order mark on line 1), or :class:`BadLine` for a too long, binary or non-UTF-8 line.
    A blank line gives the empty string."""
    if raw is None:
        raise BadLine(f"longer than the limit of {MAX_LINE_BYTES:,} bytes for one line")
    if b"\x00" in raw and looks_utf16(raw):
        raise BadLine("UTF-16 text; save the file as UTF-8")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadLine(f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at column "
                      f"{exc.start + 1})") from None
    if "\x00" in text:
        raise BadLine(f"binary data (a NUL byte at column {text.index(chr(0)) + 1}); "
                      "expected a line of text")
    if lineno == 1 and text.startswith("\ufeff"):
        text = text[1:]
    return text.rstrip(WHITESPACE)


def detect_kind(name: str, first: str) -> str:
    """The input's format: from the file's extension, else from its first non-blank line
    (a JSON object or array starts with '{' or '['; anything else is read as a CSV header)."""
    for ext, kind in EXTENSIONS.items():
        if name.lower().endswith(ext):
            return kind
    return "jsonl" if first.lstrip()[:1] in ("{", "[") else "csv"


class _Constant(ValueError):
    pass


class JsonLines:
    """Parse one JSONL line as the safe readers do: duplicate keys, NaN and Infinity,
    nested objects and anything but one object are refused.

    JSON objects are first read as tuples of (key, value) pairs (the C scanner builds
    them without calling back into Python), so duplicate keys can be counted and a nested
    object is told apart from a list.
    """

    def __init__(self, multi: tuple[str, ...] = ()) -> None:
        self._multi = multi  # multi-choice questions, whose lists a nested object could mimic
        decoder = json.JSONDecoder(object_pairs_hook=tuple, parse_constant=self._constant)
        # the C scanner (set by JSONDecoder.__init__), without decode()'s regex passes
        self._scan: Callable[[str, int], tuple[object, int]] = decoder.scan_once  # type: ignore[attr-defined]

    @staticmethod
    def _constant(name: str) -> object:
        raise _Constant(name)

    def parse(self, text: str) -> dict[str, object]:
        """``text`` is one line without trailing whitespace (see :func:`decode_line`)."""
        start = len(text) - len(text.lstrip(WHITESPACE)) if text[:1] in (" ", "\t", "\r") else 0
        try:
            pairs, end = self._scan(text, start)
        except StopIteration as exc:
            raise BadLine(f"not valid JSON: expecting a value (column {exc.value + 1})"
                          ) from None
        except _Constant as exc:
            raise BadLine(f"{exc.args[0]} is not a number JSON allows; expected a finite "
                          "number") from None
        except json.JSONDecodeError as exc:
            raise BadLine(f"not valid JSON: {exc.msg} (column {exc.colno})") from None
        except RecursionError:
            raise BadLine("not valid JSON: nested too deeply") from None
        except ValueError as exc:  # an integer with thousands of digits (Python's own
            # message would advise sys.set_int_max_str_digits, which is not the reader's)
            digits = "digits" in str(exc)
            raise BadLine("a number with too many digits (more than 4,300)" if digits else
                          f"not valid JSON: {clean_line(str(exc))}") from None
        if end != len(text):
            raise BadLine(f"not valid JSON: more after the end of the value (column {end + 1}); "
                          "expected one object per line")
        if type(pairs) is not tuple:
            raise BadLine("expected a JSON object of question id to answer, like "
                          f'{{"budget": "minimal"}}; found {_kind(pairs)}')
        obj: dict[str, object] = dict(pairs)
        if len(obj) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    raise BadLine(f"duplicate key {clip(key)!r}: each question may appear "
                                  "once")
                seen.add(key)
        for key in self._multi:
            if type(obj.get(key)) is tuple:
                raise nested(key)
        return obj


def nested(key: str) -> BadLine:
    return BadLine(f"{key}: expected an answer (text, a number, true/false or a list of "
                   "texts), found a nested object")


def has_object(value: object) -> bool:
    """True for an object read by :class:`JsonLines` (a tuple), or a list holding one at
    any depth (walked with a stack, not recursion: a line may nest thousands deep)."""
    if isinstance(value, tuple):
        return True
    if not isinstance(value, list):
        return False
    stack = [value]
    while stack:
        for item in stack.pop():
            if isinstance(item, tuple):
                return True
            if isinstance(item, list):
                stack.append(item)
    return False


def _kind(value: object) -> str:
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return "a number"


class CsvLines:
    """Parse CSV lines against a header of question ids, one record per line."""

    def __init__(self, header: str, crs: CompiledRuleSet, display: str, lineno: int) -> None:
        try:
            cells = next(csv.reader([header], strict=True))
        except (csv.Error, StopIteration) as exc:
            raise InputError(f"{display}:{lineno}: the CSV header is not valid CSV ({exc})"
                             ) from None
        columns = [c.strip() for c in cells]
        ids = [q.id for q in crs.ruleset.questions]
        problems = []
        for n, col in enumerate(columns, 1):
            if not col:
                problems.append(f"column {n} has no name")
            elif col not in ids:
                problems.append(f"column {n}: unknown question {clip(col)!r}"
                                f"{did_you_mean(col, ids)}")
            elif columns.index(col) != n - 1:
                problems.append(f"column {n}: {col!r} appears twice")
        if problems:
            raise InputError(
                f"{display}:{lineno}: the CSV header must name one question per column "
                f"({'; '.join(problems)}); questions are: {', '.join(ids)}")
        self.columns = tuple(columns)

    def parse(self, text: str) -> dict[str, str]:
        """The non-empty cells, stripped, by question id (as ``--set ID=VALUE`` would give)."""
        try:
            cells = next(csv.reader([text], strict=True))
        except csv.Error as exc:
            raise BadLine(f"not valid CSV: {exc}") from None
        if len(cells) != len(self.columns):
            raise BadLine(f"expected {len(self.columns)} cells, one per column of the header, "
                          f"found {len(cells)}")
        return {col: cell.strip() for col, cell in zip(self.columns, cells, strict=True)
                if cell.strip()}
