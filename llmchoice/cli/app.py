"""The command line: parse arguments, call the core, map errors to exit codes. No logic here.

Long: typer commands declare their options in the signature; the bodies stay short.
"""

# No `from __future__ import annotations` here: typer reads each command's signature
# (several times a start), and string annotations cost an eval each (about 2 ms a start).
import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, cast

import typer

from llmchoice import __version__
from llmchoice.cli.common import (
    FileOutputOption,
    ForceOption,
    OutputOption,
    RulesOption,
    answered_by,
    choose_format,
    early_check_output,
    emit,
    handle_errors,
    report_text,
    terminal_width,
    use_color,
    warn_not_applicable,
    warn_other_version,
)
from llmchoice.cli.lazy import LazyGroup
from llmchoice.cli.process import (
    OutputFailed,
    Signalled,
    guard_streams,
    install_signal_handlers,
    output_failed,
)
from llmchoice.io.check import did_you_mean
from llmchoice.io.errors import AnswersError, InputError, UsageError
from llmchoice.io.textsafe import clean

if TYPE_CHECKING:
    from llmchoice.io.yamlio import Document

HELP = """\
Decide whether to build on open-source LLMs, closed-source LLMs, or a hybrid.

Answer a few questions about budget, transparency, customization, support and
the other trade-offs, and get a recommendation that explains itself point by
point, citing the trade-off behind every reason.

\b
  llmchoice quiz                          answer interactively
  llmchoice template > answers.yaml       a commented answers file to fill in
  llmchoice recommend answers.yaml        the report for a file of answers
  llmchoice recommend --defaults --set budget=minimal --format json

\b
Exit codes: 0 success, 1 a check found something (rules test/diff, revisit),
2 bad input or usage, 130 interrupted.
"""

app = typer.Typer(
    name="llmchoice",
    cls=LazyGroup,
    help=HELP,
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion (docs/completion.md)
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"llmchoice {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Decide whether to build on open-source LLMs, closed-source LLMs, or a hybrid."""


FormatOption = Annotated[
    str | None,
    typer.Option("--format", "-f", metavar="FORMAT",
                 help="terminal, markdown, json, html or adr (a decision record; see "
                      "'llmchoice revisit'). Default: terminal on a terminal, "
                      "else from --output's extension, else markdown.",
                 show_default=False),
]


@app.command(short_help="Recommend open, closed or hybrid for a set of answers.")
@handle_errors
def recommend(
    answers_file: Annotated[
        str | None,
        typer.Argument(metavar="[FILE|-]",
                       help="Answers as YAML or JSON; '-' reads standard input, which is also "
                            "read when FILE is left out and input is piped.",
                       show_default=False),
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", "-s", metavar="ID=VALUE",
                     help="Answer one question (repeatable); wins over the file. "
                          "Multi-choice values are comma-separated.",
                     show_default=False),
    ] = None,
    defaults: Annotated[
        bool, typer.Option("--defaults", help="Fill unanswered questions with their defaults.")
    ] = False,
    rules: RulesOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Add the full trace: every fired rule with its "
                                             "file:line and the article's words, skipped rules, "
                                             "near misses and weight sensitivity. JSON always "
                                             "has it under \"explanation\".")
    ] = False,
    partial: Annotated[
        bool, typer.Option("--partial", help="Accept missing answers: report the outcomes "
                                             "still possible and which questions would settle "
                                             "it (without it, a missing answer is an error).")
    ] = False,
    target: Annotated[
        str | None,
        typer.Option("--target", metavar="OUTCOME", show_default=False,
                     help="Add the fewest changes of your preference answers that would make "
                          "OUTCOME (open, closed or hybrid) win, or what forbids it."),
    ] = None,
) -> None:
    """Recommend open, closed or hybrid for a set of answers, and explain why.

    Answers come from FILE (or standard input) and --set, which wins; with
    --defaults, questions still unanswered take their default. Every problem
    with the answers is listed at once with the allowed values (exit 2);
    --partial reports what a partial set still leaves possible instead.

    \b
    Examples:
      llmchoice recommend answers.yaml
      llmchoice recommend answers.json --format json --output report.json
      cat answers.yaml | llmchoice recommend --set budget=large
      llmchoice recommend --defaults --set data=on_premises
      llmchoice recommend answers.yaml --format adr --output decision.md
      llmchoice recommend --set data=on_premises --partial
      llmchoice recommend answers.yaml --target closed
    """
    # lazy: only this command needs these; --help stays fast
    from llmchoice.answers.validate import parse_sets, validate
    from llmchoice.report import EXTENSIONS, FORMATS
    from llmchoice.ruleset.load import load_ruleset

    sets = parse_sets(set_ or [])
    chosen = choose_format(fmt, output, FORMATS, EXTENSIONS)
    early_check_output(output, force, (answers_file, rules))
    rs = load_ruleset(rules)
    doc, stdin_empty = _read_answers_arg(answers_file, have_other=bool(sets) or defaults)
    given = cast("dict[str, object]", doc.data) if doc is not None else {}  # a mapping
    if target is not None and target not in rs.outcome_ids:
        raise UsageError(f"--target {clean(target)!r}: not an outcome"
                         f"{did_you_mean(target, rs.outcome_ids)}; expected one of "
                         f"{', '.join(rs.outcome_ids)}")
    with _empty_stdin(stdin_empty):
        resolved = validate(rs, given, source=doc.source if doc else "answers", sets=sets,
                            use_defaults=defaults, locate=doc, require_all=not partial)
    warn_other_version(rs, given, doc.source if doc else "answers")
    warn_not_applicable(rs, resolved, sets=sets, doc=doc)
    text = report_text(rs, resolved, chosen, output=output, explain=explain, partial=partial,
                       target=target, **answered_by(doc))
    emit(text, output, force=force)


def _read_answers_arg(name: str | None, *,
                      have_other: bool) -> tuple["Document | None", bool]:
    """The answers document: FILE, '-', or piped stdin when FILE is left out; and whether
    piped stdin was empty (--set or --defaults then answer alone)."""
    # lazy: only this command needs these; --help stays fast
    from llmchoice.answers.validate import read_answers

    if name is not None:
        return read_answers(name), False
    stdin = sys.stdin
    if stdin is None or stdin.closed or stdin.isatty():
        if have_other:
            return None, False
        raise AnswersError(
            "no answers given: name an answers file, pipe one in, or use --set ID=VALUE "
            "(with --defaults for the rest); 'llmchoice template' prints one to fill in")
    try:
        return read_answers("-"), False
    except InputError as exc:
        if have_other and "is empty" in exc.message:
            return None, True
        raise


@contextlib.contextmanager
def _empty_stdin(was_empty: bool) -> Iterator[None]:
    """When answers from --set alone fall short and the piped input was empty, say that
    first (the input was meant to hold the answers), then any problem but a missing one."""
    # lazy: only this command needs these; --help stays fast
    from llmchoice.answers.validate import AnswerProblem

    try:
        yield
    except AnswersError as exc:
        missing = [p for p in exc.problems
                   if isinstance(p, AnswerProblem) and p.kind == "missing"]
        if not (was_empty and missing):
            raise
        rest = tuple(p for p in exc.problems if p not in missing)
        n = len(missing)
        raise AnswersError(
            f"<stdin>: is empty; expected an answers file. --set alone leaves {n} question"
            f"{'s' if n != 1 else ''} unanswered: pipe an answers file in, name one, or add "
            "--defaults to fill the rest", rest) from None


@app.command()
@handle_errors
def questions(
    rules: RulesOption = None,
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", metavar="FORMAT",
        help="terminal, markdown or json. Default: terminal on a terminal, else markdown.")]
    = None,
) -> None:
    """List the questions, their allowed values and defaults."""
    # lazy: only this command needs these; --help stays fast
    from llmchoice.report.questions_json import questions_json
    from llmchoice.ruleset.load import load_ruleset

    chosen = choose_format(fmt, None, ("terminal", "markdown", "json"), {})
    rs = load_ruleset(rules)
    if chosen == "json":
        sys.stdout.write(questions_json(rs))
        return
    if chosen == "markdown":
        # lazy: only this command needs these; --help stays fast
        from llmchoice.report.questions_md import questions_markdown

        sys.stdout.write(questions_markdown(rs))
        return
    # lazy: only this command needs these; --help stays fast
    from llmchoice.report.ruleset import render_questions

    sys.stdout.write(render_questions(rs, width=terminal_width(), color=use_color()))


@app.command(short_help="Print a commented answers file to fill in.")
@handle_errors
def template(
    rules: RulesOption = None,
    output: FileOutputOption = None,
    force: ForceOption = False,
    schema: Annotated[
        str | None,
        typer.Option("--schema", metavar="PATH", show_default=False,
                     help="Start with a '# yaml-language-server: $schema=PATH' line, so editors "
                          "check the file (save the schema with 'llmchoice schema answers')."),
    ] = None,
) -> None:
    """Print a commented answers file: every question with its choices and help.

    \b
    llmchoice template > answers.yaml   # edit it, then:
    llmchoice recommend answers.yaml
    """
    # lazy: only this command needs these; --help stays fast
    from llmchoice.answers.template import answers_template
    from llmchoice.ruleset.load import load_ruleset

    early_check_output(output, force, (rules,), writes=("a commented YAML file", ".yaml"),
                       refused=(".json", ".md", ".markdown", ".html", ".htm"))
    emit(answers_template(load_ruleset(rules), schema=schema), output, force=force)


def main() -> None:
    """Entry point of the ``llmchoice`` script and ``python -m llmchoice``.

    Commands map the project's errors to exit codes themselves (``handle_errors``);
    this last guard turns a failed write to standard output or error (a full disk, an
    I/O error: one line, exit 2; a closed pipe: quiet) and a stop signal (exit 128 + its
    number) into their exit codes, and a bug into one line instead of a traceback
    (``LLMCHOICE_DEBUG=1`` shows the traceback).
    """

    if sys.stderr is None:  # pragma: no cover - nowhere to report anything
        sys.exit(2)
    guard_streams()
    install_signal_handlers()
    code = _run_app()
    try:  # what is still buffered must reach its reader now, not in the flush at exit
        if sys.stdout is not None:
            sys.stdout.flush()
        sys.stderr.flush()
    except OutputFailed as exc:
        code = output_failed(exc, code)
    except Signalled as exc:
        code = exc.exit_code
    sys.exit(code)


def _run_app() -> int:
    """Run the command; its exit code, whatever ended it."""
    try:
        try:
            app(prog_name="llmchoice")
        except SystemExit as exc:
            return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except OutputFailed as exc:
            return output_failed(exc, 0)
        except Signalled as exc:
            _say("Aborted" if exc.signum == signal.SIGINT else f"Aborted ({exc.name})")
            return exc.exit_code
        except KeyboardInterrupt:
            _say("Aborted")
            return 130
        except Exception as exc:
            if os.environ.get("LLMCHOICE_DEBUG"):
                raise
            _say(f"llmchoice: internal error (this is a bug, please report it): "
                 f"{type(exc).__name__}: {clean(str(exc))[:300]}")
            return 70
    except OutputFailed as exc:  # the message above could not be written either
        return output_failed(exc, 2)
    except Signalled as exc:  # a signal while reporting
        return exc.exit_code
    return 0


def _say(line: str) -> None:
    sys.stderr.write(line + "\n")
