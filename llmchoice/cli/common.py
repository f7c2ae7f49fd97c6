"""What every command shares: error mapping, output, format choice, common options."""

from __future__ import annotations

import errno
import functools
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TextIO, TypeVar, cast

import typer

from llmchoice.io.atomic import check_target, write_atomic
from llmchoice.io.errors import LLMChoiceError, UsageError
from llmchoice.io.textsafe import clean

if TYPE_CHECKING:
    from llmchoice.answers.validate import Resolved
    from llmchoice.ruleset.model import RuleSet

P = ParamSpec("P")
R = TypeVar("R")

RulesOption = Annotated[
    str | None,
    typer.Option(
        "--rules", "-r", metavar="PATH",
        help="Rule set to use: a YAML file, or 'default'. "
             "Default: $LLMCHOICE_RULES, else the shipped default rule set.",
        show_default=False,
    ),
]
def output_path(raw: str) -> Path | None:
    """``--output`` as typed: '-' is standard output; an empty name or a trailing slash
    (a folder) is refused before the slash is lost in a Path."""
    if raw == "-":
        return None
    if not raw.strip():
        raise typer.BadParameter("the name is empty; name a file, or leave --output out to "
                                 "print the result")
    if raw.endswith(("/", os.sep)):
        raise typer.BadParameter(f"{clean(raw)!r} names a folder; name a file in it")
    return Path(raw)


OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", parser=output_path,
                 help="Write to FILE (atomically) instead of standard output ('-'). The "
                      "format follows the extension (.md, .json, .html) unless --format is "
                      "given. An existing file is replaced only with --force.",
                 show_default=False),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Let --output replace an existing file.")
]


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


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print one message on stderr and return the Exit to raise."""
    sys.stderr.write(message.rstrip("\n") + "\n")
    return typer.Exit(code)


def handle_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Map the project's errors, Ctrl-C and a closed stdout to messages and exit codes."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except LLMChoiceError as exc:
            raise fail(exc.render(), exc.exit_code) from None
        except Signalled as exc:
            note = "Aborted" if exc.signum == signal.SIGINT else f"Aborted ({exc.name})"
            raise fail(note, exc.exit_code) from None
        except (KeyboardInterrupt, EOFError):
            raise fail("Aborted", 130) from None
        except BrokenPipeError:
            # The reader went away (`llmchoice ... | head -1`): stop quietly.
            try:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
            except (OSError, ValueError):
                pass
            raise typer.Exit(0) from None

    return wrapper


def emit(text: str, output: Path | None, *, force: bool) -> None:
    """Print ``text``, or write it atomically to ``output``."""
    if output is None:
        if sys.stdout is None or sys.stdout.closed:
            raise UsageError("standard output is closed; use --output FILE to write the result")
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_atomic(output, text, force=force)
        sys.stderr.write(f"Wrote {clean(str(output))}\n")


def stdout_is_tty() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def use_color() -> bool:
    return stdout_is_tty() and not os.environ.get("NO_COLOR") and \
        os.environ.get("TERM", "") != "dumb"


def terminal_width() -> int:
    if stdout_is_tty():
        try:
            return max(60, min(os.get_terminal_size().columns, 140))
        except OSError:
            pass
    return 100


def choose_format(fmt: str | None, output: Path | None, formats: tuple[str, ...],
                  extensions: dict[str, str]) -> str:
    """--format if given; else from --output's extension; else terminal on a TTY, Markdown
    otherwise."""
    if fmt:
        low = fmt.lower()
        if low not in formats:
            raise UsageError(f"--format {fmt!r}: expected one of {', '.join(formats)}")
        return low
    if output is not None:
        suffix = output.suffix.lower()
        if suffix in (".html", ".htm") and "html" not in formats:
            raise UsageError(f"--output {clean(str(output))}: this command has no HTML format; "
                             f"name a .md or .json file, or choose --format "
                             f"({', '.join(formats)})")
        return extensions.get(suffix, "markdown")
    return "terminal" if stdout_is_tty() else "markdown"


def report_text(rs: RuleSet, resolved: Resolved, fmt: str, *, output: Path | None,
                explain: bool = False) -> str:
    """Weigh validated answers and render the report: the one path for recommend and quiz."""
    # lazy: only this command needs these; --help stays fast
    from llmchoice.cost.for_answers import with_cost
    from llmchoice.decide.engine import evaluate
    from llmchoice.decide.explain import explain as explain_result
    from llmchoice.report import render

    result = with_cost(evaluate(rs, resolved.answers, not_applicable=resolved.not_applicable,
                                unsure=resolved.unsure, defaulted=resolved.defaulted), rs)
    return render(result, rs, fmt, width=terminal_width() if output is None else 100,
                  color=use_color() and output is None and fmt == "terminal",
                  explanation=explain_result(rs, result), explain=explain)


def early_check_output(output: Path | None, force: bool,
                       inputs: tuple[str | Path | None, ...] = ()) -> None:
    """Refuse a bad --output before doing any work; one of ``inputs`` (files the command
    reads; the rule set of ``--rules`` or $LLMCHOICE_RULES is added) even with --force."""
    if output is not None:
        check_target(output, force=force, inputs=(*inputs, rules_input(None)))


def rules_input(rules: str | None) -> str | None:
    """The rule-set file a command reads: ``--rules``, else $LLMCHOICE_RULES."""
    return rules if rules is not None else os.environ.get("LLMCHOICE_RULES") or None
