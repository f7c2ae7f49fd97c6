"""Write a file all at once or not at all: temp file in the same folder, then rename."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from llmchoice.io.errors import UsageError
from llmchoice.io.textsafe import clean


def check_target(path: Path, *, force: bool, what: str = "--output") -> None:
    """Refuse early (before any work) a target that cannot or may not be written.

    Only regular files are written or replaced: a device (``/dev/full``), a pipe,
    a socket or a symbolic link is refused even with ``--force``.
    """
    shown = clean(str(path))
    parent = path.parent if str(path.parent) else Path()
    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    except OSError as exc:  # a name too long, a parent that is a file, ...
        raise UsageError(f"{what} {shown}: cannot write there ({exc.strerror or exc})") from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise UsageError(f"{what} {shown}: is a folder; name a file")
        if not stat.S_ISREG(info.st_mode):
            kind = "a symbolic link" if stat.S_ISLNK(info.st_mode) else \
                "not a regular file (a device, pipe or socket)"
            raise UsageError(f"{what} {shown}: is {kind}; llmchoice writes only regular files")
        if not force:
            raise UsageError(f"{what} {shown}: already exists; add --force to overwrite it")
    if not parent.is_dir():
        raise UsageError(f"{what} {shown}: the folder {clean(str(parent))} does not exist")
    if not os.access(parent, os.W_OK):
        raise UsageError(f"{what} {shown}: the folder {clean(str(parent))} is not writable")


def _mode_for(path: Path) -> int:
    """The mode a new file gets from the umask, or the mode of the file it replaces."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


@contextlib.contextmanager
def open_atomic(path: Path, *, force: bool, what: str = "--output",
                newline: str = "\n") -> Iterator[TextIO]:
    """Stream text into a temp file next to ``path``; on success it becomes ``path``.

    On any exception (and on Ctrl-C) the temp file is removed and ``path`` is
    untouched. Without ``force`` an existing file is never replaced, even one
    that appears while we write (the final step is a hard link, which fails if
    the name exists).
    """
    # lazy: only commands that write files need it
    import tempfile

    check_target(path, force=force, what=what)
    parent = path.parent if str(path.parent) else Path()
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise UsageError(f"{what} {path}: cannot write there ({exc.strerror or exc})") from None
    tmp = Path(tmp_name)
    try:
        os.fchmod(fd, _mode_for(path))  # mkstemp makes 0600; a report is an ordinary file
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
