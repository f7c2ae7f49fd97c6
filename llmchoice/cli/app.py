"""The command line: parse arguments, call the core, map errors to exit codes. No logic here.

Long: typer commands declare their options in the signature; the bodies stay short.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

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
    warn_other_version,
)
from llmchoice.io.check import did_you_mean
from llmchoice.io.errors import AnswersError, InputError, UsageError
from llmchoice.io.textsafe import clean

if TYPE_CHECKING:
    from llmchoice.io.yamlio import Document

# Further commands live in llmchoice/cli/, each with register(app). They are
# loaded when first named (or when --help lists them), so that `recommend` does not
# pay for building every other command's options at each start (about 10 ms).
_LAZY_COMMANDS = {"quiz": "quiz", "batch": "batch", "cost": "cost", "rules": "rules",
                  "schema": "rules", "team": "team", "revisit": "team", "form": "form"}


def _load_command(name: str) -> Any:

    module = importlib.import_module(f"llmchoice.cli.{_LAZY_COMMANDS[name]}")
    holder = typer.Typer(add_completion=False, rich_markup_mode=None,
                         pretty_exceptions_enable=False)
    module.register(holder)
    return typer.main.get_group(holder).commands[name]


# What `llmchoice --help` lists for each lazy command, so that the help does not load
# and build every command (about 25 ms); tests/test_help.py checks it against each
# command's own short_help. A lazy command missing here is loaded to ask it.
_LAZY_SHORT_HELP = {
    "quiz": "Answer the questions interactively, then get the report.",
    "batch": "Score many answer sets: JSONL or CSV in, a row per line out.",
    "cost": "Estimate API bills against self-hosting open weights.",
    "rules": "Rule-set tooling: validate, test, analyze, diff, show, schema.",
    "schema": "JSON Schemas of answers files, for editors.",
    "team": "Merge several people's answers; show where they disagree.",
    "revisit": "Re-check a decision record: does it still hold?",
    "form": "Write an HTML answer form to fill in a browser.",
}


class _LazyGroup(TyperGroup):
    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """As typer's, without loading the lazy commands to ask their short help."""
        shown: list[tuple[str, Any]] = []
        for name in self.list_commands(ctx):
            if name not in self.commands and name in _LAZY_SHORT_HELP:
                shown.append((name, None))
                continue
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                shown.append((name, cmd))
        if not shown:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in shown)
        rows = [(name, cmd.get_short_help_str(limit) if cmd is not None
                 else _LAZY_SHORT_HELP[name]) for name, cmd in shown]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def list_commands(self, ctx: Any) -> list[str]:
        listed = super().list_commands(ctx)
        return [*listed, *(n for n in _LAZY_COMMANDS if n not in listed)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        found = super().get_command(ctx, cmd_name)
        if found is None and cmd_name in _LAZY_COMMANDS:
            found = _load_command(cmd_name)
            self.add_command(found, cmd_name)
        return found


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
    cls=_LazyGroup,
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
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
    early_check_output(output, force)
    rs = load_ruleset(rules)
    doc = _read_answers_arg(answers_file, have_other=bool(sets) or defaults)
    given = doc.data if doc is not None else {}
    assert isinstance(given, dict)
    if target is not None and target not in rs.outcome_ids:
        raise UsageError(f"--target {clean(target)!r}: not an outcome"
                         f"{did_you_mean(target, rs.outcome_ids)}; expected one of "
                         f"{', '.join(rs.outcome_ids)}")
    resolved = validate(rs, given, source=doc.source if doc else "answers", sets=sets,
                        use_defaults=defaults, locate=doc, require_all=not partial)
    warn_other_version(rs, given, doc.source if doc else "answers")
    text = report_text(rs, resolved, chosen, output=output, explain=explain, partial=partial,
                       target=target, **answered_by(doc))
    emit(text, output, force=force)


def _read_answers_arg(name: str | None, *, have_other: bool) -> Document | None:
    """The answers document: FILE, '-', or piped stdin when FILE is left out."""
    # lazy: only this command needs these; --help stays fast
    from llmchoice.answers.validate import read_answers

    if name is not None:
        return read_answers(name)
    stdin = sys.stdin
    if stdin is None or stdin.closed or stdin.isatty():
        if have_other:
            return None
        raise AnswersError(
            "no answers given: name an answers file, pipe one in, or use --set ID=VALUE "
            "(with --defaults for the rest); 'llmchoice template' prints one to fill in")
    try:
        return read_answers("-")
    except InputError as exc:
        if have_other and "is empty" in exc.message:
            return None
        raise


@app.command()
@handle_errors
def questions(
    rules: RulesOption = None,
    fmt: Annotated[str | None, typer.Option("--format", "-f", metavar="FORMAT",
                                            help="terminal or json. Default: terminal.")]
    = None,
) -> None:
    """List the questions, their allowed values and defaults."""
    # lazy: only this command needs these; --help stays fast
    from llmchoice.report.questions_json import questions_json
    from llmchoice.ruleset.load import load_ruleset

    if fmt not in (None, "terminal", "json"):

        raise UsageError(f"--format {fmt!r}: expected terminal or json")
    rs = load_ruleset(rules)
    if fmt == "json":
        sys.stdout.write(questions_json(rs))
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

    early_check_output(output, force, writes=("a commented YAML file", ".yaml"),
                       refused=(".json", ".md", ".markdown", ".html", ".htm"))
    emit(answers_template(load_ruleset(rules), schema=schema), output, force=force)


def main() -> None:
    """Entry point of the ``llmchoice`` script and ``python -m llmchoice``.

    Commands map the project's errors to exit codes themselves (``handle_errors``);
    this last guard only turns a bug into one line instead of a traceback
    (``LLMCHOICE_DEBUG=1`` shows the traceback).
    """

    if sys.stderr is None:  # pragma: no cover - nowhere to report anything
        sys.exit(2)
    try:
        app(prog_name="llmchoice")
    except KeyboardInterrupt:
        sys.stderr.write("Aborted\n")
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("LLMCHOICE_DEBUG"):
            raise

        sys.stderr.write(f"llmchoice: internal error (this is a bug, please report it): "
                         f"{type(exc).__name__}: {clean(str(exc))}\n")
        sys.exit(70)


