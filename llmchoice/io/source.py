"""Reading an input's bytes and text, bounded and safe: a named file (regular, never a FIFO
that blocks or a device that never ends, unless the caller allows it), ``-`` for standard
input, a size limit read before the data, UTF-8 only (UTF-16 named as such) and no
control characters that could drive a terminal. :mod:`llmchoice.io.yamlio` parses what
this returns."""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path
from typing import IO

from llmchoice.io.errors import InputError
from llmchoice.io.lazyre import lazy
from llmchoice.io.textsafe import clean

DEFAULT_MAX_BYTES = 2 * 1024 * 1024


def looks_utf16(data: bytes) -> bool:
    """UTF-16 text (a byte order mark, or NUL bytes at every other place of ASCII text)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    head = data[:64]
    if len(head) < 8:
        return False
    even, odd = head[0::2], head[1::2]
    return (even.count(0) == 0 and odd.count(0) >= len(odd) * 3 // 4) or \
        (odd.count(0) == 0 and even.count(0) >= len(even) * 3 // 4)


def decode(data: bytes, source: str) -> str:
    """Bytes to text: UTF-8 (a BOM is allowed), no NUL bytes."""
    if looks_utf16(data):
        raise InputError(f"{source}: this is UTF-16 text; save it as UTF-8")
    if b"\x00" in data:
        offset = data.index(b"\x00")
        raise InputError(
            f"{source}: this looks like binary data (a NUL byte at offset {offset}), "
            "expected YAML or JSON text"
        )
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0  # one byte order mark, as utf-8-sig
    try:  # (without importing that codec: 0.2 ms of start-up)
        return data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        at = bom + exc.start  # in the file, byte order mark included
        raise InputError(
            f"{source}: not UTF-8 text (byte 0x{data[at]:02x} at offset {at}); "
            "save the file as UTF-8"
        ) from None


def _a(what: str) -> str:
    return ("an " if what[:1] in "aeiou" else "a ") + what


_CONTROL = lazy("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


def check_characters(text: str, source: str) -> None:
    """YAML allows no control characters outside escapes; say where the first one is."""
    if text.replace("\n", "").replace("\r", "").replace("\t", "").isprintable():
        return  # every character refused is a control one (Cc) or a noncharacter (Cn)
    found = _CONTROL().search(text)
    if found is None:
        return
    before = text[: found.start()]
    line = before.count("\n") + 1
    column = found.start() - (before.rfind("\n") + 1) + 1
    raise InputError(
        f"{source}:{line}:{column}: control character U+{ord(found.group()):04X} is not allowed "
        "in YAML or JSON text (write it as an escape such as \\x1b inside double quotes)"
    )


def read_source(name: str | Path, *, what: str, max_bytes: int = DEFAULT_MAX_BYTES,
                stdin: IO[bytes] | None = None, regular_only: bool = False) -> tuple[str, str]:
    """Read a file, or standard input for ``-``, as text. Returns (text, display name).

    ``what`` names the kind of file for messages ("answers file", "rule set").
    Size is checked before reading the whole file, so a huge or endless input
    (``/dev/zero``) is refused after ``max_bytes`` bytes at most. With
    ``regular_only`` (rule sets, cost assumptions) a FIFO, device or socket is refused
    before anything is read from it; otherwise a FIFO with no writer reads as empty
    instead of blocking on its opening.
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
        display = clean(str(name))
        raw = _read_file(str(name), display, what, max_bytes, regular_only)
    if len(raw) > max_bytes:
        raise InputError(f"{display}: more than the limit of {max_bytes:,} bytes for {_a(what)}")
    text = decode(raw, display)
    check_characters(text, display)
    if not text.strip():
        raise InputError(f"{display}: is empty; expected {_a(what)}")
    return text, display


def _read_file(name: str, display: str, what: str, max_bytes: int,
               regular_only: bool) -> bytes:
    """At most ``max_bytes + 1`` bytes of the file ``name`` (see :func:`read_source`)."""
    if "\x00" in name:
        raise InputError(f"{display}: a file name cannot hold a NUL byte ({what})")
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(f"{display}: no such file ({what})") from None
    except PermissionError:
        raise InputError(f"{display}: permission denied ({what})") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(f"{display}: the symbolic links go round in a loop ({what})"
                             ) from None
        raise InputError(f"{display}: cannot read {what}: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{display}: is a folder; expected {_a(what)}")
        if not stat.S_ISREG(info.st_mode):
            if regular_only:
                raise InputError(f"{display}: is not a regular file (a FIFO, device or "
                                 f"socket); {_a(what)} must be a regular file")
            os.set_blocking(fd, True)  # a pipe's writer may still be writing
        elif info.st_size > max_bytes:
            raise InputError(f"{display}: {info.st_size:,} bytes is over the limit of "
                             f"{max_bytes:,} bytes for {_a(what)}")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"{display}: cannot read {what}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
