"""What every command shares: error mapping, output, format choice, common options."""

from __future__ import annotations

import functools
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

from llmchoice.cli.process import Signalled
from llmchoice.io.errors import LLMChoiceError, UsageError
from llmchoice.io.numbers import option_number
from llmchoice.io.textsafe import clean

if TYPE_CHECKING:
    from llmchoice.answers.validate import Resolved
    from llmchoice.io.yamlio import Document
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


_WRITE = "Write to FILE (atomically) instead of standard output ('-')."
_REPLACE = "An existing file is replaced only with --force."
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", parser=output_path,
                 help=f"{_WRITE} Without --format, the extension picks the format: .md "
                      f"markdown, .html html, .json json, .txt terminal text (any other: "
                      f"markdown). {_REPLACE}",
                 show_default=False),
]
# ``cost`` and ``revisit`` have no HTML report
CostOutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", parser=output_path,
                 help=f"{_WRITE} Without --format, the extension picks the format: .md "
                      f"markdown, .json json, .txt terminal text (any other: markdown). "
                      f"{_REPLACE}",
                 show_default=False),
]
# a command with one format (a YAML template, a JSON Schema)
FileOutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", parser=output_path,
                 help=f"{_WRITE} {_REPLACE}", show_default=False),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Let --output replace an existing file.")
]


class _OptionProblem(typer.BadParameter):
    """A bad option value, shown in the tool's words (no click "Invalid value for")."""

    def show(self, file: object = None) -> None:
        sys.stderr.write(self.message + "\n")


def number_parser(flag: str, *, percent: float | None = None,
                  integer: bool = False) -> Callable[[str], float]:
    """A typer ``parser=`` for a numeric option read by :mod:`llmchoice.io.numbers`
    (``1,000`` and ``1 000`` are a thousand; ``1,5`` is refused with a hint; a ``%`` where
    ``percent`` says a share is asked), refusing bad text in the tool's own words."""

    def parse(text: str) -> float:
        if isinstance(text, int | float):  # the option's default, already a number
            return text
        try:
            return option_number(flag, text, percent=percent, integer=integer)
        except UsageError as exc:
            raise _OptionProblem(exc.render()) from None

    return parse


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
        # lazy: only --output needs the atomic writer
        from llmchoice.io.atomic import write_atomic

        write_atomic(output, text, force=force)
        sys.stderr.write(f"Wrote {clean(str(output))}\n")


def stdout_is_tty() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def use_color() -> bool:
    """Styles on a terminal; never with ``NO_COLOR`` set or ``TERM=dumb``; also into a pipe
    or file with ``FORCE_COLOR`` set (both non-empty, https://no-color.org and
    https://force-color.org; ``NO_COLOR`` wins)."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM", "") == "dumb":
        return False
    return bool(os.environ.get("FORCE_COLOR")) or stdout_is_tty()


MIN_WIDTH = 30  # narrower than this, nothing lays out; wider terminals are used as they are
MAX_WIDTH = 140  # wider than this, lines are too long to read
PIPED_WIDTH = 100


def terminal_width() -> int:
    """The width to lay text out at: $COLUMNS when set (on a terminal or piped, so
    ``COLUMNS=80 llmchoice ... | less`` fits), else the terminal's width, else 100 when
    piped; kept within 30 to 140."""
    raw = os.environ.get("COLUMNS", "").strip()
    width = int(raw) if raw.isdigit() and int(raw) > 0 else 0
    if not width and stdout_is_tty():
        try:
            width = os.get_terminal_size().columns
        except OSError:
            width = 0
    return max(MIN_WIDTH, min(width or PIPED_WIDTH, MAX_WIDTH))


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
                explain: bool = False, respondents: tuple[str, ...] = (),
                sources: tuple[str, ...] = (), partial: bool = False,
                target: str | None = None) -> str:
    """Weigh validated answers and render the report: the one path for recommend and quiz.
    Questions not asked, ``partial`` and ``target``: :func:`llmchoice.decide.partial.with_reach`."""
    # lazy: only this command needs these; --help stays fast
    from llmchoice.cost.for_answers import with_cost
    from llmchoice.decide.engine import evaluate
    from llmchoice.decide.explain import explain as explain_result
    from llmchoice.report import render

    result = with_cost(evaluate(rs, resolved.answers, not_applicable=resolved.not_applicable,
                                unsure=resolved.unsure, defaulted=resolved.defaulted), rs)
    if partial or target is not None or resolved.not_asked:  # else with_reach changes nothing
        # lazy: only reports with open questions or a target need the reach (about 3 ms)
        from llmchoice.decide.partial import with_reach

        result = with_reach(rs, result, not_asked=resolved.not_asked, partial=partial,
                            target=target)
    return render(result, rs, fmt, width=terminal_width() if output is None else 100,
                  color=use_color() and output is None and fmt == "terminal",
                  explanation=explain_result(rs, result), explain=explain,
                  respondents=respondents, sources=sources)


def early_check_output(output: Path | None, force: bool,
                       inputs: tuple[str | Path | None, ...] = (), *,
                       refused: tuple[str, ...] = (), writes: tuple[str, str] = ("", "")
                       ) -> None:
    """Refuse a bad --output before doing any work: one that exists (without --force); one
    of ``inputs`` (files the command reads; the rule set of ``--rules`` or $LLMCHOICE_RULES
    is added) even with --force; or, for a command with one format (``writes``: what it is
    and its extension), a name whose extension in ``refused`` says another format
    (``template --output t.json`` must not write YAML into it)."""
    if output is None:
        return
    if output.suffix.lower() in refused:
        what, ext = writes
        raise UsageError(f"--output {clean(str(output))}: this command writes {what}, not "
                         f"{output.suffix.lower()}; name a {ext} file")
    # lazy: only --output needs the atomic writer
    from llmchoice.io.atomic import check_target

    check_target(output, force=force, inputs=(*inputs, rules_input(None)))


def rules_input(rules: str | None) -> str | None:
    """The rule-set file a command reads: ``--rules``, else $LLMCHOICE_RULES."""
    return rules if rules is not None else os.environ.get("LLMCHOICE_RULES") or None


def warn_not_applicable(rs: RuleSet, resolved: Resolved, *, sets: dict[str, str],
                        doc: Document | None) -> None:
    """Say on stderr which given answers were ignored because their question does not
    apply (its ``when`` is false for the other answers), and why; none is dropped silently."""
    # lazy: only this command needs these; --help stays fast (answers given only)
    from llmchoice.answers.show import show_value

    for qid in resolved.not_applicable:
        q = rs.question(qid)
        if qid in sets:
            where, shown = f"--set {qid}={sets[qid]}", ""
        else:
            where = str(doc.locate((qid,))) if doc is not None else "answers"
            raw = doc.data.get(qid) if doc is not None and isinstance(doc.data, dict) else None
            shown = f" ({show_value(raw)})" if raw is not None else ""
        when = q.when.describe() if q.when is not None else ""
        sys.stderr.write(clean(f"{where}: note: the answer to {qid}{shown} was ignored: the "
                               f"question applies only when {when}") + "\n")


def warn_other_version(rs: RuleSet, given: dict[str, object], source: str) -> None:
    """Say on stderr when answers were written for another rule set or version than ``rs``."""
    # lazy: only this command needs these; --help stays fast (replayed answers only)
    from llmchoice.answers.meta import read_meta, version_warning

    line = version_warning(read_meta(given, source=source), rs.meta.id, rs.meta.version,
                           source=source)
    if line:
        sys.stderr.write(line + "\n")


def answered_by(doc: Document | None) -> dict[str, tuple[str, ...]]:
    """Who gave the answers and from which file, for a decision record: the file's
    ``respondent:``, else the file's name (nothing for answers from --set alone)."""
    if doc is None or not isinstance(doc.data, dict):
        return {"respondents": (), "sources": ()}
    # lazy: only this command needs these; --help stays fast (decision records only)
    from llmchoice.answers.meta import read_meta

    name = read_meta(doc.data, source=doc.source).respondent
    if name is None:
        name = clean(Path(doc.source).stem) if doc.source != "<stdin>" else "standard input"
    return {"respondents": (name,), "sources": (doc.source,)}
