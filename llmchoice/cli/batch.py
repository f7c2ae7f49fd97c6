"""``llmchoice batch``: score many answer sets at once, streaming.

Long: typer commands declare their options in the signature; the bodies stay short.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import IO, Annotated, TextIO

import typer

from llmchoice.cli.common import (
    ForceOption,
    RulesOption,
    handle_errors,
    output_path,
    rules_input,
    terminal_width,
)
from llmchoice.io.atomic import check_target, open_atomic
from llmchoice.io.errors import InputError, UsageError
from llmchoice.io.textsafe import clean


def register(app: typer.Typer) -> None:
    app.command(name="batch",
                short_help="Score many answer sets: JSONL or CSV in, a row per line out.")(batch)


@handle_errors
def batch(
    input_file: Annotated[
        str,
        typer.Argument(metavar="IN|-",
                       help="Answer sets as JSONL (one JSON object per line) or CSV (a header "
                            "of question ids, then one answer set per line); '-' reads "
                            "standard input.",
                       show_default=False),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", parser=output_path,
                     help="Write the rows to FILE (atomically: all of it or nothing) instead "
                          "of standard output ('-').",
                     show_default=False),
    ] = None,
    force: ForceOption = False,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", metavar="FORMAT",
                     help="jsonl or csv. Default: from --output's extension (.jsonl, .csv), "
                          "else the input's format.",
                     show_default=False),
    ] = None,
    summary: Annotated[
        bool,
        typer.Option("--summary",
                     help="Also print how many lines went to each outcome and the most "
                          "common deciding answers (on stderr when rows go to stdout)."),
    ] = False,
    rules: RulesOption = None,
    defaults: Annotated[
        bool, typer.Option("--defaults", help="Fill unanswered questions with their defaults.")
    ] = False,
    contributions: Annotated[
        bool, typer.Option("--contributions",
                           help="JSONL only: add each line's contributions (the reasons).")
    ] = False,
    what_if: Annotated[
        bool, typer.Option("--what-if",
                           help="JSONL only: add each line's what-if changes (slower: every "
                                "line is re-scored once per alternative answer).")
    ] = False,
    line_buffered: Annotated[
        bool, typer.Option("--line-buffered",
                           help="Send each row on as soon as it is scored, for a pipe someone "
                                "watches, as with tail -f answers.jsonl | llmchoice batch -. "
                                "Always so when the output or the input is a terminal.")
    ] = False,
) -> None:
    """Score many answer sets: JSONL or CSV in, one result row per line out, streaming.

    Each output row carries its input line number. A bad line is reported on
    stderr with its line number and reason and gets an error row; every other
    line is still scored, and the exit code is 2 at the end if any line was bad.

    \b
    Examples:
      llmchoice batch teams.jsonl > results.jsonl
      llmchoice batch teams.csv --output results.csv --summary
      cat teams.jsonl | llmchoice batch - --format csv
    """
    # lazy: only this command needs these; --help stays fast
    from llmchoice.batch.stream import EXTENSIONS, FORMATS

    chosen = fmt.lower() if fmt else None
    if chosen is not None and chosen not in FORMATS:
        raise UsageError(f"--format {fmt!r}: expected one of {', '.join(FORMATS)}")
    if chosen is None and output is not None:
        chosen = EXTENSIONS.get(output.suffix.lower())
    _check_lists_fit(chosen, contributions, what_if)
    if output is not None:
        check_target(output, force=force, inputs=(input_file, rules_input(rules)))
    with _open_input(input_file) as (stream, display):
        watched = output is None and (line_buffered or _is_tty(sys.stdout) or _is_tty(stream))
        _run(stream, display, input_file, output, force, chosen, summary, rules, defaults,
             contributions, what_if, watched)


@contextlib.contextmanager
def _open_input(name: str) -> Iterator[tuple[IO[bytes], str]]:
    if name == "-":
        if sys.stdin is None or sys.stdin.isatty():
            raise InputError("batch: '-' reads standard input, but it is a terminal; pipe the "
                             "answer sets in (llmchoice batch - < teams.jsonl) or name the file")
        yield sys.stdin.buffer, "<stdin>"
        return
    path = Path(name)
    shown = clean(name)  # the name starts every message about a line: shown safe
    try:
        if path.is_dir():
            raise InputError(f"{shown}: is a folder; expected a JSONL or CSV file")
        fh = path.open("rb")
    except FileNotFoundError:
        raise InputError(f"{shown}: no such file (answer sets)") from None
    except PermissionError:
        raise InputError(f"{shown}: permission denied (answer sets)") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
        reason = exc.strerror if isinstance(exc, OSError) else "not a file name"
        raise InputError(f"{shown}: cannot read answer sets: {reason or exc}") from None
    with fh:
        yield fh, shown


def _check_lists_fit(out_kind: str | None, contributions: bool, what_if: bool) -> None:
    if out_kind == "csv" and (contributions or what_if):
        raise UsageError("--contributions and --what-if add lists to each row, which only "
                         "JSONL output can hold; use --format jsonl")


def _run(stream: IO[bytes], display: str, name: str, output: Path | None, force: bool,
         chosen: str | None, summary: bool, rules: str | None, defaults: bool,
         contributions: bool, what_if: bool, line_buffered: bool = False) -> None:
    # lazy: only this command needs these; --help stays fast
    from llmchoice.batch.stream import (
        MAX_MESSAGES,
        CsvWriter,
        JsonlWriter,
        Stats,
        Summary,
        read_lines,
        run,
    )
    from llmchoice.decide.compiled import compile_ruleset
    from llmchoice.ruleset.load import load_ruleset

    crs = compile_ruleset(load_ruleset(rules))
    lines = read_lines(stream, display)
    first, kind = _first_line(lines, display, name)
    out_kind = chosen or kind
    _check_lists_fit(out_kind, contributions, what_if)
    tally = Summary(crs.ruleset.outcome_ids) if summary else None

    def score_into(out: TextIO) -> Stats:
        writer: JsonlWriter | CsvWriter
        if out_kind == "csv":
            writer = CsvWriter(out, crs, line_buffered=line_buffered)
        else:
            writer = JsonlWriter(out, crs, contributions=contributions, what_if=what_if,
                                 line_buffered=line_buffered)
        return run(crs, chain([first], lines), kind, writer, display=display,
                   use_defaults=defaults, summary=tally,
                   on_bad=_BadLineNotes(display, MAX_MESSAGES))

    if output is None:
        stats = score_into(sys.stdout)
        sys.stdout.flush()
    else:
        with open_atomic(output, force=force) as fh:
            stats = score_into(fh)
        sys.stderr.write(f"Wrote {clean(str(output))}\n")
    if tally is not None:
        # lazy: only this command needs these; --help stays fast
        from llmchoice.report.batch import render_summary

        target = sys.stderr if output is None else sys.stdout
        target.write(render_summary(tally, display, bars=_is_tty(target), width=terminal_width()))
        target.flush()
    if stats.bad:
        listed = ", ".join(str(n) for n in stats.first_bad)
        more = ", ..." if stats.bad > len(stats.first_bad) else ""
        rest = ("none could be scored" if not stats.scored else
                "the other one was scored" if stats.scored == 1 else
                f"the other {stats.scored:,} were scored")
        were = "was" if stats.bad == 1 else "were"
        raise InputError(f"{display}: {stats.bad:,} of {stats.lines:,} answer sets {were} bad "
                         f"(line{'s' if stats.bad != 1 else ''} {listed}{more}); {rest}")


def _first_line(lines: Iterator[tuple[int, bytes | None]], display: str,
                name: str) -> tuple[tuple[int, bytes | None], str]:
    """The first non-blank line (taken from ``lines``) and the input's format, which it
    tells (JSONL or CSV) when the file's extension does not."""
    # lazy: only this command needs these; --help stays fast
    from llmchoice.batch.stream import BadLine, decode_line, detect_kind
    from llmchoice.io.yamlio import looks_utf16

    first: tuple[int, bytes | None] | None = None
    for lineno, raw in lines:
        if raw is None or raw.strip():
            first = (lineno, raw)
            break
    if first is None:
        raise InputError(f"{display}: is empty; expected answer sets as JSONL or CSV")
    if first[1] is not None and looks_utf16(first[1]):
        raise InputError(f"{display}: this is UTF-16 text; save it as UTF-8")
    try:
        text = decode_line(first[1], first[0])
    except BadLine:
        text = ""
    return first, detect_kind(name, text)


class _BadLineNotes:
    """Reports each bad line on stderr, up to ``limit`` of them, then says once that more
    are not listed (each still has an error row)."""

    def __init__(self, display: str, limit: int) -> None:
        self.display = display
        self.limit = limit
        self.shown = 0

    def __call__(self, lineno: int, reason: str) -> None:
        self.shown += 1
        if self.shown <= self.limit:
            sys.stderr.write(f"{self.display}:{lineno}: {reason}\n")
        elif self.shown == self.limit + 1:
            sys.stderr.write(f"{self.display}: more bad lines are not listed here; each has "
                             "an error row in the output\n")


def _is_tty(stream: TextIO | IO[bytes]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
