"""Write a file all at once or not at all: temp file in the same folder, then rename."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from llmchoice.errors import UsageError


def check_target(path: Path, *, force: bool, what: str = "--output") -> None:
    """Refuse early (before any work) a target that cannot or may not be written."""
    parent = path.parent if str(path.parent) else Path()
    if path.is_dir():
        raise UsageError(f"{what} {path}: is a folder; name a file")
    if not parent.is_dir():
        raise UsageError(f"{what} {path}: the folder {parent} does not exist")
    if path.exists() and not force:
        raise UsageError(f"{what} {path}: already exists; add --force to overwrite it")
    if not os.access(parent, os.W_OK):
        raise UsageError(f"{what} {path}: the folder {parent} is not writable")


@contextlib.contextmanager
def open_atomic(path: Path, *, force: bool, what: str = "--output",
                newline: str = "\n") -> Iterator[TextIO]:
    """Stream text into a temp file next to ``path``; on success it becomes ``path``.

    On any exception (and on Ctrl-C) the temp file is removed and ``path`` is
    untouched. Without ``force`` an existing file is never replaced, even one
    that appears while we write (the final step is a hard link, which fails if
    the name exists).
    """
    import tempfile  # noqa: PLC0415 - only commands that write files need it

    check_target(path, force=force, what=what)
    parent = path.parent if str(path.parent) else Path()
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise UsageError(f"{what} {path}: cannot write there ({exc.strerror or exc})") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if force:
            tmp.replace(path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise UsageError(f"{what} {path}: already exists; add --force to overwrite it") \
                    from None
            except OSError:
                if path.exists():
                    raise UsageError(f"{what} {path}: already exists; add --force to overwrite "
                                     "it") from None
                tmp.replace(path)
    except OSError as exc:
        raise UsageError(f"{what} {path}: cannot write ({exc.strerror or exc})") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_atomic(path: Path, text: str, *, force: bool, what: str = "--output") -> None:
    """Write ``text`` to ``path`` atomically; never leave a partial file, even on Ctrl-C."""
    with open_atomic(path, force=force, what=what) as fh:
        fh.write(text)
