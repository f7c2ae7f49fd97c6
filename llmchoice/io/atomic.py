"""Write a file all at once or not at all: temp file in the same folder, then rename."""

from __future__ import annotations

import contextlib
import os
import signal
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from llmchoice.io.errors import UsageError
from llmchoice.io.textsafe import clean


def check_target(path: Path, *, force: bool, what: str = "--output",
                 inputs: Iterable[str | Path | None] = ()) -> None:
    """Refuse early (before any work) a target that cannot or may not be written.

    Only regular files are written or replaced: a device (``/dev/full``), a pipe,
    a socket or a symbolic link is refused even with ``--force``, and so is a file
    that is one of the command's ``inputs`` (by any name: a hard link, ``./x``).
    """
    shown = clean(str(path))
    _refuse_input(path, inputs, what)
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


def _refuse_input(path: Path, inputs: Iterable[str | Path | None], what: str) -> None:
    for name in inputs:
        if name is None or str(name) in ("", "-"):
            continue
        try:
            same = Path(name).samefile(path)
        except (OSError, ValueError):  # either does not exist (or cannot be a file name)
            continue
        if same:
            raise UsageError(f"{what} {clean(str(path))}: is the input {clean(str(name))}; "
                             "llmchoice never writes over what it reads (not even with "
                             "--force): name another file")


def _mode_for(path: Path) -> int:
    """The mode a new file gets from the umask, or the mode of the file it replaces."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold the stop signals (delivered when the block ends) where a signal must not cut
    in; a no-op where the platform cannot."""
    held = {getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT")
            if hasattr(signal, n)}
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None:  # pragma: no cover - not POSIX
        yield
        return
    old = mask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        mask(signal.SIG_SETMASK, old)


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
    # A stop signal (Ctrl-C, SIGTERM, ...) is held while the temp file is made, so that it
    # cannot land between its creation and the ``try`` that removes it.
    with _signals_held():
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                            dir=parent)
        except OSError as exc:
            raise UsageError(f"{what} {clean(str(path))}: cannot write there "
                             f"({exc.strerror or exc})") from None
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
                raise UsageError(f"{what} {clean(str(path))}: already exists; add --force to "
                                 "overwrite it") from None
            except OSError:
                if path.exists():
                    raise UsageError(f"{what} {clean(str(path))}: already exists; add --force "
                                     "to overwrite it") from None
                tmp.replace(path)
    except OSError as exc:
        raise UsageError(f"{what} {clean(str(path))}: cannot write ({exc.strerror or exc})") \
            from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_atomic(path: Path, text: str, *, force: bool, what: str = "--output") -> None:
    """Write ``text`` to ``path`` atomically; never leave a partial file, even on Ctrl-C."""
    with open_atomic(path, force=force, what=what) as fh:
        fh.write(text)
