"""The process around a command: stop signals that clean up as Ctrl-C does, and standard
output and error whose failures (a full disk, a closed pipe) end the run with one line.

:func:`llmchoice.cli.app.main` installs both before any command runs.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
from types import FrameType
from typing import Any, TextIO, cast

# --------------------------------------------------------------------------- signals

# Signals that end a run like Ctrl-C does: the exception unwinds the stack, so every
# ``finally`` (the temp file of --output, see io/atomic.py) runs. Exit 128 + the signal's
# number, as a shell reports a process killed by it (130 for Ctrl-C, 143 for SIGTERM).
STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT")


class Signalled(KeyboardInterrupt):
    """A stop signal arrived (SIGINT is Ctrl-C); ``exit_code`` is 128 + its number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.exit_code = 128 + signum
        self.name = signal.Signals(signum).name


class _Stopper:
    """The handler of the stop signals: raises :class:`Signalled` once; a second signal
    while the first unwinds is ignored, so the clean-up it runs is not cut short (SIGKILL
    still stops the process at once)."""

    def __init__(self) -> None:
        self.fired = False

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        if self.fired:
            return
        self.fired = True
        raise Signalled(signum)


def install_signal_handlers() -> None:
    """Make SIGTERM, SIGHUP and SIGQUIT stop a run as Ctrl-C does (temp files removed).

    A signal the parent set to be ignored stays ignored: ``nohup`` ignores SIGHUP, and a
    shell starts background jobs with SIGINT ignored; a process started that way must
    not die of them.
    """
    stopper = _Stopper()
    for name in STOP_SIGNALS:
        signum = getattr(signal, name, None)
        if signum is None:  # pragma: no cover - not on this platform
            continue
        current = signal.getsignal(signum)
        if current in (signal.SIG_DFL, signal.default_int_handler):
            signal.signal(signum, stopper)


# --------------------------------------------------------------------------- output

# A write to standard output or standard error that fails with one of these ends the run
# with one line and exit 2; a closed pipe (EPIPE: `llmchoice ... | head -1`) ends it quietly.
STDOUT, STDERR = "standard output", "standard error"
OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EIO, errno.EPIPE, errno.EDQUOT, errno.EFBIG,
                           errno.ENXIO, errno.EBADF})


class OutputFailed(Exception):  # noqa: N818 - what happened to the output
    """Writing to standard output or standard error failed (``stream`` names which)."""

    def __init__(self, stream: str, error: OSError) -> None:
        super().__init__(f"{stream}: {error.strerror or error}")
        self.stream = stream
        self.error = error

    @property
    def closed_pipe(self) -> bool:
        return self.error.errno == errno.EPIPE


class GuardedStream:
    """A text stream whose write and flush errors become :class:`OutputFailed`, so the
    failure is told apart from any other OSError and reported once, wherever it happens
    (a command, click's --help, the last flush at exit)."""

    def __init__(self, stream: TextIO, name: str) -> None:
        self._stream = stream
        self._name = name

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            raise self._failed(exc) from None

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise self._failed(exc) from None
        except ValueError:  # closed
            pass

    def _failed(self, exc: OSError) -> Exception:
        if exc.errno not in OUTPUT_ERRNOS:
            return exc
        return OutputFailed(self._name, exc)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def guard_streams() -> None:
    """Wrap ``sys.stdout`` and ``sys.stderr`` in :class:`GuardedStream` (once)."""
    for name, shown in (("stdout", STDOUT), ("stderr", STDERR)):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, GuardedStream):
            setattr(sys, name, cast(TextIO, GuardedStream(stream, shown)))


def silence(stream_name: str) -> None:
    """Point file descriptor 1 or 2 at /dev/null, so that nothing more (not even the flush
    at exit) fails on it."""
    fd = 1 if stream_name == STDOUT else 2
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except OSError:  # pragma: no cover - nothing more can be done
        pass


def output_failed(exc: OutputFailed, code: int) -> int:
    """Report a failed write once (unless the pipe was closed, or stderr is what failed)
    and return the exit code: ``code`` for a closed pipe, else 2."""
    silence(exc.stream)
    if exc.closed_pipe:
        return code
    if exc.stream == STDOUT:
        try:
            sys.stderr.write(f"llmchoice: cannot write to standard output "
                             f"({exc.error.strerror or exc.error}); the output is incomplete\n")
            sys.stderr.flush()
        except OutputFailed:
            silence(STDERR)
    return 2
